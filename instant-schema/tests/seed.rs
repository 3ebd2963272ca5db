//! Reading `_instant/seed.json` and checking it against a schema.

use instant_schema::seed::Seed;
use instant_schema::{Column, Project, Schema, Table};

const BLOG_SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/blog/_instant/seed.json"
);

#[test]
fn reads_the_blog_fixture_in_file_order() {
    let seed = Seed::load(BLOG_SEED).unwrap().unwrap();
    assert!(seed.batches.len() >= 2);
    assert_eq!(seed.batches[0].tables.keys().collect::<Vec<_>>(), ["users"]);
    let first = &seed.batches[1].tables["posts"][0];
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        ["user_id", "title", "body", "published_at", "tags", "slug"]
    );
    assert!(seed.row_count() >= 4);
    // Round trip to the same JSON.
    let text = std::fs::read_to_string(BLOG_SEED).unwrap();
    assert_eq!(
        seed.to_json(),
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    );
}

#[test]
fn a_missing_file_means_nothing_to_seed() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(Seed::load(dir.path().join("seed.json")).unwrap(), None);
}

#[test]
fn default_content_is_one_empty_batch() {
    let seed = Seed::parse("seed.json", Seed::default_content()).unwrap();
    assert_eq!(seed.batches.len(), 1);
    assert!(seed.batches[0].tables.is_empty());
    assert_eq!(seed.row_count(), 0);
    assert_eq!(seed.to_json().to_string(), "[{}]");
}

#[test]
fn checks_tables_and_columns() {
    let mut schema = Schema::empty();
    schema.tables.insert(
        "users".into(),
        Table {
            name: "users".into(),
            columns: vec![Column::new("id", "serial"), Column::new("email", "string")],
        },
    );
    let seed = Seed::parse("seed.json", r#"[{"users": [{"email": "a"}, {"id": 7}]}]"#).unwrap();
    seed.check(&schema).unwrap();
    let seed = Seed::parse("seed.json", r#"[{"users": [{"mail": "a"}]}]"#).unwrap();
    assert_eq!(
        seed.check(&schema).unwrap_err().to_string(),
        "seed.json at [0].users[0].mail: No such column: \"mail\" in table \"users\" (columns: \"id\", \"email\")"
    );
    let seed = Seed::from_json(&serde_json::json!([{}, {"accounts": []}])).unwrap();
    assert_eq!(
        seed.check(&schema).unwrap_err().to_string(),
        "at [1].accounts: No such table: \"accounts\" (tables: \"users\"); seed.json uses table names, not model names"
    );
}

#[test]
fn structural_errors_mirror_validate_seed() {
    let message = |text: &str| Seed::parse("seed.json", text).unwrap_err().to_string();
    assert_eq!(
        message(r#"[{"users": [1]}]"#),
        "seed.json at [0].users[0]: must be an Object mapping column names to values, found number 1"
    );
    assert_eq!(
        message("[null]"),
        "seed.json at [0]: must be an Object mapping table names to arrays of rows, found null"
    );
    assert_eq!(
        message(r#"[{"my table": null}]"#),
        "seed.json at [0][\"my table\"]: must be an Array of rows, found null"
    );
}

#[test]
fn fixture_seeds_fit_their_schemas() {
    for name in ["blog", "family"] {
        let dir = format!("{}/../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let schema = Project::load(&dir).unwrap().schema().unwrap();
        let seed = Seed::load(format!("{dir}/_instant/seed.json"))
            .unwrap()
            .unwrap();
        seed.check(&schema).unwrap();
    }
}
