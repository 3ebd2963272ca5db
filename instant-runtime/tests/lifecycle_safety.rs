//! What the lifecycle guarantees beyond instant.dev: concurrent migrators apply each migration
//! once, a failing migration or rollback step leaves database, files and schema cache as they
//! were, and extensions are enabled and disabled with instant.dev's messages.

mod common;

use std::sync::{Arc, Barrier};

use instant_runtime::migrate::{self, extensions, history};
use instant_runtime::testing::TempDb;
use instant_schema::Project;
use serde_json::json;

fn blog_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::fixture("blog").join("_instant"),
        &copy.path().join("_instant"),
    );
    std::fs::remove_file(copy.path().join("_instant/cache/schema.json")).unwrap();
    copy
}

fn write_migration(dir: &std::path::Path, file: &str, json: serde_json::Value) {
    std::fs::write(
        dir.join("_instant/migrations").join(file),
        serde_json::to_string_pretty(&json).unwrap(),
    )
    .unwrap();
}

#[test]
fn concurrent_migrators_apply_each_migration_once() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let project = Project::load(copy.path()).unwrap();
    let total = project.migrations.len();
    let threads = 4;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let url = db.url().to_string();
            let project = project.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut client = instant_runtime::pg::Client::connect(&url).unwrap();
                barrier.wait();
                migrate::migrate(&mut client, &project).unwrap().len()
            })
        })
        .collect();
    let mut applied: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    applied.sort();
    assert_eq!(applied, [0, 0, 0, total]);
    let mut client = db.connect().unwrap();
    assert_eq!(history::rows(&mut client).unwrap().len(), total);
}

#[test]
fn a_failing_rollback_step_leaves_everything_as_it_was() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    write_migration(
        copy.path(),
        "20250101000010__irreversible.json",
        json!({"id": 20250101000010_i64, "name": "irreversible",
               "up": [["createTable", "notes", [{"name": "body", "type": "text"}]]],
               "down": [["dropTable", "notes"], ["executeSql", "SELECT * FROM missing_table"]]}),
    );
    let project = Project::load(copy.path()).unwrap();
    let mut client = db.connect().unwrap();
    migrate::migrate(&mut client, &project).unwrap();
    let cache_path = copy.path().join("_instant/cache/schema.json");
    let cache_before = std::fs::read_to_string(&cache_path).unwrap();
    let history_before = common::history(&mut client);
    let catalog_before = common::catalog(&mut client);

    let error = migrate::rollback(&mut client, &project, 2).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(
            "rollback of migration 20250101000010__irreversible.json (id=20250101000010), \
             down[1] executeSql: database error: relation \"missing_table\" does not exist"
        ),
        "{message}"
    );
    assert_eq!(common::history(&mut client), history_before);
    assert_eq!(common::catalog(&mut client), catalog_before);
    assert_eq!(std::fs::read_to_string(&cache_path).unwrap(), cache_before);
}

#[test]
fn a_rollback_failing_after_a_committed_step_keeps_the_cache_with_the_database() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    write_migration(
        copy.path(),
        "20250101000010__irreversible.json",
        json!({"id": 20250101000010_i64, "name": "irreversible",
               "up": [["executeSql", "SELECT 1"]],
               "down": [["executeSql", "SELECT * FROM missing_table"]]}),
    );
    write_migration(
        copy.path(),
        "20250101000011__create_notes.json",
        json!({"id": 20250101000011_i64, "name": "create_notes",
               "up": [["createTable", "notes", [{"name": "body", "type": "text"}]]],
               "down": [["dropTable", "notes"]]}),
    );
    let project = Project::load(copy.path()).unwrap();
    let mut client = db.connect().unwrap();
    migrate::migrate(&mut client, &project).unwrap();

    migrate::rollback(&mut client, &project, 2).unwrap_err();
    let ids: Vec<i64> = history::rows(&mut client)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids.last(), Some(&20250101000010));
    let cache = common::read_json(copy.path().join("_instant/cache/schema.json"));
    assert_eq!(cache["migration_id"], 20250101000010_i64);
    assert!(cache["tables"].get("notes").is_none());
}

#[test]
fn extensions_are_listed_enabled_and_disabled() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let all = extensions::list(&mut client).unwrap();
    let vector = all.iter().find(|e| e.name == "vector").unwrap();
    assert_eq!(vector.installed_version, None);
    assert!(vector.default_version.is_some());

    let enabled = extensions::enable(&mut client, "vector").unwrap();
    assert!(enabled.installed_version.is_some());
    // Enabling twice is fine.
    extensions::enable(&mut client, "vector").unwrap();

    client
        .batch_execute("CREATE TABLE things (embedding vector(3))")
        .unwrap();
    let error = extensions::disable(&mut client, "vector").unwrap_err();
    assert!(
        error.to_string().contains("depend"),
        "the server's dependency error: {error}"
    );
    client.batch_execute("DROP TABLE things").unwrap();
    let disabled = extensions::disable(&mut client, "vector").unwrap();
    assert_eq!(disabled.installed_version, None);

    let message = extensions::enable(&mut client, "no_such_extension")
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "Extension \"no_such_extension\" is not available to create. Are you sure it is set up \
         correctly?"
    );
}

#[test]
fn bootstrap_enables_extensions_again_after_annihilating() {
    let db = TempDb::with_vector().unwrap();
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::fixture("types").join("_instant"),
        &copy.path().join("_instant"),
    );
    let project = Project::load(copy.path()).unwrap();
    let mut client = db.connect().unwrap();
    let migrated = migrate::bootstrap(&mut client, &project, &["vector"]).unwrap();
    assert_eq!(migrated.applied.len(), project.migrations.len());
    // Without the extension the vector column cannot be created, and nothing is left behind.
    let error = migrate::bootstrap(&mut client, &project, &[]).unwrap_err();
    assert!(error.to_string().contains("vector"), "{error}");
    assert_eq!(history::rows(&mut client).unwrap().len(), 0);
}

/// The migrator turns on the server's dead-client check for its run (so a killed migrator
/// frees the lock within a second) and gives the session its own setting back.
#[test]
fn migrate_leaves_the_sessions_client_check_as_it_was() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let project = Project::load(copy.path()).unwrap();
    let mut client = db.connect().unwrap();
    let setting = |client: &mut instant_runtime::pg::Client| -> String {
        client
            .query_one(
                "SELECT current_setting('client_connection_check_interval')",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert_eq!(setting(&mut client), "0");
    migrate::migrate(&mut client, &project).unwrap();
    assert_eq!(setting(&mut client), "0");
    client
        .batch_execute("SET client_connection_check_interval = '5s'")
        .unwrap();
    migrate::rollback(&mut client, &project, 1).unwrap();
    assert_eq!(setting(&mut client), "5s");
}
