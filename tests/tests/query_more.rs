//! The rest of the composer on a real database: ORDER BY expressions with bound parameters,
//! aliases as metafields, totals without the limit, grouping, bulk updates.

use instant_runtime::query::prelude::*;
use instant_runtime::{Db, Error, Model};
use instant_tests::family::{Child, Parent, children, parents};
use instant_tests::setup::family;
use serde_json::json;

fn ids(db: &Db, sql: &str) -> Vec<i64> {
    db.query(sql, &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn order_by_a_sql_expression_with_bound_parameters() {
    let (_temp, db) = family();
    let found = Child::query()
        .order_by(Order::sql("abs(age - $1)", [30_i64]))
        .order_by(children::id.asc())
        .limit(5)
        .select(&db)
        .unwrap();
    assert_eq!(
        found.iter().map(|c| c.id).collect::<Vec<_>>(),
        ids(
            &db,
            "SELECT id FROM children ORDER BY abs(age - 30) NULLS LAST, id LIMIT 5"
        )
    );
}

#[test]
fn an_alias_is_a_metafield() {
    let (_temp, db) = family();
    let found = Parent::query()
        .alias("shouting", "upper(name) || $1", ["!"])
        .order_by(parents::id.asc())
        .limit(1)
        .select(&db)
        .unwrap();
    assert_eq!(found[0].metafield("shouting"), Some(&json!("ALBERT!")));
    assert_eq!(
        found[0].to_json()["_metafields"],
        json!({"shouting": "ALBERT!"})
    );
}

#[test]
fn with_total_reports_the_rows_matched_without_the_limit() {
    let (_temp, db) = family();
    let page = Child::query()
        .filter(children::age.gte(10))
        .order_by(children::id.asc())
        .offset(5)
        .limit(3)
        .with_total()
        .select(&db)
        .unwrap();
    let matched = ids(&db, "SELECT count(*) FROM children WHERE age >= 10")[0] as u64;
    assert_eq!(page.len(), 3);
    assert_eq!(page.total(), matched);
    let meta = &page.to_query_json(None)["meta"];
    assert_eq!(meta, &json!({"total": matched, "count": 3, "offset": 5}));

    let past_the_end = Child::query()
        .offset(1000)
        .limit(3)
        .with_total()
        .select(&db)
        .unwrap();
    assert!(past_the_end.is_empty());
    assert_eq!(past_the_end.total(), 100);

    let uncounted = Child::query().limit(3).select(&db).unwrap();
    assert_eq!(uncounted.total(), 3);
}

#[test]
fn group_by_and_aggregate_give_plain_rows() {
    let (_temp, db) = family();
    let groups = Child::query()
        .filter(children::parent_id.lte(2))
        .group_by(children::parent_id)
        .aggregate("count", "COUNT(id)", Vec::<i32>::new())
        .aggregate("oldest", "MAX(age)", Vec::<i32>::new())
        .select(&db)
        .unwrap();
    let mut rows = groups.to_json(None).as_array().unwrap().clone();
    rows.sort_by_key(|row| row["parent_id"].as_i64());
    let expected: Vec<serde_json::Value> = db
        .query(
            "SELECT parent_id, count(id), max(age) FROM children WHERE parent_id <= 2 GROUP BY parent_id ORDER BY parent_id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| {
            json!({"parent_id": row.get::<_, i64>(0), "count": row.get::<_, i64>(1), "oldest": row.get::<_, Option<i64>>(2)})
        })
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn bulk_updates_change_the_matched_rows_without_hooks() {
    let (_temp, db) = family();
    let before = ids(
        &db,
        "SELECT age FROM children WHERE parent_id = 1 ORDER BY id",
    );
    let updated = Child::query()
        .filter(children::parent_id.eq(1))
        .update(
            &db,
            [
                children::age.to_sql("age + $1", [10_i64]),
                children::license.to(Some("L".to_string())),
            ],
        )
        .unwrap();
    assert_eq!(updated.len(), 10);
    assert!(
        updated
            .iter()
            .all(|child| child.license.as_deref() == Some("L"))
    );
    let after = ids(
        &db,
        "SELECT age FROM children WHERE parent_id = 1 ORDER BY id",
    );
    assert_eq!(after, before.iter().map(|age| age + 10).collect::<Vec<_>>());

    // A limit applies: the three youngest of parent 2.
    let all = Child::query()
        .filter(children::parent_id.eq(2))
        .update_without_returning(&db, [children::is_favorite.to(Some(false))])
        .unwrap();
    assert_eq!(all, 10);
    let changed = Child::query()
        .filter(children::parent_id.eq(2))
        .order_by(children::age.asc())
        .limit(3)
        .update_without_returning(&db, [children::is_favorite.to(Some(true))])
        .unwrap();
    assert_eq!(changed, 3);
    assert_eq!(
        ids(
            &db,
            "SELECT count(*) FROM children WHERE parent_id = 2 AND is_favorite"
        )[0],
        3
    );
}

#[test]
fn a_readonly_database_refuses_bulk_updates() {
    let (temp, _db) = family();
    let readonly = Db::builder()
        .url(temp.url())
        .readonly(true)
        .connect()
        .unwrap();
    let error = Child::query()
        .update_without_returning(&readonly, [children::age.to(Some(1))])
        .unwrap_err();
    assert!(matches!(error, Error::ReadOnly), "{error}");
    assert_eq!(error.status(), 409);
}

#[test]
fn the_sql_of_a_bulk_update_and_a_grouping() {
    let grouped = Child::query()
        .filter(children::age.gte(18))
        .group_by(children::parent_id)
        .aggregate("count", "COUNT(id)", Vec::<i32>::new());
    insta::assert_snapshot!(grouped.to_sql().0);
}
