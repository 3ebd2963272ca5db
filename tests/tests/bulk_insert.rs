//! `Model::insert_without_returning`: models written in bulk and counted, not read back.
//! Validations run before anything is written; ids come from the sequence and timestamps are
//! set as on a save; past one statement's 60 000 values the statements share a transaction,
//! so a failure in the last undoes the first; a readonly database refuses it.

use instant_runtime::{Db, Error, Model};
use instant_tests::models::{self, special_items};
use instant_tests::setup::{count, migrated};

/// `special_items (id, name UNIQUE)`, with a validation.
#[derive(Debug, Clone, Default, PartialEq, Model)]
#[instant(table = special_items)]
struct Item {
    id: i64,
    #[validates("must not be empty", |name: &Option<String>| name.as_ref().is_some_and(|name| !name.is_empty()))]
    name: Option<String>,
}

fn item(name: &str) -> Item {
    Item {
        id: 0,
        name: Some(name.to_string()),
    }
}

#[test]
fn every_model_is_inserted_and_counted() {
    let (_temp, db) = migrated("models");
    let parents: Vec<models::Parent> = ["Ada", "Grace", "Edsger"]
        .into_iter()
        .map(|name| models::Parent {
            id: 999, // ignored, as on a save: the sequence gives ids
            name: Some(name.to_string()),
            age: Some(36),
            secret: None,
            content: None,
            created_at: None,
            updated_at: None,
        })
        .collect();
    assert_eq!(
        models::Parent::insert_without_returning(&db, &parents).unwrap(),
        3
    );
    let rows = db
        .query(
            "SELECT id, name, age, created_at IS NOT NULL AND updated_at IS NOT NULL \
             FROM parents ORDER BY id",
            &[],
        )
        .unwrap();
    let rows: Vec<(i64, String, i64, bool)> = rows
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect();
    assert_eq!(
        rows,
        [
            (1, "Ada".to_string(), 36, true),
            (2, "Grace".to_string(), 36, true),
            (3, "Edsger".to_string(), 36, true)
        ]
    );
    // The same number of rows again runs the statement kept for it.
    assert_eq!(
        models::Parent::insert_without_returning(&db, &parents).unwrap(),
        3
    );
    assert_eq!(count(&db, "parents"), 6);
    assert_eq!(Item::insert_without_returning(&db, &[]).unwrap(), 0);
}

#[test]
fn a_failing_validation_writes_nothing() {
    let (_temp, db) = migrated("models");
    let error = Item::insert_without_returning(&db, &[item("a"), item(""), item("c")])
        .expect_err("the empty name fails its validation");
    match &error {
        Error::Validation(errors) => assert_eq!(
            errors.get("name").map(|error| error.message.as_str()),
            Some("must not be empty")
        ),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(count(&db, "special_items"), 0);
}

/// 60 001 one-value rows take two statements; a unique violation in the second undoes the
/// first.
#[test]
fn several_statements_are_all_or_nothing() {
    let (_temp, db) = migrated("models");
    let mut items: Vec<Item> = (0..60_001).map(|i| item(&format!("item {i}"))).collect();
    assert_eq!(Item::insert_without_returning(&db, &items).unwrap(), 60_001);
    assert_eq!(count(&db, "special_items"), 60_001);

    db.execute("TRUNCATE special_items", &[]).unwrap();
    items[60_000] = item("item 0");
    let error = Item::insert_without_returning(&db, &items).expect_err("a duplicate name");
    assert!(
        error.to_string().contains("special_items"),
        "the error names the constraint's table: {error}"
    );
    assert_eq!(count(&db, "special_items"), 0);
}

#[test]
fn a_readonly_db_refuses_it() {
    let (temp, _db) = migrated("models");
    let readonly = Db::builder()
        .url(temp.url())
        .readonly(true)
        .connect()
        .unwrap();
    let error = Item::insert_without_returning(&readonly, &[item("a")]).unwrap_err();
    assert!(matches!(error, Error::ReadOnly), "{error:?}");
    let error = Item::insert_without_returning(&readonly, &vec![item("a"); 60_001]).unwrap_err();
    assert!(matches!(error, Error::ReadOnly), "{error:?}");
}
