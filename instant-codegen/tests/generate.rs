//! Generation from hand-written schemas: the names and types no fixture has, and every error.

use instant_codegen::{Options, generate};
use instant_schema::Schema;
use serde_json::json;

fn schema(tables: serde_json::Value, foreign_keys: serde_json::Value) -> Schema {
    let tables: serde_json::Map<String, serde_json::Value> = tables
        .as_array()
        .unwrap()
        .iter()
        .map(|table| (table["name"].as_str().unwrap().to_string(), table.clone()))
        .collect();
    Schema::from_json(&json!({
        "migration_id": null,
        "indices": [],
        "foreign_keys": foreign_keys,
        "tables": tables,
    }))
    .unwrap()
}

fn error(schema: &Schema) -> String {
    generate(schema, &Options::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn awkward_names_and_text_types() {
    let schema = schema(
        json!([
            {"name": "knowledge_bases", "columns": [
                {"name": "id", "type": "serial"},
                {"name": "type", "type": "string", "properties": {"nullable": false}},
                {"name": "self", "type": "text"},
                {"name": "first name", "type": "string", "properties": {"length": 40}},
                {"name": "2fa", "type": "boolean", "properties": {"defaultValue": false, "nullable": false}},
                {"name": "relations", "type": "int"},
                {"name": "firstName", "type": "string"},
                {"name": "price", "type": "money"},
                {"name": "spans", "type": "interval", "properties": {"array": true}},
                {"name": "network", "type": "cidr"},
                {"name": "parent_id", "type": "int"}
            ]}
        ]),
        json!([
            {"table": "knowledge_bases", "column": "parent_id",
             "parentTable": "knowledge_bases", "parentColumn": "id",
             "behavior": {"alias": "subBases", "parentAlias": "parentBase"}}
        ]),
    );
    let code = generate(
        &schema,
        &Options {
            runtime_path: "crate::runtime".to_string(),
            ..Options::default()
        },
    )
    .unwrap();
    insta::assert_snapshot!(code);
}

#[test]
fn output_is_deterministic() {
    let build = || {
        schema(
            json!([
                {"name": "b", "columns": [{"name": "id", "type": "serial"}]},
                {"name": "a", "columns": [{"name": "id", "type": "serial"},
                                          {"name": "b_id", "type": "int"}]}
            ]),
            json!([{"table": "a", "column": "b_id", "parentTable": "b", "parentColumn": "id"}]),
        )
    };
    let first = generate(&build(), &Options::default()).unwrap();
    assert_eq!(first, generate(&build(), &Options::default()).unwrap());
    // Schema order, not name order.
    assert!(first.find("pub struct B ").unwrap() < first.find("pub struct A ").unwrap());
}

#[test]
fn two_tables_with_one_model_name() {
    let schema = schema(
        json!([
            {"name": "children", "columns": [{"name": "id", "type": "serial"}]},
            {"name": "child", "columns": [{"name": "id", "type": "serial"}]}
        ]),
        json!([]),
    );
    assert_eq!(
        error(&schema),
        "tables `children` and `child` both become the model struct `Child`; rename one of the tables"
    );
}

#[test]
fn a_column_name_without_letters() {
    let schema = schema(
        json!([{"name": "users", "columns": [{"name": "---", "type": "int"}]}]),
        json!([]),
    );
    assert_eq!(
        error(&schema),
        "column `---` of table `users` cannot be made a Rust identifier: it has no ASCII letter or digit"
    );
}

#[test]
fn two_columns_with_one_identifier() {
    let schema = schema(
        json!([{"name": "users", "columns": [
            {"name": "first name", "type": "string"},
            {"name": "first-name", "type": "string"}
        ]}]),
        json!([]),
    );
    assert_eq!(
        error(&schema),
        "columns `first name` and `first-name` of table `users` both become the identifier `first_name`"
    );
}

#[test]
fn a_module_named_like_a_model_or_another_module() {
    let schema = schema(
        json!([{"name": "User", "columns": [{"name": "id", "type": "serial"}]}]),
        json!([]),
    );
    assert_eq!(
        error(&schema),
        "the module of table `User` would be named `User`, like the model struct of table `User`; \
         rename one of the tables"
    );
    let schema = self::schema(
        json!([
            {"name": "line_items", "columns": [{"name": "id", "type": "serial"}]},
            {"name": "line-items", "columns": [{"name": "id", "type": "serial"}]}
        ]),
        json!([]),
    );
    let message = error(&schema);
    assert!(
        message.contains("like the module of table `line_items`"),
        "{message}"
    );
}

#[test]
fn relationship_name_collisions_are_schema_errors() {
    let schema = schema(
        json!([
            {"name": "parents", "columns": [{"name": "id", "type": "serial"}]},
            {"name": "friendships", "columns": [
                {"name": "id", "type": "serial"},
                {"name": "from_id", "type": "int"},
                {"name": "to_id", "type": "int"}
            ]}
        ]),
        json!([
            {"table": "friendships", "column": "from_id", "parentTable": "parents", "parentColumn": "id"},
            {"table": "friendships", "column": "to_id", "parentTable": "parents", "parentColumn": "id"}
        ]),
    );
    let message = error(&schema);
    assert!(
        message.contains("relationship name \"parent\""),
        "{message}"
    );
}

#[test]
fn a_bad_runtime_path() {
    let schema = schema(json!([]), json!([]));
    let error = generate(
        &schema,
        &Options {
            runtime_path: "not a path".to_string(),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "runtime path `not a path` is not a Rust path such as `::instant_runtime`"
    );
}

#[test]
fn a_model_named_like_a_prelude_type_makes_models_spell_out_std() {
    let schema = schema(
        json!([
            {"name": "options", "columns": [{"name": "name", "type": "string"}]},
            {"name": "users", "columns": [{"name": "tags", "type": "string", "properties": {"array": true}}]}
        ]),
        json!([]),
    );
    let code = generate(&schema, &Options::default()).unwrap();
    assert!(code.contains("pub struct Option {"), "{code}");
    assert!(
        code.contains("pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,")
    );
    // Inside the table modules the prelude is not shadowed.
    assert!(code.contains("type Value = Option<Vec<String>>;"));
}
