//! Filters through relationships: instant.dev's `rel__column` where keys as EXISTS subqueries.

use crate::descriptor::Relation;

use super::condition::Condition;
use super::filter::Filter;

/// Filters on related rows, for every relationship marker (`parents::relations::pets`).
///
/// `pets.any(condition)` holds for a parent when *one* of its pets meets the whole
/// condition, so `pets.any(pets::name.eq("Ruby").and(pets::animal.eq("Cat")))` needs a pet
/// that is both, like instant.dev's `{pets__name: "Ruby", pets__animal: "Cat"}`. Two separate
/// `any` calls may be met by two different pets. Paths nest to any depth:
/// `parents.any(parents::relations::pets.any(…))` is instant.dev's `parent__pets__…`.
///
/// The SQL is a correlated `EXISTS (SELECT 1 FROM <related> WHERE <join> AND <condition>)`.
/// It filters the rows of the query; it joins nothing into them.
pub trait RelationExt: Relation + Sized {
    /// A related row exists that meets `condition`.
    fn any(self, condition: Condition<Self::To>) -> Condition<Self::From> {
        Condition::new(Filter::Exists {
            relation: Self::INFO,
            filter: Box::new(condition.filter),
        })
    }

    /// No related row meets `condition` (`NOT EXISTS`).
    fn none(self, condition: Condition<Self::To>) -> Condition<Self::From> {
        self.any(condition).not()
    }

    /// At least one related row exists.
    fn exists(self) -> Condition<Self::From> {
        self.any(Condition::all([]))
    }
}

impl<R: Relation> RelationExt for R {}
