//! The SQL and bound values of typed queries, one snapshot per query: every instant.dev
//! comparator, AND/OR groups, relationship paths, ordering, limit and offset.

mod common;

use chrono::NaiveDate;
use common::SampleRow;
use instant_runtime::query::prelude::*;
use instant_runtime::{Model, and, or};
use instant_tests::family::{Child, Parent, Pet, children, parents, pets};
use instant_tests::types::samples;
use rust_decimal::Decimal;
use sea_query::{PostgresQueryBuilder, QueryBuilder};
use serde_json::json;

/// The SQL, then one `$n = literal` line per bound value.
fn show((sql, values): (String, sea_query::Values)) -> String {
    let mut out = sql;
    for (index, value) in values.0.iter().enumerate() {
        let literal = PostgresQueryBuilder.value_to_string(value);
        out.push_str(&format!("\n${} = {literal}", index + 1));
    }
    out
}

fn sql<M: Model>(query: &Query<M>) -> String {
    show(query.to_sql())
}

fn parents_where(condition: Condition<parents::Table>) -> String {
    sql(&query::<Parent>().filter(condition))
}

fn children_where(condition: Condition<children::Table>) -> String {
    sql(&query::<Child>().filter(condition))
}

fn pets_where(condition: Condition<pets::Table>) -> String {
    sql(&query::<Pet>().filter(condition))
}

fn samples_where(condition: Condition<samples::Table>) -> String {
    sql(&query::<SampleRow>().filter(condition))
}

#[test]
fn every_row_selects_the_model_columns_in_field_order() {
    insta::assert_snapshot!("all_parents", sql(&query::<Parent>()));
    insta::assert_snapshot!("all_samples_subset", sql(&Query::<SampleRow>::new()));
}

#[test]
fn eq_and_ne_rewrite_null_true_and_false() {
    insta::assert_snapshot!("eq_text", parents_where(parents::name.eq("Ruby")));
    let owned = String::from("Ruby");
    assert_eq!(parents::name.eq(&owned), parents::name.eq("Ruby"));
    assert_eq!(parents::name.eq(owned), parents::name.eq("Ruby"));
    insta::assert_snapshot!("eq_nullable_text", parents_where(parents::shirt.eq("red")));
    assert_eq!(
        parents::shirt.eq(Some("red".to_string())),
        parents::shirt.eq("red")
    );
    insta::assert_snapshot!("eq_none_is_null", parents_where(parents::shirt.eq(None)));
    insta::assert_snapshot!(
        "eq_true_is_true",
        children_where(children::is_favorite.eq(true))
    );
    insta::assert_snapshot!(
        "eq_false_is_false",
        children_where(children::is_favorite.eq(false))
    );
    insta::assert_snapshot!("eq_integer", children_where(children::age.eq(3)));
    insta::assert_snapshot!("ne_integer", children_where(children::age.ne(3)));
    insta::assert_snapshot!(
        "ne_none_is_not_null",
        children_where(children::age.ne(None))
    );
    insta::assert_snapshot!(
        "ne_true_is_not_true",
        children_where(children::is_favorite.ne(true))
    );
    insta::assert_snapshot!(
        "ne_false_is_not_false",
        children_where(children::is_favorite.ne(false))
    );
    insta::assert_snapshot!(
        "eq_uuid",
        samples_where(samples::uuid_value.eq(uuid::Uuid::nil()))
    );
    insta::assert_snapshot!(
        "eq_json_as_jsonb",
        samples_where(samples::json_value.eq(json!({"a": 1})))
    );
    insta::assert_snapshot!(
        "eq_jsonb",
        samples_where(samples::jsonb_value.eq(json!([1, 2])))
    );
    insta::assert_snapshot!(
        "eq_array",
        samples_where(samples::text_array.eq(vec!["a".to_string(), "b".to_string()]))
    );
}

#[test]
fn ordered_comparators() {
    insta::assert_snapshot!("lt", children_where(children::age.lt(10)));
    insta::assert_snapshot!("lte", children_where(children::age.lte(10)));
    insta::assert_snapshot!("gt", children_where(children::age.gt(10)));
    insta::assert_snapshot!("gte", children_where(children::age.gte(10)));
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    insta::assert_snapshot!("gte_date", samples_where(samples::date_value.gte(day)));
    insta::assert_snapshot!(
        "gt_decimal",
        samples_where(samples::numeric_value.gt(Decimal::new(1999, 2)))
    );
    insta::assert_snapshot!("lt_text", parents_where(parents::name.lt("M")));
}

#[test]
fn text_comparators_escape_wildcards() {
    insta::assert_snapshot!(
        "contains_escaped",
        pets_where(pets::name.contains(r"50%_off\"))
    );
    insta::assert_snapshot!("not_contains", pets_where(pets::name.not_contains("by")));
    insta::assert_snapshot!("icontains", pets_where(pets::name.icontains("RU")));
    insta::assert_snapshot!("not_icontains", pets_where(pets::name.not_icontains("RU")));
    insta::assert_snapshot!("startswith", pets_where(pets::name.startswith("R_")));
    insta::assert_snapshot!("not_startswith", pets_where(pets::name.not_startswith("R")));
    insta::assert_snapshot!("istartswith", pets_where(pets::name.istartswith("r")));
    insta::assert_snapshot!(
        "not_istartswith",
        pets_where(pets::name.not_istartswith("r"))
    );
    insta::assert_snapshot!("endswith", pets_where(pets::name.endswith("%")));
    insta::assert_snapshot!("not_endswith", pets_where(pets::name.not_endswith("y")));
    insta::assert_snapshot!("iendswith", pets_where(pets::name.iendswith("Y")));
    insta::assert_snapshot!("not_iendswith", pets_where(pets::name.not_iendswith("Y")));
}

#[test]
fn like_comparators_take_the_callers_pattern() {
    insta::assert_snapshot!("like", pets_where(pets::name.like("R_b%")));
    insta::assert_snapshot!("not_like", pets_where(pets::name.not_like("R_b%")));
    insta::assert_snapshot!("ilike", pets_where(pets::name.ilike("r%")));
    insta::assert_snapshot!("not_ilike", pets_where(pets::name.not_ilike("r%")));
}

#[test]
fn null_and_boolean_tests_bind_nothing() {
    insta::assert_snapshot!("is_null", pets_where(pets::animal.is_null()));
    insta::assert_snapshot!("not_null", pets_where(pets::animal.not_null()));
    insta::assert_snapshot!("is_true", pets_where(pets::is_alive.is_true()));
    insta::assert_snapshot!("is_false", pets_where(pets::is_alive.is_false()));
    insta::assert_snapshot!("not_true", pets_where(pets::is_alive.not_true()));
    insta::assert_snapshot!("not_false", pets_where(pets::is_alive.not_false()));
}

#[test]
fn in_and_not_in_bind_one_array() {
    insta::assert_snapshot!("in", children_where(children::id.in_([1, 11, 22])));
    insta::assert_snapshot!(
        "in_empty",
        children_where(children::id.in_(Vec::<i64>::new()))
    );
    insta::assert_snapshot!("in_text", pets_where(pets::animal.in_(["Cat", "Dog"])));
    insta::assert_snapshot!("not_in", pets_where(pets::animal.not_in(["Cat", "Dog"])));
}

#[test]
fn array_operators() {
    insta::assert_snapshot!(
        "array_contains",
        samples_where(samples::string_array.array_contains(["a", "b"]))
    );
    insta::assert_snapshot!(
        "not_array_contains",
        samples_where(samples::text_array.not_array_contains(["a"]))
    );
    insta::assert_snapshot!(
        "array_intersects",
        samples_where(samples::int_array.array_intersects([1, 2]))
    );
    insta::assert_snapshot!(
        "not_array_intersects",
        samples_where(samples::int_array.not_array_intersects([3]))
    );
}

#[test]
fn json_key_tests() {
    insta::assert_snapshot!(
        "key_eq_text",
        pets_where(pets::details.key_eq("language", "en"))
    );
    insta::assert_snapshot!(
        "key_eq_true",
        pets_where(pets::details.key_eq("trained", true))
    );
    insta::assert_snapshot!(
        "key_eq_null",
        pets_where(pets::details.key_eq("language", json!(null)))
    );
    insta::assert_snapshot!(
        "has_key_json",
        pets_where(pets::details.has_key("language"))
    );
    insta::assert_snapshot!(
        "has_key_jsonb",
        samples_where(samples::jsonb_value.has_key("k"))
    );
}

#[test]
fn groups_and_and_or() {
    insta::assert_snapshot!(
        "and_in_one_filter",
        pets_where(pets::name.eq("Ruby").and(pets::animal.eq("Cat")))
    );
    insta::assert_snapshot!(
        "chained_filters_are_anded",
        sql(&query::<Pet>()
            .filter(pets::name.eq("Ruby"))
            .filter(pets::animal.eq("Cat")))
    );
    // instant.dev: where({name: 'Ruby', animal: 'Cat'}, {animal: 'Dog'})
    insta::assert_snapshot!(
        "or_of_where_objects",
        pets_where(or!(
            and!(pets::name.eq("Ruby"), pets::animal.eq("Cat")),
            pets::animal.eq("Dog"),
        ))
    );
    insta::assert_snapshot!(
        "or_inside_and",
        pets_where(
            pets::is_alive
                .is_true()
                .and(pets::animal.eq("Cat").or(pets::animal.eq("Dog")))
        )
    );
    // instant.dev: {name__icontains: ['a', 'e']}, an array on a scalar comparator.
    insta::assert_snapshot!(
        "array_value_on_scalar_comparator",
        pets_where(and!(pets::name.icontains("a"), pets::name.icontains("e")))
    );
    insta::assert_snapshot!("not", pets_where(pets::animal.eq("Cat").not()));
    insta::assert_snapshot!("empty_all_matches_every_row", pets_where(and!()));
    insta::assert_snapshot!("empty_any_matches_no_row", pets_where(or!()));
}

#[test]
fn relation_paths_are_exists_subqueries() {
    // instant.dev: {pets__name: 'Ruby', pets__animal: 'Cat'}: one pet that is both.
    insta::assert_snapshot!(
        "one_level_same_related_row",
        parents_where(
            parents::relations::pets.any(pets::name.eq("Ruby").and(pets::animal.eq("Cat")))
        )
    );
    insta::assert_snapshot!(
        "one_level_two_paths",
        parents_where(
            parents::relations::pets
                .any(pets::name.eq("Ruby"))
                .and(parents::relations::pets.any(pets::animal.eq("Cat")))
        )
    );
    insta::assert_snapshot!(
        "belongs_to",
        children_where(children::relations::parent.any(parents::name.eq("Albert")))
    );
    // instant.dev: Child.where({parent__pets__name: 'Ruby'})
    insta::assert_snapshot!(
        "two_levels",
        children_where(
            children::relations::parent.any(parents::relations::pets.any(pets::name.eq("Ruby")))
        )
    );
    // instant.dev: Pet.where({parent__children__parent__name: 'Albert'}): `parents` twice.
    insta::assert_snapshot!(
        "three_levels_alias_a_repeated_table",
        pets_where(
            pets::relations::parent.any(
                parents::relations::children
                    .any(children::relations::parent.any(parents::name.eq("Albert")))
            )
        )
    );
    insta::assert_snapshot!(
        "relation_with_root_condition_and_or",
        parents_where(or!(
            parents::name
                .startswith("A")
                .and(parents::relations::children.any(children::age.lte(15))),
            parents::relations::pets.none(pets::animal.eq("Cat")),
        ))
    );
    insta::assert_snapshot!(
        "exists",
        parents_where(parents::relations::partner.exists())
    );
    insta::assert_snapshot!(
        "self_join_through_friendships",
        parents_where(parents::relations::outgoing_friendships.any(
            instant_tests::family::friendships::relations::to_parent.any(parents::name.eq("Bo"))
        ))
    );
}

#[test]
fn order_limit_and_offset() {
    insta::assert_snapshot!(
        "order_asc",
        sql(&query::<Child>().order_by(children::age.asc()))
    );
    insta::assert_snapshot!(
        "order_desc_then_asc",
        sql(&query::<Child>()
            .order_by(children::age.desc())
            .order_by(children::name.asc()))
    );
    insta::assert_snapshot!("limit", sql(&query::<Child>().limit(5)));
    insta::assert_snapshot!("offset", sql(&query::<Child>().offset(10)));
    insta::assert_snapshot!(
        "everything",
        sql(&query::<Child>()
            .filter(children::age.gte(3))
            .filter(children::relations::parent.any(parents::shirt.eq(None)))
            .order_by(children::name.asc())
            .limit(10)
            .offset(20))
    );
}

#[test]
fn count_keeps_filters_and_limit_but_not_order() {
    let older = query::<Child>()
        .filter(children::age.gt(3))
        .order_by(children::age.asc());
    insta::assert_snapshot!("count", show(older.count_sql()));
    insta::assert_snapshot!(
        "count_with_limit",
        show(older.limit(5).offset(1).count_sql())
    );
}

#[test]
fn branching_never_changes_the_original() {
    let base = query::<Pet>().filter(pets::animal.eq("Cat"));
    let before = base.to_sql();
    let named = base.filter(pets::name.eq("Ruby"));
    let ordered = base.order_by(pets::name.desc()).limit(3).offset(1);
    assert_eq!(base.to_sql(), before);
    assert_ne!(named.to_sql(), before);
    assert_ne!(ordered.to_sql(), named.to_sql());
    // A branch of a branch leaves its parent alone too.
    let again = named.limit(1);
    assert_eq!(named.to_sql().0, format!("{}", named.to_sql().0));
    assert!(!named.to_sql().0.contains("LIMIT"));
    assert!(again.to_sql().0.ends_with("LIMIT $3"));
    let cloned = ordered.clone();
    assert_eq!(cloned.to_sql(), ordered.to_sql());
}
