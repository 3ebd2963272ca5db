//! The SQL each migration command becomes, one snapshot per command kind.
//!
//! Object names must be instant.dev's (`t_c_pk`, `t_c_unique`, `t_c_seq`, `t_c_index`,
//! `t_c__fk`); the differences from instant.dev are our documented fixes (DEFAULT from
//! `defaultValue`, `addColumn` honouring unique/primary key/auto-increment, quoting).

use instant_runtime::migrate::ddl;
use instant_schema::json_path::JsonPath;
use instant_schema::{Command, Schema, replay};
use serde_json::{Value, json};

fn command(value: Value) -> Command {
    Command::from_json(&value, &JsonPath::root()).unwrap()
}

/// The statements of `last`, applied after `setup`, one per line.
fn sql(setup: &[Value], last: Value) -> String {
    let mut schema = Schema::empty();
    for value in setup {
        replay::apply(&mut schema, &command(value.clone())).unwrap();
    }
    let last = command(last);
    let statements = ddl::statements(&schema, &last);
    // The command must also be valid for the schema.
    replay::apply(&mut schema, &last).unwrap();
    render(&statements)
}

fn render(statements: &[ddl::Statement]) -> String {
    statements
        .iter()
        .map(|statement| {
            if statement.params.is_empty() {
                format!("{};", statement.sql)
            } else {
                format!(
                    "{};  -- params: {}",
                    statement.sql,
                    Value::from(statement.params.clone())
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn users() -> Value {
    json!(["createTable", "users", [
        {"name": "email", "type": "string", "properties": {"nullable": false, "unique": true}},
        {"name": "name", "type": "string", "properties": {"length": 80}}
    ]])
}

#[test]
fn create_table() {
    insta::assert_snapshot!(sql(&[], users()));
}

#[test]
fn create_table_with_every_property() {
    insta::assert_snapshot!(sql(
        &[],
        json!(["createTable", "samples", [
            {"name": "id", "type": "uuid", "properties": {"primary_key": true}},
            {"name": "tags", "type": "string", "properties": {"array": true, "nullable": false}},
            {"name": "embedding", "type": "vector", "properties": {"length": 3}},
            {"name": "counter", "type": "int", "properties": {"auto_increment": true}},
            {"name": "status", "type": "string", "properties": {"defaultValue": "it's \\ draft"}},
            {"name": "active", "type": "boolean", "properties": {"nullable": false, "defaultValue": false}},
            {"name": "ratio", "type": "float", "properties": {"defaultValue": 0.5}},
            {"name": "settings", "type": "json", "properties": {"defaultValue": {"theme": "dark"}}},
            {"name": "labels", "type": "text", "properties": {"array": true, "defaultValue": ["a", "b"]}},
            {"name": "taken_at", "type": "timestamp with time zone"},
            {"name": "created_at", "type": "datetime", "properties": {"nullable": false}}
        ]])
    ));
}

#[test]
fn drop_table() {
    insta::assert_snapshot!(sql(&[users()], json!(["dropTable", "users"])));
}

#[test]
fn rename_table() {
    insta::assert_snapshot!(sql(&[users()], json!(["renameTable", "users", "accounts"])));
}

#[test]
fn alter_column_with_type() {
    insta::assert_snapshot!(sql(
        &[users()],
        json!(["alterColumn", "users", "name", "text", {"nullable": false, "array": true}])
    ));
}

#[test]
fn alter_column_to_serial() {
    let setup = [json!(["createTable", "things", [{"name": "id", "type": "int"}]])];
    insta::assert_snapshot!(sql(
        &setup,
        json!(["alterColumn", "things", "id", "serial"])
    ));
}

#[test]
fn alter_column_keeps_its_default_after_a_type_change() {
    let setup = [json!(["createTable", "posts", [
        {"name": "status", "type": "string", "properties": {"defaultValue": "draft"}}
    ]])];
    insta::assert_snapshot!(sql(
        &setup,
        json!(["alterColumn", "posts", "status", "text"])
    ));
}

#[test]
fn alter_column_without_type() {
    let unique = sql(
        &[users()],
        json!(["alterColumn", "users", "name", null, {"unique": true}]),
    );
    let not_unique = sql(
        &[users()],
        json!(["alterColumn", "users", "email", null, {"unique": false}]),
    );
    let primary_key = sql(
        &[users()],
        json!(["alterColumn", "users", "email", null, {"primary_key": true}]),
    );
    let nullable = sql(
        &[users()],
        json!(["alterColumn", "users", "name", null, {"nullable": false}]),
    );
    insta::assert_snapshot!(format!(
        "-- unique: true\n{unique}\n-- unique: false\n{not_unique}\n\
         -- primary_key: true\n{primary_key}\n-- nullable: false (instant.dev emits nothing, we set NOT NULL)\n{nullable}"
    ));
}

#[test]
fn alter_column_default_value() {
    let set = sql(
        &[users()],
        json!(["alterColumn", "users", "name", null, {"defaultValue": "anonymous"}]),
    );
    let drop = sql(
        &[users()],
        json!(["alterColumn", "users", "name", null, {"defaultValue": null}]),
    );
    insta::assert_snapshot!(format!("-- set\n{set}\n-- drop\n{drop}"));
}

#[test]
fn add_column() {
    let plain = sql(&[users()], json!(["addColumn", "users", "bio", "text"]));
    let unique = sql(
        &[users()],
        json!(["addColumn", "users", "slug", "string", {"unique": true, "nullable": false}]),
    );
    let default = sql(
        &[users()],
        json!(["addColumn", "users", "visits", "int", {"defaultValue": 0}]),
    );
    let serial = sql(
        &[json!(["createTable", "things", [{"name": "id", "type": "uuid"}]])],
        json!(["addColumn", "things", "number", "serial"]),
    );
    insta::assert_snapshot!(format!(
        "-- plain\n{plain}\n-- unique (instant.dev creates no constraint)\n{unique}\n\
         -- defaultValue (instant.dev emits no DEFAULT)\n{default}\n\
         -- serial (instant.dev creates no constraint or sequence)\n{serial}"
    ));
}

#[test]
fn drop_and_rename_column() {
    let drop = sql(&[users()], json!(["dropColumn", "users", "name"]));
    let rename = sql(
        &[users()],
        json!(["renameColumn", "users", "name", "full_name"]),
    );
    insta::assert_snapshot!(format!("{drop}\n{rename}"));
}

#[test]
fn indexes() {
    let setup = [json!(["createTable", "posts", [
        {"name": "title", "type": "string"},
        {"name": "body", "type": "json"}
    ]])];
    let default = sql(&setup, json!(["createIndex", "posts", "title"]));
    let gin = sql(&setup, json!(["createIndex", "posts", "body", "gin"]));
    let hash = sql(&setup, json!(["createIndex", "posts", "title", "hash"]));
    let json_path = sql(&setup, json!(["createIndex", "posts", "body->>'lang'"]));
    let with_index = [setup[0].clone(), json!(["createIndex", "posts", "title"])];
    let drop = sql(&with_index, json!(["dropIndex", "posts", "title"]));
    insta::assert_snapshot!(format!("{default}\n{gin}\n{hash}\n{json_path}\n{drop}"));
}

#[test]
fn foreign_keys() {
    let setup = [
        users(),
        json!(["createTable", "posts", [{"name": "user_id", "type": "int"}]]),
    ];
    let plain = sql(
        &setup,
        json!(["createForeignKey", "posts", "user_id", "users", "id"]),
    );
    let cascade = sql(
        &setup,
        json!(["createForeignKey", "posts", "user_id", "users", "id", {"cascade": true}]),
    );
    let mock = sql(
        &setup,
        json!(["createForeignKey", "posts", "user_id", "users", "id", {"mock": true}]),
    );
    let with_fk = [
        setup[0].clone(),
        setup[1].clone(),
        json!(["createForeignKey", "posts", "user_id", "users", "id"]),
    ];
    let drop = sql(&with_fk, json!(["dropForeignKey", "posts", "user_id"]));
    insta::assert_snapshot!(format!(
        "-- plain\n{plain}\n-- cascade\n{cascade}\n-- mock (nothing)\n{mock}\n-- drop\n{drop}"
    ));
}

#[test]
fn execute_sql_binds_its_params() {
    let with = sql(
        &[users()],
        json!([
            "executeSql",
            "UPDATE users SET name = $1 WHERE email = $2",
            ["O'Brien", "a@b.c"]
        ]),
    );
    let without = sql(&[], json!(["executeSql", "SELECT 1; SELECT 2", []]));
    insta::assert_snapshot!(format!("{with}\n{without}"));
}

#[test]
fn set_schema() {
    let schema = json!({
        "migration_id": 1,
        "indices": [{"table": "posts", "column": "title", "type": "btree"}],
        "foreign_keys": [{"table": "posts", "column": "user_id", "parentTable": "users", "parentColumn": "id"}],
        "tables": {
            "users": {"name": "users", "columns": [
                {"name": "id", "type": "serial"},
                {"name": "email", "type": "string", "properties": {"unique": true}}
            ]},
            "posts": {"name": "posts", "columns": [
                {"name": "id", "type": "serial"},
                {"name": "title", "type": "string"},
                {"name": "user_id", "type": "int"}
            ]}
        }
    });
    insta::assert_snapshot!(sql(&[], json!(["setSchema", schema])));
}

#[test]
fn identifiers_are_quoted_and_escaped() {
    insta::assert_snapshot!(sql(
        &[],
        json!(["createTable", "odd\"table", [
            {"name": "we\"ird", "type": "string", "properties": {"unique": true}}
        ]])
    ));
}

#[test]
fn history_table() {
    insta::assert_snapshot!(render(&[ddl::create_history_table("_instant_migrations")]));
}
