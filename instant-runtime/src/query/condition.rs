//! [`Condition`]: a typed filter on the rows of one table.

use std::fmt;
use std::marker::PhantomData;

use crate::descriptor::Table;

use super::filter::Filter;

/// A filter on the rows of table `T`, built from column comparators
/// (`pets::name.eq("Ruby")`), relationship paths (`parents::relations::pets.any(…)`) and
/// `and`/`or`/`not`.
///
/// The table is part of the type, so a condition on a column of another table does not compile
/// when given to a query:
///
/// ```compile_fail
/// # use instant_runtime::query::{ColumnExt, Condition};
/// # use instant_runtime::descriptor::{self, ColumnInfo, TableInfo};
/// # struct Users; impl descriptor::Table for Users { type PrimaryKey = descriptor::NoPrimaryKey; const INFO: &'static TableInfo = &TableInfo { name: "users", model: "User", primary_key: None, columns: &[], relations: &[] }; }
/// # struct Posts; impl descriptor::Table for Posts { type PrimaryKey = descriptor::NoPrimaryKey; const INFO: &'static TableInfo = &TableInfo { name: "posts", model: "Post", primary_key: None, columns: &[], relations: &[] }; }
/// # #[allow(non_camel_case_types)] struct title;
/// # impl descriptor::Column for title { type Table = Posts; type Value = String; const NAME: &'static str = "title"; const INFO: &'static ColumnInfo = &ColumnInfo::new("title", "string", "String"); }
/// let on_users: Condition<Users> = title.eq("x"); // a condition on `posts`
/// ```
///
/// instant.dev's where objects map onto it directly: the keys of one object are ANDed, several
/// objects are ORed.
pub struct Condition<T> {
    pub(crate) filter: Filter,
    table: PhantomData<fn() -> T>,
}

impl<T: Table> Condition<T> {
    pub(crate) fn new(filter: Filter) -> Self {
        Condition {
            filter,
            table: PhantomData,
        }
    }

    /// Both conditions hold.
    pub fn and(self, other: Condition<T>) -> Self {
        Condition::new(self.filter.and(other.filter))
    }

    /// At least one of the conditions holds.
    pub fn or(self, other: Condition<T>) -> Self {
        Condition::new(self.filter.or(other.filter))
    }

    /// The condition does not hold (SQL `NOT`: a comparison with a `NULL` column is neither
    /// true nor false, so its negation does not hold either).
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Condition::new(Filter::Not(Box::new(self.filter)))
    }

    /// Every condition holds; with none, every row matches.
    pub fn all(conditions: impl IntoIterator<Item = Condition<T>>) -> Self {
        Condition::new(Filter::All(
            conditions.into_iter().map(|c| c.filter).collect(),
        ))
    }

    /// At least one condition holds; with none, no row matches.
    pub fn any(conditions: impl IntoIterator<Item = Condition<T>>) -> Self {
        Condition::new(Filter::Any(
            conditions.into_iter().map(|c| c.filter).collect(),
        ))
    }
}

impl<T> Clone for Condition<T> {
    fn clone(&self) -> Self {
        Condition {
            filter: self.filter.clone(),
            table: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Condition<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Condition").field(&self.filter).finish()
    }
}

impl<T> PartialEq for Condition<T> {
    fn eq(&self, other: &Self) -> bool {
        self.filter == other.filter
    }
}

/// At least one of the conditions holds: instant.dev's several where objects.
///
/// ```
/// # use instant_runtime::query::{ColumnExt, Condition};
/// # use instant_runtime::descriptor::{self, ColumnInfo, TableInfo};
/// # struct Pets; impl descriptor::Table for Pets { type PrimaryKey = descriptor::NoPrimaryKey; const INFO: &'static TableInfo = &TableInfo { name: "pets", model: "Pet", primary_key: None, columns: &[], relations: &[] }; }
/// # #[allow(non_camel_case_types)] struct name;
/// # impl descriptor::Column for name { type Table = Pets; type Value = String; const NAME: &'static str = "name"; const INFO: &'static ColumnInfo = &ColumnInfo::new("name", "string", "String"); }
/// let either = instant_runtime::or!(name.eq("Ruby"), name.eq("Oliver"));
/// assert_eq!(either, name.eq("Ruby").or(name.eq("Oliver")));
/// ```
#[macro_export]
macro_rules! or {
    ($($condition:expr),* $(,)?) => {
        $crate::query::Condition::any([$($condition),*])
    };
}

/// Every condition holds: the keys of one instant.dev where object.
///
/// ```
/// # use instant_runtime::query::{ColumnExt, Condition};
/// # use instant_runtime::descriptor::{self, ColumnInfo, TableInfo};
/// # struct Pets; impl descriptor::Table for Pets { type PrimaryKey = descriptor::NoPrimaryKey; const INFO: &'static TableInfo = &TableInfo { name: "pets", model: "Pet", primary_key: None, columns: &[], relations: &[] }; }
/// # #[allow(non_camel_case_types)] struct name;
/// # impl descriptor::Column for name { type Table = Pets; type Value = String; const NAME: &'static str = "name"; const INFO: &'static ColumnInfo = &ColumnInfo::new("name", "string", "String"); }
/// let both = instant_runtime::and!(name.startswith("R"), name.endswith("y"));
/// assert_eq!(both, name.startswith("R").and(name.endswith("y")));
/// ```
#[macro_export]
macro_rules! and {
    ($($condition:expr),* $(,)?) => {
        $crate::query::Condition::all([$($condition),*])
    };
}
