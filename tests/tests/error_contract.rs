//! Every kind of error the ORM returns, produced against a real server: its classification,
//! its HTTP status, its `details` and its whole JSON, compared with instant.dev's current
//! format (`{field: {message, invalid: true}}`, the server's message under `_query` and as
//! `identifier`, `notFound` on lookups that found nothing).

use instant_runtime::error::DbErrorKind;
use instant_runtime::model::ValidationErrors;
use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Error, Model, Record, Transaction};
use instant_tests::models::{self, parents};
use serde_json::{Value, json};

fn name_is_free(
    parent: &Parent,
    transaction: &mut Transaction<'_>,
) -> instant_runtime::Result<bool> {
    let row = transaction.query_one(
        "SELECT count(*) FROM parents WHERE name = $1 AND id <> $2",
        &[&parent.name, &parent.id],
    )?;
    Ok(row.get::<_, i64>(0) == 0)
}

fn age_is_positive(parent: &Parent, _: &mut Transaction<'_>) -> instant_runtime::Result<bool> {
    Ok(parent.age.is_some_and(|age| age > 0))
}

/// A parent with a validation, a field-bound verification and a model-wide one.
#[derive(Debug, Clone, Default, PartialEq, Model)]
#[instant(table = parents)]
#[verifies(name, "is already taken", name_is_free)]
#[verifies("age must be greater than 0", age_is_positive)]
struct Parent {
    id: i64,
    #[validates("should be at least four characters long", |name: &Option<String>| name.as_ref().is_some_and(|name| name.len() >= 4))]
    #[validates("should not contain spaces", |name: &Option<String>| name.as_ref().is_none_or(|name| !name.contains(' ')))]
    name: Option<String>,
    age: Option<i64>,
}

fn parent(name: &str, age: i64) -> Parent {
    Parent {
        id: 0,
        name: Some(name.to_string()),
        age: Some(age),
    }
}

fn database() -> (TempDb, Db) {
    let temp = TempDb::new().unwrap();
    temp.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/models"))
        .unwrap();
    let db = temp.db().unwrap();
    (temp, db)
}

fn house(parent_id: Option<i64>) -> models::House {
    models::House {
        id: 0,
        material: Some("straw".to_string()),
        color: None,
        content: None,
        parent_id,
        created_at: None,
        updated_at: None,
    }
}

fn special_item(name: Option<&str>) -> models::SpecialItem {
    models::SpecialItem {
        id: 0,
        name: name.map(str::to_string),
    }
}

/// The JSON of a server error: its message, first, under `_query` and as `identifier`.
fn query_error(message: &str, status: u16) -> Value {
    json!({
        "message": message,
        "statusCode": status,
        "details": {"_query": {"message": message, "invalid": true}},
        "identifier": message,
    })
}

#[test]
fn a_unique_violation_is_a_409_naming_the_constraint() {
    let (_temp, db) = database();
    models::SpecialItem::create(&db, special_item(Some("unique-name"))).unwrap();

    let error = models::SpecialItem::create(&db, special_item(Some("unique-name"))).unwrap_err();
    let message = "duplicate key value violates unique constraint \"special_items_name_unique\"";
    assert_eq!(error.db_error_kind(), Some(DbErrorKind::UniqueViolation));
    assert_eq!(error.status(), 409);
    assert_eq!(error.message(), message);
    assert_eq!(error.to_json(), query_error(message, 409));

    // The same through a new record and `save` (instant.dev's newer third unique case).
    let mut record = Record::new(special_item(Some("unique-name")));
    let error = record.save(&db).unwrap_err();
    assert_eq!(error.to_json(), query_error(message, 409));
    assert!(!record.in_storage());
}

#[test]
fn a_foreign_key_violation_is_a_409_on_insert_and_on_delete() {
    let (_temp, db) = database();
    let error = models::House::create(&db, house(Some(999))).unwrap_err();
    let message = "insert or update on table \"houses\" violates foreign key constraint \"houses_parent_id__fk\"";
    assert_eq!(
        error.db_error_kind(),
        Some(DbErrorKind::ForeignKeyViolation)
    );
    assert_eq!(error.to_json(), query_error(message, 409));

    let parent = Parent::create(&db, parent("Kate", 20)).unwrap();
    models::House::create(&db, house(Some(parent.id))).unwrap();
    let error = Parent::destroy(&db, parent.id).unwrap_err();
    let message = "update or delete on table \"parents\" violates foreign key constraint \
                   \"houses_parent_id__fk\" on table \"houses\"";
    assert_eq!(
        error.db_error_kind(),
        Some(DbErrorKind::ForeignKeyViolation)
    );
    assert_eq!(error.to_json(), query_error(message, 409));
}

#[test]
fn a_not_null_violation_is_a_400() {
    let (_temp, db) = database();
    db.execute(
        "ALTER TABLE special_items ALTER COLUMN name SET NOT NULL",
        &[],
    )
    .unwrap();
    let error = models::SpecialItem::create(&db, special_item(None)).unwrap_err();
    let message =
        "null value in column \"name\" of relation \"special_items\" violates not-null constraint";
    assert_eq!(error.db_error_kind(), Some(DbErrorKind::NotNullViolation));
    assert_eq!(error.to_json(), query_error(message, 400));
}

#[test]
fn a_check_violation_is_a_400() {
    let (_temp, db) = database();
    db.execute(
        "ALTER TABLE parents ADD CONSTRAINT parents_age_check CHECK (age < 150)",
        &[],
    )
    .unwrap();
    let error = Parent::create(&db, parent("Methuselah", 969)).unwrap_err();
    let message =
        "new row for relation \"parents\" violates check constraint \"parents_age_check\"";
    assert_eq!(error.db_error_kind(), Some(DbErrorKind::CheckViolation));
    assert_eq!(error.to_json(), query_error(message, 400));
}

#[test]
fn lookups_that_find_nothing_are_404_not_found() {
    let (_temp, db) = database();

    let error = models::Parent::find(&db, 999).unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.status(), 404);
    assert_eq!(
        error.to_json(),
        json!({"message": "Could not find Parent with id \"999\".", "statusCode": 404, "notFound": true})
    );

    let error =
        models::Parent::find_by(&db, parents::name, Some("nobody".to_string())).unwrap_err();
    assert_eq!(
        error.to_json(),
        json!({"message": "Could not find Parent with name \"nobody\".", "statusCode": 404, "notFound": true})
    );

    let error = models::Parent::query()
        .filter(parents::age.gt(100))
        .first(&db)
        .unwrap_err();
    assert_eq!(
        error.to_json(),
        json!({"message": "No records for Parent found in your query", "statusCode": 404, "notFound": true})
    );

    // `update` and `destroy` look the row up first.
    let error = models::Parent::update(&db, 999, |parent| parent.age = Some(1)).unwrap_err();
    assert!(error.is_not_found());
    let error = models::Parent::destroy(&db, 999).unwrap_err();
    assert!(error.is_not_found());
}

#[test]
fn failed_validations_are_a_400_with_every_message_by_field() {
    let (_temp, db) = database();
    let error = Parent::create(&db, parent("a b", 20)).unwrap_err();
    assert!(matches!(error, Error::Validation(_)));
    assert_eq!(error.status(), 400);
    assert_eq!(
        error.to_json(),
        json!({
            "message": "Validation error",
            "statusCode": 400,
            "details": {
                "name": {
                    "message": "should be at least four characters long",
                    "invalid": true,
                    "additional": ["should not contain spaces"]
                }
            }
        })
    );
    assert_eq!(
        error.details().unwrap(),
        Record::new(parent("a b", 20)).errors()
    );
    assert_eq!(
        db.query("SELECT count(*) FROM parents", &[]).unwrap()[0].get::<_, i64>(0),
        0
    );
}

#[test]
fn a_failed_field_verification_is_a_400_under_its_field() {
    let (_temp, db) = database();
    Parent::create(&db, parent("Kate", 20)).unwrap();
    let error = Parent::create(&db, parent("Kate", 0)).unwrap_err();
    // The field-bound failure stops the model-wide check that would fail too.
    let mut expected = ValidationErrors::new();
    expected.add("name", "is already taken");
    assert_eq!(error.details(), Some(expected));
    assert_eq!(
        error.to_json(),
        json!({
            "message": "Validation error",
            "statusCode": 400,
            "details": {"name": {"message": "is already taken", "invalid": true}}
        })
    );
}

#[test]
fn a_failed_model_verification_is_a_400_without_details() {
    let (_temp, db) = database();
    let error = Parent::create(&db, parent("Kate", 0)).unwrap_err();
    assert!(
        matches!(&error, Error::Verification(message) if message == "age must be greater than 0")
    );
    assert_eq!(error.details(), None);
    assert_eq!(
        error.to_json(),
        json!({"message": "age must be greater than 0", "statusCode": 400})
    );
}

#[test]
fn a_write_on_a_readonly_database_is_a_409() {
    let (temp, _db) = database();
    let readonly = Db::builder()
        .url(temp.url())
        .readonly(true)
        .connect()
        .unwrap();
    let error = Parent::create(&readonly, parent("Kate", 20)).unwrap_err();
    assert!(matches!(error, Error::ReadOnly));
    assert_eq!(
        error.to_json(),
        json!({"message": "the readonly database refuses writes", "statusCode": 409})
    );
}

#[test]
fn bad_json_input_is_a_400() {
    let (_temp, db) = database();
    let error =
        models::Parent::create_from_json(&db, &json!({"name": "Kate", "age": "old"})).unwrap_err();
    assert_eq!(error.status(), 400);
    assert_eq!(error.to_json()["details"]["age"]["invalid"], true);
    let error = models::Parent::create_from_json(&db, &json!(["not", "an", "object"])).unwrap_err();
    assert_eq!(error.status(), 400);
}

#[test]
fn destroying_what_was_never_saved_is_a_400() {
    let (_temp, db) = database();
    let error = Record::new(parent("Kate", 20)).destroy(&db).unwrap_err();
    assert_eq!(
        error.to_json(),
        json!({"message": "Model has not been saved", "statusCode": 400})
    );

    let mut parents = instant_runtime::Records::from_models([parent("Kate", 20)]);
    parents.save_all(&db).unwrap();
    parents.push(Record::new(parent("Sawyer", 20)));
    let error = parents.destroy_all(&db).unwrap_err();
    assert_eq!(
        error.to_json(),
        json!({"message": "Not all models are in storage", "statusCode": 400})
    );
    assert!(parents[0].in_storage());
    assert_eq!(
        db.query("SELECT count(*) FROM parents", &[]).unwrap()[0].get::<_, i64>(0),
        1
    );
}
