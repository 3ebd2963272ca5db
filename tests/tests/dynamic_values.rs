//! No silent changes to a query or a seed (issue 17): a value the column does not take
//! exactly, an order term that is not `column [ASC|DESC] [NULLS FIRST|LAST]`, a count or
//! offset out of range, and a seed value of the wrong shape are errors naming where, the
//! column and what it takes; `__count`, `__offset` and `__order` work in every where-object.

use instant_runtime::query::{explain_json_query, json_query};
use instant_runtime::seed::{self, Models};
use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Model};
use instant_schema::Project;
use instant_schema::seed::Seed;
use instant_tests::family::{self, Child, Parent};
use instant_tests::setup::{family, fixture_dir};
use instant_tests::types::{self, Sample};
use serde_json::{Value, json};

const I64_RANGE: &str = "from -9223372036854775808 to 9223372036854775807";

fn where_error(conditions: Value) -> String {
    Child::query()
        .where_json(&conditions)
        .unwrap_err()
        .to_string()
}

#[test]
fn a_number_an_integer_column_does_not_take_exactly_is_an_error() {
    // `1e-400` reads as 0.0: a float, refused like any number with a fraction or exponent.
    let tiny: Value = serde_json::from_str("1e-400").unwrap();
    let cases = [
        (json!({"id": 1.9}), "where.id", "id", "serial", "1.9"),
        (
            json!({"id__gte": 1e20}),
            "where.id__gte",
            "id",
            "serial",
            "1e+20",
        ),
        (json!({"age": tiny}), "where.age", "age", "int", "0.0"),
        (
            json!({"age__lt": 18446744073709551615_u64}),
            "where.age__lt",
            "age",
            "int",
            "18446744073709551615",
        ),
        (
            json!({"parent__id": 2.5}),
            "where.parent__id",
            "id",
            "serial",
            "2.5",
        ),
    ];
    for (conditions, at, column, sql_type, found) in cases {
        assert_eq!(
            where_error(conditions),
            format!(
                "{at}: must be an integer (i64) {I64_RANGE} for column `{column}` ({sql_type}), found {found}"
            )
        );
    }
    assert_eq!(
        where_error(json!({"id__in": [1, 2, 3.5]})),
        format!(
            "where.id__in: must be an array of values that are each an integer (i64) {I64_RANGE} \
             for column `id` (serial); [2] is 3.5"
        )
    );
    // An i32 column names its own range.
    let error = Sample::query()
        .where_json(&json!({"integer_value": 1e20}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "where.integer_value: must be an integer (i32) from -2147483648 to 2147483647 for column \
         `integer_value` (integer), found 1e+20"
    );
    let error = Sample::query()
        .where_json(&json!({"integer_value": 2147483648_i64}))
        .unwrap_err();
    assert!(error.to_string().ends_with("found 2147483648"), "{error}");
    // Whole numbers, and numeric strings, are taken as they are.
    let (_temp, db) = family();
    let found = Child::query()
        .where_json(&json!({"id__in": [1, "2"], "age__gte": "0"}))
        .unwrap()
        .select(&db)
        .unwrap();
    assert_eq!(found.len(), 2);
}

#[test]
fn an_order_is_exactly_column_direction_nulls_and_is_honoured_whole() {
    let (_temp, db) = family();
    db.execute("UPDATE parents SET shirt = NULL WHERE id IN (3, 7)", &[])
        .unwrap();
    let ids = |order: Value| -> Vec<i64> {
        Parent::query()
            .where_json(&json!({"__order": order}))
            .unwrap()
            .select(&db)
            .unwrap()
            .iter()
            .map(|parent| parent.id)
            .collect()
    };
    assert_eq!(
        ids(json!(["shirt desc nulls first", "id"])),
        [3, 7, 1, 4, 10, 2, 5, 8, 6, 9]
    );
    assert_eq!(
        ids(json!(["shirt DESC", "id ASC"])),
        [1, 4, 10, 2, 5, 8, 6, 9, 3, 7]
    );
    assert_eq!(
        ids(json!(["shirt NULLS FIRST", "id DESC NULLS LAST"])),
        [7, 3, 9, 6, 8, 5, 2, 10, 4, 1]
    );
    let sql = Parent::query()
        .where_json(&json!({"__order": "shirt DESC NULLS FIRST"}))
        .unwrap()
        .to_sql()
        .0;
    assert!(
        sql.ends_with(r#"ORDER BY "parents"."shirt" DESC NULLS FIRST"#),
        "{sql}"
    );

    let grammar = r#""column [ASC|DESC] [NULLS FIRST|LAST]""#;
    for bad in [
        "name ASC DESC",
        "name DESC NULLS",
        "name NULLS MIDDLE",
        "name DESC NULLS FIRST LAST",
        "name; DROP TABLE parents",
    ] {
        let error = Parent::query()
            .where_json(&json!({"__order": bad}))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("where.__order: must be {grammar}, found {}", json!(bad))
        );
    }
    let error = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {"$": {"order": ["id", "name ASC DESC"]}}}),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("parents.$.order: must be {grammar}, found \"name ASC DESC\"")
    );
    let nested = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {"$": {"order": ["shirt DESC NULLS FIRST", "id"]}}}),
    )
    .unwrap();
    let nested_ids: Vec<i64> = nested["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_i64().unwrap())
        .collect();
    assert_eq!(nested_ids, [3, 7, 1, 4, 10, 2, 5, 8, 6, 9]);
}

#[test]
fn counts_and_offsets_out_of_range_are_errors() {
    let (_temp, db) = family();
    let range = format!("must be a whole number from 0 to {}", i64::MAX);
    for bad in [
        json!(-1),
        json!(1.5),
        json!(18446744073709551615_u64),
        json!(9223372036854775808_u64),
        json!("-3"),
        json!(true),
    ] {
        assert_eq!(
            where_error(json!({"__count": bad})),
            format!("where.__count: {range}, found {bad}")
        );
        assert_eq!(
            where_error(json!({"__offset": bad})),
            format!("where.__offset: {range}, found {bad}")
        );
        for option in ["limit", "offset"] {
            let error = json_query(
                &db,
                family::TABLES,
                &json!({"parents": {"$": {option: bad}}}),
            )
            .unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("parents.$.{option}: {range}, found {bad}")
            );
        }
    }
    // The largest PostgreSQL takes is taken.
    let all = Child::query()
        .where_json(&json!({"__count": i64::MAX, "__offset": 98}))
        .unwrap()
        .select(&db)
        .unwrap();
    assert_eq!(all.len(), 2);
}

fn top_ids(result: &Value, table: &str) -> Vec<i64> {
    result[table]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn count_offset_and_order_work_in_a_nested_querys_where_object() {
    let (_temp, db) = family();
    let result = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {"$": {"where": {"__count": 2, "__offset": 1, "__order": "id DESC"}}}}),
    )
    .unwrap();
    assert_eq!(top_ids(&result, "parents"), [9, 8]);
    let explained = explain_json_query(
        family::TABLES,
        &json!({"parents": {"$": {"where": {"__count": 2, "__offset": 1, "__order": "id DESC"}}}}),
    )
    .unwrap();
    assert!(
        explained[0]
            .sql
            .ends_with(r#"ORDER BY "parents"."id" DESC NULLS LAST LIMIT $1 OFFSET $2"#),
        "{}",
        explained[0].sql
    );
    // A count of 0 means no limit (instant.dev); the same limit given both ways is one limit.
    let result = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {"$": {"where": {"__count": 0}, "limit": 3, "order": "id"}}}),
    );
    assert_eq!(
        result.unwrap_err().to_string(),
        "parents.$.where.__count: disagrees with the node's `limit` (3); give one of them"
    );
    let result = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {"$": {"where": {"__count": 3}, "limit": 3, "order": "id"}}}),
    )
    .unwrap();
    assert_eq!(top_ids(&result, "parents"), [1, 2, 3]);
    let result = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {"$": {"where": {"__count": 0}, "order": "id"}}}),
    )
    .unwrap();
    assert_eq!(top_ids(&result, "parents").len(), 10);
    // A relationship loads every related row: a count there is refused, not dropped.
    let error = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {"children": {"$": {"where": {"__count": 1}}}}}),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "parents.children: a relationship loads every related row: limit and offset apply to \
         the top level only"
    );
    // The order of a relationship's where-object orders its rows.
    let result = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {"$": {"where": {"id": 1}}, "children": {"$": {"where": {"__order": "id DESC"}}}}}),
    )
    .unwrap();
    let kids: Vec<i64> = result["parents"][0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kid| kid["id"].as_i64().unwrap())
        .collect();
    assert_eq!(kids, (1..=10).rev().collect::<Vec<i64>>());
}

/// The `types` fixture (which has a `vector` column) migrated in a new database.
fn migrated_types() -> (TempDb, Db) {
    let temp = TempDb::with_vector().unwrap();
    temp.migrate_fixture(fixture_dir("types")).unwrap();
    let db = temp.db().unwrap();
    (temp, db)
}

fn types_schema() -> instant_schema::schema::Schema {
    Project::load(fixture_dir("types"))
        .unwrap()
        .schema()
        .unwrap()
}

/// A `samples` row with every NOT NULL column set, and `fields` over them.
fn sample(number: u32, fields: Value) -> Value {
    let mut row = json!({
        "string_value": "s",
        "smallint_value": 1,
        "boolean_value": false,
        "uuid_value": format!("00000000-0000-0000-0000-{number:012}"),
        "text_array": ["t"]
    });
    if let (Some(row), Value::Object(fields)) = (row.as_object_mut(), fields) {
        row.extend(fields);
    }
    row
}

fn seed_error(db: &Db, models: &Models, rows: Value) -> String {
    let seed = Seed::from_json(&json!([{"samples": rows}])).unwrap();
    seed::seed_with(db, &types_schema(), &seed, models)
        .unwrap_err()
        .to_string()
}

#[test]
fn seed_values_of_the_wrong_shape_are_refused_before_anything_is_written() {
    let (_temp, db) = migrated_types();
    let schema_only = Models::new();
    let cases = [
        (
            json!([
                sample(1, json!({})),
                sample(2, json!({"text_array": [[["a"]]]}))
            ]),
            "seed[0][\"samples\"][1].text_array: column `text_array` (text[]) takes an array of \
             one dimension, found a 3-dimensional array",
        ),
        (
            json!([sample(1, json!({"string_value": ["a"]}))]),
            "seed[0][\"samples\"][0].string_value: column `string_value` (string) takes one \
             value (not an array or an object), found an array",
        ),
        (
            json!([sample(1, json!({"text_value": {"a": 1}}))]),
            "seed[0][\"samples\"][0].text_value: column `text_value` (text) takes one value (not \
             an array or an object), found an object",
        ),
        (
            json!([sample(1, json!({"integer_value": 1.9}))]),
            "seed[0][\"samples\"][0].integer_value: column `integer_value` (integer) takes an \
             integer (i32) from -2147483648 to 2147483647, found 1.9",
        ),
        (
            json!([sample(1, json!({"int_array": [1, 2.5]}))]),
            "seed[0][\"samples\"][0].int_array: column `int_array` (int[]) takes an array (one \
             dimension) whose values are each an integer (i64) from -9223372036854775808 to \
             9223372036854775807; [1] is 2.5",
        ),
        (
            json!([sample(1, json!({"json_value": "{not json"}))]),
            "seed[0][\"samples\"][0].json_value: column `json_value` (json) takes valid JSON \
             text, found \"{not json\"",
        ),
    ];
    for (rows, expected) in cases {
        assert_eq!(seed_error(&db, &schema_only, rows), expected);
    }
    assert_eq!(
        Sample::query().count(&db).unwrap(),
        0,
        "nothing was written"
    );

    // Through the generated model: the field's validation error names what it takes.
    let typed = types::seed_models();
    assert_eq!(
        seed_error(
            &db,
            &typed,
            json!([sample(1, json!({"text_array": [[["a"]]]}))])
        ),
        "seed[0][\"samples\"][0]: Validation error {\"text_array\":{\"message\":\"must be an \
         array (one dimension) of strings\",\"invalid\":true}}"
    );
    assert_eq!(
        seed_error(
            &db,
            &typed,
            json!([sample(1, json!({"string_value": ["a"]}))])
        ),
        "seed[0][\"samples\"][0]: Validation error {\"string_value\":{\"message\":\"must be a \
         string\",\"invalid\":true}}"
    );
    assert_eq!(
        seed_error(
            &db,
            &typed,
            json!([sample(1, json!({"bigint_value": 1e20}))])
        ),
        "seed[0][\"samples\"][0]: Validation error {\"bigint_value\":{\"message\":\"must be an \
         integer (i64) from -9223372036854775808 to 9223372036854775807\",\"invalid\":true}}"
    );
    assert_eq!(
        Sample::query().count(&db).unwrap(),
        0,
        "nothing was written"
    );
}

#[test]
fn seed_values_of_the_right_shape_are_written_alike_with_and_without_models() {
    let rows = json!([sample(
        1,
        json!({
            "text_array": ["a", "b"],
            "int_array": 7,
            "string_value": "plain",
            "json_value": "{\"a\": [1, 2]}",
            "integer_value": "-12"
        })
    )]);
    // `status` aside: a model writes its `None`, the schema path leaves the column's default.
    let read = |db: &Db| -> Value {
        db.query(
            "SELECT to_jsonb(s) - 'id' - 'created_at' - 'updated_at' - 'status' FROM samples s",
            &[],
        )
        .unwrap()[0]
            .get(0)
    };
    let seed = Seed::from_json(&json!([{"samples": rows}])).unwrap();
    let (_typed_temp, typed) = migrated_types();
    seed::seed_with(&typed, &types_schema(), &seed, &types::seed_models()).unwrap();
    let (_schema_temp, schema_only) = migrated_types();
    seed::seed_with(&schema_only, &types_schema(), &seed, &Models::new()).unwrap();
    let written = read(&schema_only);
    assert_eq!(written["text_array"], json!(["a", "b"]));
    assert_eq!(written["int_array"], json!([7]));
    assert_eq!(written["json_value"], json!({"a": [1, 2]}));
    assert_eq!(written["integer_value"], json!(-12));
    assert_eq!(written, read(&typed));
}

/// What a `json` column (`details` of `pets`) takes.
const JSON_TAKES: &str = "is, not, is_null, not_null, in, not_in, json, jsoncontains";

fn comparator_refused(column: &str, sql_type: &str, comparator: &str, takes: &str) -> String {
    format!(
        "comparator `{comparator}` does not apply to column `{column}` ({sql_type}); it takes: {takes}"
    )
}

#[test]
fn array_comparators_on_a_column_that_is_not_an_array_are_refused_before_anything_is_sent() {
    use instant_tests::family::Pet;
    let (_temp, db) = family();
    for comparator in [
        "array_contains",
        "not_array_contains",
        "array_intersects",
        "not_array_intersects",
    ] {
        let key = format!("details__{comparator}");
        let expected = format!(
            "where.{key}: {}",
            comparator_refused("details", "json", comparator, JSON_TAKES)
        );
        for value in [json!([]), json!(["a"]), json!([{"a": 1}]), json!({"a": 1})] {
            let conditions = json!({ key.clone(): value });
            let error = Pet::query().where_json(&conditions).unwrap_err();
            assert_eq!(error.to_string(), expected);
            let error = Pet::query().safe_where(&conditions).unwrap_err();
            assert_eq!(error.to_string(), expected);
        }
        // Through a relationship, in an OR list, and in a nested query's where-object.
        let error = Parent::query()
            .where_json(&json!([{"id": 1}, {format!("pets__{key}"): ["a"]}]))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "where[1].pets__{key}: {}",
                comparator_refused("details", "json", comparator, JSON_TAKES)
            )
        );
        let error = json_query(
            &db,
            family::TABLES,
            &json!({"parents": {"pets": {"$": {"where": {key.clone(): []}}}}}),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "parents.pets.$.where.{key}: {}",
                comparator_refused("details", "json", comparator, JSON_TAKES)
            )
        );
    }
    // A text column is not an array either; its own comparators are listed.
    let error = where_error(json!({"name__array_intersects": ["a"]}));
    assert_eq!(
        error,
        "where.name__array_intersects: ".to_string()
            + &comparator_refused(
                "name",
                "string",
                "array_intersects",
                "is, not, lt, lte, gt, gte, contains, not_contains, icontains, not_icontains, \
                 startswith, not_startswith, istartswith, not_istartswith, endswith, \
                 not_endswith, iendswith, not_iendswith, like, not_like, ilike, not_ilike, \
                 is_null, not_null, in, not_in"
            )
    );
    // The pooled connection was never touched: the database still answers, and the json
    // column's own comparators still work.
    let pets = Pet::query()
        .where_json(&json!({"details__jsoncontains": "language", "details__not_null": true}))
        .unwrap()
        .select(&db)
        .unwrap();
    let counted: i64 = db
        .query(
            "SELECT count(*) FROM pets WHERE details::jsonb ? 'language'",
            &[],
        )
        .unwrap()[0]
        .get(0);
    assert_eq!(pets.len() as i64, counted);
    // `is`, `not`, `in` and `not_in` on a `json` column compare as `jsonb` (`json` has no
    // equality of its own).
    let speaking: i64 = db
        .query(
            "SELECT count(*) FROM pets WHERE details::jsonb = '{\"language\": true}'",
            &[],
        )
        .unwrap()[0]
        .get(0);
    assert!(speaking > 0);
    for (conditions, expected) in [
        (json!({"details": {"language": true}}), speaking),
        (
            json!({"details__in": [{"language": true}, {"other": 1}]}),
            speaking,
        ),
        (
            json!({"details__not_in": [{"language": true}], "details__not_null": true}),
            counted - speaking,
        ),
    ] {
        let found = Pet::query()
            .where_json(&conditions)
            .unwrap()
            .count(&db)
            .unwrap();
        assert_eq!(found, expected, "{conditions}");
    }
}

#[test]
fn each_comparator_applies_to_the_column_types_the_typed_api_allows_it_on() {
    use instant_tests::family::Pet;
    // JSON has no order and is not text; text and numbers are not JSON; only booleans are
    // tested with IS TRUE.
    let cases = [
        ("details__gt", json!(1), "details", "json", "gt", JSON_TAKES),
        (
            "details__contains",
            json!("a"),
            "details",
            "json",
            "contains",
            JSON_TAKES,
        ),
        (
            "details__is_true",
            json!(true),
            "details",
            "json",
            "is_true",
            JSON_TAKES,
        ),
        (
            "name__json",
            json!({"a": 1}),
            "name",
            "string",
            "json",
            "is, not, lt, lte, gt, gte, contains, not_contains, icontains, not_icontains, \
             startswith, not_startswith, istartswith, not_istartswith, endswith, not_endswith, \
             iendswith, not_iendswith, like, not_like, ilike, not_ilike, is_null, not_null, in, \
             not_in",
        ),
        (
            "id__icontains",
            json!("1"),
            "id",
            "serial",
            "icontains",
            "is, not, lt, lte, gt, gte, is_null, not_null, in, not_in",
        ),
        (
            "is_alive__jsoncontains",
            json!("a"),
            "is_alive",
            "boolean",
            "jsoncontains",
            "is, not, is_null, not_null, is_true, is_false, not_true, not_false, in, not_in",
        ),
        (
            "added_at__like",
            json!("2024%"),
            "added_at",
            "datetime",
            "like",
            "is, not, lt, lte, gt, gte, is_null, not_null, in, not_in",
        ),
    ];
    for (key, value, column, sql_type, comparator, takes) in cases {
        let error = Pet::query().where_json(&json!({ key: value })).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "where.{key}: {}",
                comparator_refused(column, sql_type, comparator, takes)
            )
        );
    }
    // An array column takes the array comparators and names itself as an array.
    let error = Sample::query()
        .where_json(&json!({"text_array__icontains": "a"}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "where.text_array__icontains: comparator `icontains` does not apply to column \
         `text_array` (text array); it takes: is, not, is_null, not_null, in, not_in, \
         array_contains, not_array_contains, array_intersects, not_array_intersects"
    );
    let (_temp, db) = migrated_types();
    db.execute(
        "INSERT INTO samples (string_value, smallint_value, uuid_value, text_array, int_array) \
         VALUES ('s', 1, gen_random_uuid(), '{a,b}', '{1,2}'), \
         ('s', 1, gen_random_uuid(), '{a,c}', '{3}')",
        &[],
    )
    .unwrap();
    let found = Sample::query()
        .where_json(
            &json!({"text_array__array_contains": ["a"], "int_array__not_array_intersects": [3]}),
        )
        .unwrap()
        .select(&db)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text_array, ["a", "b"]);
}

#[test]
fn typed_limits_and_offsets_beyond_what_postgresql_takes_are_errors_not_negative_numbers() {
    use instant_runtime::query::prelude::*;
    use instant_tests::family::{children, parents};
    let (_temp, db) = family();
    let range = format!("must be a whole number from 0 to {}", i64::MAX);
    let too_many = i64::MAX as u64 + 1;
    let limit_error = format!("limit: {range}, found {too_many}");
    let offset_error = format!("offset: {range}, found {}", u64::MAX);
    let too_long = Child::query().limit(too_many);
    let too_far = Child::query().offset(u64::MAX);
    assert_eq!(too_long.select(&db).unwrap_err().to_string(), limit_error);
    assert_eq!(too_long.count(&db).unwrap_err().to_string(), limit_error);
    assert_eq!(too_long.explain(&db).unwrap_err().to_string(), limit_error);
    assert_eq!(too_far.select(&db).unwrap_err().to_string(), offset_error);
    assert_eq!(
        too_far.first_or_none(&db).unwrap_err().to_string(),
        offset_error
    );
    assert_eq!(
        too_far.with_total().select(&db).unwrap_err().to_string(),
        offset_error
    );
    assert_eq!(
        too_far
            .join(children::relations::parent)
            .select(&db)
            .unwrap_err()
            .to_string(),
        offset_error
    );
    assert_eq!(
        Parent::query()
            .limit(too_many)
            .group_by(parents::shirt)
            .select(&db)
            .unwrap_err()
            .to_string(),
        limit_error
    );
    // Writes through such a query are refused before anything changes.
    let favorites = || {
        Child::query()
            .where_json(&json!({"is_favorite": true}))
            .unwrap()
            .count(&db)
            .unwrap()
    };
    let favorites_before = favorites();
    assert_eq!(
        too_long
            .update(&db, [children::is_favorite.to(Some(true))])
            .unwrap_err()
            .to_string(),
        limit_error
    );
    assert_eq!(
        too_far
            .update_without_returning(&db, [children::is_favorite.to(Some(true))])
            .unwrap_err()
            .to_string(),
        offset_error
    );
    assert_eq!(favorites(), favorites_before);
    // The largest PostgreSQL takes is taken, both ways.
    let all = Child::query()
        .limit(i64::MAX as u64)
        .offset(98)
        .select(&db)
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        Child::query().offset(i64::MAX as u64).count(&db).unwrap(),
        0
    );
}

/// The ids of the children the server finds with `sql_test` (`license IS NOT NULL`), to
/// compare the where-object's answer with.
fn children_where(db: &Db, sql_test: &str) -> Vec<i64> {
    db.query(
        &format!("SELECT id FROM children WHERE {sql_test} ORDER BY id"),
        &[],
    )
    .unwrap()
    .iter()
    .map(|row| row.get::<_, i64>("id"))
    .collect()
}

#[test]
fn a_test_comparator_given_false_means_its_opposite_and_takes_only_booleans() {
    let (_temp, db) = family();
    let ids = |conditions: Value| -> Vec<i64> {
        let mut ids: Vec<i64> = Child::query()
            .where_json(&conditions)
            .unwrap()
            .select(&db)
            .unwrap()
            .iter()
            .map(|child| child.id)
            .collect();
        ids.sort();
        ids
    };
    let cases = [
        ("license__is_null", "license IS NULL", "license IS NOT NULL"),
        (
            "license__not_null",
            "license IS NOT NULL",
            "license IS NULL",
        ),
        (
            "is_favorite__is_true",
            "is_favorite IS TRUE",
            "is_favorite IS NOT TRUE",
        ),
        (
            "is_favorite__not_true",
            "is_favorite IS NOT TRUE",
            "is_favorite IS TRUE",
        ),
        (
            "is_favorite__is_false",
            "is_favorite IS FALSE",
            "is_favorite IS NOT FALSE",
        ),
        (
            "is_favorite__not_false",
            "is_favorite IS NOT FALSE",
            "is_favorite IS FALSE",
        ),
    ];
    for (key, when_true, when_false) in cases {
        let (named, opposite) = (
            children_where(&db, when_true),
            children_where(&db, when_false),
        );
        assert!(
            !named.is_empty() && !opposite.is_empty(),
            "{key}: the fixture has both kinds"
        );
        assert_eq!(ids(json!({ key: true })), named, "{key}: true");
        assert_eq!(ids(json!({ key: false })), opposite, "{key}: false");
        let comparator = key.split("__").nth(1).unwrap();
        for value in [json!(1), json!("yes"), json!(null), json!([true])] {
            assert_eq!(
                where_error(json!({ key: value.clone() })),
                format!(
                    "where.{key}: `{comparator}` takes true (the test) or false (its opposite), \
                     found {value}"
                ),
            );
        }
    }
}
