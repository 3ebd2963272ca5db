//! Joins on a real database: related rows loaded with the query's rows (the first join by the
//! same statement, the others one query per relationship level), attached to their rows; join
//! filters choose related rows and never filter the query's rows.

use instant_runtime::model::Interface;
use instant_runtime::query::prelude::*;
use instant_runtime::{Db, Model, Record, Records};
use instant_tests::family::{Child, Parent, Partner, children, parents, pets};
use instant_tests::setup::family;
use serde_json::json;

fn count(db: &Db, sql: &str) -> i64 {
    db.query(sql, &[]).unwrap()[0].get(0)
}

#[test]
fn one_to_many_loads_every_related_row_per_parent() {
    let (_temp, db) = family();
    let found = Parent::query()
        .order_by(parents::id.asc())
        .join(parents::relations::children)
        .join(parents::relations::pets)
        .select(&db)
        .unwrap();
    assert_eq!(found.len(), 10);
    for parent in &found {
        let kids: &Records<Child> = parent.joined(parents::relations::children).unwrap();
        let expected = count(
            &db,
            &format!(
                "SELECT count(*) FROM children WHERE parent_id = {}",
                parent.id
            ),
        );
        assert_eq!(kids.len() as i64, expected);
        assert!(kids.iter().all(|kid| kid.parent_id == Some(parent.id)));
        let pet_count = parent.joined(parents::relations::pets).unwrap().len() as i64;
        let expected = count(
            &db,
            &format!("SELECT count(*) FROM pets WHERE parent_id = {}", parent.id),
        );
        assert_eq!(pet_count, expected);
    }
}

#[test]
fn join_filters_choose_related_rows_and_never_filter_the_rows() {
    let (_temp, db) = family();
    let found = Parent::query()
        .order_by(parents::id.asc())
        .join_with(parents::relations::children, |kids| {
            kids.filter(children::id.lte(15))
                .order_by(children::id.desc())
        })
        .select(&db)
        .unwrap();
    assert_eq!(
        found.len(),
        10,
        "every parent, with or without a matching child"
    );
    let ids: Vec<Vec<i64>> = found
        .iter()
        .map(|parent| {
            let kids = parent.joined(parents::relations::children).unwrap();
            kids.iter().map(|kid| kid.id).collect()
        })
        .collect();
    let expected: Vec<Vec<i64>> = found
        .iter()
        .map(|parent| {
            db.query(
                "SELECT id FROM children WHERE parent_id = $1 AND id <= 15 ORDER BY id DESC",
                &[&parent.id],
            )
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect()
        })
        .collect();
    assert_eq!(ids, expected);
    assert!(
        ids.iter().any(Vec::is_empty),
        "joined, but nothing there: empty, not absent"
    );
}

#[test]
fn limit_and_order_apply_to_the_rows_not_the_joined_rows() {
    let (_temp, db) = family();
    let found = Parent::query()
        .order_by(parents::id.desc())
        .limit(2)
        .join(parents::relations::children)
        .select(&db)
        .unwrap();
    assert_eq!(found.iter().map(|p| p.id).collect::<Vec<_>>(), [10, 9]);
    for parent in &found {
        assert_eq!(
            parent.joined(parents::relations::children).unwrap().len(),
            10
        );
    }
}

#[test]
fn belongs_to_and_one_to_one_give_one_record_or_none() {
    let (_temp, db) = family();
    let kids = Child::query()
        .filter(children::id.lte(12))
        .order_by(children::id.asc())
        .join(children::relations::parent)
        .select(&db)
        .unwrap();
    assert_eq!(kids.len(), 12);
    for kid in &kids {
        let parent: &Option<Record<Parent>> = kid.joined(children::relations::parent).unwrap();
        assert_eq!(parent.as_ref().map(|p| p.id), kid.parent_id);
    }

    let with_partner = Parent::query()
        .order_by(parents::id.asc())
        .join(parents::relations::partner)
        .select(&db)
        .unwrap();
    for parent in &with_partner {
        let partner: &Option<Record<Partner>> = parent.joined(parents::relations::partner).unwrap();
        let expected = count(
            &db,
            &format!(
                "SELECT count(*) FROM partners WHERE parent_id = {}",
                parent.id
            ),
        );
        assert_eq!(partner.is_some(), expected == 1);
    }
}

#[test]
fn joins_nest_and_relation_filters_still_apply_to_the_rows() {
    let (_temp, db) = family();
    let found = Parent::query()
        .filter(parents::relations::pets.any(pets::animal.eq("Cat")))
        .order_by(parents::id.asc())
        .join_with(parents::relations::children, |kids| {
            kids.order_by(children::id.asc())
                .join(children::relations::parent)
        })
        .select(&db)
        .unwrap();
    let expected = count(
        &db,
        "SELECT count(*) FROM parents WHERE EXISTS (SELECT 1 FROM pets WHERE pets.parent_id = parents.id AND animal = 'Cat')",
    );
    assert_eq!(found.len() as i64, expected);
    for parent in &found {
        for kid in parent.joined(parents::relations::children).unwrap() {
            let back = kid.joined(children::relations::parent).unwrap();
            assert_eq!(back.as_ref().map(|p| p.id), Some(parent.id));
        }
    }
}

#[test]
fn joined_records_serialize_only_when_the_interface_names_them() {
    let (_temp, db) = family();
    let parent = Parent::query()
        .filter(parents::id.eq(1))
        .join_with(parents::relations::children, |kids| {
            kids.filter(children::id.lte(2))
                .order_by(children::id.asc())
        })
        .first(&db)
        .unwrap();
    assert!(parent.to_json().get("children").is_none());
    let interface = Interface::parse(&json!(["id", "name", {"children": ["id", "name"]}])).unwrap();
    let kids = db
        .query(
            "SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name) ORDER BY id), '[]') FROM children WHERE parent_id = 1 AND id <= 2",
            &[],
        )
        .unwrap()[0]
        .get::<_, serde_json::Value>(0);
    assert_eq!(
        parent.to_json_with(&interface),
        json!({"id": 1, "name": "Albert", "children": kids})
    );
}

#[test]
fn include_loads_a_relationship_into_a_loaded_record() {
    let (_temp, db) = family();
    let mut parent = Parent::find(&db, 3).unwrap();
    assert!(parent.joined(parents::relations::pets).is_none());
    let pets = parent.include(&db, parents::relations::pets).unwrap();
    let expected = count(&db, "SELECT count(*) FROM pets WHERE parent_id = 3");
    assert_eq!(pets.len() as i64, expected);
}

#[test]
fn the_join_statement_binds_the_keys_as_one_array() {
    let query = Parent::query().join_with(parents::relations::children, |kids| {
        kids.filter(children::age.gte(18))
            .join(children::relations::parent)
    });
    insta::assert_snapshot!(query.join_sql().join("\n"));
}

#[test]
fn the_first_join_is_left_joined_in_the_rows_statement() {
    let query = Parent::query()
        .filter(parents::name.istartswith("a"))
        .order_by(parents::id.asc())
        .join_with(parents::relations::children, |kids| {
            kids.filter(children::age.gte(18))
                .order_by(children::id.desc())
        });
    insta::assert_snapshot!(query.joined_sql().unwrap());
}

#[test]
fn a_limited_query_joins_its_rows_as_a_subquery() {
    let query = Parent::query()
        .order_by(parents::name.asc())
        .limit(3)
        .offset(1)
        .join(parents::relations::children);
    insta::assert_snapshot!(query.joined_sql().unwrap());
}

#[test]
fn split_joins_leave_the_rows_statement_alone() {
    let query = Parent::query().join(parents::relations::children);
    assert!(query.joined_sql().is_some());
    assert!(query.split_joins().joined_sql().is_none());
    assert!(Parent::query().joined_sql().is_none());
}

#[test]
fn a_join_with_a_limit_is_refused() {
    let (_temp, db) = family();
    let error = Parent::query()
        .join_with(parents::relations::children, |kids| kids.limit(1))
        .select(&db)
        .unwrap_err();
    assert!(error.to_string().contains("limit"), "{error}");
}

/// The first join is loaded by the rows' own statement (a LEFT JOIN); `split_joins` loads it
/// with a statement of its own. Both give the same rows, in the same order, with the same
/// related rows: filters, orders, limits and nested joins on either side.
#[test]
fn joins_in_the_rows_statement_equal_split_joins() {
    let (_temp, db) = family();
    let queries = [
        Parent::query()
            .order_by(parents::id.asc())
            .join(parents::relations::children),
        Parent::query()
            .filter(parents::name.istartswith("s"))
            .order_by(parents::name.desc())
            .limit(3)
            .offset(1)
            .join_with(parents::relations::children, |kids| {
                kids.filter(children::age.gte(5))
                    .order_by(children::name.asc())
                    .join(children::relations::parent)
            })
            .join(parents::relations::pets),
        Parent::query()
            .order_by(parents::id.desc())
            .join_with(parents::relations::pets, |pets| {
                pets.filter(pets::animal.eq("Cat"))
                    .order_by(pets::id.desc())
            }),
    ];
    let interface = Interface::parse(&json!([
        "id", "name",
        {"children": ["id", "name", {"parent": ["id", "name"]}]},
        {"pets": ["id", "name", "animal"]}
    ]))
    .unwrap();
    for query in queries {
        let joined = query.select(&db).unwrap();
        let split = query.split_joins().select(&db).unwrap();
        assert!(!joined.is_empty());
        assert_eq!(
            joined.to_json_with(&interface),
            split.to_json_with(&interface),
            "{query:?}"
        );
    }
    // Belongs-to: every child with its parent (or none).
    let kids = Child::query()
        .order_by(children::id.asc())
        .join(children::relations::parent);
    let joined = kids.select(&db).unwrap();
    let split = kids.split_joins().select(&db).unwrap();
    let interface = Interface::parse(&json!(["id", {"parent": ["id", "name"]}])).unwrap();
    assert_eq!(
        joined.to_json_with(&interface),
        split.to_json_with(&interface)
    );
}
