//! [`Order`]: one ORDER BY term of a query on table `T`.

use std::fmt;
use std::marker::PhantomData;

use sea_query::Value;

use crate::descriptor::{ColumnInfo, RelationInfo};

/// An ORDER BY term of a query on table `T`: a column (`column.asc()`, `column.desc()`) or a
/// SQL expression with bound parameters ([`Order::sql`]). Every term sorts `NULL`s last, as
/// instant.dev does.
pub struct Order<T> {
    pub(crate) term: Term,
    pub(crate) descending: bool,
    table: PhantomData<fn() -> T>,
}

/// What a term sorts by.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Term {
    Column(&'static ColumnInfo),
    /// A column sorted with its NULLs first (`"name DESC NULLS FIRST"` in a where-object).
    ColumnNullsFirst(&'static ColumnInfo),
    /// SQL over the table's columns, `$1…` numbering `params`.
    Sql(&'static str, Vec<Value>),
    /// A column of the one row a belongs-to or one-to-one relationship leads to.
    Related(&'static RelationInfo, &'static ColumnInfo),
    /// The distance of vector search `n` of the query (`search`, `similarity`); descending
    /// means most similar first.
    Search(usize),
}

impl<T> Order<T> {
    pub(crate) fn new(column: &'static ColumnInfo, descending: bool) -> Self {
        Order {
            term: Term::Column(column),
            descending,
            table: PhantomData,
        }
    }

    /// Ascending by a SQL expression over the table's columns (instant.dev's
    /// `orderBy(fn, dir, params)`), its `$1…` bound to `params`:
    /// `Order::sql("abs(age - $1)", [30_i64])`. The SQL is a `&'static str`, written in the
    /// program, never built from input; values go in `params`, each of the Rust type of what
    /// PostgreSQL infers for its place (`i64` next to a `bigint` column).
    pub fn sql<V: Into<Value>>(sql: &'static str, params: impl IntoIterator<Item = V>) -> Self {
        Order {
            term: Term::Sql(sql, params.into_iter().map(Into::into).collect()),
            descending: false,
            table: PhantomData,
        }
    }

    /// The same term, descending.
    pub fn desc(mut self) -> Self {
        self.descending = true;
        self
    }

    /// The same term, ascending.
    pub fn asc(mut self) -> Self {
        self.descending = false;
        self
    }
}

impl<T> Order<T> {
    pub(crate) fn related(relation: &'static RelationInfo, column: &'static ColumnInfo) -> Self {
        Order {
            term: Term::Related(relation, column),
            descending: false,
            table: PhantomData,
        }
    }
}

impl<T> Clone for Order<T> {
    fn clone(&self) -> Self {
        Order {
            term: self.term.clone(),
            descending: self.descending,
            table: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Order<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let direction = if self.descending { "DESC" } else { "ASC" };
        match &self.term {
            Term::Column(column) => {
                write!(f, "Order({} {direction} NULLS LAST)", column.name)
            }
            Term::ColumnNullsFirst(column) => {
                write!(f, "Order({} {direction} NULLS FIRST)", column.name)
            }
            Term::Sql(sql, _) => write!(f, "Order({sql} {direction} NULLS LAST)"),
            Term::Related(relation, column) => write!(
                f,
                "Order({}.{} {direction} NULLS LAST)",
                relation.name, column.name
            ),
            Term::Search(index) => write!(f, "Order(vector search {index} {direction})"),
        }
    }
}
