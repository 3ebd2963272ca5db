//! Every broken `db.json` and `seed.json` under `fixtures/invalid/` fails with a message that
//! names the file, the JSON location and what was expected. One snapshot per folder.

use std::path::{Path, PathBuf};

use instant_schema::Project;
use instant_schema::db_config::DbConfigFile;
use instant_schema::seed::Seed;

const INVALID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/invalid");

fn cases(prefix: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(INVALID)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .filter(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(prefix)
        })
        .collect();
    dirs.sort();
    dirs
}

/// The variables the placeholders of the fixtures refer to; `MISSING_DATABASE_HOST` is not one.
fn vars(name: &str) -> Option<String> {
    let value = match name {
        "MAIN_DATABASE_HOST" => "localhost",
        "MAIN_DATABASE_PORT" => "5432",
        "MAIN_DATABASE_USER" => "postgres",
        "MAIN_DATABASE_PASSWORD" => "",
        "MAIN_DATABASE_DATABASE" => "app",
        "MAIN_DATABASE_URL" => "postgres://postgres@localhost:5432/app",
        "EMPTY_VARIABLE" => "",
        _ => return None,
    };
    Some(value.to_string())
}

/// The message with paths relative to the case folder, so snapshots do not depend on the
/// machine.
fn relative(dir: &Path, error: instant_schema::Error) -> String {
    error
        .to_string()
        .replace(&format!("{}/", dir.display()), "")
}

#[test]
fn every_invalid_db_json_fails_with_a_located_message() {
    let cases = cases("db-json-");
    assert!(cases.len() >= 8, "only {} db.json cases", cases.len());
    for dir in cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let result = DbConfigFile::load(dir.join("_instant/db.json"))
            .and_then(|file| file.read("development", "main", vars));
        let message = match result {
            Ok(config) => panic!("{name}: read without error: {config:?}"),
            Err(error) => relative(&dir, error),
        };
        assert!(
            message.starts_with("_instant/db.json"),
            "{name}: the message does not start with the file: {message}"
        );
        insta::assert_snapshot!(name, message);
    }
}

#[test]
fn every_invalid_seed_json_fails_with_a_located_message() {
    let cases = cases("seed-json-");
    assert!(cases.len() >= 5, "only {} seed.json cases", cases.len());
    for dir in cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let result = Seed::load(dir.join("_instant/seed.json")).and_then(|seed| {
            let seed = seed.expect("the fixture has a seed.json");
            // Cases with migrations are checked against the schema they build.
            if dir.join("_instant/migrations").is_dir() {
                seed.check(&Project::load(&dir)?.schema()?)?;
            }
            Ok(seed)
        });
        let message = match result {
            Ok(seed) => panic!("{name}: read without error: {seed:?}"),
            Err(error) => relative(&dir, error),
        };
        assert!(
            message.starts_with("_instant/seed.json"),
            "{name}: the message does not start with the file: {message}"
        );
        insta::assert_snapshot!(name, message);
    }
}
