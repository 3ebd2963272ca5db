//! A migration is applied whole or not at all whatever its files contain: `executeSql` cannot
//! end the migration's transaction, a JSON-path index cannot smuggle SQL, and a statement that
//! fails anywhere in an entry undoes every earlier one.

use std::path::Path;

use instant_runtime::migrate;
use instant_runtime::pg::Client;
use instant_runtime::testing::TempDb;
use instant_schema::Project;
use instant_schema::index_path::SHAPE;
use serde_json::{Value, json};

const CREATE: &str = "20250101000001__create_things.json";
const SECOND: &str = "20250101000002__second.json";

/// A folder with one migration creating `things (data json)`, and `second` as given.
fn project_with(second: Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("_instant/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    write(
        dir.path(),
        CREATE,
        json!({
            "id": 20250101000001_i64,
            "name": "create_things",
            "up": [["createTable", "things", [{"name": "data", "type": "json"}]]],
            "down": [["dropTable", "things"]]
        }),
    );
    write(dir.path(), SECOND, second);
    dir
}

fn write(dir: &Path, file: &str, migration: Value) {
    std::fs::write(
        dir.join("_instant/migrations").join(file),
        serde_json::to_string_pretty(&migration).unwrap(),
    )
    .unwrap();
}

fn second(up: Value) -> Value {
    json!({"id": 20250101000002_i64, "name": "second", "up": up, "down": []})
}

fn table_exists(client: &mut Client, table: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
        .unwrap()
        .get(0)
}

fn history_ids(client: &mut Client) -> Vec<i64> {
    client
        .query(
            "SELECT id FROM _instant_migrations WHERE to_regclass('_instant_migrations') IS NOT \
             NULL ORDER BY id",
            &[],
        )
        .map(|rows| rows.iter().map(|row| row.get(0)).collect())
        .unwrap_or_default()
}

fn load_error(dir: &Path) -> String {
    Project::load(dir).unwrap_err().to_string()
}

#[test]
fn a_commit_inside_execute_sql_is_refused_before_anything_runs() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let dir = project_with(second(json!([[
        "executeSql",
        "CREATE TABLE t (id int); COMMIT; SELECT 1/0"
    ]])));

    let message = load_error(dir.path());

    let file = dir.path().join("_instant/migrations").join(SECOND);
    assert_eq!(
        message,
        format!(
            "{} at up[0][1]: statement 2 of executeSql is transaction control (COMMIT): \
             \"COMMIT\"; a migration runs in one transaction, which executeSql may not end or \
             change",
            file.display()
        )
    );
    assert!(!table_exists(&mut client, "t"));
    assert!(!table_exists(&mut client, "things"));
    assert_eq!(history_ids(&mut client), Vec::<i64>::new());

    // The entry fixed, the folder migrates.
    write(
        dir.path(),
        SECOND,
        second(json!([[
            "executeSql",
            "CREATE TABLE t (id int); SELECT 1/1"
        ]])),
    );
    let project = Project::load(dir.path()).unwrap();
    assert_eq!(
        migrate::migrate(&mut client, &project).unwrap(),
        [20250101000001, 20250101000002]
    );
    assert!(table_exists(&mut client, "t"));
    assert_eq!(history_ids(&mut client), [20250101000001, 20250101000002]);
}

#[test]
fn every_kind_of_transaction_control_is_refused_with_its_name() {
    for (sql, number, control, statement) in [
        ("BEGIN; CREATE TABLE t (id int)", 1, "BEGIN", "BEGIN"),
        (
            "start transaction",
            1,
            "START TRANSACTION",
            "start transaction",
        ),
        ("SELECT 1;\nEND", 2, "END", "END"),
        ("SELECT 1; rollback", 2, "ROLLBACK", "rollback"),
        ("ABORT", 1, "ABORT", "ABORT"),
        ("SAVEPOINT a", 1, "SAVEPOINT", "SAVEPOINT a"),
        ("RELEASE SAVEPOINT a", 1, "RELEASE", "RELEASE SAVEPOINT a"),
        (
            "PREPARE TRANSACTION 'x'",
            1,
            "PREPARE TRANSACTION",
            "PREPARE TRANSACTION 'x'",
        ),
        (
            "COMMIT PREPARED 'x'",
            1,
            "COMMIT PREPARED",
            "COMMIT PREPARED 'x'",
        ),
        (
            "ROLLBACK PREPARED 'x'",
            1,
            "ROLLBACK PREPARED",
            "ROLLBACK PREPARED 'x'",
        ),
        (
            "SET TRANSACTION READ ONLY",
            1,
            "SET TRANSACTION",
            "SET TRANSACTION READ ONLY",
        ),
        (
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            1,
            "SET SESSION CHARACTERISTICS",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
        ),
        ("/* why */ -- not\n Commit ;", 1, "COMMIT", "Commit"),
    ] {
        let dir = project_with(second(json!([
            ["createTable", "a", []],
            ["executeSql", sql]
        ])));
        let file = dir.path().join("_instant/migrations").join(SECOND);
        assert_eq!(
            load_error(dir.path()),
            format!(
                "{} at up[1][1]: statement {number} of executeSql is transaction control \
                 ({control}): \"{statement}\"; a migration runs in one transaction, which \
                 executeSql may not end or change",
                file.display()
            ),
            "{sql}"
        );
    }
    // With parameters too.
    let dir = project_with(second(json!([["executeSql", "COMMIT", [1]]])));
    assert!(
        load_error(dir.path())
            .contains("statement 1 of executeSql is transaction control (COMMIT)")
    );
}

#[test]
fn a_failing_statement_undoes_the_earlier_statements_of_its_entry() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let dir = project_with(second(json!([[
        "executeSql",
        "CREATE TABLE t (id int); INSERT INTO t VALUES (1); SELECT 1/0"
    ]])));
    let project = Project::load(dir.path()).unwrap();

    let error = migrate::migrate(&mut client, &project).unwrap_err();

    assert_eq!(
        error.to_string(),
        "migration 20250101000002__second.json (id=20250101000002), up[0] executeSql: \
         database error: division by zero"
    );
    assert!(!table_exists(&mut client, "t"));
    assert!(
        table_exists(&mut client, "things"),
        "the first migration committed"
    );
    assert_eq!(history_ids(&mut client), [20250101000001]);
}

#[test]
fn entries_with_several_statements_and_quoted_semicolons_keep_working() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let sql = r#"
        -- Two tables; a function; a comment with COMMIT; in it.
        CREATE TABLE "a;b" (s text DEFAULT 'x;y', e text DEFAULT E'it\'s; COMMIT');
        /* a block; /* nested; */ comment */
        CREATE FUNCTION add_one(n int) RETURNS int AS $body$
            BEGIN RETURN n + 1; END;
        $body$ LANGUAGE plpgsql;
        CREATE FUNCTION two() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
        INSERT INTO "a;b" (s) VALUES ($$dollar; 'quoted'$$);
    "#;
    let dir = project_with(second(json!([["executeSql", sql]])));
    let project = Project::load(dir.path()).unwrap();

    migrate::migrate(&mut client, &project).unwrap();

    let row = client
        .query_one(r#"SELECT s, e, add_one(1), two() FROM "a;b""#, &[])
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "dollar; 'quoted'");
    assert_eq!(row.get::<_, String>(1), "it's; COMMIT");
    assert_eq!(row.get::<_, i32>(2), 2);
    assert_eq!(row.get::<_, i32>(3), 2);
    assert_eq!(history_ids(&mut client), [20250101000001, 20250101000002]);
}

#[test]
fn a_json_path_index_that_is_not_a_path_is_refused_and_nothing_is_dropped() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    client.batch_execute("CREATE TABLE x (id int)").unwrap();
    let attack = "data->'a')); DROP TABLE x; --";
    let dir = project_with(second(json!([["createIndex", "things", attack]])));

    let file = dir.path().join("_instant/migrations").join(SECOND);
    assert_eq!(
        load_error(dir.path()),
        format!(
            "{} at up[0][2]: expected `->` or `->>` at character 10 of the JSON path index \
             \"{attack}\", found \")); DROP TABLE x; --\" ({SHAPE})",
            file.display()
        )
    );
    assert!(table_exists(&mut client, "x"));

    // The same in a setSchema's indices.
    let dir = project_with(second(json!([["setSchema", {
        "migration_id": null,
        "indices": [{"table": "things", "column": attack, "type": "btree"}],
        "foreign_keys": [],
        "tables": {"things": {"name": "things", "columns": [
            {"name": "id", "type": "serial"}, {"name": "data", "type": "json"}
        ]}}
    }]])));
    let message = load_error(dir.path());
    assert!(
        message.contains("at up[0][1].indices[0].column: expected `->` or `->>` at character 10"),
        "{message}"
    );
    assert!(table_exists(&mut client, "x"));
}

#[test]
fn json_path_indexes_are_created_with_their_path_quoted() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let dir = project_with(second(json!([
        ["createIndex", "things", "data->'meta'->>'it''s'"],
        ["createIndex", "things", "data->0", "hash"],
        ["createIndex", "things", "data->name"]
    ])));
    let project = Project::load(dir.path()).unwrap();

    migrate::migrate(&mut client, &project).unwrap();

    let definitions: Vec<String> = client
        .query(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'things' ORDER BY indexname",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(
        definitions,
        [
            "CREATE INDEX \"things_data_'meta'->>'it''s'_index\" ON public.things USING btree \
             ((((data -> 'meta'::text) ->> 'it''s'::text)))",
            "CREATE INDEX things_data_0_index ON public.things USING hash (((data -> 0)))",
            "CREATE INDEX things_data_name_index ON public.things USING btree (((data -> \
             'name'::text)))",
            "CREATE UNIQUE INDEX things_id_pk ON public.things USING btree (id)",
        ]
    );
}
