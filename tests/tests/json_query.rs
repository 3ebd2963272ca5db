//! Nested JSON queries in InstantDB's shape, on the schema alone: the same rows as the typed
//! API, nested by relationship.

use instant_runtime::Model;
use instant_runtime::query::json_query;
use instant_runtime::query::prelude::*;
use instant_tests::family::{self, Parent, children, parents};
use instant_tests::setup::family;
use serde_json::json;

#[test]
fn rows_nest_by_relationship_with_their_own_conditions() {
    let (_temp, db) = family();
    let result = json_query(
        &db,
        family::TABLES,
        &json!({"parents": {
            "$": {"where": {"name__istartswith": "s"}, "order": "id DESC", "limit": 2},
            "children": {"$": {"where": {"age__gte": 30}, "order": "id"}},
            "partner": {}
        }}),
    )
    .unwrap();
    let typed = Parent::query()
        .filter(parents::name.istartswith("s"))
        .order_by(parents::id.desc())
        .limit(2)
        .join_with(parents::relations::children, |kids| {
            kids.filter(children::age.gte(30))
                .order_by(children::id.asc())
        })
        .select(&db)
        .unwrap();
    let rows = result["parents"].as_array().unwrap();
    assert_eq!(rows.len(), typed.len());
    for (row, parent) in rows.iter().zip(&typed) {
        assert_eq!(row["id"], json!(parent.id));
        assert_eq!(row["name"], json!(parent.name));
        let kids: Vec<i64> = row["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kid| kid["id"].as_i64().unwrap())
            .collect();
        let expected: Vec<i64> = parent
            .joined(parents::relations::children)
            .unwrap()
            .iter()
            .map(|kid| kid.id)
            .collect();
        assert_eq!(kids, expected);
        assert!(row["partner"].is_object() || row["partner"].is_null());
    }
}

#[test]
fn belongs_to_gives_an_object_and_deep_paths_load() {
    let (_temp, db) = family();
    let result = json_query(
        &db,
        family::TABLES,
        &json!({"children": {"$": {"where": {"id__lte": 3}, "order": "id"}, "parent": {"pets": {}}}}),
    )
    .unwrap();
    let kids = result["children"].as_array().unwrap();
    assert_eq!(kids.len(), 3);
    for kid in kids {
        assert_eq!(kid["parent"]["id"], kid["parent_id"]);
        assert!(kid["parent"]["pets"].is_array());
    }
}

#[test]
fn mistakes_are_errors_that_say_where() {
    let (_temp, db) = family();
    let cases = [
        (
            json!({"parnets": {}}),
            "parnets: no such table; tables: parents, careers",
        ),
        (
            json!({"parents": {"kids": {}}}),
            "parents.kids: `parents` has no relationship \"kids\"; relationships: careers, children",
        ),
        (
            json!({"parents": {"$": {"sort": "id"}}}),
            "parents.$.sort: unknown option `sort`",
        ),
        (
            json!({"parents": {"$": {"where": {"nme": "x"}}}}),
            "parents.$.where.nme: \"nme\" is not a column",
        ),
        (
            json!({"parents": {"children": {"$": {"limit": 1}}}}),
            "parents.children: a relationship loads every related row",
        ),
    ];
    for (query, expected) in cases {
        let error = json_query(&db, family::TABLES, &query).unwrap_err();
        assert!(error.to_string().starts_with(expected), "{error}");
        assert_eq!(error.status(), 400);
    }
}
