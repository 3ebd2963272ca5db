//! instant.dev's `test/tests/database.js`, ported: connecting, raw queries and their argument
//! checks, and the DDL the migrator generates (create tables, add and drop a foreign key, drop
//! tables) run through the `Db` handle.
//!
//! instant.dev's `db.query()` checks its arguments at run time (two of them, the second an
//! array). In Rust the signature makes both mandatory and the parameters a slice, so the cases
//! for bad arguments use the nearest mistakes left to run time: a placeholder with no
//! parameter, and a parameter of the wrong type.

use instant_runtime::migrate::ddl;
use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Error};
use instant_schema::Schema;
use instant_schema::command::Command;
use instant_schema::json_path::JsonPath;
use serde_json::{Value, json};

/// The SQL of one migration command, as the migrator generates it (instant.dev's
/// `db.adapter.generate…Query`).
fn sql(command: Value) -> String {
    let command = Command::from_json(&command, &JsonPath::root()).unwrap();
    ddl::statements(&Schema::empty(), &command)
        .into_iter()
        .map(|statement| statement.sql)
        .collect::<Vec<_>>()
        .join(";")
}

fn create_tables() -> String {
    [
        sql(json!(["createTable", "test_objects", [
            {"name": "test", "type": "string"},
            {"name": "reference_id", "type": "int"}
        ]])),
        sql(json!(["createTable", "reference", [{"name": "test", "type": "string"}]])),
        sql(json!(["createTable", "json_reference", [
            {"name": "test", "type": "string"},
            {"name": "content", "type": "json"}
        ]])),
    ]
    .join(";")
}

/// database.js's foreign key: `test_objects.id` references `reference.id`.
fn add_foreign_key() -> String {
    sql(json!([
        "createForeignKey",
        "test_objects",
        "id",
        "reference",
        "id"
    ]))
}

fn drop_foreign_key() -> String {
    sql(json!(["dropForeignKey", "test_objects", "id"]))
}

fn drop_table(table: &str) -> String {
    sql(json!(["dropTable", table]))
}

fn tables(db: &Db) -> Vec<String> {
    db.query(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' ORDER BY table_name",
        &[],
    )
    .unwrap()
    .iter()
    .map(|row| row.get(0))
    .collect()
}

fn foreign_keys(db: &Db) -> Vec<String> {
    db.query(
        "SELECT conname::text FROM pg_constraint WHERE contype = 'f' ORDER BY conname",
        &[],
    )
    .unwrap()
    .iter()
    .map(|row| row.get(0))
    .collect()
}

fn database() -> (TempDb, Db) {
    let temp = TempDb::new().unwrap();
    let db = temp.db().unwrap();
    (temp, db)
}

/// instant.dev: should connect to my.Config database "main"
#[test]
fn should_connect_to_my_config_database_main() {
    let temp = TempDb::new().unwrap();
    let db = Db::builder().url(temp.url()).connect().unwrap();
    assert_eq!(db.name(), "main");
    assert!(!db.is_readonly());
    assert_eq!(db.query("SELECT 1", &[]).unwrap().len(), 1);
}

/// instant.dev: should throw an error if no params given
#[test]
fn should_throw_an_error_if_no_params_given() {
    let (_temp, db) = database();
    let error = db.query("SELECT $1::int AS __num__", &[]).unwrap_err();
    assert!(matches!(error, Error::Database(_)), "{error:?}");
}

/// instant.dev: should throw an error if params not an array
#[test]
fn should_throw_an_error_if_params_not_an_array() {
    let (_temp, db) = database();
    let error = db.query("SELECT $1::int AS __num__", &[&true]).unwrap_err();
    assert!(matches!(error, Error::Database(_)), "{error:?}");
}

/// instant.dev: should run a basic SELECT query
#[test]
fn should_run_a_basic_select_query() {
    let (_temp, db) = database();
    let rows = db.query("SELECT 1 AS __num__", &[]).unwrap();
    assert_eq!(rows[0].get::<_, i32>("__num__"), 1);
}

/// instant.dev: should be able to create a table
#[test]
fn should_be_able_to_create_a_table() {
    let (_temp, db) = database();
    db.transact(&create_tables()).unwrap();
    assert_eq!(tables(&db), ["json_reference", "reference", "test_objects"]);
}

/// instant.dev: should be able to add a foreign key constraint
#[test]
fn should_be_able_to_add_a_foreign_key_constraint() {
    let (_temp, db) = database();
    db.transact(&create_tables()).unwrap();
    db.execute(&add_foreign_key(), &[]).unwrap();
    assert_eq!(foreign_keys(&db), ["test_objects_id__fk"]);
}

/// instant.dev: should not be able to drop a table that has a constraint
#[test]
fn should_not_be_able_to_drop_a_table_that_has_a_constraint() {
    let (_temp, db) = database();
    db.transact(&create_tables()).unwrap();
    db.execute(&add_foreign_key(), &[]).unwrap();
    let error = db.execute(&drop_table("reference"), &[]).unwrap_err();
    assert!(error.db_error().is_some(), "{error:?}");
    assert!(tables(&db).contains(&"reference".to_string()));
}

/// instant.dev: should be able to drop a foreign key constraint
#[test]
fn should_be_able_to_drop_a_foreign_key_constraint() {
    let (_temp, db) = database();
    db.transact(&create_tables()).unwrap();
    db.execute(&add_foreign_key(), &[]).unwrap();
    db.execute(&drop_foreign_key(), &[]).unwrap();
    assert!(foreign_keys(&db).is_empty());
}

/// instant.dev: should be able to drop tables
#[test]
fn should_be_able_to_drop_tables() {
    let (_temp, db) = database();
    db.transact(&create_tables()).unwrap();
    db.execute(&add_foreign_key(), &[]).unwrap();
    db.execute(&drop_foreign_key(), &[]).unwrap();
    let drops = ["test_objects", "reference", "json_reference"]
        .map(drop_table)
        .join(";");
    db.transact(&drops).unwrap();
    assert!(tables(&db).is_empty());
}
