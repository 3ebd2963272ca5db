//! instant.dev's `composer.js`, cases 1–48 (from "Should query all parents (10)" to "Should
//! join children and partners both to parents"), on the `family` fixture and its seed (the
//! data of the JS test's `before`), with the typed query API.
//!
//! The two "joined field is not found" cases name the relationship at run time
//! (`join_named`); the `__offset`/`__count` and `safeWhere` cases use the where-object API
//! (`where_json`, `safe_where`); `orderBy('parent__name')` is
//! `children::relations::parent.order_by(…)`.

use instant_runtime::query::prelude::*;
use instant_runtime::{Db, Model, Record, Records};
use instant_tests::family::{Child, Parent, Partner, children, parents};
use instant_tests::setup::family;
use rows::{
    PARENT_NAMES, assert_all_distinct_among, children_of, id_list, ids, pets_of, sorted_ids,
    sorted_names,
};
use sea_query::{PostgresQueryBuilder, QueryBuilder};

#[path = "common/rows.rs"]
mod rows;

/// The parents matching `condition`.
fn parents_where(db: &Db, condition: Condition<parents::Table>) -> Records<Parent> {
    Parent::query().filter(condition).select(db).unwrap()
}

/// The root statement with its bound values, then the statements loading the joins.
fn statements<M: Model>(query: &Query<M>) -> String {
    let (sql, values) = query.to_sql();
    let mut out = sql;
    for (index, value) in values.0.iter().enumerate() {
        let literal = PostgresQueryBuilder.value_to_string(value);
        out.push_str(&format!("\n${} = {literal}", index + 1));
    }
    for join in query.join_sql() {
        out.push('\n');
        out.push_str(&join);
    }
    out
}

/// The ids of the children each parent has joined (sorted: a join loads its rows in no
/// particular order), in the parents' order.
fn joined_children_ids(parents: &Records<Parent>) -> Vec<Vec<i64>> {
    parents
        .iter()
        .map(|parent| sorted_ids(parent.joined(parents::relations::children).unwrap()))
        .collect()
}

/// instant.dev: Should query all parents (10)
#[test]
fn should_query_all_parents() {
    let (_temp, db) = family();
    let parents: Records<Parent> = Parent::query().select(&db).unwrap();
    assert_eq!(sorted_ids(&parents), id_list(1..=10));
}

/// instant.dev: Should query all partners (10)
#[test]
fn should_query_all_partners() {
    let (_temp, db) = family();
    let partners: Records<Partner> = Partner::query().select(&db).unwrap();
    assert_eq!(sorted_ids(&partners), id_list(1..=10));
}

/// instant.dev: Should query all Children (100)
#[test]
fn should_query_all_children() {
    let (_temp, db) = family();
    let children: Records<Child> = Child::query().select(&db).unwrap();
    assert_eq!(sorted_ids(&children), id_list(1..=100));
}

/// instant.dev: Should have parent lazy load models after fetching
#[test]
fn should_have_parent_lazy_load_models_after_fetching() {
    let (_temp, db) = family();
    let mut parents = Parent::query().limit(1).select(&db).unwrap();
    let parent = &mut parents[0];
    assert!(parent.joined(parents::relations::children).is_none());
    assert!(parent.joined(parents::relations::partner).is_none());

    // instant.dev's `include(['children', 'partner'])` is one `include` per relationship.
    let children_ids: Vec<i64> = parent
        .include(&db, parents::relations::children)
        .unwrap()
        .iter()
        .map(|child| child.id)
        .collect();
    let mut sorted_children_ids = children_ids.clone();
    sorted_children_ids.sort_unstable();
    assert_eq!(sorted_children_ids, children_of(parent.id));
    let partner_id = parent
        .include(&db, parents::relations::partner)
        .unwrap()
        .as_ref()
        .map(|partner| partner.id);
    // Partner `p` belongs to parent `p` in the seed.
    assert_eq!(partner_id, Some(parent.id));

    let joined_children = parent.joined(parents::relations::children).unwrap();
    assert_eq!(
        joined_children.iter().map(|c| c.id).collect::<Vec<_>>(),
        children_ids
    );
    let joined_partner = parent.joined(parents::relations::partner).unwrap();
    assert_eq!(joined_partner.as_ref().map(|p| p.id), partner_id);
}

/// instant.dev: Should also lazy load from Child
#[test]
fn should_also_lazy_load_from_child() {
    let (_temp, db) = family();
    let mut children = Child::query().limit(1).select(&db).unwrap();
    // Any one child: no order says which.
    assert_eq!(children.len(), 1);
    assert_all_distinct_among(&sorted_ids(&children), 1..=100);
    let child = &mut children[0];
    assert!(child.joined(children::relations::parent).is_none());

    let parent_id = child
        .include(&db, children::relations::parent)
        .unwrap()
        .as_ref()
        .map(|parent| parent.id);
    assert_eq!(parent_id, child.parent_id);
    assert!(parent_id.is_some());
    let joined: &Option<Record<Parent>> = child.joined(children::relations::parent).unwrap();
    assert_eq!(joined.as_ref().map(|p| p.id), parent_id);
}

/// instant.dev: Should orderBy properly (DESC)
#[test]
fn should_order_by_properly_desc() {
    let (_temp, db) = family();
    let children = Child::query()
        .order_by(children::id.desc())
        .select(&db)
        .unwrap();
    assert_eq!(
        ids(&children),
        id_list(1..=100).into_iter().rev().collect::<Vec<_>>()
    );
}

/// instant.dev: Should limit properly (10)
#[test]
fn should_limit_properly_10() {
    let (_temp, db) = family();
    // instant.dev's `limit(5, 10)`: offset 5, count 10. Its select always reports the total
    // without the limit; here `with_total` asks for it.
    let children = Child::query()
        .offset(5)
        .limit(10)
        .with_total()
        .select(&db)
        .unwrap();
    // Without an order, which ten rows is not said: the count is what the case checks.
    assert_eq!(children.len(), 10);
    assert_all_distinct_among(&sorted_ids(&children), 1..=100);
    assert_eq!(children.total(), 100);
    assert_eq!(children.offset(), 5);
}

/// instant.dev: Should limit properly with an undefined offset
#[test]
fn should_limit_properly_with_an_undefined_offset() {
    let (_temp, db) = family();
    // `limit(undefined, 10)`: no offset.
    let children = Child::query().limit(10).with_total().select(&db).unwrap();
    // Without an order, which ten rows is not said: the count is what the case checks.
    assert_eq!(children.len(), 10);
    assert_all_distinct_among(&sorted_ids(&children), 1..=100);
    assert_eq!(children.total(), 100);
    assert_eq!(children.offset(), 0);
}

/// instant.dev: Should limit and orderBy properly (ASC)
#[test]
fn should_limit_and_order_by_properly_asc() {
    let (_temp, db) = family();
    let children = Child::query()
        .offset(10)
        .limit(10)
        .order_by(children::id.asc())
        .select(&db)
        .unwrap();
    assert_eq!(ids(&children), id_list(11..=20));
}

/// instant.dev: Should first properly
#[test]
fn should_first_properly() {
    let (_temp, db) = family();
    let parent = Parent::query()
        .order_by(parents::id.asc())
        .first(&db)
        .unwrap();
    assert_eq!(parent.id, 1);
}

/// instant.dev: Should give error on first if nothing found
#[test]
fn should_give_error_on_first_if_nothing_found() {
    let (_temp, db) = family();
    let error = Parent::query()
        .filter(parents::name.eq("Spongebob"))
        .first(&db)
        .unwrap_err();
    assert_eq!(error.status(), 404);
    assert!(error.is_not_found());
}

/// instant.dev: Should do an "is" where query properly
#[test]
fn should_do_an_is_where_query_properly() {
    let (_temp, db) = family();
    let parents = parents_where(&db, parents::name.eq("Zoolander"));
    assert_eq!(sorted_names(&parents), ["Zoolander"]);
}

/// instant.dev: Should do an "not" where query properly
#[test]
fn should_do_a_not_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.ne("Zoolander"))),
        PARENT_NAMES[..9]
    );
}

/// instant.dev: Should do a "lt" where query properly
#[test]
fn should_do_a_lt_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.lt("Zoolander"))),
        PARENT_NAMES[..9]
    );
}

/// instant.dev: Should do a "lte" where query properly
#[test]
fn should_do_a_lte_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.lte("Zoolander"))),
        PARENT_NAMES
    );
}

/// instant.dev: Should do a "gt" where query properly
#[test]
fn should_do_a_gt_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.gt("Albert"))),
        PARENT_NAMES[1..]
    );
}

/// instant.dev: Should do a "gte" where query properly
#[test]
fn should_do_a_gte_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.gte("Albert"))),
        PARENT_NAMES
    );
}

/// instant.dev: Should do a "contains" where query properly
#[test]
fn should_do_a_contains_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.contains("am"))),
        ["James", "Samantha", "Samuel"]
    );
}

/// instant.dev: Should do a "not_contains" where query properly
#[test]
fn should_do_a_not_contains_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.not_contains("am"))),
        [
            "Albert",
            "Derek",
            "Dingleberry",
            "Joe",
            "Sally",
            "Suzy",
            "Zoolander"
        ]
    );
}

/// instant.dev: Should do an "icontains" where query properly
#[test]
fn should_do_an_icontains_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.icontains("z"))),
        ["Suzy", "Zoolander"]
    );
}

/// instant.dev: Should do an "not_icontains" where query properly
#[test]
fn should_do_a_not_icontains_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.not_icontains("z"))),
        PARENT_NAMES[..8]
    );
}

/// instant.dev: Should do an "startswith" where query properly
#[test]
fn should_do_a_startswith_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.startswith("Sam"))),
        ["Samantha", "Samuel"]
    );
}

/// instant.dev: Should do an "not_startswith" where query properly
#[test]
fn should_do_a_not_startswith_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.not_startswith("Sam"))),
        [
            "Albert",
            "Derek",
            "Dingleberry",
            "James",
            "Joe",
            "Sally",
            "Suzy",
            "Zoolander"
        ]
    );
}

/// instant.dev: Should do an "endswith" where query properly
#[test]
fn should_do_an_endswith_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.endswith("y"))),
        ["Dingleberry", "Sally", "Suzy"]
    );
}

/// instant.dev: Should do an "not_endswith" where query properly
#[test]
fn should_do_a_not_endswith_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.not_endswith("y"))),
        [
            "Albert",
            "Derek",
            "James",
            "Joe",
            "Samantha",
            "Samuel",
            "Zoolander"
        ]
    );
}

/// instant.dev: Should do an "iendswith" where query properly
#[test]
fn should_do_an_iendswith_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.iendswith("Y"))),
        ["Dingleberry", "Sally", "Suzy"]
    );
}

/// instant.dev: Should do an "not_iendswith" where query properly
#[test]
fn should_do_a_not_iendswith_where_query_properly() {
    let (_temp, db) = family();
    assert_eq!(
        sorted_names(&parents_where(&db, parents::name.not_iendswith("Y"))),
        [
            "Albert",
            "Derek",
            "James",
            "Joe",
            "Samantha",
            "Samuel",
            "Zoolander"
        ]
    );
}

/// instant.dev: Should allow for OR queries
#[test]
fn should_allow_for_or_queries() {
    let (_temp, db) = family();
    // `where({name: 'Zoolander'}, {name: 'Albert'})`
    let parents = parents_where(
        &db,
        or!(parents::name.eq("Zoolander"), parents::name.eq("Albert")),
    );
    assert_eq!(sorted_names(&parents), ["Albert", "Zoolander"]);
}

/// instant.dev: Should where by "hidden" field
#[test]
fn should_where_by_hidden_field() {
    let (_temp, db) = family();
    // `hides('hidden')` only hides the field from JSON: `where` still filters on it
    // (Albert and Samantha have hidden 'a').
    let parents = parents_where(&db, parents::hidden.eq("a"));
    assert_eq!(sorted_names(&parents), ["Albert", "Samantha"]);
}

/// instant.dev: Should find all children with parent id = "1", by id
#[test]
fn should_find_all_children_with_parent_id_1_by_id() {
    let (_temp, db) = family();
    let children = Child::query()
        .filter(children::parent_id.eq(1))
        .select(&db)
        .unwrap();
    assert_eq!(sorted_ids(&children), children_of(1));
}

/// instant.dev: Should find all children with parent id = "1", by joining
#[test]
fn should_find_all_children_with_parent_id_1_by_joining() {
    let (_temp, db) = family();
    // `join('parent').where({parent__id: 1})`
    let query = Child::query()
        .join(children::relations::parent)
        .filter(children::relations::parent.any(parents::id.eq(1)));
    insta::assert_snapshot!(statements(&query));
    let children = query.select(&db).unwrap();
    assert_eq!(sorted_ids(&children), children_of(1));
    for child in &children {
        let parent = child.joined(children::relations::parent).unwrap();
        assert_eq!(parent.as_ref().map(|p| p.id), Some(1));
    }
}

/// instant.dev: Should find all children with parent name = "Zoolander", by joining
#[test]
fn should_find_all_children_with_parent_name_zoolander_by_joining() {
    let (_temp, db) = family();
    let children = Child::query()
        .join(children::relations::parent)
        .filter(children::relations::parent.any(parents::name.eq("Zoolander")))
        .select(&db)
        .unwrap();
    assert_eq!(sorted_ids(&children), children_of(10));
}

/// instant.dev: Should find all parents with children id <= 15, by joining
#[test]
fn should_find_all_parents_with_children_id_lte_15_by_joining() {
    let (_temp, db) = family();
    // `join('children').where({children__id__lte: 15})`. The JS reads `parents[0]` and
    // `parents[1]` without an order; ordered by id here.
    let query = Parent::query()
        .join(parents::relations::children)
        .filter(parents::relations::children.any(children::id.lte(15)))
        .order_by(parents::id.asc());
    insta::assert_snapshot!(statements(&query));
    let parents = query.select(&db).unwrap();
    assert_eq!(ids(&parents), [1, 2]);
    // The where filters parents; it does not restrict the joined children.
    assert_eq!(
        joined_children_ids(&parents),
        [children_of(1), children_of(2)]
    );
}

/// instant.dev: Should find all parents with children id <= 15, by joining with restrictions
#[test]
fn should_find_all_parents_with_children_id_lte_15_by_joining_with_restrictions() {
    let (_temp, db) = family();
    // `join('children', {id__lte: 15})`; ordered by id (the JS relies on row order).
    let query = Parent::query()
        .join_with(parents::relations::children, |kids| {
            kids.filter(children::id.lte(15))
        })
        .filter(parents::relations::children.any(children::id.lte(15)))
        .order_by(parents::id.asc());
    insta::assert_snapshot!(statements(&query));
    let parents = query.select(&db).unwrap();
    assert_eq!(ids(&parents), [1, 2]);
    assert_eq!(
        joined_children_ids(&parents),
        [children_of(1), id_list(11..=15)]
    );
}

/// instant.dev: Should find all parents with children id <= 15, by joining with more restrictions
#[test]
fn should_find_all_parents_with_children_id_lte_15_by_joining_with_more_restrictions() {
    let (_temp, db) = family();
    // `join('children', {id__lte: 15, id__gte: 11})`; ordered by id (the JS relies on row
    // order).
    let parents = Parent::query()
        .join_with(parents::relations::children, |kids| {
            kids.filter(children::id.lte(15).and(children::id.gte(11)))
        })
        .filter(parents::relations::children.any(children::id.lte(15)))
        .order_by(parents::id.asc())
        .select(&db)
        .unwrap();
    assert_eq!(ids(&parents), [1, 2]);
    // Joined but nothing matched: an empty collection, not an absent one.
    assert_eq!(joined_children_ids(&parents), [vec![], id_list(11..=15)]);
}

/// instant.dev: Should find all parents with children id <= 15, by joining with parent restrictions
#[test]
fn should_find_all_parents_with_children_id_lte_15_by_joining_with_parent_restrictions() {
    let (_temp, db) = family();
    // `join('children', {parent__id: 1})`: a relationship path inside a join filter, relative
    // to the joined child. Ordered by id (the JS relies on row order).
    let query = Parent::query()
        .join_with(parents::relations::children, |kids| {
            kids.filter(children::relations::parent.any(parents::id.eq(1)))
        })
        .filter(parents::relations::children.any(children::id.lte(15)))
        .order_by(parents::id.asc());
    insta::assert_snapshot!(statements(&query));
    let parents = query.select(&db).unwrap();
    assert_eq!(ids(&parents), [1, 2]);
    // Only parent 1's children have parent 1.
    assert_eq!(joined_children_ids(&parents), [children_of(1), vec![]]);
}

/// instant.dev: Should find all parents with children id <= 15, by joining with parent restrictions that joins another field
#[test]
fn should_find_all_parents_with_children_id_lte_15_by_joining_with_parent_restrictions_that_joins_another_field()
 {
    let (_temp, db) = family();
    // `join('children', {parent__children__id__in: [1, 2, 3]})`: a two-level path in a join
    // filter. Ordered by id (the JS relies on row order).
    let query = Parent::query()
        .join_with(parents::relations::children, |kids| {
            kids.filter(
                children::relations::parent
                    .any(parents::relations::children.any(children::id.in_([1_i64, 2, 3]))),
            )
        })
        .filter(parents::relations::children.any(children::id.lte(15)))
        .order_by(parents::id.asc());
    insta::assert_snapshot!(statements(&query));
    let parents = query.select(&db).unwrap();
    assert_eq!(ids(&parents), [1, 2]);
    // Children 1–3 are parent 1's, so only parent 1's children pass.
    assert_eq!(joined_children_ids(&parents), [children_of(1), vec![]]);
}

/// instant.dev: Should join children and partners both to parents
#[test]
fn should_join_children_and_partners_both_to_parents() {
    let (_temp, db) = family();
    let query = Parent::query()
        .join(parents::relations::children)
        .join(parents::relations::partner);
    insta::assert_snapshot!(statements(&query));
    let parents = query.select(&db).unwrap();
    assert_eq!(sorted_ids(&parents), id_list(1..=10));
    for parent in &parents {
        assert_eq!(
            sorted_ids(parent.joined(parents::relations::children).unwrap()),
            children_of(parent.id)
        );
        let partner = parent.joined(parents::relations::partner).unwrap();
        assert_eq!(
            partner.as_ref().and_then(|p| p.parent_id),
            Some(parent.id),
            "each parent has its own partner"
        );
    }
}

/// instant.dev: Should limit properly (query params, offset)
#[test]
fn where_offset_key_skips_rows() {
    let (_temp, db) = family();
    let found = Child::query()
        .where_json(&serde_json::json!({"__offset": 5}))
        .unwrap()
        .select(&db)
        .unwrap();
    // Without an order, which 95 rows is not said: the count is what the case checks.
    assert_eq!(found.len(), 95);
    assert_all_distinct_among(&sorted_ids(&found), 1..=100);
}

/// instant.dev: Should limit properly (query params, count)
#[test]
fn where_count_key_limits_rows() {
    let (_temp, db) = family();
    let found = Child::query()
        .where_json(&serde_json::json!({"__count": 10}))
        .unwrap()
        .select(&db)
        .unwrap();
    // Without an order, which ten rows is not said: the count is what the case checks.
    assert_eq!(found.len(), 10);
    assert_all_distinct_among(&sorted_ids(&found), 1..=100);
}

/// instant.dev: Should limit properly (query params, count + offset)
#[test]
fn where_count_and_offset_keys_page() {
    let (_temp, db) = family();
    let found = Child::query()
        .where_json(&serde_json::json!({"__offset": 5, "__count": 10}))
        .unwrap()
        .with_total()
        .select(&db)
        .unwrap();
    // Without an order, which ten rows is not said: the count is what the case checks.
    assert_eq!(found.len(), 10);
    assert_all_distinct_among(&sorted_ids(&found), 1..=100);
    assert_eq!(found.offset(), 5);

    assert_eq!(found.total(), 100);
}

/// composer.js's Parent: `Parent.hides('hidden')`.
#[derive(Debug, Clone, Model)]
#[instant(table = parents)]
struct HidingParent {
    id: i64,
    name: String,
    #[hides]
    hidden: Option<String>,
}

impl rows::Id for HidingParent {
    fn id(&self) -> i64 {
        self.id
    }
}

/// instant.dev: Should safeWhere and ignore "hidden" field
#[test]
fn safe_where_ignores_a_hidden_field() {
    let (_temp, db) = family();
    let unsafe_where = HidingParent::query()
        .filter(parents::hidden.eq(Some("a".to_string())))
        .select(&db)
        .unwrap();
    // Albert and Samantha.
    assert_eq!(sorted_ids(&unsafe_where), [1, 7]);
    let safe = HidingParent::query()
        .safe_where(&serde_json::json!({"hidden": "a"}))
        .unwrap()
        .select(&db)
        .unwrap();
    assert_eq!(sorted_ids(&safe), id_list(1..=10));
}

/// instant.dev: Should safeWhere and ignore "hidden" order
#[test]
fn safe_where_ignores_a_hidden_order() {
    let (_temp, db) = family();
    let safe = HidingParent::query()
        .safe_where(&serde_json::json!({"__order": "hidden DESC"}))
        .unwrap();
    assert_eq!(safe.to_sql(), HidingParent::query().to_sql());
    assert_eq!(sorted_ids(&safe.select(&db).unwrap()), id_list(1..=10));
}

/// instant.dev: Should safeWhere and support order
#[test]
fn safe_where_supports_order() {
    let (_temp, db) = family();
    let found = HidingParent::query()
        .safe_where(&serde_json::json!({"__order": "name DESC"}))
        .unwrap()
        .select(&db)
        .unwrap();
    let names: Vec<&str> = found.iter().map(|parent| parent.name.as_str()).collect();
    let mut name_desc = PARENT_NAMES;
    name_desc.reverse();
    assert_eq!(names, name_desc);
}

/// instant.dev: Should safeWhere and ignore "hidden" field with modifier
#[test]
fn safe_where_ignores_a_hidden_field_with_a_comparator() {
    let (_temp, db) = family();
    let found = HidingParent::query()
        .safe_where(&serde_json::json!({"hidden__not": "a"}))
        .unwrap()
        .select(&db)
        .unwrap();
    assert_eq!(sorted_ids(&found), id_list(1..=10));
}

/// instant.dev: Should orderBy a joined property properly (DESC)
#[test]
fn order_by_a_column_of_the_joined_parent() {
    let (_temp, db) = family();
    let found = Child::query()
        .join(children::relations::parent)
        .order_by(children::relations::parent.order_by(parents::name).desc())
        .select(&db)
        .unwrap();
    let name = |child: &Record<Child>| {
        child
            .joined(children::relations::parent)
            .unwrap()
            .as_ref()
            .unwrap()
            .name
            .clone()
    };
    // Ten children per parent, the parents by name descending; within one parent the
    // children come in no particular order.
    let blocks: Vec<(Vec<String>, Vec<i64>)> = found
        .chunks(10)
        .map(|block| (block.iter().map(name).collect(), sorted_ids(block)))
        .collect();
    let expected: Vec<(Vec<String>, Vec<i64>)> = PARENT_NAMES
        .iter()
        .rev()
        .zip((1..=10).rev())
        .map(|(parent_name, parent)| (vec![parent_name.to_string(); 10], children_of(parent)))
        .collect();
    assert_eq!(blocks, expected);
}

/// instant.dev: Should throw an error if a joined field is not found child -> parent
#[test]
fn joining_an_unknown_relationship_of_a_child_names_the_valid_ones() {
    let error = Child::query().join_named("parents").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Valid relationships are: \"parent\""),
        "{error}"
    );
}

/// instant.dev: Should throw an error if a joined field is not found parent -> child
#[test]
fn joining_an_unknown_relationship_of_a_parent_names_the_valid_ones() {
    let error = Parent::query().join_named("child").unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(
            "Model Parent does not have relationship \"child\".\nValid relationships are:"
        ),
        "{message}"
    );
    assert!(message.contains("\"children\""), "{message}");
}

#[test]
fn a_join_named_at_run_time_loads_every_level_of_its_path() {
    let (_temp, db) = family();
    let named = Child::query()
        .filter(children::id.lte(3))
        .order_by(children::id.asc())
        .join_named("parent__pets")
        .unwrap()
        .select(&db)
        .unwrap();
    assert_eq!(ids(&named), [1, 2, 3]);
    for child in &named {
        let parent = child
            .joined(children::relations::parent)
            .unwrap()
            .as_ref()
            .unwrap();
        assert_eq!(parent.id, 1);
        assert_eq!(
            sorted_ids(parent.joined(parents::relations::pets).unwrap()),
            pets_of(1)
        );
    }

    let error = Child::query().join_named("parent__pest").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("Model Parent does not have relationship \"pest\""),
        "{error}"
    );
}
