//! Introspection round-trips: a database migrated from a fixture introspects to the replayed
//! schema (in the comparable form, `introspect::comparable`), vector columns, lengths, arrays,
//! defaults and cascades included. Plus the lifecycle cases of instant.dev's `_instant.js` that
//! need no models.

mod common;

use instant_runtime::migrate::{self, history, introspect};
use instant_runtime::testing::TempDb;
use instant_schema::{Project, Schema};
use serde_json::json;

fn round_trip(name: &str) {
    let db = if name == "types" {
        TempDb::with_vector().unwrap()
    } else {
        TempDb::new().unwrap()
    };
    let project = Project::load(common::fixture(name)).unwrap();
    db.migrate(&project).unwrap();
    let mut client = db.connect().unwrap();
    let mut found = introspect::introspect(&mut client).unwrap();
    found.migration_id = project.migrations.last().map(|(_, m)| m.id);
    let expected = introspect::comparable(&project.schema().unwrap());
    assert_eq!(
        found.to_json(),
        expected.to_json(),
        "{name}: introspected vs replayed"
    );
}

#[test]
fn blog_round_trips() {
    round_trip("blog");
}

#[test]
fn family_round_trips() {
    round_trip("family");
}

#[test]
fn auth_round_trips() {
    round_trip("auth");
}

#[test]
fn types_round_trips_with_vectors_lengths_arrays_and_defaults() {
    round_trip("types");
    // What instant.dev loses and we keep.
    let db = TempDb::with_vector().unwrap();
    db.migrate_fixture(common::fixture("types")).unwrap();
    let schema = introspect::introspect(&mut db.connect().unwrap()).unwrap();
    let samples = &schema.tables["samples"];
    let column = |name: &str| samples.column(name).unwrap().clone();
    assert_eq!(
        serde_json::to_value(column("embedding")).unwrap(),
        json!({"name": "embedding", "type": "vector", "properties": {"length": 3}})
    );
    assert_eq!(
        serde_json::to_value(column("text_array")).unwrap(),
        json!({"name": "text_array", "type": "text", "properties": {"nullable": false, "array": true}})
    );
    assert_eq!(
        column("status").properties.default_value,
        Some(json!("draft"))
    );
}

/// The `_instant.js` fixture schema: parents with a unique non-null name and a btree index on
/// `shirt`, children with a parent id.
fn parents_and_children() -> Schema {
    Schema::from_json(&json!({
        "migration_id": null,
        "indices": [{"table": "parents", "column": "shirt", "type": "btree"}],
        "foreign_keys": [],
        "tables": {
            "parents": {"name": "parents", "columns": [
                {"name": "id", "type": "serial"},
                {"name": "name", "type": "string", "properties": {"nullable": false, "unique": true}},
                {"name": "shirt", "type": "string"},
                {"name": "hidden", "type": "string"},
                {"name": "pantaloons", "type": "string"},
                {"name": "created_at", "type": "datetime"},
                {"name": "updated_at", "type": "datetime"}]},
            "children": {"name": "children", "columns": [
                {"name": "id", "type": "serial"},
                {"name": "parent_id", "type": "int"},
                {"name": "name", "type": "string"},
                {"name": "age", "type": "int"},
                {"name": "is_favorite", "type": "boolean"},
                {"name": "license", "type": "string"},
                {"name": "created_at", "type": "datetime"},
                {"name": "updated_at", "type": "datetime"}]}
        }
    }))
    .unwrap()
}

fn count(
    client: &mut instant_runtime::pg::Client,
    table: &str,
) -> Result<i64, instant_runtime::pg::Error> {
    client
        .query_one(&format!("SELECT COUNT(*) FROM \"{table}\""), &[])
        .map(|row| row.get(0))
}

fn project_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("_instant")).unwrap();
    dir
}

/// instant.dev: should annihilate the database
#[test]
fn annihilate_drops_everything() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    migrate::annihilate(&mut client).unwrap();
    assert!(count(&mut client, history::TABLE).is_err());
}

/// instant.dev: should prepare the database for migrations
#[test]
fn prepare_creates_an_empty_history() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    assert_eq!(count(&mut client, history::TABLE).unwrap(), 0);
}

/// instant.dev: should successfully initialize with migration_id = null in schema
#[test]
fn initialize_records_one_migration() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    let dir = project_dir();
    migrate::initialize(&mut client, dir.path(), None).unwrap();
    assert_eq!(count(&mut client, history::TABLE).unwrap(), 1);
}

/// instant.dev: should successfully save the current schema with migration_id set
#[test]
fn initialize_stores_the_schema_with_its_id() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    let dir = project_dir();
    migrate::initialize(&mut client, dir.path(), None).unwrap();
    let rows = history::rows(&mut client).unwrap();
    assert_eq!(rows[0].id, 1);
    let cache = common::read_json(dir.path().join("_instant/cache/schema.json"));
    assert_eq!(rows[0].schema.as_ref().unwrap(), &cache);
    assert_eq!(cache["migration_id"], 1);
}

/// instant.dev: should fail to save the current schema if there is already a local directory
#[test]
fn initialize_refuses_an_existing_migrations_folder() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    let dir = project_dir();
    std::fs::create_dir(dir.path().join("_instant/migrations")).unwrap();
    let message = migrate::initialize(&mut client, dir.path(), None)
        .unwrap_err()
        .to_string();
    assert!(message.contains("Could not initialize"), "{message}");
    assert!(message.contains("already exists"), "{message}");
    // Nothing was recorded.
    assert_eq!(count(&mut client, history::TABLE).unwrap(), 0);
}

/// instant.dev: should fail to save the current schema if it already exists
#[test]
fn initialize_refuses_a_non_empty_history() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    let dir = project_dir();
    migrate::initialize(&mut client, dir.path(), None).unwrap();
    std::fs::remove_dir_all(dir.path().join("_instant")).unwrap();
    let message = migrate::initialize(&mut client, dir.path(), None)
        .unwrap_err()
        .to_string();
    assert!(message.contains("non-empty migration"), "{message}");
}

/// instant.dev: should prepare the database for migrations again
#[test]
fn prepare_again_empties_the_history() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    let dir = project_dir();
    migrate::initialize(&mut client, dir.path(), None).unwrap();
    migrate::prepare(&mut client).unwrap();
    assert_eq!(count(&mut client, history::TABLE).unwrap(), 0);
}

/// instant.dev: should fail to find models before db initialized
/// instant.dev: should successfully initialize again
/// instant.dev: should fail to initialize again
/// instant.dev: should succeed at finding models after db initialized
#[test]
fn initialize_with_a_schema_creates_its_tables() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    assert!(count(&mut client, "parents").is_err());
    assert!(count(&mut client, "children").is_err());

    let dir = project_dir();
    let schema = parents_and_children();
    let migration = migrate::initialize(&mut client, dir.path(), Some(schema.clone())).unwrap();
    assert_eq!(migration.id, 1);
    let rows = history::rows(&mut client).unwrap();
    let mut expected = schema.clone();
    expected.migration_id = Some(1);
    assert_eq!(rows[0].schema.as_ref().unwrap(), &expected.to_json());

    let message = migrate::initialize(&mut client, dir.path(), Some(schema))
        .unwrap_err()
        .to_string();
    assert!(message.contains("Could not initialize"), "{message}");

    assert_eq!(count(&mut client, "parents").unwrap(), 0);
    assert_eq!(count(&mut client, "children").unwrap(), 0);
}

/// instant.dev: should bootstrap database from schema
/// instant.dev: should fetch current schema
/// instant.dev: should introspect the current database correctly
/// instant.dev: should drop migrations and load from introspected schema
#[test]
fn bootstrap_rebuilds_and_the_database_introspects_to_its_schema() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    let dir = project_dir();
    migrate::initialize(&mut client, dir.path(), Some(parents_and_children())).unwrap();
    client
        .batch_execute("INSERT INTO parents (name) VALUES ('Albert')")
        .unwrap();

    let project = Project::load(dir.path()).unwrap();
    let migrated = migrate::bootstrap(&mut client, &project, &[]).unwrap();
    assert_eq!(migrated.applied, [1]);
    assert_eq!(count(&mut client, "parents").unwrap(), 0);
    assert_eq!(count(&mut client, "children").unwrap(), 0);

    let latest = history::rows(&mut client).unwrap().pop().unwrap();
    let cache = common::read_json(dir.path().join("_instant/cache/schema.json"));
    assert_eq!(latest.schema.unwrap(), cache);

    let mut found = introspect::introspect(&mut client).unwrap();
    found.migration_id = Some(1);
    assert_eq!(found, introspect::comparable(&project.schema().unwrap()));

    migrate::forget(&mut client).unwrap();
    let mut found = introspect::introspect(&mut client).unwrap();
    found.migration_id = Some(1);
    assert_eq!(found, introspect::comparable(&project.schema().unwrap()));
}

/// instant.dev: should drop migrations and introspect from schema
#[test]
fn initialize_by_introspection_gives_the_migrated_schema() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let project = Project::load(common::fixture("blog")).unwrap();
    db.migrate(&project).unwrap();
    migrate::prepare(&mut client).unwrap();
    let dir = project_dir();
    let migration = migrate::initialize(&mut client, dir.path(), None).unwrap();
    let instant_schema::Command::SetSchema(recorded) = &migration.up[0] else {
        panic!("initial migration is a setSchema");
    };
    let mut expected = introspect::comparable(&project.schema().unwrap());
    expected.migration_id = Some(1);
    assert_eq!(**recorded, expected);
}
