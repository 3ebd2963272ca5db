//! Fuzzing the schema JSON reader (`schema.json`, `setSchema`'s argument, the schema stored
//! with each applied migration) and what is derived from a schema: the relationship graph, its
//! paths and cascades. Nothing panics; an accepted schema writes back to JSON that reads back
//! the same, and so does the schema that replaying migrations gives.
//!
//! `PROPTEST_CASES` sets the number of inputs per target (`scripts/fuzz-long.sh`).

mod fuzz_support;

use fuzz_support::{Outcome, campaign, documents, json, outcome, same};
use instant_schema::relationships::RelationshipGraph;
use instant_schema::{Migration, Schema, apply_migration};
use proptest::prelude::*;
use serde_json::Value;

/// Any JSON as a schema.
#[test]
fn arbitrary_json_as_a_schema() {
    campaign(
        "schema_arbitrary_json",
        2_000,
        || json::value(6, 6),
        |value| outcome(&Schema::from_json(&value)),
    );
}

/// Relationship paths as a where-object key or a nested query names them.
fn paths() -> impl Strategy<Value = Vec<String>> {
    let segment = prop_oneof![
        4 => prop::sample::select(&["users", "posts", "comments", "user", "post", "t", "id", "author", "writings", "parent", ""][..]).prop_map(str::to_string),
        1 => json::text(),
    ];
    prop::collection::vec(
        prop::collection::vec(segment, 1..6).prop_map(|s| s.join("__")),
        0..4,
    )
}

/// Schemas written as a person would, damaged here and there; what is accepted round-trips and
/// gives a relationship graph whose paths and cascades resolve or fail with a message.
#[test]
fn near_valid_schemas() {
    campaign(
        "schema_near_valid",
        2_000,
        || (documents::schema(), paths()),
        |(value, paths)| {
            let parsed = Schema::from_json(&value);
            let result = outcome(&parsed)?;
            if let Ok(schema) = parsed {
                round_trip(&schema)?;
                explore(&schema, &paths)?;
            }
            Ok(result)
        },
    );
}

/// An accepted schema, written and read again, is the same schema.
fn round_trip(schema: &Schema) -> Result<(), TestCaseError> {
    let reread = Schema::from_json(&schema.to_json())
        .map_err(|error| TestCaseError::fail(format!("written back, it fails: {error}")))?;
    same(&reread, schema, "read back")?;
    // Both texts go through serde_json's parser, which without its `float_roundtrip` feature
    // may read a float back one unit in the last place off (see
    // `a_float_default_survives_schema_json`); compared with each other, they must agree.
    let pretty: Value = serde_json::from_str(&schema.to_pretty_json())
        .map_err(|error| TestCaseError::fail(format!("pretty JSON does not parse: {error}")))?;
    let compact: Value = serde_json::from_str(&schema.to_json().to_string())
        .map_err(|error| TestCaseError::fail(format!("compact JSON does not parse: {error}")))?;
    same(&pretty, &compact, "pretty JSON")
}

/// Found by `near_valid_schemas`: a float `defaultValue` written to `schema.json` read back one
/// unit in the last place off, because serde_json parses floats exactly only with its
/// `float_roundtrip` feature, which the workspace now turns on.
#[test]
fn a_float_default_survives_schema_json() {
    let json = serde_json::json!({"migration_id": null, "indices": [], "foreign_keys": [],
    "tables": {"posts": {"name": "posts", "columns": [
        {"name": "score", "type": "float", "properties": {"defaultValue": -2.0559660855746547e-203}}
    ]}}});
    let schema = Schema::from_json(&json).unwrap();
    let reread =
        Schema::from_json(&serde_json::from_str(&schema.to_pretty_json()).unwrap()).unwrap();
    assert_eq!(reread, schema);
}

/// The relationship graph of `schema`, each path looked up from each table, each cascade.
fn explore(schema: &Schema, paths: &[String]) -> Result<(), TestCaseError> {
    outcome(&RelationshipGraph::from_schema(schema))?;
    let (graph, problems) = RelationshipGraph::build(schema);
    for problem in &problems {
        outcome::<(), _>(&Err(problem))?;
    }
    for table in schema.tables.keys() {
        for path in paths {
            if let Err(error) = graph.find_path(table, path) {
                outcome::<(), _>(&Err(error))?;
            }
        }
        let _ = graph.cascade(table);
    }
    Ok(())
}

/// Several near-valid migrations replayed in order: the schema they give (or the one before
/// the first that fails) writes back as a `schema.json` that reads back the same.
#[test]
fn replayed_schemas_read_back() {
    let migrations = || prop::collection::vec(documents::migration(), 1..5);
    campaign("schema_replayed", 1_000, migrations, |values| {
        let mut schema = Schema::empty();
        let mut result = Outcome::Accepted;
        for value in &values {
            let Ok(migration) = Migration::from_json(value) else {
                result = Outcome::Refused;
                continue;
            };
            // All or nothing: a migration that fails leaves the schema as it was, as
            // `db:migrate` leaves the database.
            let before = schema.clone();
            let applied = apply_migration(&mut schema, &migration);
            if outcome(&applied)? == Outcome::Refused {
                same(&schema, &before, "the schema after a failed migration")?;
                result = Outcome::Refused;
                break;
            }
        }
        round_trip(&schema)?;
        explore(&schema, &[])?;
        Ok(result)
    });
}

/// Files that are almost JSON, read as `schema.json` is read.
#[test]
fn near_json_text_as_a_schema() {
    let texts =
        || json::near_json_text(prop_oneof![documents::schema(), json::value(4, 4)].boxed());
    campaign(
        "schema_text",
        2_000,
        texts,
        |text| match serde_json::from_str::<Value>(&text) {
            Ok(value) => outcome(&Schema::from_json(&value)),
            Err(error) => outcome::<(), _>(&Err(error)),
        },
    );
}
