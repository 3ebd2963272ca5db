//! Typed queries on the models codegen generates (with `#[derive(Model)]`), run on a real
//! database migrated from the `family` fixture.

use instant_runtime::Model;
use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_tests::family::{Child, Parent, Pet, children, parents, pets};

/// A temporary database with the family schema and a small family: three parents, their
/// children and pets.
fn family() -> (TempDb, instant_runtime::Connection) {
    let db = TempDb::new().unwrap();
    db.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/family"))
        .unwrap();
    let mut client = instant_runtime::Connection::new(db.connect().unwrap());
    client
        .batch_execute(
            "INSERT INTO parents (name, shirt) VALUES ('Albert', 'red'), ('Sally', NULL), ('Samuel', 'blue');
             INSERT INTO children (parent_id, name, age) VALUES
               (1, 'Ann', 4), (1, 'Bob', 17), (2, 'Cid', 9), (3, 'Dee', 12), (3, 'Eve', 16);
             INSERT INTO pets (parent_id, name, animal) VALUES
               (1, 'Ruby', 'Dog'), (2, 'Ruby', 'Cat'), (2, 'Oliver', 'Dog'), (3, 'Pascal', 'Cat');",
        )
        .unwrap();
    (db, client)
}

fn names(parents: &[instant_runtime::Record<Parent>]) -> Vec<&str> {
    parents.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn filters_order_and_limit() {
    let (_db, mut client) = family();
    let found = Parent::query()
        .filter(parents::name.istartswith("sa"))
        .order_by(parents::name.desc())
        .select(&mut client)
        .unwrap();
    assert_eq!(names(&found), ["Samuel", "Sally"]);

    let page = Child::query()
        .order_by(children::age.asc())
        .offset(1)
        .limit(2)
        .select(&mut client)
        .unwrap();
    let ages: Vec<Option<i64>> = page.iter().map(|c| c.age).collect();
    assert_eq!(ages, [Some(9), Some(12)]);
}

#[test]
fn null_rewriting_and_or_groups() {
    let (_db, mut client) = family();
    let no_shirt = Parent::query()
        .filter(parents::shirt.eq(None))
        .select(&mut client)
        .unwrap();
    assert_eq!(names(&no_shirt), ["Sally"]);

    let either = Parent::query()
        .filter(or!(parents::name.eq("Albert"), parents::shirt.eq("blue")))
        .order_by(parents::id.asc())
        .select(&mut client)
        .unwrap();
    assert_eq!(names(&either), ["Albert", "Samuel"]);
}

#[test]
fn relation_conditions_hold_for_the_same_related_row() {
    let (_db, mut client) = family();
    // Sally has a pet called Ruby and a dog, but no dog called Ruby.
    let ruby_the_dog = Parent::query()
        .filter(parents::relations::pets.any(pets::name.eq("Ruby").and(pets::animal.eq("Dog"))))
        .select(&mut client)
        .unwrap();
    assert_eq!(names(&ruby_the_dog), ["Albert"]);

    // Two levels: pets whose owner has a child aged 16 or more.
    let pets_of_teen_parents = Pet::query()
        .filter(
            pets::relations::parent.any(parents::relations::children.any(children::age.gte(16))),
        )
        .order_by(pets::name.asc())
        .select(&mut client)
        .unwrap();
    let pet_names: Vec<&str> = pets_of_teen_parents
        .iter()
        .map(|p| p.name.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(pet_names, ["Pascal", "Ruby"]);
}

#[test]
fn first_and_count() {
    let (_db, mut client) = family();
    assert_eq!(
        Child::query()
            .filter(children::age.lt(10))
            .count(&mut client)
            .unwrap(),
        2
    );
    let error = Parent::query()
        .filter(parents::name.eq("Zoolander"))
        .first(&mut client)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "No records for Parent found in your query"
    );
}
