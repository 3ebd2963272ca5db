//! `Model::insert_without_returning`: models written in bulk and counted, not read back.
//! Validations run before anything is written; ids come from the sequence and timestamps are
//! set as on a save. From 1 000 rows on they go in one binary COPY, which writes every type as
//! the INSERTs do; a table with a column written through a text cast takes multi-row INSERTs,
//! and past one statement's 60 000 values those share a transaction, so a failure in the last
//! undoes the first. A readonly database refuses it.

use instant_runtime::chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use instant_runtime::query::ColumnExt;
use instant_runtime::rust_decimal::Decimal;
use instant_runtime::serde_json::{Value, json};
use instant_runtime::testing::TempDb;
use instant_runtime::uuid::Uuid;
use instant_runtime::{Db, Error, Model};
use instant_tests::models::{self, special_items};
use instant_tests::setup::{count, fixture_dir, migrated};
use instant_tests::types::samples;

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

/// From 1 000 rows on, one COPY: no INSERT statement is kept, and a duplicate in the last
/// row writes none of them.
#[test]
fn a_thousand_rows_go_in_one_copy() {
    let (_temp, db) = migrated("models");
    let mut connection = db.connection().unwrap();
    let mut items: Vec<Item> = (0..60_001).map(|i| item(&format!("item {i}"))).collect();
    assert_eq!(
        Item::insert_without_returning(&mut *connection, &items).unwrap(),
        60_001
    );
    assert_eq!(connection.kept_shapes(), 0, "no INSERT was written");
    let names: Vec<(i64, String)> = db
        .query(
            "SELECT id, name FROM special_items ORDER BY id LIMIT 2",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        names,
        [(1, "item 0".to_string()), (2, "item 1".to_string())]
    );

    connection.execute("TRUNCATE special_items", &[]).unwrap();
    items[60_000] = item("item 0");
    let error =
        Item::insert_without_returning(&mut *connection, &items).expect_err("a duplicate name");
    assert!(
        error.to_string().contains("special_items"),
        "the error names the constraint's table: {error}"
    );
    assert_eq!(count(&db, "special_items"), 0);
    // Below 1 000 rows, a multi-row INSERT (kept for its row count).
    assert_eq!(
        Item::insert_without_returning(&mut *connection, &items[..999]).unwrap(),
        999
    );
    assert_eq!(connection.kept_shapes(), 1);
}

/// `samples` with a column of every built-in type (and none written through a text cast), as
/// the fixture's generated model has them.
#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = samples)]
struct Typed {
    id: i64,
    int_value: Option<i64>,
    float_value: Option<f64>,
    string_value: String,
    text_value: Option<String>,
    datetime_value: Option<NaiveDateTime>,
    boolean_value: bool,
    json_value: Option<Value>,
    bigint_value: Option<i64>,
    integer_value: Option<i32>,
    smallint_value: i32,
    real_value: Option<f32>,
    double_value: Option<f64>,
    numeric_value: Option<Decimal>,
    varchar_value: Option<String>,
    date_value: Option<NaiveDate>,
    timestamptz_value: Option<DateTime<Utc>>,
    uuid_value: Uuid,
    bytea_value: Option<Vec<u8>>,
    jsonb_value: Option<Value>,
    time_value: Option<NaiveTime>,
    int_array: Option<Vec<i64>>,
    float_array: Option<Vec<f64>>,
    string_array: Option<Vec<String>>,
    text_array: Vec<String>,
    uuid_array: Option<Vec<Uuid>>,
}

/// The `types` fixture (its `samples` table has a `vector` column: pgvector first).
fn types_fixture() -> (TempDb, Db) {
    let temp = TempDb::with_vector().unwrap();
    temp.migrate_fixture(fixture_dir("types")).unwrap();
    let db = temp.db().unwrap();
    (temp, db)
}

/// `value` when `some`, else NULL.
fn set<T>(some: bool, value: T) -> Option<T> {
    some.then_some(value)
}

/// The `i`-th sample: every value set when `i` is even, every optional one NULL when odd.
fn typed(i: u32) -> Typed {
    let at = NaiveDate::from_ymd_opt(2025, 1, 1 + i % 28)
        .and_then(|date| date.and_hms_micro_opt(i % 24, 30, 15, i * 7))
        .unwrap();
    let some = i.is_multiple_of(2);
    Typed {
        id: 0,
        int_value: set(some, i64::from(i) << 33),
        float_value: set(some, f64::from(i) / 8.0),
        string_value: format!("sample {i}"),
        text_value: set(some, format!("tab\t, quote \", newline \n {i}")),
        datetime_value: set(some, at),
        boolean_value: i.is_multiple_of(3),
        json_value: set(some, json!({"i": i, "nested": [1, "two", null]})),
        bigint_value: set(some, -i64::from(i)),
        integer_value: set(some, i as i32 - 500),
        smallint_value: i as i32,
        real_value: set(some, i as f32 * 0.5),
        double_value: set(some, f64::from(i) * 1e10),
        numeric_value: set(some, Decimal::new(i64::from(i) * 1001, 3)),
        varchar_value: set(some, format!("v{i}")),
        date_value: set(some, at.date()),
        timestamptz_value: set(some, at.and_utc()),
        uuid_value: Uuid::from_u128(u128::from(i)),
        bytea_value: set(some, vec![0, 255, i as u8]),
        jsonb_value: set(some, json!({"k": i})),
        time_value: set(some, at.time()),
        int_array: set(some, vec![i64::from(i), -1]),
        float_array: set(some, vec![0.25, f64::from(i)]),
        string_array: set(some, vec!["a".to_string(), format!("b{i}")]),
        text_array: vec![format!("t{i}")],
        uuid_array: set(some, vec![Uuid::from_u128(7)]),
    }
}

/// The same models written by COPY (1 000 rows) and by INSERT (999 rows) read back the same,
/// value for value.
#[test]
fn copy_writes_every_type_as_insert_does() {
    let (_temp, db) = types_fixture();
    let copied: Vec<Typed> = (0..1_000).map(typed).collect();
    assert_eq!(
        Typed::insert_without_returning(&db, &copied).unwrap(),
        1_000
    );
    let inserted: Vec<Typed> = (0..999)
        .map(|i| Typed {
            uuid_value: Uuid::from_u128(1_000_000 + u128::from(i)),
            ..typed(i)
        })
        .collect();
    assert_eq!(
        Typed::insert_without_returning(&db, &inserted).unwrap(),
        999
    );

    let rows = Typed::query()
        .order_by(samples::id.asc())
        .select(&db)
        .unwrap();
    assert_eq!(rows.len(), 1_999);
    let rows: Vec<Typed> = rows.into_models();
    for (index, (by_copy, by_insert)) in rows[..999].iter().zip(&rows[1_000..]).enumerate() {
        let expected = typed(index as u32);
        let unkeyed = |row: &Typed| Typed {
            id: 0,
            uuid_value: expected.uuid_value,
            ..row.clone()
        };
        assert_eq!(unkeyed(by_copy), expected, "row {index} by COPY");
        assert_eq!(unkeyed(by_insert), expected, "row {index} by INSERT");
    }
}

/// A column written through a text cast (`inet`) keeps a table on multi-row INSERTs: past
/// 60 000 values (five a row) they are several statements in one transaction, and a duplicate in the last
/// undoes the first.
#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = samples)]
struct Addressed {
    id: i64,
    string_value: String,
    smallint_value: i32,
    uuid_value: Uuid,
    text_array: Vec<String>,
    inet_value: Option<std::net::IpAddr>,
}

#[test]
fn several_inserts_are_all_or_nothing() {
    let (_temp, db) = types_fixture();
    let mut rows: Vec<Addressed> = (0..15_001)
        .map(|i| Addressed {
            id: 0,
            string_value: format!("sample {i}"),
            smallint_value: 0,
            uuid_value: Uuid::from_u128(i),
            text_array: Vec::new(),
            inet_value: Some(std::net::IpAddr::from([10, 0, (i / 256) as u8, i as u8])),
        })
        .collect();
    rows[15_000].uuid_value = Uuid::from_u128(0);
    let error = Addressed::insert_without_returning(&db, &rows).expect_err("a duplicate uuid");
    assert!(error.to_string().contains("samples"), "{error}");
    assert_eq!(count(&db, "samples"), 0);

    rows[15_000].uuid_value = Uuid::from_u128(15_000);
    assert_eq!(
        Addressed::insert_without_returning(&db, &rows).unwrap(),
        15_001
    );
    let last: String = db
        .query(
            "SELECT host(inet_value) FROM samples ORDER BY id DESC LIMIT 1",
            &[],
        )
        .unwrap()[0]
        .get(0);
    assert_eq!(last, "10.0.58.152");
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
