//! After `migrate`, the database is what the replayed schema describes: every table and column
//! with its type, length, array-ness and nullability, the primary keys, unique constraints,
//! sequences, defaults, indexes and foreign keys — and nothing else. Checked on every fixture
//! against `fixtures/catalog.sql`, independently of instant.dev's own catalog.

mod common;

use std::collections::BTreeSet;

use instant_runtime::migrate;
use instant_runtime::testing::TempDb;
use instant_schema::{Project, Schema, column_type};
use serde_json::Value;

/// The type `format_type` reports for a schema column.
fn expected_type(column: &instant_schema::Column) -> String {
    let effective = column.effective();
    let base = match column_type::db_name(&column.column_type) {
        "bigint" | "int8" | "bigserial" | "serial8" => "bigint",
        "integer" | "int4" | "serial4" => "integer",
        "smallint" | "int2" | "smallserial" | "serial2" => "smallint",
        "float" | "double precision" | "float8" => "double precision",
        "real" | "float4" => "real",
        "varchar" | "character varying" => "character varying",
        "char" | "character" => "character",
        "bool" | "boolean" => "boolean",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "time" | "time without time zone" => "time without time zone",
        other => other,
    }
    .to_string();
    let length = match (effective.length, base.as_str()) {
        (Some(n), "character varying" | "character" | "vector") => format!("({n})"),
        _ => String::new(),
    };
    let array = if effective.array { "[]" } else { "" };
    format!("{base}{length}{array}")
}

fn names(values: &Value, key: &str) -> BTreeSet<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_string())
        .collect()
}

fn check(name: &str) {
    let db = TempDb::with_vector().unwrap();
    let project = Project::load(common::fixture(name)).unwrap();
    let mut client = db.connect().unwrap();
    migrate::apply_pending(&mut client, &project).unwrap();
    let schema: Schema = project.schema().unwrap();
    let catalog = common::catalog(&mut client);

    let tables: BTreeSet<String> = names(&catalog["tables"], "name")
        .into_iter()
        .filter(|t| t != "_instant_migrations")
        .collect();
    let schema_tables: BTreeSet<String> = schema.tables.keys().cloned().collect();
    assert_eq!(tables, schema_tables, "{name}: tables");

    let mut expected_sequences = BTreeSet::new();
    for (table_name, table) in &schema.tables {
        let db_table = catalog["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == table_name.as_str())
            .unwrap();
        let at = |what: &str| format!("{name}: {table_name}: {what}");

        let db_columns: Vec<&str> = db_table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        let schema_columns: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(db_columns, schema_columns, "{}", at("columns in order"));

        let mut expected_constraints = BTreeSet::new();
        let mut expected_indexes = BTreeSet::new();
        for column in &table.columns {
            let effective = column.effective();
            let db_column = &db_table["columns"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == column.name.as_str())
                .unwrap();
            let here = at(&column.name);
            assert_eq!(
                db_column["type"],
                expected_type(column).as_str(),
                "{here}: type"
            );
            let not_null = effective.primary_key || !effective.nullable;
            assert_eq!(
                db_column["is_nullable"],
                if not_null { "NO" } else { "YES" },
                "{here}: nullability"
            );
            let default = db_column["column_default"].as_str().unwrap_or("");
            if effective.auto_increment {
                let sequence = format!("{table_name}_{}_seq", column.name);
                assert_eq!(
                    default,
                    format!("nextval('{sequence}'::regclass)"),
                    "{here}"
                );
                expected_sequences.insert(sequence);
            } else if effective.default_value.is_some() {
                assert!(
                    !default.is_empty(),
                    "{here}: the defaultValue is the DEFAULT"
                );
            } else {
                assert_eq!(default, "", "{here}: no default");
            }
            if effective.primary_key {
                let pk = format!("{table_name}_{}_pk", column.name);
                expected_constraints.insert((pk.clone(), "PRIMARY KEY".to_string()));
                expected_indexes.insert(pk);
            } else if effective.unique {
                let unique = format!("{table_name}_{}_unique", column.name);
                expected_constraints.insert((unique.clone(), "UNIQUE".to_string()));
                expected_indexes.insert(unique);
            }
        }
        for index in schema.indices.iter().filter(|i| &i.table == table_name) {
            let index_name = format!("{table_name}_{}_index", index.column.replacen("->", "_", 1));
            let db_index = db_table["indexes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["name"] == index_name.as_str())
                .unwrap_or_else(|| panic!("{}: index {index_name}", at("indexes")));
            let definition = db_index["definition"].as_str().unwrap();
            assert!(
                definition.contains(&format!(" USING {} ", index.index_type)),
                "{definition}"
            );
            expected_indexes.insert(index_name);
        }
        for fk in schema
            .foreign_keys
            .iter()
            .filter(|fk| &fk.table == table_name && fk.behavior.mock != Some(true))
        {
            let fk_name = format!("{table_name}_{}__fk", fk.column);
            let db_fk = db_table["constraints"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == fk_name.as_str())
                .unwrap_or_else(|| panic!("{}: foreign key {fk_name}", at("constraints")));
            assert_eq!(db_fk["referenced_table"], fk.parent_table.as_str());
            assert_eq!(db_fk["referenced_columns"][0], fk.parent_column.as_str());
            let on_delete = if fk.behavior.cascade == Some(true) {
                "CASCADE"
            } else {
                "NO ACTION"
            };
            assert_eq!(db_fk["on_delete"], on_delete, "{fk_name}");
            expected_constraints.insert((fk_name, "FOREIGN KEY".to_string()));
        }

        let constraints: BTreeSet<(String, String)> = db_table["constraints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["type"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(constraints, expected_constraints, "{}", at("constraints"));
        assert_eq!(
            names(&db_table["indexes"], "name"),
            expected_indexes,
            "{}",
            at("indexes")
        );
    }
    assert_eq!(
        names(&catalog["sequences"], "name"),
        expected_sequences,
        "{name}: sequences"
    );
}

#[test]
fn blog() {
    check("blog");
}

#[test]
fn family() {
    check("family");
}

#[test]
fn auth() {
    check("auth");
}

#[test]
fn types() {
    check("types");
}
