//! [`Assignment`]: one `SET column = …` of a bulk update.

use std::marker::PhantomData;

use sea_query::{Expr, Value};

use crate::descriptor::{Column, ColumnInfo};
use crate::model::ToValue;

/// `column = value` or `column = <SQL over the row's columns>` in a bulk update of table `T`:
/// `parents::shirt.to(Some("red".into()))`, `children::age.to_sql("age + 1", [])`.
pub struct Assignment<T> {
    pub(crate) column: &'static ColumnInfo,
    value: Set,
    table: PhantomData<fn() -> T>,
}

enum Set {
    Value(Value),
    Sql(&'static str, Vec<Value>),
}

impl<T> Assignment<T> {
    /// The value expression, cast where the driver sends the value as text (`inet` …).
    pub(crate) fn expr(&self) -> Expr {
        match &self.value {
            Set::Value(value) => {
                let cast = crate::model::statements::cast(self.column);
                if cast.is_empty() {
                    Expr::val(value.clone())
                } else {
                    Expr::cust_with_values(format!("$1{cast}"), [value.clone()])
                }
            }
            Set::Sql(sql, params) => Expr::cust_with_values(*sql, params.clone()),
        }
    }
}

/// Assignments for every column marker.
pub trait AssignExt: Column + Sized {
    /// `SET column = $1`: the value has the column's Rust type.
    fn to(self, value: impl Into<Self::Value>) -> Assignment<Self::Table>
    where
        Self::Value: ToValue,
    {
        Assignment {
            column: Self::INFO,
            value: Set::Value(value.into().to_value()),
            table: PhantomData,
        }
    }

    /// `SET column = <sql>`: SQL over the row's columns (instant.dev's function values,
    /// `{age: age => age + 10}`), its `$1…` bound to `params`. The SQL is a `&'static str`,
    /// written in the program, never built from input.
    fn to_sql<V: Into<Value>>(
        self,
        sql: &'static str,
        params: impl IntoIterator<Item = V>,
    ) -> Assignment<Self::Table> {
        Assignment {
            column: Self::INFO,
            value: Set::Sql(sql, params.into_iter().map(Into::into).collect()),
            table: PhantomData,
        }
    }
}

impl<C: Column> AssignExt for C {}
