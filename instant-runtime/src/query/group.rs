//! Grouped queries (instant.dev's `groupBy` + `aggregate`): plain rows, not models.

use sea_query::{Alias, Expr, PostgresQueryBuilder, Value};
use sea_query_postgres::PostgresBinder;

use super::select::Query;
use crate::check::ColumnOf;
use crate::db::Executor;
use crate::descriptor::ColumnInfo;
use crate::error::Result;
use crate::model::{Items, Model};

/// A query grouped by columns, with aggregate columns: `Child::query().group_by(children::parent_id)
/// .aggregate("count", "COUNT(id)", []).select(&db)` gives `[{"parent_id": 1, "count": 10}, …]`.
pub struct Grouped<M> {
    pub(crate) query: Query<M>,
    pub(crate) columns: Vec<&'static ColumnInfo>,
    pub(crate) aggregates: Vec<(&'static str, &'static str, Vec<Value>)>,
}

impl<M: Model> Grouped<M> {
    /// Groups by `column` too.
    pub fn group_by<C: ColumnOf<M::Table>>(mut self, column: C) -> Self {
        let _ = column;
        self.columns.push(C::INFO);
        self
    }

    /// Adds the computed column `name`: SQL over the group (`COUNT(id)`, `AVG(age)`), its
    /// `$1…` bound to `params`.
    pub fn aggregate<V: Into<Value>>(
        mut self,
        name: &'static str,
        sql: &'static str,
        params: impl IntoIterator<Item = V>,
    ) -> Self {
        self.aggregates
            .push((name, sql, params.into_iter().map(Into::into).collect()));
        self
    }

    /// `SELECT row_to_json(g) FROM (SELECT <columns>, <aggregates> FROM … GROUP BY …) g`.
    pub fn to_sql(&self) -> (String, sea_query::Values) {
        self.statement().build(PostgresQueryBuilder)
    }

    fn statement(&self) -> sea_query::SelectStatement {
        let mut inner = self.query.statement();
        inner.clear_selects();
        for column in &self.columns {
            inner.column(Alias::new(column.name));
            inner.add_group_by([Expr::col(Alias::new(column.name))]);
        }
        for (name, sql, params) in &self.aggregates {
            inner.expr_as(
                Expr::cust_with_values(*sql, params.clone()),
                Alias::new(*name),
            );
        }
        sea_query::Query::select()
            .expr(Expr::cust(r#"row_to_json("grouped")"#))
            .from_subquery(inner, Alias::new("grouped"))
            .to_owned()
    }

    /// Runs the query: one JSON object per group.
    pub fn select(&self, mut executor: impl Executor) -> Result<Items> {
        self.query.counts_in_range()?;
        let (sql, values) = self.statement().build_postgres(PostgresQueryBuilder);
        let rows =
            executor.with_connection(|connection| connection.query(&sql, &values.as_params()))?;
        let mut objects = Vec::with_capacity(rows.len());
        for row in &rows {
            if let serde_json::Value::Object(object) = row.try_get::<_, serde_json::Value>(0)? {
                objects.push(object);
            }
        }
        let mut items = Items::new(objects);
        let count = items.rows().len() as u64;
        items.set_meta(count, self.query.offset.unwrap_or(0));
        Ok(items)
    }
}
