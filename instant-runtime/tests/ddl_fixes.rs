//! Our fixes to instant.dev's DDL, run on the server: `defaultValue` becomes a `DEFAULT` that
//! rows really get, and `addColumn` creates the unique/primary-key constraint and sequence it
//! is asked for, without breaking instant.dev's own follow-up `alterColumn {unique: true}`.

use instant_runtime::migrate;
use instant_runtime::testing::TempDb;
use instant_schema::Project;
use serde_json::{Value, json};

/// A project in a temporary folder holding `migrations` (`(name, up)` pairs, ids 1, 2, …).
fn project(migrations: &[(&str, Value)]) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("_instant/migrations");
    std::fs::create_dir_all(&folder).unwrap();
    for (index, (name, up)) in migrations.iter().enumerate() {
        let id = index as i64 + 1;
        let migration = json!({"id": id, "name": name, "up": up, "down": []});
        std::fs::write(
            folder.join(format!("{id:014}__{name}.json")),
            serde_json::to_string_pretty(&migration).unwrap(),
        )
        .unwrap();
    }
    let project = Project::load(dir.path()).unwrap();
    (dir, project)
}

fn column_default(
    client: &mut instant_runtime::pg::Client,
    table: &str,
    column: &str,
) -> Option<String> {
    client
        .query_one(
            "SELECT column_default FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2",
            &[&table, &column],
        )
        .unwrap()
        .get(0)
}

fn constraints(client: &mut instant_runtime::pg::Client, table: &str) -> Vec<String> {
    client
        .query(
            "SELECT conname::text FROM pg_constraint WHERE conrelid = $1::text::regclass ORDER BY 1",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn default_values_become_defaults() {
    let db = TempDb::with_vector().unwrap();
    let (_dir, project) = project(&[
        (
            "create_settings",
            json!([["createTable", "settings", [
                {"name": "label", "type": "string", "properties": {"defaultValue": "it's a \\ \"label\""}},
                {"name": "enabled", "type": "boolean", "properties": {"nullable": false, "defaultValue": true}},
                {"name": "level", "type": "int", "properties": {"defaultValue": 3}},
                {"name": "ratio", "type": "float", "properties": {"defaultValue": 0.25}},
                {"name": "options", "type": "json", "properties": {"defaultValue": {"theme": "dark", "sizes": [1, 2]}}},
                {"name": "tags", "type": "text", "properties": {"array": true, "defaultValue": ["a", "b,c", "d\"e"]}},
                {"name": "embedding", "type": "vector", "properties": {"length": 2, "defaultValue": "[1,2]"}},
                {"name": "note", "type": "text", "properties": {"defaultValue": null}}
            ]]]),
        ),
        (
            "alter_settings",
            json!([
                ["alterColumn", "settings", "level", null, {"defaultValue": 7}],
                ["alterColumn", "settings", "note", null, {"defaultValue": "n/a"}],
                ["alterColumn", "settings", "label", "text"],
                ["alterColumn", "settings", "ratio", null, {"defaultValue": null}]
            ]),
        ),
    ]);
    let mut client = db.connect().unwrap();
    migrate::apply_pending(&mut client, &project).unwrap();

    client
        .batch_execute("INSERT INTO settings DEFAULT VALUES")
        .unwrap();
    let row = client
        .query_one(
            "SELECT label, enabled, level, ratio, options, tags, embedding::text, note \
             FROM settings",
            &[],
        )
        .unwrap();
    assert_eq!(
        row.get::<_, String>(0),
        "it's a \\ \"label\"",
        "kept across a re-type"
    );
    assert!(row.get::<_, bool>(1));
    assert_eq!(row.get::<_, i64>(2), 7);
    assert_eq!(
        row.get::<_, Option<f64>>(3),
        None,
        "dropped by defaultValue: null"
    );
    assert_eq!(
        row.get::<_, Value>(4),
        json!({"theme": "dark", "sizes": [1, 2]})
    );
    assert_eq!(row.get::<_, Vec<String>>(5), ["a", "b,c", "d\"e"]);
    assert_eq!(row.get::<_, String>(6), "[1,2]");
    assert_eq!(row.get::<_, String>(7), "n/a");
    assert_eq!(
        column_default(&mut client, "settings", "id").as_deref(),
        Some("nextval('settings_id_seq'::regclass)"),
        "a serial keeps its sequence, not a defaultValue"
    );
}

#[test]
fn add_column_honours_unique_primary_key_and_auto_increment() {
    let db = TempDb::new().unwrap();
    let (_dir, project) = project(&[
        (
            "create_things",
            json!([["createTable", "things", [{"name": "id", "type": "uuid"}]]]),
        ),
        (
            "add_things_columns",
            json!([
                ["addColumn", "things", "number", "serial"],
                ["addColumn", "things", "code", "string", {"unique": true}]
            ]),
        ),
        // instant.dev's way to really make `code` unique; the constraint exists already.
        (
            "alter_things_column_code",
            json!([["alterColumn", "things", "code", null, {"unique": true}]]),
        ),
    ]);
    let mut client = db.connect().unwrap();
    migrate::apply_pending(&mut client, &project).unwrap();

    assert_eq!(
        constraints(&mut client, "things"),
        ["things_code_unique", "things_number_pk"]
    );
    assert_eq!(
        column_default(&mut client, "things", "number").as_deref(),
        Some("nextval('things_number_seq'::regclass)")
    );
    client
        .batch_execute(
            "INSERT INTO things (id, code) VALUES (gen_random_uuid(), 'a'), (gen_random_uuid(), 'b')",
        )
        .unwrap();
    let numbers: Vec<i64> = client
        .query("SELECT number FROM things ORDER BY number", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(numbers, [1, 2]);
    let duplicate =
        client.batch_execute("INSERT INTO things (id, code) VALUES (gen_random_uuid(), 'a')");
    assert_eq!(
        duplicate.unwrap_err().code(),
        Some(&instant_runtime::pg::SqlState::UNIQUE_VIOLATION)
    );
}
