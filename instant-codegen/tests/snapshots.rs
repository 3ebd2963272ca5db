//! The generated file for every fixture project (each folder under `fixtures/` holding an
//! `_instant/` folder, except under `fixtures/invalid/`), snapshotted as
//! `snapshots/snapshots__<fixture>.snap`.

use std::path::{Path, PathBuf};

use instant_codegen::{Options, generate_project};
use instant_schema::Project;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures");

/// Project folders under `dir`, depth first, in name order.
fn projects(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap();
        if name == "invalid" || name == "_instant" {
            continue;
        }
        if path.join("_instant").is_dir() {
            found.push(path.clone());
        }
        projects(&path, found);
    }
}

#[test]
fn every_fixture() {
    let root = Path::new(FIXTURES);
    let mut found = Vec::new();
    projects(root, &mut found);
    assert!(
        found.len() >= 4,
        "expected the fixture projects, found {found:?}"
    );
    for dir in found {
        let name = dir
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('/', "__");
        let project = Project::load(&dir).unwrap();
        let code = generate_project(&project, &Options::default())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        insta::with_settings!({ description => format!("instant-codegen for fixtures/{name}"), omit_expression => true }, {
            insta::assert_snapshot!(name, code);
        });
    }
}
