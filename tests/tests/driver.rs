//! instant-pg, the synchronous PostgreSQL driver, against a real server: what `prepare`,
//! `query`, `execute`, `batch_execute` and transactions do; that every type the ORM maps
//! round-trips in binary format (built in, from extensions, and the server's own enums,
//! domains and composites looked up in `pg_type`); that errors leave the connection usable
//! (or report it closed); and that large results and values survive the read buffer.
//!
//! Each test gets its own temporary database.

use std::error::Error as StdError;
use std::fmt::Debug;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use instant_runtime::pg::types::{FromSql, Kind, ToSql, Type};
use instant_runtime::pg::{Client, SqlState};
use pgvector::Vector;
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

#[path = "common/driver.rs"]
mod driver_support;
use driver_support::{TestResult, assert_in_step, fresh};

/// Binds `value` as `$1::sql_type`, reads it back as `T`, and returns the server's text form
/// of what it received (so a symmetric encoding bug cannot hide).
#[track_caller]
fn round_trip<T>(client: &mut Client, sql_type: &str, value: T) -> Option<String>
where
    T: ToSql + Sync + for<'a> FromSql<'a> + PartialEq + Debug,
{
    let sql = format!("SELECT $1::{sql_type}, $1::{sql_type}::text");
    let row = client
        .query_one(sql.as_str(), &[&value])
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    let back: T = row
        .try_get(0)
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    assert_eq!(back, value, "{sql_type} round trip");
    row.get(1)
}

/// How many protocol-level statements the server holds for this connection.
fn prepared_on_server(client: &mut Client) -> i64 {
    client
        .query_one("SELECT count(*) FROM pg_prepared_statements", &[])
        .expect("pg_prepared_statements")
        .get(0)
}

// ---------------------------------------------------------------------------------------------
// prepare / query / execute
// ---------------------------------------------------------------------------------------------

/// `execute` returns the count in the command tag: rows inserted, updated, deleted; 0 for DDL.
#[test]
fn execute_returns_the_rows_changed() -> TestResult {
    let (_temp, mut client) = fresh()?;
    assert_eq!(
        client.execute("CREATE TABLE items (id int8 PRIMARY KEY, name text)", &[])?,
        0
    );
    assert_eq!(
        client.execute("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')", &[])?,
        3
    );
    let insert = client.prepare("INSERT INTO items VALUES ($1, $2)")?;
    for id in 4..=6_i64 {
        assert_eq!(client.execute(&insert, &[&id, &format!("n{id}")])?, 1);
    }
    assert_eq!(
        client.execute("UPDATE items SET name = 'z' WHERE id <= $1", &[&2_i64])?,
        2
    );
    assert_eq!(
        client.execute("UPDATE items SET name = 'z' WHERE id > 100", &[])?,
        0
    );
    assert_eq!(
        client.execute("DELETE FROM items WHERE id = $1", &[&6_i64])?,
        1
    );
    assert_eq!(client.execute("DELETE FROM items", &[])?, 5);
    Ok(())
}

/// `query` on SQL text and on a prepared statement gives the same rows; a prepared statement
/// runs again and again with new values.
#[test]
fn query_runs_sql_text_and_prepared_statements() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute(
        "CREATE TABLE items (id int8 PRIMARY KEY, name text);
         INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g;",
    )?;
    let sql = "SELECT id, name FROM items WHERE id > $1 ORDER BY id";
    let from_text: Vec<(i64, String)> = client
        .query(sql, &[&7_i64])?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        from_text,
        vec![
            (8, "item 8".to_owned()),
            (9, "item 9".to_owned()),
            (10, "item 10".to_owned()),
        ]
    );
    let statement = client.prepare(sql)?;
    let from_statement: Vec<(i64, String)> = client
        .query(&statement, &[&7_i64])?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(from_statement, from_text);
    assert_eq!(client.query(&statement, &[&9_i64])?.len(), 1);
    assert!(client.query(&statement, &[&10_i64])?.is_empty());
    let owned_sql = String::from("SELECT count(*) FROM items");
    assert_eq!(client.query_one(&owned_sql, &[])?.get::<_, i64>(0), 10);
    // A statement without a result has no rows, not an error.
    assert!(
        client
            .query("UPDATE items SET name = name", &[])?
            .is_empty()
    );
    // An empty query is answered, with no rows.
    assert!(client.query("", &[])?.is_empty());
    Ok(())
}

/// `query_one` wants exactly one row and `query_opt` at most one: other counts are client
/// errors (not the server's), and the connection goes on.
#[test]
fn query_one_and_query_opt_check_the_row_count() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let none = "SELECT 1 WHERE false";
    let two = "SELECT * FROM generate_series(1, 2)";

    let error = client.query_one(none, &[]).expect_err("no row");
    assert!(
        error.server_error().is_none() && !error.is_closed(),
        "{error:?}"
    );
    assert!(client.query_opt(none, &[])?.is_none());

    let error = client.query_one(two, &[]).expect_err("two rows");
    assert!(
        error.server_error().is_none() && !error.is_closed(),
        "{error:?}"
    );
    let error = client.query_opt(two, &[]).expect_err("two rows");
    assert!(
        error.server_error().is_none() && !error.is_closed(),
        "{error:?}"
    );

    assert_eq!(client.query_one("SELECT 7", &[])?.get::<_, i32>(0), 7);
    let row = client.query_opt("SELECT 8", &[])?.expect("one row");
    assert_eq!(row.get::<_, i32>(0), 8);
    assert_in_step(&mut client);
    Ok(())
}

/// A prepared statement knows its parameter types (`$1` first) and its result columns: names,
/// types, and for a table's column the table and column number.
#[test]
fn statements_describe_their_parameters_and_columns() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE users (id int8 PRIMARY KEY, email text, age int4)")?;
    let statement = client.prepare(
        "SELECT id, email AS address, count(*) OVER () FROM users WHERE id = $1 AND age > $2",
    )?;
    assert_eq!(statement.params(), &[Type::INT8, Type::INT4]);
    let columns = statement.columns();
    let names: Vec<&str> = columns.iter().map(|column| column.name()).collect();
    assert_eq!(names, ["id", "address", "count"]);
    let types: Vec<&Type> = columns.iter().map(|column| column.type_()).collect();
    assert_eq!(types, [&Type::INT8, &Type::TEXT, &Type::INT8]);

    let users: u32 = client
        .query_one("SELECT 'users'::regclass::oid", &[])?
        .get(0);
    assert_eq!(columns[0].table_oid(), Some(users));
    assert_eq!(columns[0].column_id(), Some(1));
    assert_eq!(columns[1].table_oid(), Some(users));
    assert_eq!(columns[1].column_id(), Some(2));
    assert_eq!(
        columns[2].table_oid(),
        None,
        "a computed column has no table"
    );
    assert_eq!(columns[2].column_id(), None);

    let insert = client.prepare("INSERT INTO users (id, email) VALUES ($1, $2)")?;
    assert_eq!(insert.params(), &[Type::INT8, Type::TEXT]);
    assert!(insert.columns().is_empty(), "an INSERT returns no columns");

    // The rows of a query carry the same columns.
    client.execute(&insert, &[&1_i64, &"a@example.com"])?;
    client.execute("UPDATE users SET age = 30", &[])?;
    let rows = client.query(&statement, &[&1_i64, &18_i32])?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].columns(), columns);
    assert_eq!(rows[0].len(), 3);
    assert!(!rows[0].is_empty());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// Integers, floats, booleans and text round-trip at their limits, and the server reads what
/// was meant (its text form).
#[test]
fn scalars_round_trip() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let c = &mut client;
    assert_eq!(round_trip(c, "int2", i16::MIN).as_deref(), Some("-32768"));
    assert_eq!(round_trip(c, "int2", i16::MAX).as_deref(), Some("32767"));
    assert_eq!(
        round_trip(c, "int4", i32::MIN).as_deref(),
        Some("-2147483648")
    );
    assert_eq!(
        round_trip(c, "int4", 123_456_i32).as_deref(),
        Some("123456")
    );
    assert_eq!(
        round_trip(c, "int8", i64::MAX).as_deref(),
        Some("9223372036854775807")
    );
    assert_eq!(round_trip(c, "int8", -1_i64).as_deref(), Some("-1"));
    assert_eq!(round_trip(c, "float4", 1.5_f32).as_deref(), Some("1.5"));
    assert_eq!(round_trip(c, "float4", -0.25_f32).as_deref(), Some("-0.25"));
    assert_eq!(
        round_trip(c, "float8", 1e300_f64).as_deref(),
        Some("1e+300")
    );
    assert_eq!(round_trip(c, "float8", 0.1_f64).as_deref(), Some("0.1"));
    assert_eq!(round_trip(c, "bool", true).as_deref(), Some("true"));
    assert_eq!(round_trip(c, "bool", false).as_deref(), Some("false"));
    assert_eq!(
        round_trip(c, "text", "héllo, wörld ✓ 🦀".to_owned()).as_deref(),
        Some("héllo, wörld ✓ 🦀")
    );
    assert_eq!(round_trip(c, "text", String::new()).as_deref(), Some(""));
    assert_eq!(
        round_trip(c, "varchar", "short".to_owned()).as_deref(),
        Some("short")
    );
    // &str binds, and borrows from the row on the way back.
    let row = c.query_one("SELECT $1::text", &[&"borrowed"])?;
    let borrowed: &str = row.get(0);
    assert_eq!(borrowed, "borrowed");
    assert_eq!(
        round_trip(c, "bytea", vec![0_u8, 1, 2, 255, 0]).as_deref(),
        Some("\\x000102ff00")
    );
    let row = c.query_one("SELECT $1::bytea", &[&&b"\x00raw"[..]])?;
    assert_eq!(row.get::<_, &[u8]>(0), b"\x00raw");
    Ok(())
}

/// NULL is `Option::None` both ways, for every kind of type; `Some` reads back as `Some`, and
/// reading NULL as a non-`Option` is an error, not a panic or a default.
#[test]
fn null_is_none() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let c = &mut client;
    assert_eq!(round_trip(c, "int2", None::<i16>), None);
    assert_eq!(round_trip(c, "int4", None::<i32>), None);
    assert_eq!(round_trip(c, "int8", None::<i64>), None);
    assert_eq!(round_trip(c, "float8", None::<f64>), None);
    assert_eq!(round_trip(c, "bool", None::<bool>), None);
    assert_eq!(round_trip(c, "text", None::<String>), None);
    assert_eq!(round_trip(c, "bytea", None::<Vec<u8>>), None);
    assert_eq!(round_trip(c, "timestamptz", None::<DateTime<Utc>>), None);
    assert_eq!(round_trip(c, "uuid", None::<Uuid>), None);
    assert_eq!(round_trip(c, "jsonb", None::<serde_json::Value>), None);
    assert_eq!(round_trip(c, "numeric", None::<Decimal>), None);
    assert_eq!(round_trip(c, "int8[]", None::<Vec<i64>>), None);
    assert_eq!(round_trip(c, "int4", Some(5_i32)).as_deref(), Some("5"));

    let row = c.query_one("SELECT NULL::int4", &[])?;
    assert_eq!(row.raw(0), None);
    let error = row.try_get::<_, i32>(0).expect_err("NULL is not an i32");
    assert!(error.server_error().is_none(), "{error:?}");
    // An empty value is not NULL.
    let row = c.query_one("SELECT ''::text", &[])?;
    assert_eq!(row.raw(0), Some(&b""[..]));
    Ok(())
}

/// Dates and times in binary: date, timestamp (no zone) and timestamptz, microseconds kept,
/// far past and future included.
#[test]
fn dates_and_times_round_trip() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("SET TimeZone = 'UTC'")?;
    let c = &mut client;
    let date = NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date");
    assert_eq!(round_trip(c, "date", date).as_deref(), Some("2024-02-29"));
    let old = NaiveDate::from_ymd_opt(1800, 1, 1).expect("a date");
    assert_eq!(round_trip(c, "date", old).as_deref(), Some("1800-01-01"));
    let at = NaiveDateTime::from_str("2024-02-29T13:45:30.123456")?;
    assert_eq!(
        round_trip(c, "timestamp", at).as_deref(),
        Some("2024-02-29 13:45:30.123456")
    );
    let before_2000 = NaiveDateTime::from_str("1970-01-01T00:00:00")?;
    assert_eq!(
        round_trip(c, "timestamp", before_2000).as_deref(),
        Some("1970-01-01 00:00:00")
    );
    let instant: DateTime<Utc> = DateTime::from_str("2031-12-31T23:59:59.000001Z")?;
    assert_eq!(
        round_trip(c, "timestamptz", instant).as_deref(),
        Some("2031-12-31 23:59:59.000001+00")
    );
    // The session's time zone does not change the instant read back (binary is UTC).
    c.batch_execute("SET TimeZone = 'Asia/Kolkata'")?;
    let row = c.query_one("SELECT '2031-12-31 23:59:59.000001+00'::timestamptz", &[])?;
    assert_eq!(row.get::<_, DateTime<Utc>>(0), instant);
    Ok(())
}

/// uuid, json and jsonb (as serde_json::Value), and numeric (as rust_decimal::Decimal, scale
/// kept).
#[test]
fn uuid_json_and_numeric_round_trip() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let c = &mut client;
    let id = Uuid::parse_str("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")?;
    assert_eq!(
        round_trip(c, "uuid", id).as_deref(),
        Some("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
    );
    let document = json!({"name": "Ada", "tags": ["a", "b"], "age": 36, "nested": {"x": null}});
    round_trip(c, "json", document.clone());
    round_trip(c, "jsonb", document.clone());
    round_trip(c, "jsonb", json!([1, "two", 3.5, true, null]));
    round_trip(c, "jsonb", json!("just a string"));
    let row = c.query_one("SELECT $1::jsonb -> 'tags' ->> 1", &[&document])?;
    assert_eq!(row.get::<_, String>(0), "b");

    for text in [
        "12345.6789",
        "-0.000001",
        "0",
        "99999999999999999999.99",
        "1.50",
    ] {
        let value = Decimal::from_str(text)?;
        assert_eq!(round_trip(c, "numeric", value).as_deref(), Some(text));
    }
    // Scale is kept on the way back.
    let row = c.query_one("SELECT 2.500::numeric", &[])?;
    assert_eq!(row.get::<_, Decimal>(0).to_string(), "2.500");
    Ok(())
}

/// Arrays: `Vec<i64>`, `Vec<String>`, `Vec<Option<i32>>` (NULL elements), empty ones, and an
/// array parameter in `= ANY($1)` as eager loading uses it.
#[test]
fn arrays_round_trip() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let c = &mut client;
    assert_eq!(
        round_trip(c, "int8[]", vec![1_i64, -2, i64::MAX]).as_deref(),
        Some("{1,-2,9223372036854775807}")
    );
    assert_eq!(
        round_trip(c, "int8[]", Vec::<i64>::new()).as_deref(),
        Some("{}")
    );
    assert_eq!(
        round_trip(
            c,
            "text[]",
            vec!["a".to_owned(), "b c".to_owned(), String::new()]
        )
        .as_deref(),
        Some(r#"{a,"b c",""}"#)
    );
    assert_eq!(
        round_trip(c, "int4[]", vec![Some(1_i32), None, Some(3)]).as_deref(),
        Some("{1,NULL,3}")
    );
    let rows = c.query(
        "SELECT g FROM generate_series(1, 10) g WHERE g = ANY($1) ORDER BY g",
        &[&vec![2_i32, 5, 11]],
    )?;
    let found: Vec<i32> = rows.iter().map(|row| row.get(0)).collect();
    assert_eq!(found, [2, 5]);
    Ok(())
}

/// pgvector's `vector`, a type from an extension: its OID is looked up in `pg_type`, after
/// which it binds and reads like a built-in type, in a table too.
#[test]
fn vectors_round_trip() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute(
        "CREATE EXTENSION vector;
         CREATE TABLE documents (id int8 PRIMARY KEY, embedding vector(3));",
    )?;
    let embedding = Vector::from(vec![1.0, 2.5, -3.0]);
    assert_eq!(
        round_trip(&mut client, "vector", embedding.clone()).as_deref(),
        Some("[1,2.5,-3]")
    );
    let insert = client.prepare("INSERT INTO documents VALUES ($1, $2)")?;
    assert_eq!(insert.params()[1].name(), "vector");
    client.execute(&insert, &[&1_i64, &embedding])?;
    client.execute(&insert, &[&2_i64, &None::<Vector>])?;
    let rows = client.query(
        "SELECT id, embedding, embedding <-> $1 FROM documents ORDER BY id",
        &[&Vector::from(vec![1.0, 2.5, -3.0])],
    )?;
    assert_eq!(rows[0].get::<_, Vector>(1), embedding);
    assert_eq!(rows[0].get::<_, f64>(2), 0.0);
    assert_eq!(rows[1].get::<_, Option<Vector>>(1), None);
    assert_eq!(rows[0].columns()[1].type_().kind(), &Kind::Simple);
    Ok(())
}

/// Regression: a custom type in SQL text run directly (the unnamed statement). Looking the
/// type up runs queries of its own; they must not replace the unnamed statement the driver is
/// about to bind.
#[test]
fn a_custom_type_in_sql_text_keeps_its_statement() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE EXTENSION vector")?;
    let v = Vector::from(vec![0.5, 1.5]);
    let rows = client.query("SELECT $1::vector", &[&v])?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<_, Vector>(0), v);
    assert_eq!(rows[0].columns()[0].type_().name(), "vector");
    // The same through execute and query_one, and with the type only in the result.
    assert_eq!(client.execute("SELECT $1::vector, 1", &[&v])?, 1);
    let row = client.query_one("SELECT '[1,2,3]'::vector AS v, 7 AS n", &[])?;
    assert_eq!(row.get::<_, i32>("n"), 7);
    assert_eq!(row.get::<_, Vector>("v").to_vec(), [1.0, 2.0, 3.0]);
    // The look-up's own statements are closed, not left on the server.
    assert_eq!(prepared_on_server(&mut client), 0);
    Ok(())
}

/// An enum type: the column's type is `Kind::Enum` with the labels in order (from
/// `pg_enum`); its binary value is the label's text, but `String` does not accept an enum (as in
/// postgres-types), so it is read and written through a `::text` cast; binding a `String` to an
/// enum parameter is a client error that leaves the connection usable. Arrays of it are
/// `Kind::Array` of the enum.
#[test]
fn enums_are_described_and_cast_through_text() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute(
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
         CREATE TABLE people (name text PRIMARY KEY, current mood);",
    )?;
    client.execute(
        "INSERT INTO people VALUES ($1, $2::text::mood)",
        &[&"ada", &"happy"],
    )?;
    let row = client.query_one("SELECT current, current::text FROM people", &[])?;
    let type_ = row.columns()[0].type_();
    assert_eq!(type_.name(), "mood");
    assert_eq!(type_.schema(), "public");
    assert_eq!(
        type_.kind(),
        &Kind::Enum(vec!["sad".to_owned(), "ok".to_owned(), "happy".to_owned()])
    );
    assert_eq!(row.raw(0), Some(&b"happy"[..]));
    assert!(
        row.try_get::<_, String>(0).is_err(),
        "String does not accept an enum"
    );
    assert_eq!(row.get::<_, String>(1), "happy");

    let statement = client.prepare("SELECT name FROM people WHERE current = $1")?;
    assert_eq!(statement.params()[0].name(), "mood");
    let error = client
        .query(&statement, &[&"happy".to_owned()])
        .expect_err("a String is not a mood");
    assert!(
        error.server_error().is_none() && !error.is_closed(),
        "{error:?}"
    );
    assert_in_step(&mut client);

    let row = client.query_one("SELECT ARRAY['ok', 'sad']::mood[]", &[])?;
    match row.columns()[0].type_().kind() {
        Kind::Array(element) => assert_eq!(element.name(), "mood"),
        other => panic!("mood[] is {other:?}"),
    }
    Ok(())
}

/// A domain: the server describes a result column of it as its base type (so it reads as
/// the base type's Rust type), and a parameter of it as the domain, `Kind::Domain` of the base
/// type, looked up in `pg_type`; its check runs on the server. A composite type's column is
/// `Kind::Composite` with its fields' names and types, in order; a range type's is
/// `Kind::Range` of its subtype.
#[test]
fn domains_and_composites_are_described() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute(
        "CREATE DOMAIN positive AS int4 CHECK (VALUE > 0);
         CREATE TYPE labelled AS (amount int4, label text, tags text[]);
         CREATE TYPE score_range AS RANGE (subtype = float8);
         CREATE TABLE counts (id int8 PRIMARY KEY, value positive);",
    )?;
    client.execute("INSERT INTO counts VALUES (1, $1::int4)", &[&5_i32])?;
    let row = client.query_one("SELECT value FROM counts", &[])?;
    assert_eq!(row.columns()[0].type_(), &Type::INT4);
    assert_eq!(row.get::<_, i32>(0), 5);

    let insert = client.prepare("INSERT INTO counts VALUES ($1, $2)")?;
    let type_ = &insert.params()[1];
    assert_eq!(type_.name(), "positive");
    assert_eq!(type_.kind(), &Kind::Domain(Type::INT4));
    let error = client
        .execute("INSERT INTO counts VALUES (2, $1::int4)", &[&-1_i32])
        .expect_err("the domain's check");
    assert_eq!(error.code(), Some(&SqlState::CHECK_VIOLATION));
    assert_in_step(&mut client);

    let row = client.query_one("SELECT ROW(3, 'three', ARRAY['x'])::labelled", &[])?;
    let type_ = row.columns()[0].type_();
    assert_eq!(type_.name(), "labelled");
    let Kind::Composite(fields) = type_.kind() else {
        panic!("labelled is {:?}", type_.kind());
    };
    let fields: Vec<(&str, &Type)> = fields
        .iter()
        .map(|field| (field.name(), field.type_()))
        .collect();
    assert_eq!(
        fields,
        [
            ("amount", &Type::INT4),
            ("label", &Type::TEXT),
            ("tags", &Type::TEXT_ARRAY),
        ]
    );

    let row = client.query_one("SELECT '[1.5, 2)'::score_range", &[])?;
    let type_ = row.columns()[0].type_();
    assert_eq!(type_.name(), "score_range");
    assert_eq!(type_.kind(), &Kind::Range(Type::FLOAT8));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

/// Columns are found by name (exactly as the server reports it: no second pass ignoring
/// case, see `ColumnRef::position_in`) or position; a missing column (named with the row's
/// columns) or a Rust type the column's type does not accept is an error, and the connection
/// goes on.
#[test]
fn rows_are_read_by_name_and_checked() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let row = client.query_one("SELECT 1::int4 AS id, 'x'::text AS \"Name\"", &[])?;
    assert_eq!(row.get::<_, i32>("id"), 1);
    assert_eq!(row.get::<_, i32>(0), 1);
    assert_eq!(row.get::<_, &str>("Name"), "x");
    assert_eq!(row.get::<_, String>(&"Name".to_owned()), "x");
    let error = row
        .try_get::<_, &str>("name")
        .expect_err("the column is `Name`");
    assert_eq!(
        error.to_string(),
        "the row has no column `name` (its columns: 0 `id`, 1 `Name`)"
    );

    let error = row
        .try_get::<_, i32>("missing")
        .expect_err("no such column");
    assert_eq!(
        error.to_string(),
        "the row has no column `missing` (its columns: 0 `id`, 1 `Name`)"
    );
    let error = row.try_get::<_, i32>(2).expect_err("no column 2");
    assert_eq!(
        error.to_string(),
        "the row has no column 2 (its columns: 0 `id`, 1 `Name`)"
    );

    let error = row
        .try_get::<_, String>("id")
        .expect_err("int4 is not a String");
    assert!(
        error.server_error().is_none() && !error.is_closed(),
        "{error:?}"
    );
    assert!(row.try_get::<_, i64>("id").is_err(), "int4 is not an i64");
    assert!(row.try_get::<_, i16>(0).is_err(), "int4 is not an i16");
    assert_in_step(&mut client);
    Ok(())
}

/// `Row::get` panics (with the column named) where `try_get` would return an error.
#[test]
#[should_panic(expected = "column 0 (`id`) cannot be read: cannot convert between")]
fn get_panics_on_the_wrong_type() {
    let (_temp, mut client) = fresh().expect("a database");
    let row = client
        .query_one("SELECT 1::int4 AS id", &[])
        .expect("a row");
    let _: String = row.get("id");
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A unique violation carries its SQLSTATE and the server's fields (constraint, table,
/// schema, detail); a NOT NULL violation names its column; the connection goes on.
#[test]
fn server_errors_carry_their_fields() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE users (id int8 PRIMARY KEY, email text NOT NULL UNIQUE)")?;
    let insert = client.prepare("INSERT INTO users VALUES ($1, $2)")?;
    client.execute(&insert, &[&1_i64, &"a@example.com"])?;
    let error = client
        .execute(&insert, &[&2_i64, &"a@example.com"])
        .expect_err("a duplicate email");
    assert_eq!(error.code(), Some(&SqlState::UNIQUE_VIOLATION));
    assert!(!error.is_closed());
    let db = error.server_error().expect("the server's error");
    assert_eq!(db.severity(), "ERROR");
    assert_eq!(db.constraint(), Some("users_email_key"));
    assert_eq!(db.table(), Some("users"));
    assert_eq!(db.schema(), Some("public"));
    assert_eq!(
        db.detail(),
        Some("Key (email)=(a@example.com) already exists.")
    );
    assert!(db.message().contains("duplicate key"), "{}", db.message());
    assert!(error.to_string().contains("duplicate key"), "{error}");
    assert_in_step(&mut client);
    // The statement that failed still runs.
    assert_eq!(client.execute(&insert, &[&2_i64, &"b@example.com"])?, 1);

    let error = client
        .execute(&insert, &[&3_i64, &None::<String>])
        .expect_err("a NULL email");
    assert_eq!(error.code(), Some(&SqlState::NOT_NULL_VIOLATION));
    let db = error.server_error().expect("the server's error");
    assert_eq!(db.column(), Some("email"));
    assert_in_step(&mut client);
    Ok(())
}

/// A syntax error fails `prepare` with the server's code and position; the client goes on.
#[test]
fn a_syntax_error_fails_prepare() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let error = client.prepare("SELECT 1 FROM WHERE").expect_err("not SQL");
    assert_eq!(error.code(), Some(&SqlState::SYNTAX_ERROR));
    assert_eq!(error.server_error().and_then(|db| db.position()), Some(15));
    assert!(!error.is_closed());
    assert_in_step(&mut client);
    let error = client.query("SELEC 1", &[]).expect_err("not SQL");
    assert_eq!(error.code(), Some(&SqlState::SYNTAX_ERROR));
    assert_in_step(&mut client);
    Ok(())
}

/// An error after some rows were sent (division by zero on the fifth) fails the query as a
/// whole; the rows already received are dropped and the connection goes on.
#[test]
fn an_error_midway_through_the_rows_fails_the_query() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let error = client
        .query("SELECT 10 / (5 - g) FROM generate_series(1, 10) g", &[])
        .expect_err("division by zero");
    assert_eq!(error.code(), Some(&SqlState::DIVISION_BY_ZERO));
    assert_in_step(&mut client);
    Ok(())
}

/// In `batch_execute`, the statement after a failing one does not run, and (a script being one
/// implicit transaction without BEGIN) the ones before it are undone; the error is the
/// server's and the client goes on, outside any transaction.
#[test]
fn an_error_in_a_batch_stops_it() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE log (n int4)")?;
    let error = client
        .batch_execute(
            "INSERT INTO log VALUES (1);
             INSERT INTO log VALUES (1 / 0);
             INSERT INTO log VALUES (3);",
        )
        .expect_err("division by zero");
    assert_eq!(error.code(), Some(&SqlState::DIVISION_BY_ZERO));
    assert!(!client.in_transaction());
    let logged: Vec<i32> = client
        .query("SELECT n FROM log ORDER BY n", &[])?
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(logged, Vec::<i32>::new());
    assert_in_step(&mut client);

    // With explicit transaction control, what committed before the error stays.
    let error = client
        .batch_execute(
            "BEGIN; INSERT INTO log VALUES (1); COMMIT;
             INSERT INTO log VALUES (1 / 0);
             INSERT INTO log VALUES (3);",
        )
        .expect_err("division by zero");
    assert_eq!(error.code(), Some(&SqlState::DIVISION_BY_ZERO));
    let logged: Vec<i32> = client
        .query("SELECT n FROM log ORDER BY n", &[])?
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(logged, [1]);
    assert_in_step(&mut client);
    Ok(())
}

/// Too few or too many values for a statement's parameters is a client error: nothing is sent,
/// and the connection goes on.
#[test]
fn a_parameter_count_mismatch_is_refused() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let statement = client.prepare("SELECT $1::int4 + $2::int4")?;
    let none: &[&(dyn ToSql + Sync)] = &[];
    let one: &[&(dyn ToSql + Sync)] = &[&1_i32];
    let three: &[&(dyn ToSql + Sync)] = &[&1_i32, &2_i32, &3_i32];
    for params in [none, one, three] {
        let error = client
            .query(&statement, params)
            .expect_err("a wrong number of values");
        assert!(
            error.server_error().is_none() && !error.is_closed(),
            "{error:?}"
        );
        assert!(error.to_string().contains("2 parameters"), "{error}");
    }
    let error = client
        .execute("SELECT $1::int4", &[])
        .expect_err("a value missing");
    assert!(
        error.server_error().is_none() && !error.is_closed(),
        "{error:?}"
    );
    assert_in_step(&mut client);
    assert_eq!(
        client
            .query_one(&statement, &[&1_i32, &2_i32])?
            .get::<_, i32>(0),
        3
    );
    Ok(())
}

/// A value whose Rust type does not fit the parameter's type (text for int4, i64 for int4) is
/// a client error naming the parameter; nothing is sent and the connection goes on, also
/// inside a transaction (which is not failed by it).
#[test]
fn a_value_of_the_wrong_type_is_refused() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let error = client
        .query("SELECT $1::int4", &[&"text"])
        .expect_err("text is not int4");
    assert!(
        error.server_error().is_none() && !error.is_closed(),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "$1 cannot be sent as int4: cannot convert between the Rust type `&str` and the \
         Postgres type `int4`"
    );
    let error = client
        .query("SELECT $1::int4, $2::int4", &[&1_i32, &1_i64])
        .expect_err("i64 is not int4");
    assert_eq!(
        error.to_string(),
        "$2 cannot be sent as int4: cannot convert between the Rust type `i64` and the \
         Postgres type `int4`"
    );
    assert_in_step(&mut client);

    let mut transaction = client.transaction()?;
    assert!(transaction.execute("SELECT $1::int8", &[&1_i32]).is_err());
    assert_eq!(transaction.query_one("SELECT 1", &[])?.get::<_, i32>(0), 1);
    transaction.commit()?;
    assert_in_step(&mut client);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------------------------

fn count(client: &mut Client) -> i64 {
    client
        .query_one("SELECT count(*) FROM t", &[])
        .expect("count")
        .get(0)
}

/// Committed work stays; `in_transaction` is true inside, false after.
#[test]
fn a_committed_transaction_keeps_its_work() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE t (n int4)")?;
    assert!(!client.in_transaction());
    let mut transaction = client.transaction()?;
    assert!(transaction.in_transaction());
    transaction.execute("INSERT INTO t VALUES (1), (2)", &[])?;
    transaction.commit()?;
    assert!(!client.in_transaction());
    assert_eq!(count(&mut client), 2);
    Ok(())
}

/// Rolled back work is undone, and so is the work of a transaction dropped without commit.
#[test]
fn rollback_and_drop_undo_the_work() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE t (n int4)")?;
    let mut transaction = client.transaction()?;
    transaction.execute("INSERT INTO t VALUES (1)", &[])?;
    transaction.rollback()?;
    assert!(!client.in_transaction());
    assert_eq!(count(&mut client), 0);

    {
        let mut transaction = client.transaction()?;
        transaction.execute("INSERT INTO t VALUES (1)", &[])?;
        assert_eq!(count(&mut transaction), 1, "visible inside");
    }
    assert!(!client.in_transaction());
    assert_eq!(count(&mut client), 0);
    Ok(())
}

/// A nested transaction is a savepoint: rolling it back (or dropping it) undoes only its own
/// work, committing it keeps its work in the outer one, which decides in the end.
#[test]
fn savepoints_undo_only_their_part() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE t (n int4)")?;
    let mut outer = client.transaction()?;
    outer.execute("INSERT INTO t VALUES (1)", &[])?;
    {
        let mut savepoint = outer.transaction()?;
        savepoint.execute("INSERT INTO t VALUES (2)", &[])?;
        {
            let mut inner = savepoint.transaction()?;
            inner.execute("INSERT INTO t VALUES (3)", &[])?;
            inner.commit()?;
        }
        savepoint.rollback()?;
    }
    {
        let mut savepoint = outer.transaction()?;
        savepoint.execute("INSERT INTO t VALUES (4)", &[])?;
        // dropped: rolled back to the savepoint
    }
    {
        let mut savepoint = outer.transaction()?;
        savepoint.execute("INSERT INTO t VALUES (5)", &[])?;
        savepoint.commit()?;
    }
    assert!(outer.in_transaction());
    outer.commit()?;
    let kept: Vec<i32> = client
        .query("SELECT n FROM t ORDER BY n", &[])?
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(kept, [1, 5]);
    Ok(())
}

/// After an error inside a transaction, the transaction is failed (still in it, further
/// statements refused with IN_FAILED_SQL_TRANSACTION) until rolled back; a savepoint around
/// the failing statement recovers it; dropping the failed transaction leaves the client idle.
#[test]
fn an_error_fails_the_transaction_until_rollback() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE t (n int4 PRIMARY KEY)")?;
    {
        let mut transaction = client.transaction()?;
        transaction.execute("INSERT INTO t VALUES (1)", &[])?;
        {
            let mut savepoint = transaction.transaction()?;
            let error = savepoint
                .execute("INSERT INTO t VALUES (1)", &[])
                .expect_err("a duplicate");
            assert_eq!(error.code(), Some(&SqlState::UNIQUE_VIOLATION));
            savepoint.rollback()?;
        }
        transaction.execute("INSERT INTO t VALUES (2)", &[])?;
        let error = transaction
            .execute("INSERT INTO t VALUES (2)", &[])
            .expect_err("a duplicate");
        assert_eq!(error.code(), Some(&SqlState::UNIQUE_VIOLATION));
        assert!(
            transaction.in_transaction(),
            "a failed transaction is still open"
        );
        let error = transaction
            .query("SELECT 1", &[])
            .expect_err("the transaction is failed");
        assert_eq!(error.code(), Some(&SqlState::IN_FAILED_SQL_TRANSACTION));
        assert!(!transaction.is_closed());
    }
    assert!(!client.in_transaction());
    assert_eq!(count(&mut client), 0);
    assert_in_step(&mut client);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Statements on the server
// ---------------------------------------------------------------------------------------------

/// Dropped statements are closed on the server with the client's next request; a statement
/// still held stays prepared.
#[test]
fn dropped_statements_are_closed_on_the_server() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let kept = client.prepare("SELECT 0")?;
    let statements = (1..=5)
        .map(|n| client.prepare(&format!("SELECT {n}")))
        .collect::<Result<Vec<_>, _>>()?;
    assert_eq!(prepared_on_server(&mut client), 6);
    // Clones share one server statement.
    let clone = statements[0].clone();
    drop(statements);
    assert_eq!(prepared_on_server(&mut client), 2);
    drop(clone);
    client.query("SELECT 1", &[])?;
    assert_eq!(prepared_on_server(&mut client), 1);
    assert_eq!(client.query_one(&kept, &[])?.get::<_, i32>(0), 0);
    Ok(())
}

/// The statements dropped before a request that fails to parse are closed all the same (not
/// forgotten by the client while still prepared on the server).
#[test]
fn dropped_statements_are_closed_when_the_next_prepare_fails() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let statements = (1..=3)
        .map(|n| client.prepare(&format!("SELECT {n}")))
        .collect::<Result<Vec<_>, _>>()?;
    assert_eq!(prepared_on_server(&mut client), 3);
    drop(statements);
    assert!(client.prepare("SELECT FROM WHERE").is_err());
    assert_eq!(prepared_on_server(&mut client), 0);
    Ok(())
}

/// The statements dropped before a run that fails on the server (a unique violation) are
/// closed all the same.
#[test]
fn dropped_statements_are_closed_when_the_next_run_fails() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE t (n int4 PRIMARY KEY); INSERT INTO t VALUES (1);")?;
    let insert = client.prepare("INSERT INTO t VALUES ($1)")?;
    let statements = (1..=3)
        .map(|n| client.prepare(&format!("SELECT {n}")))
        .collect::<Result<Vec<_>, _>>()?;
    assert_eq!(prepared_on_server(&mut client), 4);
    drop(statements);
    assert!(client.execute(&insert, &[&1_i32]).is_err());
    assert_eq!(prepared_on_server(&mut client), 1);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Large results and values
// ---------------------------------------------------------------------------------------------

/// 100 000 rows arrive complete and in order (each id once, their sum exact), with a text
/// column, across many reads of the socket.
#[test]
fn a_large_result_is_read_whole() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let rows = client.query(
        "SELECT g::int8 AS id, md5(g::text) AS hash FROM generate_series(1, 100000) g ORDER BY g",
        &[],
    )?;
    assert_eq!(rows.len(), 100_000);
    let sum: i64 = rows.iter().map(|row| row.get::<_, i64>("id")).sum();
    assert_eq!(sum, 5_000_050_000);
    for (index, row) in rows.iter().enumerate() {
        assert_eq!(row.get::<_, i64>(0), index as i64 + 1);
    }
    let last = client.query_one("SELECT md5('100000')", &[])?;
    assert_eq!(rows[99_999].get::<_, &str>("hash"), last.get::<_, &str>(0));
    assert_eq!(rows[0].get::<_, &str>(1).len(), 32);
    Ok(())
}

/// Rows `g` = 1 ..= `$1`, in order, each with `g % 7` times `x`: rows of several lengths.
const NUMBERS: &str =
    "SELECT g::int8, repeat('x', (g % 7)::int) FROM generate_series(1, $1::int8) g ORDER BY g";

/// Checks that `row` is row `g` of [`NUMBERS`].
fn assert_number(row: &instant_runtime::pg::Row, g: i64) {
    assert_eq!(row.get::<_, i64>(0), g);
    assert_eq!(row.get::<_, &str>(1), "x".repeat((g % 7) as usize));
}

/// A client reuses the buffers of a dropped result for its next query: results kept alive
/// keep their own values while later queries run, reuse the buffers and drop them again, on
/// this thread or another.
#[test]
fn results_keep_their_values_while_buffers_are_reused() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let check = |rows: &[instant_runtime::pg::Row], count: i64| {
        assert_eq!(rows.len() as i64, count);
        for (index, row) in rows.iter().enumerate() {
            assert_number(row, index as i64 + 1);
        }
    };
    let kept = client.query(NUMBERS, &[&5_000_i64])?;
    for count in [3_000_i64, 10, 8_000, 0, 1] {
        let rows = client.query(NUMBERS, &[&count])?;
        check(&rows, count);
        check(&kept, 5_000);
    }
    // Dropped on another thread, the buffers still go back to the client.
    let moved = client.query(NUMBERS, &[&2_000_i64])?;
    std::thread::spawn(move || check(&moved, 2_000))
        .join()
        .expect("the other thread read the rows");
    check(&client.query(NUMBERS, &[&4_000_i64])?, 4_000);
    check(&kept, 5_000);
    Ok(())
}

/// `query_each` hands every row over in order, a batch at a time as the rows arrive, and
/// returns the row count; rows its function keeps stay intact while later batches are read
/// (their buffers are not reused), and rows it does not keep are not held.
#[test]
fn query_each_hands_over_every_row_in_order() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let mut seen = 0_i64;
    let mut kept = Vec::new();
    let count = client.query_each(NUMBERS, &[&100_000_i64], |row| {
        seen += 1;
        assert_number(row, seen);
        if seen % 997 == 0 {
            kept.push(row.clone());
        }
        Ok::<_, instant_runtime::pg::Error>(())
    })?;
    assert_eq!((count, seen), (100_000, 100_000));
    assert_eq!(kept.len(), 100);
    for (index, row) in kept.iter().enumerate() {
        assert_number(row, (index as i64 + 1) * 997);
    }
    let none = client.query_each(NUMBERS, &[&0_i64], |_| -> Result<(), Box<dyn StdError>> {
        panic!("no row to hand over")
    })?;
    assert_eq!(none, 0);
    assert_in_step(&mut client);
    Ok(())
}

/// When `query_each`'s function fails, it is not called again, its error is returned, and the
/// rest of the result is read and dropped: the connection goes on.
#[test]
fn query_each_stops_at_its_functions_first_error() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let mut calls = 0;
    let error = client
        .query_each(
            "SELECT g FROM generate_series(1, 50000) g",
            &[],
            |row| -> Result<(), Box<dyn StdError>> {
                calls += 1;
                match row.get::<_, i32>(0) {
                    5 => Err("the fifth row".into()),
                    _ => Ok(()),
                }
            },
        )
        .expect_err("the function fails");
    assert_eq!((error.to_string().as_str(), calls), ("the fifth row", 5));
    assert_in_step(&mut client);
    Ok(())
}

/// A server error part way through a result: `query_each` has handed over the rows before
/// it, and returns the server's error; the connection goes on.
#[test]
fn query_each_reports_a_server_error_after_the_rows_before_it() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let mut seen = Vec::new();
    let error = client
        .query_each(
            "SELECT 10 / (5 - g) FROM generate_series(1, 10) g",
            &[],
            |row| {
                seen.push(row.get::<_, i32>(0));
                Ok::<_, instant_runtime::pg::Error>(())
            },
        )
        .expect_err("division by zero");
    assert_eq!(error.code(), Some(&SqlState::DIVISION_BY_ZERO));
    assert_eq!(seen, [2, 3, 5, 10]);
    assert_in_step(&mut client);
    Ok(())
}

/// `copy_in` sends rows in binary COPY format: every type the ORM maps arrives as sent,
/// NULLs included, and the row count comes back.
#[test]
fn copy_in_writes_every_type() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute(
        "CREATE TABLE copied (a int2, b int4, c int8, d float4, e float8, f text, g varchar(9), \
         h bool, i timestamp, j timestamptz, k date, l time, m numeric, n uuid, o bytea, \
         p json, q jsonb, r int8[], s text[])",
    )?;
    let statement = client.prepare("SELECT * FROM copied")?;
    let types: Vec<Type> = statement
        .columns()
        .iter()
        .map(|column| column.type_().clone())
        .collect();
    let at = NaiveDate::from_ymd_opt(2025, 3, 1)
        .and_then(|date| date.and_hms_micro_opt(12, 30, 45, 123_456))
        .ok_or("a date")?;
    let (a, b, c, d, e) = (7_i16, -70_000_i32, 1_i64 << 40, 1.5_f32, -2.25_f64);
    let (f, g, h) = ("tab\there, \"quoted\"", "varchar", true);
    let (i, j) = (at, DateTime::<Utc>::from_naive_utc_and_offset(at, Utc));
    let (k, l) = (at.date(), at.time());
    let m = Decimal::from_str("12345.6789")?;
    let n = Uuid::from_u128(42);
    let o = vec![0_u8, 1, 255];
    let (p, q) = (json!({"b": 1, "a": [true]}), json!({"k": null}));
    let (r, s_) = (vec![1_i64, -1], vec!["x".to_string(), "y z".to_string()]);
    let full: [&(dyn ToSql + Sync); 19] = [
        &a, &b, &c, &d, &e, &f, &g, &h, &i, &j, &k, &l, &m, &n, &o, &p, &q, &r, &s_,
    ];
    // sea-query's NULL goes into a column of any type (a NULL has no bytes to check).
    let none = sea_query_postgres::PostgresValue(sea_query::Value::BigInt(None));
    let mut values: Vec<&(dyn ToSql + Sync)> = full.to_vec();
    values.extend([&none as &(dyn ToSql + Sync); 19]);
    values.extend(full);
    assert_eq!(
        client.copy_in("COPY copied FROM STDIN (FORMAT binary)", &types, &values)?,
        3
    );

    let rows = client.query("SELECT * FROM copied", &[])?;
    assert_eq!(rows.len(), 3);
    for row in [&rows[0], &rows[2]] {
        assert_eq!(row.get::<_, i16>(0), a);
        assert_eq!(row.get::<_, i32>(1), b);
        assert_eq!(row.get::<_, i64>(2), c);
        assert_eq!(row.get::<_, f32>(3), d);
        assert_eq!(row.get::<_, f64>(4), e);
        assert_eq!(row.get::<_, &str>(5), f);
        assert_eq!(row.get::<_, &str>(6), g);
        assert_eq!(row.get::<_, bool>(7), h);
        assert_eq!(row.get::<_, NaiveDateTime>(8), i);
        assert_eq!(row.get::<_, DateTime<Utc>>(9), j);
        assert_eq!(row.get::<_, NaiveDate>(10), k);
        assert_eq!(row.get::<_, chrono::NaiveTime>(11), l);
        assert_eq!(row.get::<_, Decimal>(12), m);
        assert_eq!(row.get::<_, Uuid>(13), n);
        assert_eq!(row.get::<_, Vec<u8>>(14), o);
        assert_eq!(row.get::<_, serde_json::Value>(15), p);
        assert_eq!(row.get::<_, serde_json::Value>(16), q);
        assert_eq!(row.get::<_, Vec<i64>>(17), r);
        assert_eq!(row.get::<_, Vec<String>>(18), s_);
    }
    for column in 0..19 {
        assert!(rows[1].raw(column).is_none(), "column {column} is NULL");
    }
    Ok(())
}

/// A copy larger than one CopyData message (100 000 rows) arrives whole.
#[test]
fn copy_in_sends_large_copies_in_parts() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE numbers (n int8 NOT NULL, label text NOT NULL)")?;
    let rows: Vec<(i64, String)> = (1..=100_000).map(|n| (n, format!("number {n}"))).collect();
    let values: Vec<&(dyn ToSql + Sync)> = rows
        .iter()
        .flat_map(|(n, label)| [n as &(dyn ToSql + Sync), label])
        .collect();
    let copied = client.copy_in(
        "COPY numbers (n, label) FROM STDIN (FORMAT binary)",
        &[Type::INT8, Type::TEXT],
        &values,
    )?;
    assert_eq!(copied, 100_000);
    let row = client.query_one(
        "SELECT sum(n)::int8, count(DISTINCT label), max(label) FROM numbers",
        &[],
    )?;
    assert_eq!(row.get::<_, i64>(0), 5_000_050_000);
    assert_eq!(row.get::<_, i64>(1), 100_000);
    assert_eq!(row.get::<_, &str>(2), "number 99999");
    Ok(())
}

/// A failed copy writes nothing and leaves the connection usable: a value that cannot be
/// encoded as its column's type (cancelled by the client), a constraint the server checks, a
/// statement that is not a COPY, and values that are not whole rows.
#[test]
fn a_failed_copy_writes_nothing() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE uniques (n int4 PRIMARY KEY)")?;
    let copy = "COPY uniques FROM STDIN (FORMAT binary)";
    let (one, two, wide) = (1_i32, 2_i32, 3_i64);
    let error = client
        .copy_in(copy, &[Type::INT4], &[&one, &two, &wide])
        .expect_err("an int8 for an int4 column");
    assert_eq!(
        error.to_string(),
        "row 3, column 1 cannot be sent as int4: cannot convert between the Rust type `i64` \
         and the Postgres type `int4`"
    );
    let copied = |client: &mut Client| -> i64 {
        client
            .query_one("SELECT count(*) FROM uniques", &[])
            .expect("count")
            .get(0)
    };
    assert_in_step(&mut client);
    assert_eq!(copied(&mut client), 0);

    let error = client
        .copy_in(copy, &[Type::INT4], &[&one, &two, &one])
        .expect_err("a duplicate key");
    assert_eq!(error.code(), Some(&SqlState::UNIQUE_VIOLATION));
    assert_in_step(&mut client);
    assert_eq!(copied(&mut client), 0);

    let error = client
        .copy_in("SELECT 1", &[Type::INT4], &[&one])
        .expect_err("not a COPY");
    assert!(error.to_string().contains("COPY"), "{error}");
    let error = client
        .copy_in(
            "COPY nowhere FROM STDIN (FORMAT binary)",
            &[Type::INT4],
            &[&one],
        )
        .expect_err("no such table");
    assert_eq!(error.code(), Some(&SqlState::UNDEFINED_TABLE));
    let error = client
        .copy_in(copy, &[Type::INT4, Type::INT4], &[&one])
        .expect_err("half a row");
    assert!(error.to_string().contains("whole rows"), "{error}");
    assert_in_step(&mut client);
    assert_eq!(client.copy_in(copy, &[Type::INT4], &[&one, &two])?, 2);
    assert_eq!(copied(&mut client), 2);
    Ok(())
}

/// A single 5 MB bytea and a 5 MB text value go to the server and come back intact (larger
/// than the read buffer, which grows for them), and the next small query is unaffected.
#[test]
fn large_values_round_trip() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let size = 5 * 1024 * 1024;
    let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    let row = client.query_one("SELECT $1::bytea, octet_length($1::bytea)", &[&bytes])?;
    assert_eq!(row.get::<_, i32>(1) as usize, size);
    assert!(
        row.get::<_, &[u8]>(0) == bytes.as_slice(),
        "the bytea comes back intact"
    );

    let text: String = (0..size)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let row = client.query_one("SELECT $1::text, length($1::text)", &[&text])?;
    assert_eq!(row.get::<_, i32>(1) as usize, size);
    assert!(row.get::<_, &str>(0) == text, "the text comes back intact");

    let row = client.query_one("SELECT repeat('xy', 3000000)", &[])?;
    assert_eq!(row.get::<_, &str>(0).len(), 6_000_000);
    assert_in_step(&mut client);
    Ok(())
}

/// A value that makes its Bind message larger than PostgreSQL reads (1 GiB; the server would
/// end the session) is refused before anything is sent, naming the limit; the connection goes
/// on, and the memory the request took is given back.
#[test]
fn a_request_over_1_gib_is_refused_before_sending() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let value = vec![7_u8; 1 << 30];
    let error = client
        .query("SELECT length($1::bytea)", &[&value])
        .expect_err("over 1 GiB");
    assert!(!error.is_closed(), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("the request is 1 073 741 8")
            && message.ends_with(
                "bytes: PostgreSQL's limit for one message is 1 073 741 822 bytes (1 GiB)"
            ),
        "{message}"
    );
    drop(value);
    assert_in_step(&mut client);
    let row = client.query_one("SELECT length($1::bytea)", &[&vec![7_u8; 1 << 20]])?;
    assert_eq!(row.get::<_, i32>(0), 1 << 20);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Notices and parameters
// ---------------------------------------------------------------------------------------------

/// Notices (from a DO block, from a function called row by row between data rows, in the
/// simple and the extended protocol) are passed over without disturbing the result.
#[test]
fn notices_do_not_disturb_results() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("DO $$ BEGIN RAISE NOTICE 'x'; END $$")?;
    assert_in_step(&mut client);
    client.execute(
        "DO $$ BEGIN RAISE NOTICE 'y'; RAISE WARNING 'z'; END $$",
        &[],
    )?;
    assert_in_step(&mut client);
    client.batch_execute(
        "CREATE FUNCTION noisy(i int4) RETURNS int4 LANGUAGE plpgsql AS $$
         BEGIN RAISE NOTICE 'row %', i; RETURN i * 10; END $$",
    )?;
    let rows = client.query("SELECT noisy(g) FROM generate_series(1, 5) g", &[])?;
    let values: Vec<i32> = rows.iter().map(|row| row.get(0)).collect();
    assert_eq!(values, [10, 20, 30, 40, 50]);
    let sum: i64 = client
        .query_one(
            "SELECT sum(noisy(g))::int8 FROM generate_series(1, 1000) g",
            &[],
        )?
        .get(0);
    assert_eq!(sum, 5_005_000);
    assert_in_step(&mut client);
    Ok(())
}

/// The server's run-time parameters are reported at start (`server_version`,
/// `integer_datetimes`) and kept up to date when a `SET` changes one (`TimeZone`).
#[test]
fn server_parameters_are_tracked() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let version = client.parameter("server_version").expect("server_version");
    assert!(
        version.starts_with(|c: char| c.is_ascii_digit()),
        "{version}"
    );
    assert_eq!(client.parameter("integer_datetimes"), Some("on"));
    assert_eq!(client.parameter("client_encoding"), Some("UTF8"));
    assert_eq!(client.parameter("no_such_parameter"), None);
    client.batch_execute("SET TimeZone = 'Europe/Paris'")?;
    assert_eq!(client.parameter("TimeZone"), Some("Europe/Paris"));
    client.batch_execute("SET TimeZone = 'UTC'")?;
    assert_eq!(client.parameter("TimeZone"), Some("UTC"));
    // Through the extended protocol too.
    client.execute("SET application_name = 'driver tests'", &[])?;
    assert_eq!(client.parameter("application_name"), Some("driver tests"));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Connection state
// ---------------------------------------------------------------------------------------------

/// `is_valid` answers for a live connection, and leaves it usable (its read timeout lifted).
#[test]
fn a_live_connection_is_valid() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.is_valid(Duration::from_secs(5))?;
    assert!(!client.is_closed());
    // A query longer than the check's timeout is not cut short by it.
    client.query_one("SELECT pg_sleep(0.3)", &[])?;
    client.is_valid(Duration::from_millis(200))?;
    client.query_one("SELECT pg_sleep(0.3)", &[])?;
    assert_in_step(&mut client);
    Ok(())
}

/// A connection the server terminates: the next request fails (no panic, no hang), the error
/// and the client say closed, and later requests fail at once.
#[test]
fn a_terminated_connection_reports_closed() -> TestResult {
    let (temp, mut victim) = fresh()?;
    let pid: i32 = victim.query_one("SELECT pg_backend_pid()", &[])?.get(0);
    let mut killer = temp.connect()?;
    let terminated: bool = killer
        .query_one("SELECT pg_terminate_backend($1, 5000)", &[&pid])?
        .get(0);
    assert!(terminated);

    let error = victim
        .query("SELECT 1", &[])
        .expect_err("the server is gone");
    assert!(error.is_closed(), "{error:?}");
    assert!(victim.is_closed());
    let error = victim.query("SELECT 1", &[]).expect_err("still closed");
    assert!(error.is_closed(), "{error:?}");
    assert!(victim.batch_execute("SELECT 1").is_err());
    assert!(victim.is_valid(Duration::from_secs(1)).is_err());
    assert!(victim.prepare("SELECT 1").is_err());
    // A transaction cannot start, and dropping the client does not hang.
    assert!(victim.transaction().is_err());
    drop(victim);
    assert_in_step(&mut killer);
    Ok(())
}
