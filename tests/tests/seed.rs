//! Seeding `_instant/seed.json` through the generated models and from the schema alone:
//! element by element, each element one transaction, timestamps maintained.

use instant_runtime::seed::{self, Models};
use instant_runtime::testing::TempDb;
use instant_runtime::{Error, Hooks, Model, Save, Transaction};
use instant_schema::Project;
use instant_schema::seed::Seed;
use instant_tests::family::{self, parents};
use serde_json::json;

fn family_project() -> Project {
    Project::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/family")).unwrap()
}

fn migrated() -> (TempDb, instant_runtime::Db) {
    let temp = TempDb::new().unwrap();
    temp.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/family"))
        .unwrap();
    let db = temp.db().unwrap();
    (temp, db)
}

/// Every table's rows, without the timestamps (which differ between runs), in id order.
fn contents(db: &instant_runtime::Db) -> serde_json::Value {
    let mut tables = serde_json::Map::new();
    for table in [
        "parents",
        "careers",
        "children",
        "pets",
        "partners",
        "friendships",
    ] {
        let rows = db
            .query(
                &format!(
                    "SELECT coalesce(jsonb_agg(to_jsonb(t) - 'created_at' - 'updated_at' ORDER BY id), '[]') FROM {table} t"
                ),
                &[],
            )
            .unwrap();
        tables.insert(table.to_string(), rows[0].get(0));
    }
    serde_json::Value::Object(tables)
}

#[test]
fn the_family_seed_goes_through_the_generated_models() {
    let (_temp, db) = migrated();
    let report = seed::seed_project(&db, &family_project(), &family::seed_models()).unwrap();
    assert_eq!(report.row_count(), 215);
    assert_eq!(
        report.tables["parents"],
        (1..=10).map(|id| json!(id)).collect::<Vec<_>>()
    );
    assert_eq!(
        report.to_string().lines().next(),
        Some("Seeded 215 entries:")
    );
    assert!(report.to_string().contains(" + \"children\" (x100)"));

    let albert = family::Parent::find(&db, 1).unwrap();
    assert_eq!(albert.name, "Albert");
    assert!(albert.created_at.is_some() && albert.updated_at.is_some());
    assert_eq!(family::Child::query().count(&db).unwrap(), 100);
}

#[test]
fn without_models_the_schema_seeds_the_same_rows() {
    let (_typed_db, typed) = migrated();
    seed::seed_project(&typed, &family_project(), &family::seed_models()).unwrap();
    let (_dynamic_db, dynamic) = migrated();
    let report = seed::seed_project(&dynamic, &family_project(), &Models::new()).unwrap();
    assert_eq!(report.row_count(), 215);
    assert_eq!(contents(&dynamic), contents(&typed));
    let stamped: i64 = dynamic
        .query(
            "SELECT count(*) FROM pets WHERE created_at IS NOT NULL AND updated_at IS NOT NULL",
            &[],
        )
        .unwrap()[0]
        .get(0);
    assert_eq!(stamped, 30);
}

#[test]
fn a_bad_row_keeps_nothing_of_its_element_and_says_where_it_is() {
    let (_temp, db) = migrated();
    let schema = family_project().schema().unwrap();
    for (models, parent) in [(family::seed_models(), "Albert"), (Models::new(), "Beth")] {
        let seed = Seed::from_json(&json!([
            {"parents": [{"name": parent}]},
            {"children": [{"name": "Ann", "parent_id": 1}, {"name": "Bo", "parent_id": 1, "age": "old"}],
             "pets": [{"name": "Rex", "parent_id": 1}]}
        ]))
        .unwrap();
        let error = seed::seed_with(&db, &schema, &seed, &models).unwrap_err();
        assert!(
            error.to_string().starts_with("seed[1][\"children\"]"),
            "{error}"
        );
        assert!(matches!(error, Error::Seed { .. }));
    }
    // Each run committed its element 0 before failing in element 1.
    assert_eq!(family::Parent::query().count(&db).unwrap(), 2);
    assert_eq!(family::Child::query().count(&db).unwrap(), 0);
    assert_eq!(family::Pet::query().count(&db).unwrap(), 0);
}

#[test]
fn a_typed_row_error_names_the_row_and_field() {
    let (_temp, db) = migrated();
    let schema = family_project().schema().unwrap();
    let seed = Seed::from_json(&json!([
        {"children": [{"name": "Ann"}, {"name": "Bo", "age": "old"}]}
    ]))
    .unwrap();
    let error = seed::seed_with(&db, &schema, &seed, &family::seed_models()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "seed[0][\"children\"][1]: Validation error {\"age\":{\"message\":\"must be an integer (i64) from -9223372036854775808 to 9223372036854775807\",\"invalid\":true}}"
    );
}

/// A hand-written model in place of the generated one: hooks see `is_seeding()`.
#[derive(Debug, Clone, Model)]
#[instant(table = parents, hooks)]
struct SeededParent {
    id: i64,
    #[validates("must not be empty", |name: &String| !name.is_empty())]
    name: String,
    shirt: Option<String>,
}

impl Hooks for SeededParent {
    fn before_save(&mut self, _: &mut Transaction<'_>, save: Save) -> instant_runtime::Result<()> {
        if save.is_seeding() && save.is_creating() {
            self.shirt = Some(format!("seeded {}", self.shirt.as_deref().unwrap_or("")));
        }
        Ok(())
    }
}

#[test]
fn a_hand_written_model_takes_its_tables_place_and_sees_it_is_seeding() {
    let (_temp, db) = migrated();
    let models = family::seed_models().with::<SeededParent>();
    seed::seed_project(&db, &family_project(), &models).unwrap();
    let albert = SeededParent::find(&db, 1).unwrap();
    assert_eq!(albert.shirt.as_deref(), Some("seeded red"));

    // Its validations run too.
    let schema = family_project().schema().unwrap();
    let seed = Seed::from_json(&json!([{"parents": [{"name": ""}]}])).unwrap();
    let error = seed::seed_with(&db, &schema, &seed, &models).unwrap_err();
    assert!(error.to_string().contains("must not be empty"), "{error}");
}
