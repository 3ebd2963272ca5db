//! Fuzzing the migration parser: a migration file's JSON read into commands (validated and
//! normalized), replayed onto a schema, and rebuilt command by command with its inverses, never
//! panics. What it accepts writes back to JSON that reads back the same.
//!
//! `PROPTEST_CASES` sets the number of inputs per target (`scripts/fuzz-long.sh`).

mod fuzz_support;

use fuzz_support::{Outcome, campaign, documents, json, outcome, same};
use instant_schema::json_path::JsonPath;
use instant_schema::replay::apply;
use instant_schema::{Command, Migration, MigrationBuilder, Schema, replay};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Any JSON as a migration file, as one command, and as the only command of a migration.
#[test]
fn arbitrary_json_as_a_migration() {
    campaign(
        "migrations_arbitrary_json",
        2_000,
        || json::value(6, 6),
        |value| {
            outcome(&Command::from_json(
                &value,
                &JsonPath::root().key("up").index(0),
            ))?;
            let wrapped =
                json!({"id": 1, "name": "a", "up": [value.clone()], "down": [value.clone()]});
            outcome(&Migration::from_json(&wrapped))?;
            outcome(&Migration::from_json(&value))
        },
    );
}

/// Migrations written as a person would, damaged here and there: what is accepted round-trips,
/// replays or fails with a message, and rebuilds with inverses.
#[test]
fn near_valid_migrations() {
    campaign(
        "migrations_near_valid",
        2_000,
        documents::migration,
        |value| {
            let parsed = Migration::from_json(&value);
            let result = outcome(&parsed)?;
            if let Ok(migration) = parsed {
                let written = migration.to_json();
                let reread = Migration::from_json(&written).map_err(|error| {
                    TestCaseError::fail(format!("written back, it fails: {error}"))
                })?;
                same(&reread, &migration, "read back")?;
                prop_assert!(!migration.filename().is_empty());
                outcome(&replay(std::slice::from_ref(&migration)))?;
                rebuild(&migration)?;
            }
            Ok(result)
        },
    );
}

/// The `up` commands of `migration` added one by one to a builder on the empty schema, each
/// inverted on the way (instant.dev's generators); then the inverses applied to the result.
fn rebuild(migration: &Migration) -> Result<(), TestCaseError> {
    let mut builder = MigrationBuilder::new(Schema::empty()).with_id(migration.id);
    for command in &migration.up {
        if outcome(&builder.add(command.clone()))? == Outcome::Refused {
            return Ok(());
        }
    }
    let mut schema = builder.schema().clone();
    let built = builder.build();
    outcome(&built)?;
    if let Ok(built) = built {
        for command in &built.down {
            if outcome(&apply(&mut schema, command))? == Outcome::Refused {
                break;
            }
        }
    }
    Ok(())
}

/// Files that are almost JSON, read as `db:migrate` reads a migration file.
#[test]
fn near_json_text_as_a_migration() {
    let texts =
        || json::near_json_text(prop_oneof![documents::migration(), json::value(4, 4)].boxed());
    campaign("migrations_text", 2_000, texts, |text| {
        let parsed: Result<Value, _> = serde_json::from_str(&text);
        outcome(&parsed)?;
        match parsed {
            Ok(value) => outcome(&Migration::from_json(&value)),
            Err(_) => Ok(Outcome::Refused),
        }
    });
}
