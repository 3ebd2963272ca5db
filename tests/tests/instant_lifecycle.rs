//! The cases of instant.dev's `test/tests/_instant.js` that need models (the others are in
//! `instant-runtime/tests/introspect.rs`).
//!
//! `_instant.js` connects with a schema object, `parents` and `children`, and bootstraps a
//! database from it. Its `Instant.Model('Parent')` and `Instant.Model('Child')` are classes
//! built from that object at run time; here models are compiled in, and `fixtures/family`'s
//! generated `Parent` and `Child` have exactly those two tables' columns, so they run against a
//! database initialized from the `_instant.js` object (which has no other table).

use instant_runtime::descriptor::Table;
use instant_runtime::migrate::{self, history, introspect};
use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Model, seed};
use instant_schema::seed::Seed;
use instant_schema::{Project, Schema};
use instant_tests::family::{self, Child, Parent, children, parents};
use serde_json::{Value, json};

/// The schema object `_instant.js` passes to `connect`.
fn instant_js_schema() -> Value {
    json!({
        "migration_id": null,
        "foreign_keys": [],
        "indices": [{"table": "parents", "column": "shirt", "type": "btree"}],
        "tables": {
            "parents": {"name": "parents", "columns": [
                {"name": "id", "type": "serial"},
                {"name": "name", "type": "string", "properties": {"nullable": false, "unique": true}},
                {"name": "shirt", "type": "string"},
                {"name": "hidden", "type": "string"},
                {"name": "pantaloons", "type": "string"},
                {"name": "created_at", "type": "datetime"},
                {"name": "updated_at", "type": "datetime"}]},
            "children": {"name": "children", "columns": [
                {"name": "id", "type": "serial"},
                {"name": "parent_id", "type": "int"},
                {"name": "name", "type": "string"},
                {"name": "age", "type": "int"},
                {"name": "is_favorite", "type": "boolean"},
                {"name": "license", "type": "string"},
                {"name": "created_at", "type": "datetime"},
                {"name": "updated_at", "type": "datetime"}]}
        }
    })
}

/// A database initialized from the `_instant.js` schema and bootstrapped from the folder
/// `initialize` wrote (`annihilate(); prepare(); initialize(schema); bootstrap()`).
struct Bootstrapped {
    temp: TempDb,
    dir: tempfile::TempDir,
    db: Db,
}

impl Bootstrapped {
    fn new() -> Bootstrapped {
        let temp = TempDb::new().unwrap();
        let mut client = temp.connect().unwrap();
        migrate::prepare(&mut client).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("_instant")).unwrap();
        let schema = Schema::from_json(&instant_js_schema()).unwrap();
        migrate::initialize(&mut client, dir.path(), Some(schema)).unwrap();
        let env = Bootstrapped {
            db: temp.db().unwrap(),
            temp,
            dir,
        };
        env.bootstrap();
        env
    }

    fn project(&self) -> Project {
        Project::load(self.dir.path()).unwrap()
    }

    fn bootstrap(&self) {
        let mut client = self.temp.connect().unwrap();
        let migrated = migrate::bootstrap(&mut client, &self.project(), &[]).unwrap();
        assert_eq!(migrated.applied, [1]);
    }

    /// The schema of the database's last `_instant_migrations` row (where instant.dev's
    /// `connect(cfg)` loads the schema from).
    fn latest_schema(&self) -> Value {
        let mut client = self.temp.connect().unwrap();
        let rows = history::rows(&mut client).unwrap();
        rows.last().unwrap().schema.clone().unwrap()
    }
}

fn column_names(columns: &[&instant_runtime::descriptor::ColumnInfo]) -> Vec<&'static str> {
    columns.iter().map(|column| column.name).collect()
}

fn schema_column_names(schema: &Value, table: &str) -> Vec<String> {
    schema["tables"][table]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|column| column["name"].as_str().unwrap().to_string())
        .collect()
}

/// The compiled `Parent` and `Child` have the columns `schema` gives their tables, in order.
fn assert_models_match(schema: &Value) {
    let parent: Vec<&str> = column_names(Parent::COLUMNS);
    let child: Vec<&str> = column_names(Child::COLUMNS);
    assert_eq!(schema_column_names(schema, "parents"), parent);
    assert_eq!(schema_column_names(schema, "children"), child);
}

fn parents_by_id(db: &Db) -> Vec<(i64, String)> {
    Parent::query()
        .order_by(parents::id.asc())
        .select(db)
        .unwrap()
        .iter()
        .map(|parent| (parent.id, parent.name.clone()))
        .collect()
}

/// instant.dev: should load a schema via #connect
#[test]
fn a_schema_object_loads_and_the_database_connects() {
    let temp = TempDb::new().unwrap();
    let db = Db::from_url(temp.url()).unwrap();
    let one: i32 = db.query("SELECT 1", &[]).unwrap()[0].get(0);
    assert_eq!(one, 1);

    let schema = Schema::from_json(&instant_js_schema()).unwrap();
    assert_eq!(schema.to_json(), instant_js_schema());
    assert_eq!(schema.tables.len(), 2);
    assert_eq!(schema.indices.len(), 1);
}

/// instant.dev: should have the correct models
#[test]
fn the_models_are_named_and_ordered_as_instant_dev_names_them() {
    let parents = <<Parent as Model>::Table as Table>::INFO;
    assert_eq!(parents.name, "parents");
    assert_eq!(parents.model, "Parent");
    assert!(std::any::type_name::<Parent>().ends_with("::Parent"));
    let expected = [
        "id",
        "name",
        "shirt",
        "hidden",
        "pantaloons",
        "created_at",
        "updated_at",
    ];
    assert_eq!(column_names(Parent::COLUMNS), expected);
    let table_columns: Vec<&str> = parents.columns.iter().map(|c| c.name).collect();
    assert_eq!(table_columns, expected);

    let children = <<Child as Model>::Table as Table>::INFO;
    assert_eq!(children.name, "children");
    assert_eq!(children.model, "Child");
    assert!(std::any::type_name::<Child>().ends_with("::Child"));
    let expected = [
        "id",
        "parent_id",
        "name",
        "age",
        "is_favorite",
        "license",
        "created_at",
        "updated_at",
    ];
    assert_eq!(column_names(Child::COLUMNS), expected);
    let table_columns: Vec<&str> = children.columns.iter().map(|c| c.name).collect();
    assert_eq!(table_columns, expected);

    // Exactly the columns of the `_instant.js` schema.
    assert_models_match(&instant_js_schema());
    assert!(family::TABLES.contains(&parents));
    assert!(family::TABLES.contains(&children));
}

/// instant.dev: should now be able to create a model
#[test]
fn a_model_is_created_after_bootstrap() {
    let env = Bootstrapped::new();
    let parent = Parent::create_from_json(&env.db, &json!({"name": "Keith"})).unwrap();
    assert_eq!(parent.name, "Keith");
    assert_eq!(parent.id, 1);
    assert_eq!(parents_by_id(&env.db), [(1, "Keith".to_string())]);
}

/// instant.dev: should bootstrap again and create a model
#[test]
fn bootstrapping_again_starts_ids_over() {
    let env = Bootstrapped::new();
    Parent::create_from_json(&env.db, &json!({"name": "Keith"})).unwrap();

    env.bootstrap();
    let parent = Parent::create_from_json(&env.db, &json!({"name": "Keith"})).unwrap();
    assert_eq!(parent.name, "Keith");
    assert_eq!(parent.id, 1);
    assert_eq!(parents_by_id(&env.db), [(1, "Keith".to_string())]);
}

/// instant.dev: should bootstrap from a seed
#[test]
fn bootstrap_then_seed() {
    let env = Bootstrapped::new();
    Parent::create_from_json(&env.db, &json!({"name": "Keith"})).unwrap();

    // `bootstrap(seed)` with the object seed `{parents, children}`: a seed is an array of such
    // objects (seed.json's shape), and seeding is the application's step after bootstrap,
    // through its models.
    env.bootstrap();
    let seed = Seed::from_json(&json!([{
        "parents": [{"name": "Hurley"}, {"name": "Boone"}],
        "children": [{"name": "Locke", "parent_id": 2}, {"name": "Sayid", "parent_id": 1}]
    }]))
    .unwrap();
    let schema = env.project().schema().unwrap();
    seed::seed_with(&env.db, &schema, &seed, &family::seed_models()).unwrap();

    assert_eq!(
        parents_by_id(&env.db),
        [(1, "Hurley".to_string()), (2, "Boone".to_string())]
    );
    let children: Vec<(i64, Option<String>, Option<i64>)> = Child::query()
        .order_by(children::id.asc())
        .select(&env.db)
        .unwrap()
        .iter()
        .map(|child| (child.id, child.name.clone(), child.parent_id))
        .collect();
    assert_eq!(
        children,
        [
            (1, Some("Locke".to_string()), Some(2)),
            (2, Some("Sayid".to_string()), Some(1))
        ]
    );
}

/// instant.dev: should reload schema from migrations table
#[test]
fn the_schema_reloads_from_the_migrations_table() {
    let env = Bootstrapped::new();
    let original = env.project().schema().unwrap().to_json();

    // A new connection reads the same schema from `_instant_migrations`, and the compiled
    // models still fit it.
    let db = Db::from_url(env.temp.url()).unwrap();
    assert_eq!(env.latest_schema(), original);
    assert_models_match(&env.latest_schema());
    Parent::create_from_json(&db, &json!({"name": "Keith"})).unwrap();
    assert_eq!(parents_by_id(&db), [(1, "Keith".to_string())]);
}

/// instant.dev: should clear migrations and load from introspected schema
#[test]
fn the_schema_survives_clearing_the_migrations_folder() {
    let env = Bootstrapped::new();
    let original = env.project().schema().unwrap();

    // `filesystem.clear()`: the whole `_instant/` folder goes.
    std::fs::remove_dir_all(env.dir.path().join("_instant")).unwrap();

    let db = Db::from_url(env.temp.url()).unwrap();
    assert_eq!(env.latest_schema(), original.to_json());
    let mut client = env.temp.connect().unwrap();
    let mut introspected = introspect::introspect(&mut client).unwrap();
    introspected.migration_id = original.migration_id;
    assert_eq!(introspected, introspect::comparable(&original));
    assert_models_match(&introspected.to_json());
    Parent::create_from_json(&db, &json!({"name": "Keith"})).unwrap();
    assert_eq!(parents_by_id(&db), [(1, "Keith".to_string())]);
}
