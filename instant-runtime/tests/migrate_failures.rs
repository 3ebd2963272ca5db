//! What `migrate` does when it cannot go forward: a migration that fails halfway leaves nothing
//! behind, and a database whose history disagrees with the folder is refused.

mod common;

use std::path::Path;

use instant_runtime::Error;
use instant_runtime::migrate;
use instant_runtime::testing::TempDb;
use instant_schema::Project;
use serde_json::json;

/// A copy of the blog fixture in a temporary folder, migrated into a fresh database.
fn migrated_blog() -> (TempDb, tempfile::TempDir, instant_runtime::pg::Client) {
    let db = TempDb::new().unwrap();
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::fixture("blog").join("_instant"),
        &copy.path().join("_instant"),
    );
    let mut client = db.connect().unwrap();
    let project = Project::load(copy.path()).unwrap();
    assert_eq!(migrate::migrate(&mut client, &project).unwrap().len(), 10);
    (db, copy, client)
}

fn write_migration(dir: &Path, file: &str, migration: serde_json::Value) {
    std::fs::write(
        dir.join("_instant/migrations").join(file),
        serde_json::to_string_pretty(&migration).unwrap(),
    )
    .unwrap();
}

fn table_exists(client: &mut instant_runtime::pg::Client, table: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
        .unwrap()
        .get(0)
}

fn history_ids(client: &mut instant_runtime::pg::Client) -> Vec<i64> {
    client
        .query("SELECT id FROM _instant_migrations ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn a_migration_failing_halfway_leaves_nothing() {
    let (_db, copy, mut client) = migrated_blog();
    let cache = copy.path().join("_instant/cache/schema.json");
    let cache_before = std::fs::read_to_string(&cache).unwrap();
    let ids_before = history_ids(&mut client);
    write_migration(
        copy.path(),
        "20250101000010__broken.json",
        json!({
            "id": 20250101000010_i64,
            "name": "broken",
            "up": [
                ["createTable", "widgets", [{"name": "label", "type": "string"}]],
                ["executeSql", "INSERT INTO widgets (label) VALUES ($1); THIS IS NOT SQL", ["x"]]
            ],
            "down": [
                ["executeSql", "-- invert: INSERT INTO widgets (label) VALUES ($1); THIS IS NOT SQL", ["x"]],
                ["dropTable", "widgets"]
            ]
        }),
    );
    let project = Project::load(copy.path()).unwrap();

    let error = migrate::migrate(&mut client, &project).unwrap_err();

    let Error::Migration {
        file, id, command, ..
    } = &error
    else {
        panic!("expected a migration error, got {error:?}");
    };
    assert_eq!(file, "20250101000010__broken.json");
    assert_eq!(*id, 20250101000010);
    assert_eq!(*command, Some((1, "executeSql")));
    assert!(
        error.db_error().is_some(),
        "the server's error is kept: {error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("migration 20250101000010__broken.json (id=20250101000010), up[1] executeSql: database error: "),
        "{message}"
    );
    assert!(
        !table_exists(&mut client, "widgets"),
        "the table of command 0 is rolled back"
    );
    assert_eq!(history_ids(&mut client), ids_before, "no history row");
    assert_eq!(
        std::fs::read_to_string(&cache).unwrap(),
        cache_before,
        "cache untouched"
    );
}

#[test]
fn execute_sql_params_are_bound() {
    let (_db, copy, mut client) = migrated_blog();
    let sneaky = "Robert'); DROP TABLE users; --";
    write_migration(
        copy.path(),
        "20250101000010__seed_user.json",
        json!({
            "id": 20250101000010_i64,
            "name": "seed_user",
            "up": [["executeSql", "INSERT INTO users (username, email, created_at) VALUES ($1, $2, $3)",
                    [sneaky, "r@example.com", "2024-01-02T03:04:05"]]],
            "down": [["executeSql", "-- invert: INSERT INTO users (username, email, created_at) VALUES ($1, $2, $3)",
                      [sneaky, "r@example.com", "2024-01-02T03:04:05"]]]
        }),
    );
    let project = Project::load(copy.path()).unwrap();
    assert_eq!(
        migrate::migrate(&mut client, &project).unwrap(),
        vec![20250101000010]
    );
    let row = client
        .query_one("SELECT username, created_at::text FROM users", &[])
        .unwrap();
    assert_eq!(row.get::<_, String>(0), sneaky);
    assert_eq!(row.get::<_, String>(1), "2024-01-02 03:04:05");
}

#[test]
fn an_edited_migration_is_refused() {
    let (_db, copy, mut client) = migrated_blog();
    let path = copy
        .path()
        .join("_instant/migrations/20250101000009__add_posts_column_slug.json");
    let mut migration = common::read_json(&path);
    migration["up"][0][2] = json!("permalink");
    std::fs::write(&path, serde_json::to_string_pretty(&migration).unwrap()).unwrap();
    let project = Project::load(copy.path()).unwrap();

    let error = migrate::migrate(&mut client, &project).unwrap_err();

    assert!(matches!(error, Error::OutOfSync { .. }), "{error:?}");
    // instant.dev's message: the state first, then the migration and the last common one.
    assert_eq!(
        error.to_string(),
        "\"mismatch\"\nMigration (id=20250101000009) stored in database does not match \
         filesystem migration.\nBefore migrating, please first run rollbackSync to rollback \
         database state to last matching filesystem state (id=20250101000008)."
    );
}

#[test]
fn a_migration_missing_from_the_folder_is_refused() {
    let (_db, copy, mut client) = migrated_blog();
    std::fs::remove_file(
        copy.path()
            .join("_instant/migrations/20250101000009__add_posts_column_slug.json"),
    )
    .unwrap();
    let project = Project::load(copy.path()).unwrap();

    let error = migrate::migrate(&mut client, &project).unwrap_err();

    let message = error.to_string();
    assert!(message.starts_with("\"database_ahead\"\n"), "{message}");
    assert!(
        message.contains("Migration (id=20250101000009) stored in database does not exist"),
        "{message}"
    );
    assert!(message.contains("(id=20250101000008)."), "{message}");
}

#[test]
fn a_migration_slipped_in_before_applied_ones_is_refused() {
    let (_db, copy, mut client) = migrated_blog();
    write_migration(
        copy.path(),
        "20250101000000__late.json",
        json!({"id": 20250101000000_i64, "name": "late",
               "up": [["executeSql", "SELECT 1", []]],
               "down": [["executeSql", "-- invert: SELECT 1", []]]}),
    );
    let project = Project::load(copy.path()).unwrap();

    let error = migrate::migrate(&mut client, &project).unwrap_err();

    // instant.dev calls this `filesystem_ahead` and would re-apply every migration after
    // the late file; we refuse.
    assert_eq!(
        error.to_string(),
        "\"filesystem_ahead\"\nMigration (id=20250101000000) was never applied, but the \
         database already has the later migration (id=20250101000001).\nGive it an id after the \
         last applied migration (id=20250101000009)."
    );
}

#[test]
fn an_empty_database_gets_the_history_table() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("_instant")).unwrap();
    let project = Project::load(empty.path()).unwrap();
    assert_eq!(
        migrate::migrate(&mut client, &project).unwrap(),
        Vec::<i64>::new()
    );
    assert!(table_exists(&mut client, "_instant_migrations"));
    assert!(!empty.path().join("_instant/cache/schema.json").exists());
}

#[test]
fn a_bad_file_later_in_the_folder_stops_the_run_before_it_starts() {
    let (_db, copy, mut client) = migrated_blog();
    let ids_before = history_ids(&mut client);
    // Two pending migrations: a good one, then one naming a table that does not exist.
    write_migration(
        copy.path(),
        "20250101000010__create_widgets.json",
        json!({
            "id": 20250101000010_i64, "name": "create_widgets",
            "up": [["createTable", "widgets", [{"name": "label", "type": "string"}]]],
            "down": [["dropTable", "widgets"]]
        }),
    );
    write_migration(
        copy.path(),
        "20250101000011__broken.json",
        json!({
            "id": 20250101000011_i64, "name": "broken",
            "up": [["dropColumn", "gadgets", "label"]],
            "down": []
        }),
    );
    let project = Project::load(copy.path()).unwrap();

    let error = migrate::migrate(&mut client, &project).unwrap_err();

    let message = error.to_string();
    assert!(
        message
            .contains("20250101000011__broken.json at up[0][1]: table \"gadgets\" does not exist"),
        "{message}"
    );
    assert!(
        !table_exists(&mut client, "widgets"),
        "the good migration was not applied either"
    );
    assert_eq!(history_ids(&mut client), ids_before);
}
