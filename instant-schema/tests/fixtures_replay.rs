//! Replaying each real fixture (written by instant.dev itself) gives exactly the schema JSON
//! instant.dev cached, and every migration file reads and writes back unchanged.

use std::path::{Path, PathBuf};

use instant_schema::{Migration, Project, Schema, apply_migration};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures");

/// Every `fixtures/<name>/` (not `invalid/`) that has `_instant/cache/schema.json`.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().unwrap() != "invalid")
        .filter(|path| path.join("_instant/cache/schema.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn there_are_fixtures() {
    assert!(
        !fixture_dirs().is_empty(),
        "no fixture with cache/schema.json under {FIXTURES}"
    );
}

#[test]
fn replay_matches_cached_schema() {
    for dir in fixture_dirs() {
        let project = Project::load(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let schema = project
            .schema()
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let cached = read(&dir.join("_instant/cache/schema.json"));
        assert_eq!(schema.to_json(), cached, "{}", dir.display());
        // The cache reads into the same schema, and writes back unchanged.
        assert_eq!(
            project.cached_schema.as_ref(),
            Some(&schema),
            "{}",
            dir.display()
        );
    }
}

#[test]
fn migration_files_round_trip() {
    for dir in fixture_dirs() {
        let project = Project::load(&dir).unwrap();
        assert!(!project.migrations.is_empty(), "{}", dir.display());
        for (path, migration) in &project.migrations {
            assert_eq!(migration.to_json(), read(path), "{}", path.display());
            let again = Migration::from_json(&migration.to_json()).unwrap();
            assert_eq!(&again, migration, "{}", path.display());
        }
    }
}

/// Each row of `_instant_migrations`: the stored commands equal our normalized migration, and
/// the stored schema equals our replay up to that migration.
#[test]
fn matches_instant_migrations_rows() {
    for dir in fixture_dirs() {
        let rows_path = dir.join("expected/instant_migrations.json");
        if !rows_path.is_file() {
            continue;
        }
        let rows = read(&rows_path);
        let project = Project::load(&dir).unwrap();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), project.migrations.len(), "{}", dir.display());
        let mut schema = Schema::empty();
        for (row, (path, migration)) in rows.iter().zip(&project.migrations) {
            assert_eq!(row["id"], migration.id, "{}", path.display());
            assert_eq!(row["commands"], migration.to_json(), "{}", path.display());
            apply_migration(&mut schema, migration).unwrap();
            assert_eq!(row["schema"], schema.to_json(), "{}", path.display());
            assert_eq!(Schema::from_json(&row["schema"]).unwrap(), schema);
        }
    }
}
