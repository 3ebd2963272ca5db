//! Queries from data: instant.dev's where-objects read at run time, checked against the
//! schema, giving the same rows as the typed API.

use instant_runtime::query::prelude::*;
use instant_runtime::{Db, Model};
use instant_tests::family::{Child, Parent, children, parents, pets};
use instant_tests::setup::family;
use serde_json::json;

fn parent_ids(query: &Query<Parent>, db: &Db) -> Vec<i64> {
    query.select(db).unwrap().iter().map(|p| p.id).collect()
}

#[test]
fn a_where_object_gives_the_rows_the_typed_query_gives() {
    let (_temp, db) = family();
    let dynamic = Parent::query()
        .where_json(&json!([
            {"name__istartswith": "s", "pets__name": "Ruby", "pets__animal": "Cat"},
            {"shirt": null},
            {"children__age__gte": 60, "__order": "id DESC"}
        ]))
        .unwrap();
    let typed = Parent::query()
        .filter(or!(
            parents::name.istartswith("s").and(
                parents::relations::pets.any(pets::name.eq("Ruby").and(pets::animal.eq("Cat")))
            ),
            parents::shirt.eq(None),
            parents::relations::children.any(children::age.gte(60))
        ))
        .order_by(parents::id.desc());
    assert_eq!(dynamic.to_sql(), typed.to_sql());
    assert_eq!(parent_ids(&dynamic, &db), parent_ids(&typed, &db));
}

#[test]
fn arrays_repeat_a_condition_and_directives_page() {
    let (_temp, db) = family();
    let dynamic = Child::query()
        .where_json(&json!({"name__icontains": ["c", "d"], "__order": ["age DESC", "id"], "__offset": 2, "__count": 3}))
        .unwrap();
    let typed = Child::query()
        .filter(
            children::name
                .icontains("c")
                .and(children::name.icontains("d")),
        )
        .order_by(children::age.desc())
        .order_by(children::id.asc())
        .offset(2)
        .limit(3);
    assert_eq!(dynamic.to_sql(), typed.to_sql());
    let matched: i64 = db
        .query(
            "SELECT count(*) FROM children WHERE name ILIKE '%c%' AND name ILIKE '%d%'",
            &[],
        )
        .unwrap()[0]
        .get(0);
    assert!(matched > 0);
    let found = dynamic.select(&db).unwrap();
    assert_eq!(found.len() as i64, (matched - 2).clamp(0, 3));
}

#[test]
fn in_json_and_deep_paths() {
    let (_temp, db) = family();
    let dynamic = Child::query()
        .where_json(
            &json!({"id__in": [1, 2, 3], "parent__pets__details__json": {"language": false}}),
        )
        .unwrap();
    let found = dynamic.select(&db).unwrap();
    assert!(found.iter().all(|child| child.id <= 3));
}

#[test]
fn unknown_names_are_errors_that_list_what_is_valid() {
    let error = Parent::query()
        .where_json(&json!({"nmae": "x"}))
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(
            "where.nmae: \"nmae\" is not a column or relationship of `parents`; columns: id, name,"
        ),
        "{message}"
    );
    assert!(
        message.contains("relationships: careers, children"),
        "{message}"
    );
    assert_eq!(error.status(), 400);

    let error = Parent::query()
        .where_json(&json!({"name__sounds_like": "x"}))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("unknown comparator `sounds_like`"),
        "{error}"
    );

    let error = Parent::query()
        .where_json(&json!({"children__shoe": 3}))
        .unwrap_err();
    assert!(error.to_string().contains("of `children`"), "{error}");

    let error = Child::query()
        .where_json(&json!({"age": "old"}))
        .unwrap_err();
    // The column, its type and the range it takes (issue 17: no silent changes).
    assert_eq!(
        error.to_string(),
        "where.age: must be an integer (i64) from -9223372036854775808 to 9223372036854775807 for column `age` (int), found \"old\""
    );
}

/// A model that hides a field: safe_where drops conditions and orders on it.
#[derive(Debug, Clone, Model)]
#[instant(table = parents)]
struct PublicParent {
    id: i64,
    name: String,
    #[hides]
    hidden: Option<String>,
}

#[test]
fn safe_where_drops_hidden_fields_and_where_json_refuses_them() {
    let (_temp, db) = family();
    let conditions = json!({"hidden": "a", "name__startswith": "A", "__order": "hidden DESC"});
    let error = PublicParent::query().where_json(&conditions).unwrap_err();
    assert!(error.to_string().contains("`hidden` is hidden"), "{error}");
    let safe = PublicParent::query().safe_where(&conditions).unwrap();
    assert_eq!(
        safe.to_sql(),
        PublicParent::query()
            .filter(parents::name.startswith("A"))
            .to_sql()
    );
    assert_eq!(safe.select(&db).unwrap().len(), 1);
}

#[test]
fn joins_named_at_run_time_take_a_where_object_for_the_last_level() {
    let (_temp, db) = family();
    let found = Parent::query()
        .order_by(parents::id.asc())
        .join_where("children", &json!({"id__lte": 15}))
        .unwrap()
        .select(&db)
        .unwrap();
    assert_eq!(found.len(), 10, "a join never filters the rows");
    let counts: Vec<usize> = found
        .iter()
        .map(|p| p.joined(parents::relations::children).unwrap().len())
        .collect();
    assert_eq!(&counts[..3], &[10, 5, 0]);

    let deep = Child::query()
        .filter(children::id.eq(1))
        .join_where("parent__pets", &json!({"animal": "Cat"}))
        .unwrap()
        .first(&db)
        .unwrap();
    let parent = deep
        .joined(children::relations::parent)
        .unwrap()
        .as_ref()
        .unwrap();
    let pets = parent.joined(parents::relations::pets).unwrap();
    assert!(!pets.is_empty() && pets.iter().all(|pet| pet.animal.as_deref() == Some("Cat")));
}

#[test]
fn safe_join_ignores_what_is_not_a_relationship() {
    let unchanged = Parent::query().safe_join("nothing__here", None).unwrap();
    assert!(unchanged.join_sql().is_empty());
    let joined = Parent::query()
        .safe_join("children", Some(&json!({"age__gte": 18})))
        .unwrap();
    assert_eq!(joined.join_sql().len(), 1);
    let error = Parent::query()
        .safe_join("children", Some(&json!({"shoe": 1})))
        .unwrap_err();
    assert!(
        error.to_string().contains("\"shoe\" is not a column"),
        "{error}"
    );
}
