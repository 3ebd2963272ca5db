//! Typed queries run against a real database migrated from `fixtures/family`: the SQL runs,
//! and filters, escaping, EXISTS paths and ordering select the right rows.

use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::{Error, or};
mod common;

use instant_tests::family::{Child, Parent, Pet, children, parents, pets};
use serde_json::json;

fn family() -> (TempDb, instant_runtime::Connection) {
    let db = TempDb::new().unwrap();
    db.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/family"))
        .unwrap();
    let mut client = instant_runtime::Connection::new(db.connect().unwrap());
    client
        .batch_execute(
            r#"
            INSERT INTO parents (id, name, shirt) VALUES (1, 'Albert', 'red'), (2, 'Beth', NULL), (3, 'Ca_l', NULL);
            INSERT INTO pets (parent_id, name, animal, details) VALUES
                (1, 'Ruby', 'Cat', '{"language": "en", "trained": true}'),
                (1, 'Oliver', 'Dog', '{"language": "fr"}'),
                (2, 'Ruby', 'Dog', NULL),
                (2, 'Kit', NULL, '{}');
            INSERT INTO children (parent_id, name, age, is_favorite) VALUES
                (1, 'Dee', 3, true), (2, 'Eve', 10, NULL), (3, 'Fay', NULL, false);
            "#,
        )
        .unwrap();
    (db, client)
}

fn parent_names(query: &Query<Parent>, client: &mut instant_runtime::Connection) -> Vec<String> {
    let query = query.order_by(parents::name.asc());
    query
        .select(client)
        .unwrap()
        .into_iter()
        .map(|p| p.into_inner().name)
        .collect()
}

fn pet_names(query: &Query<Pet>, client: &mut instant_runtime::Connection) -> Vec<String> {
    let query = query.order_by(pets::name.asc()).order_by(pets::id.asc());
    let pets = query.select(client).unwrap();
    pets.into_iter()
        .filter_map(|p| p.into_inner().name)
        .collect()
}

#[test]
fn conditions_on_one_path_hold_for_the_same_related_row() {
    let (_db, mut client) = family();
    let ruby_the_cat =
        parents::relations::pets.any(pets::name.eq("Ruby").and(pets::animal.eq("Cat")));
    assert_eq!(
        parent_names(&query().filter(ruby_the_cat), &mut client),
        ["Albert"]
    );
    let a_ruby_and_a_cat = parents::relations::pets
        .any(pets::name.eq("Ruby"))
        .and(parents::relations::pets.any(pets::animal.eq("Cat")));
    assert_eq!(
        parent_names(&query().filter(a_ruby_and_a_cat), &mut client),
        ["Albert"]
    );
    let a_ruby_or_a_dog = parents::relations::pets.any(pets::name.eq("Ruby"));
    assert_eq!(
        parent_names(&query().filter(a_ruby_or_a_dog), &mut client),
        ["Albert", "Beth"]
    );
    let no_pets = parents::relations::pets.none(Condition::all([]));
    assert_eq!(
        parent_names(&query().filter(no_pets), &mut client),
        ["Ca_l"]
    );
}

#[test]
fn nested_paths_reach_two_and_three_levels() {
    let (_db, mut client) = family();
    // Child.where({parent__pets__name: 'Oliver'})
    let with_oliver =
        children::relations::parent.any(parents::relations::pets.any(pets::name.eq("Oliver")));
    let found = query::<Child>()
        .filter(with_oliver)
        .select(&mut client)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name.as_deref(), Some("Dee"));
    // Pet.where({parent__children__parent__name: 'Beth'}): `parents` twice in one query.
    let beths = pets::relations::parent.any(
        parents::relations::children.any(children::relations::parent.any(parents::name.eq("Beth"))),
    );
    assert_eq!(
        pet_names(&query().filter(beths), &mut client),
        ["Kit", "Ruby"]
    );
}

#[test]
fn text_comparators_match_wildcards_literally() {
    let (_db, mut client) = family();
    let underscore = query::<Parent>().filter(parents::name.contains("_"));
    assert_eq!(parent_names(&underscore, &mut client), ["Ca_l"]);
    let percent = query::<Parent>().filter(parents::name.contains("%"));
    assert!(parent_names(&percent, &mut client).is_empty());
    let caller_pattern = query::<Parent>().filter(parents::name.like("B_t%"));
    assert_eq!(parent_names(&caller_pattern, &mut client), ["Beth"]);
    let insensitive = query::<Parent>().filter(parents::name.istartswith("al"));
    assert_eq!(parent_names(&insensitive, &mut client), ["Albert"]);
    let not_ending = query::<Parent>().filter(parents::name.not_iendswith("T"));
    assert_eq!(parent_names(&not_ending, &mut client), ["Beth", "Ca_l"]);
}

#[test]
fn null_boolean_and_list_comparators() {
    let (_db, mut client) = family();
    let no_shirt = query::<Parent>().filter(parents::shirt.eq(None));
    assert_eq!(parent_names(&no_shirt, &mut client), ["Beth", "Ca_l"]);
    let shirt = query::<Parent>().filter(parents::shirt.ne(None));
    assert_eq!(parent_names(&shirt, &mut client), ["Albert"]);

    let favorite = query::<Child>().filter(children::is_favorite.eq(true));
    assert_eq!(favorite.count(&mut client).unwrap(), 1);
    let not_favorite = query::<Child>().filter(children::is_favorite.not_true());
    assert_eq!(not_favorite.count(&mut client).unwrap(), 2);

    let cats_and_dogs = query::<Pet>().filter(pets::animal.in_(["Cat", "Dog"]));
    assert_eq!(cats_and_dogs.count(&mut client).unwrap(), 3);
    let nothing = query::<Pet>().filter(pets::animal.in_(Vec::<String>::new()));
    assert_eq!(nothing.count(&mut client).unwrap(), 0);
    // instant.dev's not_in keeps rows whose column is NULL.
    let others = query::<Pet>().filter(pets::animal.not_in(["Cat", "Dog"]));
    assert_eq!(pet_names(&others, &mut client), ["Kit"]);
    let ids = query::<Parent>().filter(parents::id.in_([1, 3]));
    assert_eq!(parent_names(&ids, &mut client), ["Albert", "Ca_l"]);
}

#[test]
fn json_keys_compare_as_text() {
    let (_db, mut client) = family();
    let english = query::<Pet>().filter(pets::details.key_eq("language", "en"));
    assert_eq!(pet_names(&english, &mut client), ["Ruby"]);
    let trained = query::<Pet>().filter(pets::details.key_eq("trained", true));
    assert_eq!(pet_names(&trained, &mut client), ["Ruby"]);
    let with_language = query::<Pet>().filter(pets::details.has_key("language"));
    assert_eq!(pet_names(&with_language, &mut client), ["Oliver", "Ruby"]);
    let same = query::<Pet>().filter(pets::details.eq(json!({"language": "fr"})));
    assert_eq!(pet_names(&same, &mut client), ["Oliver"]);
}

#[test]
fn order_puts_nulls_last_and_limit_offset_page() {
    let (_db, mut client) = family();
    let by_age = query::<Child>().order_by(children::age.asc());
    let names = |rows: Vec<Child>| rows.into_iter().filter_map(|c| c.name).collect::<Vec<_>>();
    assert_eq!(
        names(by_age.select(&mut client).unwrap().into_models()),
        ["Dee", "Eve", "Fay"]
    );
    let by_age_desc = query::<Child>().order_by(children::age.desc());
    assert_eq!(
        names(by_age_desc.select(&mut client).unwrap().into_models()),
        ["Eve", "Dee", "Fay"]
    );
    let page = by_age.offset(1).limit(1);
    assert_eq!(
        names(page.select(&mut client).unwrap().into_models()),
        ["Eve"]
    );
    assert_eq!(page.count(&mut client).unwrap(), 1);
    assert_eq!(by_age.count(&mut client).unwrap(), 3);
}

#[test]
fn first_returns_a_row_or_instant_devs_not_found() {
    let (_db, mut client) = family();
    let either = query::<Parent>()
        .filter(or!(parents::name.eq("Beth"), parents::name.eq("Ca_l")))
        .order_by(parents::name.desc());
    assert_eq!(either.first(&mut client).unwrap().name, "Ca_l");
    let nobody = query::<Parent>().filter(parents::name.eq("Nobody"));
    assert!(nobody.first_or_none(&mut client).unwrap().is_none());
    let error = nobody.first(&mut client).unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }));
    assert_eq!(
        error.to_string(),
        "No records for Parent found in your query"
    );
}

#[test]
fn array_operators_and_a_hand_written_model() {
    use common::SampleRow;
    use instant_tests::types::samples;

    let db = TempDb::with_vector().unwrap();
    db.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/types"))
        .unwrap();
    let mut client = instant_runtime::Connection::new(db.connect().unwrap());
    client
        .batch_execute(
            r#"
            INSERT INTO samples (string_value, smallint_value, uuid_value, text_array, int_array, jsonb_value) VALUES
                ('one', 1, gen_random_uuid(), '{a,b}', '{1,2}', '{"k": 1}'),
                ('two', 2, gen_random_uuid(), '{b,c}', '{3}', '{"j": 1}'),
                ('three', 3, gen_random_uuid(), '{}', NULL, NULL);
            "#,
        )
        .unwrap();
    let names = |query: Query<SampleRow>, client: &mut instant_runtime::Connection| {
        let query = query.order_by(samples::id.asc());
        let rows = query.select(client).unwrap();
        rows.into_iter()
            .map(|s| s.into_inner().string_value)
            .collect::<Vec<_>>()
    };
    let with_b = query().filter(samples::text_array.array_contains(["b"]));
    assert_eq!(names(with_b, &mut client), ["one", "two"]);
    let with_a_and_b = query().filter(samples::text_array.array_contains(["a", "b"]));
    assert_eq!(names(with_a_and_b, &mut client), ["one"]);
    let without_c = query().filter(samples::text_array.not_array_contains(["c"]));
    assert_eq!(names(without_c, &mut client), ["one", "three"]);
    let two_or_three = query().filter(samples::int_array.array_intersects([2, 3]));
    assert_eq!(names(two_or_three, &mut client), ["one", "two"]);
    let has_k = query().filter(samples::jsonb_value.has_key("k"));
    assert_eq!(names(has_k, &mut client), ["one"]);
    let exact = query().filter(samples::text_array.eq(vec!["b".to_string(), "c".to_string()]));
    assert_eq!(names(exact, &mut client), ["two"]);
}
