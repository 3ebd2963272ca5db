//! Filters through relationships: instant.dev's `rel__column` where keys as EXISTS subqueries.

use crate::descriptor::{Column, Relation, RelationKind};

use super::condition::Condition;
use super::filter::Filter;
use super::order::Order;

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

    /// Ascending by a column of the one row this relationship leads to (instant.dev's
    /// `orderBy('parent__name')`): `children::relations::parent.order_by(parents::name).desc()`.
    /// Only for belongs-to and one-to-one relationships (a one-to-many has no single row to
    /// sort by), which the generated code marks with `ToOne`.
    fn order_by<C: Column<Table = Self::To>>(self, column: C) -> Order<Self::From>
    where
        Self: ToOne,
    {
        let _ = column;
        debug_assert!(Self::INFO.kind != RelationKind::OneToMany);
        Order::related(Self::INFO, C::INFO)
    }
}

/// A relationship that leads to at most one row (belongs-to, one-to-one): implemented by the
/// generated code.
pub trait ToOne: Relation {}

impl<R: Relation> RelationExt for R {}
