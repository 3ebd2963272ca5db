//! Every broken project under `fixtures/invalid/` fails to load with a message that names the
//! file, the JSON location and what was expected. One snapshot per folder.
//!
//! Folders named `db-json-*` and `seed-json-*` belong to the `db.json` and `seed.json` tests.

use std::path::PathBuf;

use instant_schema::Project;

const INVALID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/invalid");

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(INVALID)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            !name.starts_with("db-json-") && !name.starts_with("seed-json-")
        })
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_invalid_project_fails_with_a_located_message() {
    let cases = cases();
    assert!(
        cases.len() >= 18,
        "only {} cases under {INVALID}",
        cases.len()
    );
    for dir in cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let error = match Project::load(&dir).and_then(|project| project.schema()) {
            Ok(_) => panic!("{name}: loaded without error"),
            Err(error) => error,
        };
        // Paths relative to the case folder, so snapshots do not depend on the machine.
        let prefix = format!("{}/", dir.display());
        let message = error.to_string().replace(&prefix, "");
        assert!(
            message.contains("_instant"),
            "{name}: the message does not name the file: {message}"
        );
        insta::assert_snapshot!(name, message);
    }
}
