//! `apply` and `replay`: instant.dev's `SchemaManager` semantics, command by command.

use instant_schema::json_path::JsonPath;
use instant_schema::{Command, Migration, Schema, apply, replay};
use serde_json::{Value, json};

fn command(value: Value) -> Command {
    Command::from_json(&value, &JsonPath::root()).unwrap()
}

/// The schema after applying `commands` to the empty one.
fn run(commands: Value) -> Result<Schema, String> {
    let mut schema = Schema::empty();
    for (i, value) in commands.as_array().unwrap().iter().enumerate() {
        apply(&mut schema, &command(value.clone())).map_err(|e| format!("[{i}] {e}"))?;
    }
    Ok(schema)
}

fn columns(schema: &Schema, table: &str) -> Vec<String> {
    schema.tables[table]
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

fn base() -> Value {
    json!([
        ["createTable", "users", [{"name": "email", "type": "string", "properties": {"unique": true}}]],
        ["createTable", "posts", [{"name": "user_id", "type": "int"}, {"name": "data", "type": "json"}]]
    ])
}

fn with(extra: Value) -> Value {
    let mut all = base().as_array().unwrap().clone();
    all.extend(extra.as_array().unwrap().iter().cloned());
    Value::Array(all)
}

#[test]
fn create_table_adds_implicit_columns() {
    let schema = run(json!([
        ["createTable", "a", [{"name": "x", "type": "int"}]],
        ["createTable", "b", [{"name": "updated_at", "type": "datetime"}, {"name": "id", "type": "uuid"}]]
    ]))
    .unwrap();
    assert_eq!(
        columns(&schema, "a"),
        ["id", "x", "created_at", "updated_at"]
    );
    assert_eq!(columns(&schema, "b"), ["updated_at", "id", "created_at"]);
    assert_eq!(schema.tables["b"].columns[1].column_type, "uuid");
    assert_eq!(
        run(with(json!([["createTable", "users", []]]))).unwrap_err(),
        "[2] table \"users\" already exists in your schema"
    );
}

#[test]
fn rename_table_moves_it_last_and_leaves_indices_and_foreign_keys() {
    let schema = run(with(json!([
        ["createIndex", "users", "email"],
        ["renameTable", "users", "people"]
    ])))
    .unwrap();
    assert_eq!(
        schema.tables.keys().collect::<Vec<_>>(),
        ["posts", "people"]
    );
    assert_eq!(schema.tables["people"].name, "people");
    assert_eq!(schema.indices[0].table, "users");
    assert_eq!(
        run(with(json!([["renameTable", "users", "posts"]]))).unwrap_err(),
        "[2] can not rename table \"users\" to \"posts\": table \"posts\" already exists in your schema"
    );
    assert_eq!(
        run(with(json!([["dropTable", "nope"]]))).unwrap_err(),
        "[2] table \"nope\" does not exist in your schema"
    );
}

#[test]
fn alter_column_merges_given_properties() {
    let schema = run(with(json!([
        ["alterColumn", "users", "email", "text", {"nullable": false}],
        ["alterColumn", "users", "email", null, {"primary_key": true, "unique": false}],
        ["alterColumn", "posts", "user_id", null, {}]
    ])))
    .unwrap();
    let email = schema.tables["users"].column("email").unwrap();
    assert_eq!(
        json!(email),
        json!({"name": "email", "type": "text", "properties": {"unique": true, "nullable": false, "primary_key": true}})
    );
    assert_eq!(
        json!(schema.tables["posts"].column("user_id").unwrap()),
        json!({"name": "user_id", "type": "int"})
    );
    assert_eq!(
        run(with(json!([["alterColumn", "users", "mail", "text"]]))).unwrap_err(),
        "[2] column \"users\".\"mail\" does not exist in your schema"
    );
    assert!(
        run(with(json!([["alterColumn", "users", "email", "vector"]])))
            .unwrap_err()
            .contains("would become a vector without a length")
    );
}

#[test]
fn add_drop_rename_column() {
    let schema = run(with(json!([
        ["addColumn", "users", "code", "string", {"primary_key": true, "unique": true}],
        ["addColumn", "users", "bio", "text", {}],
        ["renameColumn", "users", "bio", "biography"],
        ["dropColumn", "posts", "data"]
    ])))
    .unwrap();
    assert_eq!(
        columns(&schema, "users"),
        [
            "id",
            "email",
            "created_at",
            "updated_at",
            "code",
            "biography"
        ]
    );
    assert_eq!(
        json!(schema.tables["users"].columns[4]),
        json!({"name": "code", "type": "string", "properties": {"primary_key": true}})
    );
    assert_eq!(
        json!(schema.tables["users"].columns[5]),
        json!({"name": "biography", "type": "text"})
    );
    assert_eq!(
        columns(&schema, "posts"),
        ["id", "user_id", "created_at", "updated_at"]
    );
    assert_eq!(
        run(with(json!([["addColumn", "users", "email", "text"]]))).unwrap_err(),
        "[2] column \"users\".\"email\" already exists in your schema"
    );
    assert_eq!(
        run(with(json!([["dropColumn", "users", "nope"]]))).unwrap_err(),
        "[2] column \"users\".\"nope\" does not exist in your schema"
    );
}

#[test]
fn indices_default_to_btree_and_stay_sorted() {
    let schema = run(with(json!([
        ["createIndex", "users", "email", "hash"],
        ["createIndex", "posts", "user_id"],
        ["createIndex", "posts", "data->name", "btree"]
    ])))
    .unwrap();
    assert_eq!(
        json!(schema.indices),
        json!([
            {"table": "posts", "column": "data->name", "type": "btree"},
            {"table": "posts", "column": "user_id", "type": "btree"},
            {"table": "users", "column": "email", "type": "hash"}
        ])
    );
    assert_eq!(
        run(with(json!([
            ["createIndex", "users", "email"],
            ["createIndex", "users", "email", "gin"]
        ])))
        .unwrap_err(),
        "[3] index already exists on column \"email\" of table \"users\""
    );
    assert_eq!(
        run(with(json!([["createIndex", "users", "nope"]]))).unwrap_err(),
        "[2] column \"users\".\"nope\" does not exist in your schema"
    );
    assert_eq!(
        run(with(json!([["dropIndex", "users", "email"]]))).unwrap_err(),
        "[2] no index for table \"users\" column \"email\" found"
    );
    let dropped = run(with(json!([
        ["createIndex", "users", "email"],
        ["dropIndex", "users", "email"]
    ])))
    .unwrap();
    assert!(dropped.indices.is_empty());
}

#[test]
fn foreign_keys() {
    let schema = run(with(json!([
        ["createForeignKey", "users", "id", "posts", "id", {"mock": true}],
        ["createForeignKey", "posts", "data", "posts", "id"]
    ])))
    .unwrap();
    assert_eq!(
        json!(schema.foreign_keys),
        json!([
            {"table": "posts", "column": "data", "parentTable": "posts", "parentColumn": "id"},
            {"table": "users", "column": "id", "parentTable": "posts", "parentColumn": "id", "behavior": {"mock": true}}
        ])
    );
    assert_eq!(
        run(with(json!([[
            "createForeignKey",
            "posts",
            "user_id",
            "users",
            "nope"
        ]])))
        .unwrap_err(),
        "[2] column \"users\".\"nope\" does not exist in your schema"
    );
    assert_eq!(
        run(with(json!([["dropForeignKey", "posts", "user_id"]]))).unwrap_err(),
        "[2] no foreign key for table \"posts\" column \"user_id\" found"
    );
}

/// instant.dev's own test: the message ends with the chain it walked.
#[test]
fn circular_foreign_keys_keep_instant_dev_message() {
    let error = run(json!([
        ["createTable", "users", [{"name": "username", "type": "string"}]],
        ["createTable", "blog_posts", [{"name": "title", "type": "string"}, {"name": "user_id", "type": "int"}]],
        ["createForeignKey", "blog_posts", "user_id", "users", "id"],
        ["createForeignKey", "users", "id", "blog_posts", "user_id"]
    ]))
    .unwrap_err();
    assert!(error.contains("Foreign key circular reference"), "{error}");
    assert!(
        error.ends_with("\n\"users\".\"id\" -> \"blog_posts\".\"user_id\" -> \"users\".\"id\""),
        "{error}"
    );
}

/// A deliberate fix: instant.dev rejects every self-reference as circular.
#[test]
fn a_table_may_reference_itself() {
    let schema = run(json!([
        ["createTable", "comments", [{"name": "parent_id", "type": "int"}, {"name": "user_id", "type": "int"}]],
        ["createTable", "users", [{"name": "best_comment_id", "type": "int"}]],
        ["createForeignKey", "comments", "parent_id", "comments", "id"],
        ["createForeignKey", "comments", "user_id", "users", "id"]
    ]))
    .unwrap();
    assert_eq!(schema.foreign_keys.len(), 2);
    // A real cycle through a self-referencing table is still found.
    let mut cyclic = schema.clone();
    let error = apply(
        &mut cyclic,
        &command(json!([
            "createForeignKey",
            "users",
            "best_comment_id",
            "comments",
            "id"
        ])),
    )
    .unwrap_err();
    assert_eq!(
        error.message,
        "Foreign key circular reference for \"users\".\"best_comment_id\":\n\"users\".\"best_comment_id\" -> \"comments\".\"user_id\" -> \"users\".\"best_comment_id\""
    );
    assert_eq!(
        cyclic, schema,
        "a failed command leaves the schema unchanged"
    );
}

#[test]
fn set_schema_replaces_and_execute_sql_changes_nothing() {
    let before = run(base()).unwrap();
    let mut schema = before.clone();
    apply(
        &mut schema,
        &command(json!(["executeSql", "DROP TABLE users"])),
    )
    .unwrap();
    assert_eq!(schema, before);
    apply(&mut schema, &command(json!(["setSchema", {"migration_id": 4, "indices": [], "foreign_keys": [], "tables": {}}]))).unwrap();
    assert_eq!(
        schema.to_json(),
        json!({"migration_id": 4, "indices": [], "foreign_keys": [], "tables": {}})
    );
}

#[test]
fn replay_sets_migration_ids_and_locates_errors() {
    let first =
        Migration::from_json(&json!({"id": 5, "name": "a", "up": base(), "down": []})).unwrap();
    let second = Migration::from_json(&json!({"id": 9, "name": "b",
        "up": [["addColumn", "users", "age", "int"], ["createForeignKey", "posts", "user_id", "userz", "id"]], "down": []}))
    .unwrap();
    assert_eq!(
        replay(std::slice::from_ref(&first)).unwrap().migration_id,
        Some(5)
    );
    let error = replay(&[first, second]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "at up[1][3]: table \"userz\" does not exist in your schema"
    );
    assert_eq!(error.location().unwrap().to_string(), "up[1][3]");
}

/// A migration whose second command fails leaves the schema as it was: the first command's
/// table is not there, and the migration id is the previous one.
#[test]
fn a_failing_migration_leaves_the_schema_as_it_was() {
    let mut schema = run(base()).unwrap();
    let before = schema.clone();
    let migration = Migration::from_json(&json!({
        "id": 20250101000002_i64,
        "name": "half",
        "up": [
            ["createTable", "comments", [{"name": "body", "type": "text"}]],
            ["addColumn", "nowhere", "x", "int"]
        ],
        "down": []
    }))
    .unwrap();
    let error = instant_schema::apply_migration(&mut schema, &migration).unwrap_err();
    assert_eq!(
        error.to_string(),
        "at up[1][1]: table \"nowhere\" does not exist in your schema"
    );
    assert_eq!(schema, before);
    assert!(!schema.tables.contains_key("comments"));
}
