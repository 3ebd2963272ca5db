//! The rows a query on the `family` fixture returned, named by id or name, and the rows its
//! seed (`fixtures/family/_instant/seed.json`) holds, so that an assertion says which rows
//! it expects rather than how many: a wrong row with the right count then fails.
//!
//! The seed's layout, which the expected rows are derived from: ten parents, ids 1–10 in
//! name order (Albert … Zoolander); ten children per parent, in parent order (parent `p` has
//! children `10p-9 ..= 10p`, named ChildA … ChildJ); three pets per parent, in parent order
//! (parent `p` has pets `3p-2` Oliver the cat, `3p-1` Ruby the dog, `3p` Pascal the cat);
//! partner `p` belongs to parent `p`; one friendship from every parent to each parent of a
//! lower id.

use instant_runtime::{Model, Record};
use instant_tests::family::{Child, Friendship, Parent, Partner, Pet};
use std::ops::RangeInclusive;

/// The seed's parent names, in id order (which is also name order).
pub const PARENT_NAMES: [&str; 10] = [
    "Albert",
    "Derek",
    "Dingleberry",
    "James",
    "Joe",
    "Sally",
    "Samantha",
    "Samuel",
    "Suzy",
    "Zoolander",
];

/// A family row's primary key, whatever its model.
pub trait Id {
    fn id(&self) -> i64;
}

impl Id for Parent {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Id for Child {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Id for Partner {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Id for Pet {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Id for Friendship {
    fn id(&self) -> i64 {
        self.id
    }
}

/// The ids of `rows` in the order the query returned them (for a query that orders).
pub fn ids<M: Model + Id>(rows: &[Record<M>]) -> Vec<i64> {
    rows.iter().map(|row| row.id()).collect()
}

/// The ids of `rows`, sorted (for a query that returns its rows in no particular order).
pub fn sorted_ids<M: Model + Id>(rows: &[Record<M>]) -> Vec<i64> {
    let mut ids = ids(rows);
    ids.sort_unstable();
    ids
}

/// The parents' names, sorted (for a query that returns its rows in no particular order).
pub fn sorted_names(parents: &[Record<Parent>]) -> Vec<&str> {
    let mut names: Vec<&str> = parents.iter().map(|parent| parent.name.as_str()).collect();
    names.sort_unstable();
    names
}

/// The ids `range` covers, as a list to compare with [`ids`] or [`sorted_ids`].
pub fn id_list(range: RangeInclusive<i64>) -> Vec<i64> {
    range.collect()
}

/// The ids of the seed's children of parent `parent`.
pub fn children_of(parent: i64) -> Vec<i64> {
    id_list(parent * 10 - 9..=parent * 10)
}

/// The ids of the seed's pets of parent `parent` (Oliver, Ruby, Pascal).
pub fn pets_of(parent: i64) -> Vec<i64> {
    id_list(parent * 3 - 2..=parent * 3)
}

/// For a query whose order leaves open which rows a limit keeps: `sorted` (ids, sorted) holds
/// no id twice and none outside `allowed`.
pub fn assert_all_distinct_among(sorted: &[i64], allowed: RangeInclusive<i64>) {
    assert!(
        sorted.windows(2).all(|pair| pair[0] < pair[1]),
        "an id twice: {sorted:?}"
    );
    assert!(
        sorted.iter().all(|id| allowed.contains(id)),
        "{sorted:?} not all in {allowed:?}"
    );
}
