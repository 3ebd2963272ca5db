//! Fuzzing `seed.json`: batches of tables of rows, read and checked against a schema before
//! anything is inserted. Nothing panics; an accepted seed writes back to the same JSON.
//!
//! `PROPTEST_CASES` sets the number of inputs per target (`scripts/fuzz-long.sh`).

mod fuzz_support;

use fuzz_support::{Outcome, campaign, documents, json, outcome, same};
use instant_schema::Schema;
use instant_schema::seed::Seed;
use proptest::prelude::*;
use serde_json::{Value, json};

const PATH: &str = "_instant/seed.json";

/// A schema with the tables the seed strategy names (`users`, `posts`), so rows reach the
/// column check.
fn schema() -> Schema {
    let columns = |names: &[&str]| {
        names
            .iter()
            .map(|name| json!({"name": name, "type": "string"}))
            .collect::<Vec<_>>()
    };
    Schema::from_json(
        &json!({"migration_id": 1, "indices": [], "foreign_keys": [], "tables": {
            "users": {"name": "users", "columns": columns(&["id", "email", "created_at"])},
            "posts": {"name": "posts", "columns": columns(&["id", "user_id", "c"])}
        }}),
    )
    .unwrap_or_else(|_| Schema::empty())
}

/// A seed that reads: written back it is the same JSON, its rows counted, checked against the
/// schema.
fn check(seed: &Seed, json: &Value, schema: &Schema) -> Result<Outcome, TestCaseError> {
    same(&seed.to_json(), json, "written back")?;
    let rows: usize = json
        .as_array()
        .map(|batches| {
            batches
                .iter()
                .filter_map(Value::as_object)
                .flat_map(|tables| tables.values())
                .filter_map(Value::as_array)
                .map(Vec::len)
                .sum()
        })
        .unwrap_or(0);
    same(seed.row_count(), rows, "row count")?;
    outcome(&seed.check(schema))
}

/// Any JSON as a seed.
#[test]
fn arbitrary_json_as_a_seed() {
    let schema = schema();
    campaign(
        "seed_arbitrary_json",
        2_000,
        || json::value(6, 6),
        move |value| match Seed::from_json(&value) {
            Ok(seed) => check(&seed, &value, &schema),
            Err(error) => outcome::<(), _>(&Err(error)),
        },
    );
}

/// Seeds written as a person would, damaged here and there.
#[test]
fn near_valid_seeds() {
    let schema = schema();
    campaign(
        "seed_near_valid",
        2_000,
        documents::seed_json,
        move |value| {
            let text = value.to_string();
            // Compared with the text as serde_json reads it: without its `float_roundtrip` feature
            // a float may come back one unit in the last place off (see
            // `fuzz_schema_json::a_float_default_survives_schema_json`).
            let read: Value = serde_json::from_str(&text).map_err(|error| {
                TestCaseError::fail(format!("our own JSON does not parse: {error}"))
            })?;
            match Seed::parse(PATH, &text) {
                Ok(seed) => check(&seed, &read, &schema),
                Err(error) => outcome::<(), _>(&Err(error)),
            }
        },
    );
}

/// Files that are almost JSON, read as `db:seed` reads `seed.json`.
#[test]
fn near_json_text_as_a_seed() {
    let schema = schema();
    let texts =
        || json::near_json_text(prop_oneof![documents::seed_json(), json::value(4, 4)].boxed());
    campaign("seed_text", 2_000, texts, move |text| {
        match Seed::parse(PATH, &text) {
            Ok(seed) => outcome(&seed.check(&schema)),
            Err(error) => outcome::<(), _>(&Err(error)),
        }
    });
}
