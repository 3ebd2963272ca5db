//! An application's own `instant` binary (`src/bin/instant_family.rs`: the family models, with
//! a hand-written `Parent` that hides `hidden`, calculates `greeting` and validates
//! `pantaloons`): `query` shows rows as the models serialize them and `seed` saves through
//! them. Also: the descriptors the plain binary builds from a schema are the generated ones.

use std::process::{Command, Output};

use instant_runtime::Model;
use instant_runtime::query::prelude::*;
use instant_runtime::schema_tables::leak_tables;
use instant_runtime::testing::TempDb;
use instant_schema::Project;
use instant_tests::family::{Child, Pet, children, pets};
use instant_tests::setup::{family, fixture_dir};
use serde_json::{Value, json};

fn instant_family(temp: &TempDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_instant_family"))
        .args(args)
        .arg("--dir")
        .arg(fixture_dir("family"))
        .env("DATABASE_URL", temp.url())
        .output()
        .unwrap()
}

fn json_of(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn descriptors_built_from_a_schema_are_the_generated_ones() {
    let generated = [
        ("blog", instant_tests::blog::TABLES),
        ("family", instant_tests::family::TABLES),
        ("auth", instant_tests::auth::TABLES),
        ("types", instant_tests::types::TABLES),
        ("models", instant_tests::models::TABLES),
        ("foreign_keys", instant_tests::foreign_keys::TABLES),
        ("graph", instant_tests::graph::TABLES),
        ("vectors", instant_tests::vectors::TABLES),
    ];
    for (name, tables) in generated {
        let schema = Project::load(fixture_dir(name)).unwrap().schema().unwrap();
        let built = leak_tables(&schema).unwrap();
        assert_eq!(built.len(), tables.len(), "{name}");
        for (built, generated) in built.iter().zip(tables) {
            assert_eq!(built, generated, "{name}");
        }
    }
}

#[test]
fn query_shows_rows_as_the_models_serialize_them() {
    let (temp, db) = family();
    let result = json_of(&instant_family(
        &temp,
        &[
            "query",
            &json!({"children": {
                "$": {"where": {"id__lte": 12}, "order": "id"},
                "parent": {"pets": {"$": {"order": "id"}}}
            }})
            .to_string(),
        ],
    ));
    let expected = Child::query()
        .filter(children::id.lte(12))
        .order_by(children::id.asc())
        .select(&db)
        .unwrap();
    let rows = result["children"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    for (row, child) in rows.iter().zip(expected.iter()) {
        let mut row = row.as_object().unwrap().clone();
        let parent = row.remove("parent").unwrap();
        // A generated model: exactly `Record::to_json`, timestamps included.
        assert_eq!(Value::Object(row), child.to_json());

        // The hand-written Parent: `hidden` dropped, `greeting` added after the fields,
        // then the relationship.
        let keys: Vec<&String> = parent.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "id",
                "name",
                "shirt",
                "pantaloons",
                "created_at",
                "updated_at",
                "greeting",
                "pets"
            ]
        );
        assert_eq!(parent["id"], json!(child.parent_id));
        assert_eq!(
            parent["greeting"],
            json!(format!("Hello, {}!", parent["name"].as_str().unwrap()))
        );
        let pets = Pet::query()
            .filter(pets::parent_id.eq(child.parent_id))
            .order_by(pets::id.asc())
            .select(&db)
            .unwrap();
        assert_eq!(parent["pets"], pets.to_json());
    }

    // A hidden field still filters: the command is a trusted tool, not `safe_where`.
    let hidden = json_of(&instant_family(
        &temp,
        &[
            "query",
            r#"{"parents": {"$": {"where": {"hidden": "a"}, "order": "id"}}}"#,
        ],
    ));
    let names: Vec<&str> = hidden["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|parent| parent["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Albert", "Samantha"]);
    assert!(hidden["parents"][0].get("hidden").is_none());
}

#[test]
fn seed_saves_through_the_models() {
    let (temp, db) = family();
    let refused = instant_family(
        &temp,
        &[
            "seed",
            r#"{"parents": [{"name": "Xavier"}, {"name": "Plaid", "pantaloons": "plaid"}]}"#,
        ],
    );
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "error: seed[0][\"parents\"][1]: Validation error \
         {\"pantaloons\":{\"message\":\"must not be plaid\",\"invalid\":true}}\n"
    );
    let count = |db: &instant_runtime::Db| -> i64 {
        db.query("SELECT count(*) FROM parents", &[]).unwrap()[0].get(0)
    };
    assert_eq!(count(&db), 10);

    let seeded = json_of(&instant_family(
        &temp,
        &[
            "seed",
            r#"{"parents": [{"name": "Xavier", "hidden": "x", "pantaloons": "kilt"}]}"#,
        ],
    ));
    assert_eq!(seeded, json!({"parents": [11]}));
    let row = &db
        .query(
            "SELECT hidden, created_at IS NOT NULL FROM parents WHERE id = 11",
            &[],
        )
        .unwrap()[0];
    assert_eq!(row.get::<_, Option<String>>(0).as_deref(), Some("x"));
    assert!(row.get::<_, bool>(1));
}
