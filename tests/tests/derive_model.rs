//! What `#[derive(Model)]` gives a model at run time: validations in instant.dev's error map,
//! JSON without hidden fields and with calculated ones, change tracking, rows decoded and
//! values bound against a real database, verifications that query inside the transaction.

use instant_runtime::Transaction;
use instant_runtime::chrono::{NaiveDate, NaiveTime};
use instant_runtime::model::{SqlValue, Vectorized};
use instant_runtime::pgvector::Vector;
use instant_runtime::rust_decimal::Decimal;
use instant_runtime::testing::TempDb;
use instant_runtime::{Error, Model, Record, ValidationErrors};
use instant_tests::blog::{self, users};
use instant_tests::types::{self, samples};
use sea_query_postgres::{PostgresValue, PostgresValues};
use serde_json::json;

fn fixture(name: &str) -> String {
    format!("{}/../fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn email_is_free(
    account: &Account,
    transaction: &mut Transaction<'_>,
) -> instant_runtime::Result<bool> {
    let row = transaction.query_one(
        "SELECT count(*) FROM users WHERE email = $1 AND id <> $2",
        &[&account.email, &account.id],
    )?;
    Ok(row.get::<_, i64>(0) == 0)
}

fn not_reserved(account: &Account, _: &mut Transaction<'_>) -> instant_runtime::Result<bool> {
    Ok(account.username != "admin")
}

/// A hand-written model of part of `users`.
#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = users)]
#[verifies(email, "is already taken", email_is_free)]
#[verifies("this username is reserved", not_reserved)]
#[calculates(handle, |account: &Account| format!("@{}", account.username))]
#[calculates(email_length, |account: &Account| account.email.len())]
struct Account {
    id: i64,
    #[validates("must be an email address", |email| email.contains('@'))]
    #[validates("must be at least 6 characters", |email: &String| email.len() >= 6)]
    #[hides]
    email: String,
    #[validates("must not be empty", |name| !name.is_empty())]
    username: String,
    biography: Option<String>,
}

fn account(email: &str, username: &str) -> Account {
    Account {
        id: 0,
        email: email.to_string(),
        username: username.to_string(),
        biography: None,
    }
}

#[test]
fn declarations_are_constants() {
    let names: Vec<_> = Account::COLUMNS.iter().map(|column| column.name).collect();
    assert_eq!(names, ["id", "email", "username", "biography"]);
    assert_eq!(Account::PRIMARY_KEY, Some(0));
    assert_eq!(Account::HIDDEN, ["email"]);
    assert_eq!(Account::CALCULATED, ["handle", "email_length"]);
    assert_eq!(
        blog::User::COLUMNS,
        &users::INFO.columns.iter().collect::<Vec<_>>()[..]
    );
    assert!(blog::User::HIDDEN.is_empty());
}

#[test]
fn every_validation_runs_and_collects_in_instant_dev_shape() {
    let mut errors = ValidationErrors::new();
    account("x", "").validate(&mut errors);
    assert_eq!(
        errors.to_json(),
        json!({
            "email": {
                "message": "must be an email address",
                "invalid": true,
                "additional": ["must be at least 6 characters"]
            },
            "username": {"message": "must not be empty", "invalid": true}
        })
    );

    let mut errors = ValidationErrors::new();
    account("ada@example.com", "ada").validate(&mut errors);
    assert!(errors.is_empty());
}

#[test]
fn to_json_drops_hidden_fields_and_adds_calculated_ones() {
    let mut model = account("ada@example.com", "ada");
    model.id = 4;
    assert_eq!(
        model.to_json(),
        json!({"id": 4, "username": "ada", "biography": null, "handle": "@ada", "email_length": 15})
    );
    assert_eq!(model.calculate("handle"), Some(json!("@ada")));
    assert_eq!(model.calculate("email"), None);
    let keys: Vec<String> = model
        .to_json()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        ["id", "username", "biography", "handle", "email_length"]
    );
}

#[test]
fn has_changed_compares_with_what_was_loaded() {
    let user = blog::User {
        id: 1,
        email: "ada@example.com".to_string(),
        username: "ada".to_string(),
        biography: None,
        is_admin: Some(false),
        created_at: None,
        updated_at: None,
    };
    let fresh = Record::new(user.clone());
    assert!(fresh.has_changed(users::username));

    let mut record = Record::loaded(user);
    assert!(!record.is_changed());
    record.email = "lovelace@example.com".to_string();
    record.is_admin = Some(false);
    assert!(record.has_changed(users::email));
    assert!(!record.has_changed(users::username));
    assert!(!record.has_changed(users::is_admin));
    assert_eq!(record.changed_fields(), [1]);
    record.mark_stored();
    assert!(!record.has_changed(users::email));

    // A column the hand-written model has no field for never changes.
    let partial = Record::new(account("ada@example.com", "ada"));
    assert!(!partial.has_changed(users::is_admin));
}

fn sample() -> types::Sample {
    let date = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
    types::Sample {
        id: 0,
        int_value: Some(1 << 40),
        float_value: Some(2.5),
        string_value: "name".to_string(),
        text_value: Some("text".to_string()),
        datetime_value: Some(date.and_hms_opt(9, 26, 53).unwrap()),
        boolean_value: true,
        json_value: Some(json!({"a": [1, 2]})),
        bigint_value: Some(-7),
        integer_value: Some(42),
        smallint_value: 3,
        real_value: Some(1.5),
        double_value: None,
        numeric_value: Some(Decimal::new(31415, 4)),
        varchar_value: Some("varchar".to_string()),
        date_value: Some(date),
        timestamptz_value: Some(date.and_hms_opt(1, 2, 3).unwrap().and_utc()),
        uuid_value: instant_runtime::uuid::Uuid::from_u128(0x1234),
        bytea_value: Some(vec![0, 1, 255]),
        jsonb_value: Some(json!(["x"])),
        time_value: Some(NaiveTime::from_hms_opt(23, 59, 1).unwrap()),
        // `inet` is bound as text and needs the writer's cast (left to the save pipeline).
        inet_value: None,
        int_array: Some(vec![1, 2, 3]),
        float_array: Some(vec![]),
        string_array: None,
        text_array: vec!["a".to_string(), "b".to_string()],
        uuid_array: Some(vec![instant_runtime::uuid::Uuid::from_u128(7)]),
        embedding: Some(Vector::from(vec![1.0, 2.0, 3.0])),
        status: Some("draft".to_string()),
        created_at: None,
        updated_at: None,
        sku: None,
        tag_id: None,
    }
}

fn column_list<M: Model>(skip: usize) -> String {
    M::COLUMNS[skip..]
        .iter()
        .map(|column| format!("\"{}\"", column.name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn values_bind_and_rows_decode_for_every_column_type() {
    let db = TempDb::with_vector().unwrap();
    db.migrate_fixture(fixture("types")).unwrap();
    let mut client = db.connect().unwrap();
    let model = sample();

    // Every column but the serial primary key, bound from `value(i)`.
    let values: Vec<PostgresValue> = (1..types::Sample::COLUMNS.len())
        .map(|index| PostgresValue(model.value(index)))
        .collect();
    let placeholders: Vec<String> = (1..=values.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "INSERT INTO samples ({}) VALUES ({}) RETURNING {}",
        column_list::<types::Sample>(1),
        placeholders.join(", "),
        column_list::<types::Sample>(0),
    );
    let values = PostgresValues(values);
    let row = client.query_one(&sql, &values.as_params()).unwrap();
    let stored = types::Sample::from_row(&row).unwrap();
    assert!(stored.id > 0);
    assert_eq!(
        types::Sample {
            id: 0,
            ..stored.clone()
        },
        model
    );
    assert_eq!(stored.value(0), SqlValue::BigInt(Some(stored.id)));

    // A hand-written subset reads the same row by index.
    let sql = format!("SELECT {} FROM samples", column_list::<Short>(0));
    let row = client.query_one(&sql, &[]).unwrap();
    let short = Short::from_row(&row).unwrap();
    assert_eq!(short.name, "name");
    assert_eq!(short.embedding, model.embedding);
    assert_eq!(
        Short::VECTORIZED,
        [Vectorized {
            field: "embedding",
            sources: &["string_value"]
        }]
    );
    assert_eq!(
        short.vectorize_text("embedding").as_deref(),
        Some("embed name")
    );
    assert_eq!(short.vectorize_text("string_value"), None);
}

fn embedding_text(name: &String) -> String {
    format!("embed {name}")
}

#[derive(Debug, Clone, Model)]
#[instant(table = samples)]
struct Short {
    #[instant(column = string_value)]
    name: String,
    smallint_value: i32,
    text_array: Vec<String>,
    uuid_value: instant_runtime::uuid::Uuid,
    #[vectorizes(from = [name], with = embedding_text)]
    embedding: Option<Vector>,
}

#[test]
fn verifications_query_inside_the_transaction_in_declaration_order() {
    let db = TempDb::new().unwrap();
    db.migrate_fixture(fixture("blog")).unwrap();
    let mut connection = instant_runtime::Connection::new(db.connect().unwrap());
    let mut transaction = instant_runtime::Transaction::begin_on(&mut connection).unwrap();
    transaction
        .execute(
            "INSERT INTO users (email, username) VALUES ('ada@example.com', 'ada')",
            &[],
        )
        .unwrap();

    // Sees the row inserted earlier in the same transaction; the field-bound failure stops
    // the model-wide check that would also fail.
    let mut errors = ValidationErrors::new();
    let taken = account("ada@example.com", "admin");
    taken.verify(&mut transaction, &mut errors).unwrap();
    assert_eq!(
        errors.to_json(),
        json!({"email": {"message": "is already taken", "invalid": true}})
    );

    let mut errors = ValidationErrors::new();
    let reserved = account("grace@example.com", "admin");
    match reserved.verify(&mut transaction, &mut errors) {
        Err(Error::Verification(message)) => assert_eq!(message, "this username is reserved"),
        other => panic!("expected a verification error, got {other:?}"),
    }
    assert!(errors.is_empty());

    let mut errors = ValidationErrors::new();
    account("grace@example.com", "grace")
        .verify(&mut transaction, &mut errors)
        .unwrap();
    assert!(errors.is_empty());
}
