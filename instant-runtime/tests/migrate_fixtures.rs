//! `migrate` on every fixture, against the ground truth the real instant.dev produced
//! (`fixtures/<name>/expected/`): the `_instant_migrations` rows, the catalog of what the DDL
//! created (with our documented fixes spelled out), the cache file, and a second run that
//! applies nothing.

mod common;

use instant_runtime::migrate;
use instant_runtime::testing::TempDb;
use instant_schema::Project;
use serde_json::{Value, json};

/// Migrates a copy of fixture `name` (so the cache file can be written) and checks everything.
fn check_fixture(name: &str, fixes: impl FnOnce(&mut Value)) {
    let db = if name == "types" {
        TempDb::with_vector().unwrap()
    } else {
        TempDb::new().unwrap()
    };
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::fixture(name).join("_instant"),
        &copy.path().join("_instant"),
    );
    std::fs::remove_file(copy.path().join("_instant/cache/schema.json")).unwrap();
    let project = Project::load(copy.path()).unwrap();
    let mut client = db.connect().unwrap();

    let applied = migrate::migrate(&mut client, &project).unwrap();
    let ids: Vec<i64> = project.migrations.iter().map(|(_, m)| m.id).collect();
    assert_eq!(applied, ids, "{name}: every migration is applied, in order");

    // (a) the history rows, as JSON values (jsonb reorders keys).
    let expected_history =
        common::read_json(common::fixture(name).join("expected/instant_migrations.json"));
    let history = common::history(&mut client);
    assert_eq!(
        common::differences(&history, &expected_history),
        Vec::<String>::new(),
        "{name}: _instant_migrations"
    );

    // (b) the catalog, once instant.dev's is patched with our DDL fixes.
    let mut expected_catalog =
        common::read_json(common::fixture(name).join("expected/catalog.json"));
    fixes(&mut expected_catalog);
    let catalog = common::catalog(&mut client);
    assert_eq!(
        common::differences(&catalog, &expected_catalog),
        Vec::<String>::new(),
        "{name}: catalog"
    );

    // The cache file, as instant.dev writes it.
    let written = std::fs::read_to_string(copy.path().join("_instant/cache/schema.json")).unwrap();
    let expected_cache =
        std::fs::read_to_string(common::fixture(name).join("_instant/cache/schema.json")).unwrap();
    let as_json = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    assert_eq!(
        as_json(&written),
        as_json(&expected_cache),
        "{name}: cache/schema.json"
    );
    assert!(
        !written.ends_with('\n') && written.contains("\n  \""),
        "{name}: 2-space, no newline"
    );

    // (c) nothing is pending any more.
    assert_eq!(
        migrate::migrate(&mut client, &project).unwrap(),
        Vec::<i64>::new()
    );
    assert_eq!(common::history(&mut client), history);
}

/// The table called `table` in a catalog.
fn table<'a>(catalog: &'a mut Value, table: &str) -> &'a mut Value {
    catalog["tables"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["name"] == table)
        .unwrap()
}

/// Our fix: `addColumn` with `unique: true` creates the constraint (and so its index), which
/// instant.dev silently skips.
fn add_unique(catalog: &mut Value, table_name: &str, column: &str) {
    let name = format!("{table_name}_{column}_unique");
    let t = table(catalog, table_name);
    let constraints = t["constraints"].as_array_mut().unwrap();
    constraints.push(json!({
        "name": name, "type": "UNIQUE", "columns": [column], "referenced_table": null,
        "referenced_columns": null, "on_delete": null, "on_update": null,
        "definition": format!("UNIQUE ({column})")
    }));
    constraints.sort_by_key(|c| c["name"].as_str().unwrap().to_string());
    let indexes = t["indexes"].as_array_mut().unwrap();
    indexes.push(json!({
        "name": name, "unique": true, "primary": false,
        "definition": format!("CREATE UNIQUE INDEX {name} ON public.{table_name} USING btree ({column})")
    }));
    indexes.sort_by_key(|i| i["name"].as_str().unwrap().to_string());
}

/// Our fix: `defaultValue` becomes the column's `DEFAULT`.
fn set_default(catalog: &mut Value, table_name: &str, column: &str, default: &str) {
    let t = table(catalog, table_name);
    let column = t["columns"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["name"] == column)
        .unwrap();
    assert_eq!(
        column["column_default"],
        Value::Null,
        "instant.dev emits no DEFAULT"
    );
    column["column_default"] = json!(default);
}

/// Our fix: `alterColumn` keeps the column's length (instant.dev writes `TYPE varchar`).
fn set_length(catalog: &mut Value, table_name: &str, column: &str, length: i64) {
    let t = table(catalog, table_name);
    let column = t["columns"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["name"] == column)
        .unwrap();
    assert_eq!(
        column["character_maximum_length"],
        Value::Null,
        "instant.dev drops the length"
    );
    column["character_maximum_length"] = json!(length);
    column["type"] = json!(format!("character varying({length})"));
}

#[test]
fn blog() {
    // posts.slug was added with {unique: true}.
    check_fixture("blog", |catalog| add_unique(catalog, "posts", "slug"));
}

#[test]
fn family() {
    // partners.parent_id was added with {unique: true} (g:relationship's one-to-one).
    check_fixture("family", |catalog| {
        add_unique(catalog, "partners", "parent_id")
    });
}

#[test]
fn auth() {
    check_fixture("auth", |_| {});
}

#[test]
fn types() {
    // samples.sku was added with {unique: true} and later altered to unique: instant.dev only
    // creates the constraint on the alter, we on the add; the result is the same.
    check_fixture("types", |catalog| {
        set_default(catalog, "samples", "boolean_value", "false");
        set_default(catalog, "samples", "status", "'draft'::character varying");
        // tags.color was altered to varchar with {length: 9}.
        set_length(catalog, "tags", "color", 9);
    });
}
