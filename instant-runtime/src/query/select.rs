//! [`Query`]: an immutable SELECT of a model, built with sea-query and run on `postgres`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use sea_query::extension::postgres::PgFunc;
use sea_query::{
    Alias, Expr, ExprTrait, Func, NullOrdering, Order as SqlOrder, PostgresQueryBuilder,
};
use sea_query::{Query as SqlQuery, SelectStatement, Value, Values};
use sea_query_postgres::{PostgresBinder, PostgresValue};

use crate::check::ColumnOf;
use crate::db::Executor;
use crate::descriptor::Table;
use crate::error::{Error, Result};
use crate::model::{Model, Record, Records};

use super::assignment::Assignment;
use super::condition::Condition;
use super::dynamic;
use super::filter::{Filter, Scope, column_expr};
use super::group::Grouped;
use super::join::{self, Join, Key, KeyFamily, Load, Loads};
use super::order::Order;
use super::order::Term;
use super::shape::{Bindings, Kind, Shape};
use super::value::Embedding;
use super::vector::{self, Measure, VectorSearch};

/// A query for rows of model `M`: filters, order, limit and offset.
///
/// A `Query` is a value: every builder method takes `&self` and returns a new query, so a
/// query can be kept and branched freely; branching never changes the original (instant.dev's
/// composer does change it).
///
/// ```no_run
/// # fn demo<M: instant_runtime::Model>(db: &instant_runtime::Db, name: impl instant_runtime::query::ColumnExt<Table = M::Table, Value = String> + Copy) -> instant_runtime::Result<()> {
/// use instant_runtime::query::{ColumnExt, Query};
///
/// let named = Query::<M>::new().filter(name.istartswith("r"));
/// let first_ten = named.order_by(name.asc()).limit(10);
/// let rows = first_ten.select(db)?;
/// let total = named.count(db)?; // `named` is unchanged
/// # Ok(()) }
/// ```
pub struct Query<M> {
    /// ANDed; shared between the queries branched from one another.
    filters: Vec<Arc<Filter>>,
    order: Vec<(Term, bool)>,
    /// Computed columns returned as metafields (instant.dev's `alias`).
    aliases: Vec<(&'static str, &'static str, Vec<Value>)>,
    /// Vector searches (`search`, `similarity`, `classify`), embedded when the query runs.
    searches: Vec<VectorSearch>,
    /// Load every join with its own statement, never in the root rows' statement.
    split_joins: bool,
    /// Whether `select` reports the rows matched without the limit (`Records::total`).
    count_total: bool,
    pub(crate) limit: Option<u64>,
    pub(crate) offset: Option<u64>,
    /// Relationships loaded with the rows, in the order they were asked for.
    pub(crate) joins: Vec<Arc<dyn Load<M>>>,
    model: PhantomData<fn() -> M>,
}

/// A query for every row of `M`'s table: `query::<User>()`.
pub fn query<M: Model>() -> Query<M> {
    Query::new()
}

impl<M: Model> Query<M> {
    /// Every row of the model's table, in no particular order.
    pub fn new() -> Self {
        Query {
            filters: Vec::new(),
            order: Vec::new(),
            aliases: Vec::new(),
            searches: Vec::new(),
            split_joins: false,
            count_total: false,
            limit: None,
            offset: None,
            joins: Vec::new(),
            model: PhantomData,
        }
    }

    /// Loads the rows related through `relation` with each row (instant.dev's `join`): a
    /// one-to-many relationship gives `Records<Child>`, the others `Option<Record<Parent>>`,
    /// read back with [`Record::joined`]. Joining never filters the query's rows. Joining
    /// the same relationship again replaces the earlier join.
    ///
    /// ```no_run
    /// # use instant_runtime::query::{Loads, Query};
    /// # fn demo<M: instant_runtime::Model, R: Loads<From = M::Table> + Copy>(db: &instant_runtime::Db, pets: R) -> instant_runtime::Result<()> {
    /// let parents = Query::<M>::new().join(pets).select(db)?;
    /// let first_pets = parents[0].joined(pets); // Some(&Records<Pet>)
    /// # Ok(()) }
    /// ```
    pub fn join<R: Loads<From = M::Table>>(&self, relation: R) -> Self {
        self.join_with(relation, |query| query)
    }

    /// Like [`join`](Query::join), with the related rows' own query: filters choosing which
    /// related rows are attached (instant.dev's join conditions), their order, and further
    /// joins from them.
    ///
    /// `Parent::query().join_with(parents::relations::children, |children| {
    /// children.filter(children::age.gte(18)).join(children::relations::pets) })`
    pub fn join_with<R: Loads<From = M::Table>>(
        &self,
        relation: R,
        build: impl FnOnce(Query<R::Model>) -> Query<R::Model>,
    ) -> Self {
        let _ = relation;
        self.with_join(Join {
            relation: R::INFO,
            query: build(Query::new()),
            build: join::build_loaded::<R>,
        })
    }

    /// Joins `relation` loading a hand-written model `C` of the related table; read the
    /// result back with [`Record::joined_as`] (`Records<C>` for one-to-many,
    /// `Option<Record<C>>` otherwise).
    pub fn join_as<C, R>(&self, relation: R, build: impl FnOnce(Query<C>) -> Query<C>) -> Self
    where
        C: Model<Table = R::To>,
        R: crate::descriptor::Relation<From = M::Table>,
    {
        let _ = relation;
        self.with_join(Join {
            relation: R::INFO,
            query: build(Query::new()),
            build: join::build_for::<C>(R::INFO.kind),
        })
    }

    fn with_join<C: Model>(&self, join: Join<C>) -> Self {
        let mut next = self.clone();
        next.joins
            .retain(|existing| existing.name() != join.relation.name);
        next.joins.push(Arc::new(join));
        next
    }

    /// The statements that load the joins (their key array shown as `$n`), in order.
    pub fn join_sql(&self) -> Vec<String> {
        self.joins.iter().flat_map(|join| join.sql()).collect()
    }

    /// The statement [`select`](Query::select) runs for the rows and their first join
    /// together (`LEFT JOIN`), when it loads them so; `None` when the rows have a statement
    /// of their own ([`to_sql`](Query::to_sql)) and every join is loaded by
    /// [`join_sql`](Query::join_sql)'s. The deeper levels and the other joins always have
    /// their own.
    pub fn joined_sql(&self) -> Option<String> {
        let first = self.joins.first()?;
        if !self.joins_in_rows() {
            return None;
        }
        first.sql_with_root(self, &self.column_order()?)
    }

    /// Keeps the rows that meet `condition` too: filters add up with AND (instant.dev's
    /// chained `where`). Several alternatives in one call are an [`or!`](crate::or).
    pub fn filter(&self, condition: Condition<M::Table>) -> Self {
        let mut next = self.clone();
        next.filters.push(Arc::new(condition.filter));
        next
    }

    /// Sorts by `order` after the terms already given: `order_by(users::name.asc())`.
    /// `NULL`s sort last.
    pub fn order_by(&self, order: Order<M::Table>) -> Self {
        let mut next = self.clone();
        next.order.push((order.term, order.descending));
        next
    }

    /// Returns at most `count` rows (`LIMIT`; `0` returns none). PostgreSQL takes a count up
    /// to `i64::MAX`: a larger one makes the query fail when it runs, with an error naming
    /// the value and the range, instead of being sent as a negative number.
    pub fn limit(&self, count: u64) -> Self {
        Query {
            limit: Some(count),
            ..self.clone()
        }
    }

    /// Skips the first `count` rows (`OFFSET`); up to `i64::MAX`, as [`limit`](Query::limit).
    pub fn offset(&self, count: u64) -> Self {
        Query {
            offset: Some(count),
            ..self.clone()
        }
    }

    /// The SELECT statement: the model's columns, by name and in field order (the order
    /// [`Model::from_row`] reads them), from its table.
    pub fn statement(&self) -> SelectStatement {
        let table = <M::Table as Table>::INFO.name;
        let scope = Scope::root(table);
        let mut select = SqlQuery::select();
        for column in M::COLUMNS {
            if column.read_as_text {
                select.expr_as(column_expr(&scope, column), Alias::new(column.name));
            } else {
                select.column(Alias::new(column.name));
            }
        }
        select.from(Alias::new(table));
        for filter in &self.filters {
            select.cond_where(filter.render(&scope));
        }
        for (term, descending) in &self.order {
            // A search sorts by its distance: most similar first is the smallest distance.
            let descending = *descending != matches!(term, Term::Search(_));
            let direction = if descending {
                SqlOrder::Desc
            } else {
                SqlOrder::Asc
            };
            let expr = match term {
                // By the selected distance's name: computed once per row, for the score and
                // the order, and an index on the column still serves the order.
                Term::Search(index) => match self.searches.get(*index) {
                    Some(search) if search.distance(&scope).is_some() => {
                        Expr::col(Alias::new(search.metafield()))
                    }
                    _ => continue,
                },
                Term::Column(column) | Term::ColumnNullsFirst(column) => scope.column(column.name),
                Term::Sql(sql, params) => Expr::cust_with_values(*sql, params.clone()),
                Term::Related(relation, column) => {
                    let related = scope.nested(relation.to_table);
                    let mut lookup = SqlQuery::select();
                    lookup
                        .expr(related.column(column.name))
                        .from_as(
                            Alias::new(relation.to_table),
                            Alias::new(related.alias.as_str()),
                        )
                        .and_where(
                            related
                                .column(relation.to_column)
                                .equals((Alias::new(table), Alias::new(relation.from_column))),
                        )
                        .limit(1);
                    Expr::SubQuery(
                        None,
                        Box::new(sea_query::SubQueryStatement::SelectStatement(lookup)),
                    )
                }
            };
            let nulls = if matches!(term, Term::ColumnNullsFirst(_)) {
                NullOrdering::First
            } else {
                NullOrdering::Last
            };
            select.order_by_expr_with_nulls(expr, direction, nulls);
        }
        for (name, sql, params) in &self.aliases {
            select.expr_as(
                Expr::cust_with_values(format!("to_jsonb({sql})"), params.clone()),
                Alias::new(*name),
            );
        }
        for search in &self.searches {
            select.expr_as(search.selected(&scope), Alias::new(search.metafield()));
        }
        if let Some(limit) = self.limit {
            select.limit(limit);
        }
        if let Some(offset) = self.offset {
            select.offset(offset);
        }
        select
    }

    /// The shape of [`statement`](Query::statement) (see [`shape`](super::shape)); `false`
    /// when it has none (vector searches, computed columns).
    pub(crate) fn shape(&self, shape: &mut Shape) -> bool {
        if !self.aliases.is_empty() || !self.searches.is_empty() {
            return false;
        }
        shape.table(<M::Table as Table>::INFO);
        shape.items(M::COLUMNS);
        shape.word(self.filters.len() as u64);
        for filter in &self.filters {
            filter.shape(shape);
        }
        shape.word(self.order.len() as u64);
        for (term, descending) in &self.order {
            if !term.shape(*descending, shape) {
                return false;
            }
        }
        shape.flag(self.limit.is_some());
        shape.flag(self.offset.is_some());
        true
    }

    /// The values [`statement`](Query::statement) binds, in order, for a query that has a
    /// [`shape`](Query::shape).
    pub(crate) fn bind(&self, values: &mut Bindings) {
        self.bind_filters(values);
        self.bind_order(values);
    }

    /// The values of the filters (the `WHERE` clause), in order.
    pub(crate) fn bind_filters(&self, values: &mut Bindings) {
        for filter in &self.filters {
            filter.bind(values);
        }
    }

    /// The values after the `WHERE` clause: the order's, the limit and the offset.
    pub(crate) fn bind_order(&self, values: &mut Bindings) {
        for (term, _) in &self.order {
            term.bind(values);
        }
        for count in [self.limit, self.offset].into_iter().flatten() {
            values.push(PostgresValue(Value::from(count)));
        }
    }

    /// The SQL and its bound values, `$1…` in order; for logging and snapshots.
    pub fn to_sql(&self) -> (String, Values) {
        self.statement().build(PostgresQueryBuilder)
    }

    /// The SQL of [`count`](Self::count) and its values.
    pub fn count_sql(&self) -> (String, Values) {
        self.count_statement().build(PostgresQueryBuilder)
    }

    fn count_statement(&self) -> SelectStatement {
        if !self.searches.is_empty() {
            // Scores and similarity order change no count (the limit still applies).
            let mut unscored = self.clone();
            unscored.searches.clear();
            unscored
                .order
                .retain(|(term, _)| !matches!(term, Term::Search(_)));
            return unscored.count_statement();
        }
        let count = Expr::cust("COUNT(*)");
        if self.limit.is_none() && self.offset.is_none() {
            let mut select = self.statement();
            select.clear_selects().clear_order_by().expr(count);
            return select;
        }
        // instant.dev counts what the query returns, limit included.
        let mut inner = self.statement();
        inner.clear_order_by();
        SqlQuery::select()
            .expr(count)
            .from_subquery(inner, Alias::new("rows"))
            .to_owned()
    }

    /// Runs the query and loads every row, with its joins and metafields. With
    /// [`with_total`](Query::with_total) the result also knows how many rows matched without
    /// the limit.
    pub fn select(&self, mut executor: impl Executor) -> Result<Records<M>> {
        let counted = self.count_total && (self.limit.is_some() || self.offset.is_some());
        executor.with_connection(|connection| {
            let query = self.embedded(connection)?;
            if let Some(records) = query.select_joined(connection)? {
                return Ok(records);
            }
            let render = || {
                let mut statement = query.statement();
                if counted {
                    statement.expr(Expr::cust("COUNT(*) OVER ()"));
                }
                statement.build_postgres(PostgresQueryBuilder)
            };
            let first_alias = M::COLUMNS.len();
            let first_score = first_alias + self.aliases.len();
            let mut records = Records::new();
            let mut counted_total = None;
            // Each row decoded as it arrives, while the server sends the rest.
            let each = |row: &instant_pg::Row| -> Result<()> {
                let mut record = Record::loaded(M::from_row(row)?);
                for (index, (name, _, _)) in self.aliases.iter().enumerate() {
                    let value: Option<serde_json::Value> = row.try_get(first_alias + index)?;
                    record.set_metafield(*name, value.unwrap_or(serde_json::Value::Null));
                }
                for (index, search) in self.searches.iter().enumerate() {
                    let value = search.metafield_value(row, first_score + index)?;
                    record.set_metafield(search.metafield(), value);
                }
                if counted && counted_total.is_none() {
                    counted_total =
                        Some(row.try_get::<_, i64>(first_score + self.searches.len())? as u64);
                }
                records.push(record);
                Ok(())
            };
            let mut shape = Shape::new(Kind::Rows);
            if query.shape(&mut shape) {
                shape.flag(counted);
                let mut values = Bindings::new();
                query.bind(&mut values);
                connection.query_shaped(shape, values, render, each)?;
            } else {
                let (sql, values) = render();
                connection.query_each(&sql, &values.as_params(), each)?;
            }
            let total = match counted_total {
                Some(total) => total,
                None if counted => self.count_without_limit(connection)?,
                None => records.len() as u64,
            };
            records.set_meta(total, self.offset.unwrap_or(0));
            join::load_all(&self.joins, &mut records, connection)?;
            Ok(records)
        })
    }

    /// The rows with their first join loaded by the same statement (`LEFT JOIN`), then the
    /// other joins and the deeper levels one statement each; `None` when the query cannot be
    /// written so (see [`split_joins`](Query::split_joins)).
    fn select_joined(&self, connection: &mut crate::db::Connection) -> Result<Option<Records<M>>> {
        let Some(first) = self.joins.first() else {
            return Ok(None);
        };
        if !self.joins_in_rows() {
            return Ok(None);
        }
        let Some(order) = self.column_order() else {
            return Ok(None);
        };
        let Some(rows) = first.load_with_root(self, &order, connection)? else {
            return Ok(None);
        };
        let mut records = Records::from(rows);
        records.set_meta(records.len() as u64, self.offset.unwrap_or(0));
        join::load_all(&self.joins[1..], &mut records, connection)?;
        Ok(Some(records))
    }

    /// Whether the rows' statement may load the first join: not when asked to split them,
    /// nor with a total to count, computed columns or vector searches.
    fn joins_in_rows(&self) -> bool {
        !self.split_joins
            && !self.count_total
            && self.aliases.is_empty()
            && self.searches.is_empty()
    }

    /// Loads every join with a statement of its own: one for the root rows, then one per
    /// relationship level with the keys bound as an array. By default the first join is
    /// loaded by the root rows' statement itself (a `LEFT JOIN`, one round trip less); that
    /// repeats a root row's columns for each of its related rows, which costs more than the
    /// round trip when root rows are wide and have many related rows each.
    pub fn split_joins(&self) -> Self {
        Query {
            split_joins: true,
            ..self.clone()
        }
    }

    /// The ANDed filters, rendered in `scope` (a join's `ON` conditions).
    pub(crate) fn condition(&self, scope: &Scope) -> sea_query::Condition {
        let mut condition = sea_query::Condition::all();
        for filter in &self.filters {
            condition = condition.add(filter.render(scope));
        }
        condition
    }

    /// The order as columns of the model (with `true` for descending), when it is only that.
    pub(crate) fn column_order(
        &self,
    ) -> Option<Vec<(&'static crate::descriptor::ColumnInfo, bool)>> {
        self.order
            .iter()
            .map(|(term, descending)| match term {
                Term::Column(column) if M::COLUMNS.contains(column) => Some((*column, *descending)),
                _ => None,
            })
            .collect()
    }

    /// Whether the query only filters and orders by columns: what a join can load inside
    /// another statement.
    pub(crate) fn is_plain(&self) -> bool {
        self.aliases.is_empty()
            && self.searches.is_empty()
            && self.limit.is_none()
            && self.offset.is_none()
            && self.column_order().is_some()
    }

    /// An error when the limit or the offset is beyond what PostgreSQL takes (`bigint`): the
    /// typed API takes a `u64`, and a larger value must not reach the server as a negative
    /// number. Every statement that runs the query checks this first.
    pub(crate) fn counts_in_range(&self) -> Result<()> {
        for (name, count) in [("limit", self.limit), ("offset", self.offset)] {
            if let Some(count) = count
                && i64::try_from(count).is_err()
            {
                return Err(Error::Input {
                    message: format!(
                        "{name}: must be a whole number from 0 to {}, found {count}",
                        i64::MAX
                    ),
                });
            }
        }
        Ok(())
    }

    /// The query with its vector searches' texts embedded by the connection's engine, once
    /// its limit and offset are known to be in range.
    fn embedded(&self, connection: &crate::db::Connection) -> Result<std::borrow::Cow<'_, Self>> {
        self.counts_in_range()?;
        if self.searches.iter().all(|search| search.vectors.is_some()) {
            return Ok(std::borrow::Cow::Borrowed(self));
        }
        self.embed(connection.vectors())
            .map(std::borrow::Cow::Owned)
    }

    /// The query with the texts of its vector searches embedded now, by `vectors`' engine:
    /// running it (many times, on any database) sends nothing more to the engine, and
    /// [`to_sql`](Query::to_sql) shows the vectors it binds. A query runs this itself.
    pub fn embed(&self, vectors: &crate::vector::Vectors) -> Result<Self> {
        let mut query = self.clone();
        vector::embed(&mut query.searches, vectors)?;
        Ok(query)
    }

    /// PostgreSQL's plan for the query (`EXPLAIN`), one line per element: to check that a
    /// filter or a vector search uses an index.
    pub fn explain(&self, mut executor: impl Executor) -> Result<Vec<String>> {
        executor.with_connection(|connection| {
            let query = self.embedded(connection)?;
            let (sql, values) = query.statement().build_postgres(PostgresQueryBuilder);
            let rows = connection.query(&format!("EXPLAIN {sql}"), &values.as_params())?;
            rows.iter()
                .map(|row| row.try_get::<_, String>(0).map_err(Error::from))
                .collect()
        })
    }

    /// Orders the rows by dot product with the vector of `text`, highest first (instant.dev's
    /// `search`), and gives each row metafield `<field>_product`. The text is embedded by the
    /// database's engine when the query runs.
    pub fn search<C>(&self, column: C, text: impl Into<String>) -> Self
    where
        C: ColumnOf<M::Table>,
        C::Value: Embedding,
    {
        let _ = column;
        self.with_search(C::INFO, Measure::Product, text.into(), true)
    }

    /// [`search`](Query::search), lowest dot product first.
    pub fn search_asc<C>(&self, column: C, text: impl Into<String>) -> Self
    where
        C: ColumnOf<M::Table>,
        C::Value: Embedding,
    {
        let _ = column;
        self.with_search(C::INFO, Measure::Product, text.into(), false)
    }

    /// Orders the rows by cosine similarity with the vector of `text`, most similar first
    /// (instant.dev's `similarity`), and gives each row metafield `<field>_similarity`.
    pub fn similarity<C>(&self, column: C, text: impl Into<String>) -> Self
    where
        C: ColumnOf<M::Table>,
        C::Value: Embedding,
    {
        let _ = column;
        self.with_search(C::INFO, Measure::Similarity, text.into(), true)
    }

    /// [`similarity`](Query::similarity), least similar first.
    pub fn similarity_asc<C>(&self, column: C, text: impl Into<String>) -> Self
    where
        C: ColumnOf<M::Table>,
        C::Value: Embedding,
    {
        let _ = column;
        self.with_search(C::INFO, Measure::Similarity, text.into(), false)
    }

    /// Labels every row with the nearest of `labels` by cosine similarity (instant.dev's
    /// `classify`): metafield `<field>_classification` is `{"value": label, "similarity":
    /// {label: similarity, …}}`. The rows' order is unchanged.
    pub fn classify<C, L>(&self, column: C, labels: impl IntoIterator<Item = L>) -> Self
    where
        C: ColumnOf<M::Table>,
        C::Value: Embedding,
        L: Into<String>,
    {
        let _ = column;
        let labels: Vec<String> = labels.into_iter().map(Into::into).collect();
        self.with_search(
            C::INFO,
            Measure::Classification(labels.into()),
            String::new(),
            false,
        )
    }

    /// A vector search on the field named `field`, for queries that come as data: `measure`
    /// is `search`, `similarity` or `classify` (whose `text` is then a JSON array of labels,
    /// or labels separated by commas). An unknown field, or one that is not a vector, is an
    /// [`Error::Input`] listing the vector fields.
    pub fn vector_search_named(
        &self,
        measure: &str,
        field: &str,
        text: &str,
        descending: bool,
    ) -> Result<Self> {
        let vectors: Vec<&'static crate::descriptor::ColumnInfo> = M::COLUMNS
            .iter()
            .copied()
            .filter(|column| column.sql_type == "vector")
            .collect();
        let Some(column) = vectors.iter().copied().find(|column| column.name == field) else {
            let names: Vec<&str> = vectors.iter().map(|column| column.name).collect();
            return Err(Error::Input {
                message: format!(
                    "{measure}: \"{field}\" is not a vector field of {}; vector fields: {}",
                    <M::Table as Table>::INFO.model,
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                ),
            });
        };
        let measure = match measure {
            "search" => Measure::Product,
            "similarity" => Measure::Similarity,
            "classify" => {
                let labels: Vec<String> = match serde_json::from_str(text) {
                    Ok(labels) => labels,
                    Err(_) => text
                        .split(',')
                        .map(|label| label.trim().to_owned())
                        .collect(),
                };
                return Ok(self.with_search(
                    column,
                    Measure::Classification(labels.into()),
                    String::new(),
                    false,
                ));
            }
            other => {
                return Err(Error::Input {
                    message: format!(
                        "unknown vector search \"{other}\"; expected search, similarity or classify"
                    ),
                });
            }
        };
        Ok(self.with_search(column, measure, text.to_owned(), descending))
    }

    fn with_search(
        &self,
        column: &'static crate::descriptor::ColumnInfo,
        measure: Measure,
        text: String,
        descending: bool,
    ) -> Self {
        let mut next = self.clone();
        let ordered = !matches!(measure, Measure::Classification(_));
        next.searches.push(VectorSearch::new(column, measure, text));
        if ordered {
            next.order
                .push((Term::Search(next.searches.len() - 1), descending));
        }
        next
    }

    /// The rows matched without limit and offset (a page past the end has no row to carry
    /// the window count).
    fn count_without_limit(&self, connection: &mut crate::db::Connection) -> Result<u64> {
        let unlimited = Query {
            limit: None,
            offset: None,
            ..self.clone()
        };
        let (sql, values) = unlimited
            .count_statement()
            .build_postgres(PostgresQueryBuilder);
        let row = connection.query_one(&sql, &values.as_params())?;
        Ok(row.try_get::<_, i64>(0)? as u64)
    }

    /// Makes [`select`](Query::select) report the rows matched without the limit
    /// (`Records::total`, the `total` of `to_query_json`), as instant.dev's select does, from
    /// the same statement (`COUNT(*) OVER ()`). Without it, `total` is the number of rows
    /// returned: counting every matching row is work a page of ten should not do unasked.
    pub fn with_total(&self) -> Self {
        Query {
            count_total: true,
            ..self.clone()
        }
    }

    /// Adds a computed value to every row, read back as metafield `name`
    /// ([`Record::metafield`]; instant.dev's `alias`): SQL over the table's columns, its
    /// `$1…` bound to `params`.
    pub fn alias<V: Into<Value>>(
        &self,
        name: &'static str,
        sql: &'static str,
        params: impl IntoIterator<Item = V>,
    ) -> Self {
        let mut next = self.clone();
        next.aliases
            .push((name, sql, params.into_iter().map(Into::into).collect()));
        next
    }

    /// Sets `assignments` on every row the query matches (its filters, order, limit and
    /// offset) and returns the updated rows (instant.dev's bulk `update`). No validations or
    /// hooks run; refused on a readonly database.
    pub fn update(
        &self,
        mut executor: impl Executor,
        assignments: impl IntoIterator<Item = Assignment<M::Table>>,
    ) -> Result<Records<M>> {
        let info = <M::Table as Table>::INFO;
        let key = info
            .primary_key
            .and_then(|key| info.column(key))
            .ok_or_else(|| no_key(info))?;
        let family = KeyFamily::of_column(key).ok_or_else(|| no_key(info))?;
        let key_expr = Expr::col((Alias::new(info.name), Alias::new(key.name)));
        let assignments: Vec<Assignment<M::Table>> = assignments.into_iter().collect();
        executor.with_transaction(|transaction| {
            // The rows, in the query's order, then the UPDATE of exactly those rows.
            let mut rows = self.embedded(transaction)?.statement();
            rows.clear_selects().expr(family.select(key_expr.clone()));
            let (rows_sql, rows_values) = rows.build_postgres(PostgresQueryBuilder);
            let keys = transaction
                .query(&rows_sql, &rows_values.as_params())?
                .iter()
                .map(|row| family.read(row, 0))
                .collect::<Result<Vec<Key>>>()?;
            if keys.is_empty() {
                return Ok(Records::new());
            }
            let distinct: Vec<&Key> = keys.iter().collect();
            let mut update = self.update_statement(assignments)?;
            update.and_where(key_expr.clone().eq(PgFunc::any(Func::cast_as(
                Expr::val(family.array(&distinct)),
                Alias::new(family.array_type()),
            ))));
            let mut returning: Vec<Expr> =
                M::COLUMNS.iter().map(|column| returned(column)).collect();
            returning.push(family.select(key_expr.clone()));
            update.returning(SqlQuery::returning().exprs(returning));
            let (sql, values) = update.build_postgres(PostgresQueryBuilder);
            let mut by_key = std::collections::HashMap::new();
            for row in transaction.query(&sql, &values.as_params())? {
                let key = family.read(&row, M::COLUMNS.len())?;
                by_key.insert(key, Record::loaded(M::from_row(&row)?));
            }
            let mut records: Records<M> =
                keys.iter().filter_map(|key| by_key.remove(key)).collect();
            join::load_all(&self.joins, &mut records, transaction)?;
            Ok(records)
        })
    }

    /// Like [`update`](Query::update), returning only how many rows changed
    /// (instant.dev's `updateWithoutReturning`).
    pub fn update_without_returning(
        &self,
        mut executor: impl Executor,
        assignments: impl IntoIterator<Item = Assignment<M::Table>>,
    ) -> Result<u64> {
        let assignments: Vec<Assignment<M::Table>> = assignments.into_iter().collect();
        executor.with_write(|connection| {
            let (sql, values) = self.embedded(connection)?.update_sql(assignments)?;
            connection.execute(&sql, &values.as_params())
        })
    }

    /// `UPDATE t SET … WHERE key IN (SELECT key FROM t WHERE … ORDER BY … LIMIT …)`.
    fn update_sql(
        &self,
        assignments: impl IntoIterator<Item = Assignment<M::Table>>,
    ) -> Result<(String, sea_query_postgres::PostgresValues)> {
        let info = <M::Table as Table>::INFO;
        let key = info.primary_key.ok_or_else(|| no_key(info))?;
        let mut rows = self.statement();
        rows.clear_selects().column(Alias::new(key));
        let mut update = self.update_statement(assignments)?;
        update.and_where(Expr::col(Alias::new(key)).in_subquery(rows));
        Ok(update.build_postgres(PostgresQueryBuilder))
    }

    /// `UPDATE t SET …`, without its WHERE.
    fn update_statement(
        &self,
        assignments: impl IntoIterator<Item = Assignment<M::Table>>,
    ) -> Result<sea_query::UpdateStatement> {
        let info = <M::Table as Table>::INFO;
        let mut update = SqlQuery::update();
        update.table(Alias::new(info.name));
        let mut any = false;
        for assignment in assignments {
            any = true;
            update.value(Alias::new(assignment.column.name), assignment.expr());
        }
        if !any {
            return Err(Error::Input {
                message: "a bulk update needs at least one assignment".to_string(),
            });
        }
        Ok(update)
    }

    /// Adds the conditions of an instant.dev where-object (or an array of them, ORed):
    /// `{"name__icontains": "a", "pets__animal": "Cat", "__order": "name DESC"}`, read at run
    /// time against the schema, for queries that come as data, within [`Limits::default`]
    /// (see [`where_json_with`](Query::where_json_with)). An unknown column, relationship or
    /// comparator, a hidden field, a value the column does not take exactly, or a limit
    /// exceeded is an [`Error::Input`] naming the key and what is valid.
    ///
    /// [`Limits::default`]: crate::limits::Limits
    pub fn where_json(&self, conditions: &serde_json::Value) -> Result<Self> {
        self.with_where(conditions, false, &crate::limits::Limits::default())
    }

    /// [`where_json`](Query::where_json) within `limits` (a [`Db`](crate::Db)'s are
    /// [`Db::limits`](crate::Db::limits)).
    pub fn where_json_with(
        &self,
        conditions: &serde_json::Value,
        limits: &crate::limits::Limits,
    ) -> Result<Self> {
        self.with_where(conditions, false, limits)
    }

    /// Like [`where_json`](Query::where_json) for untrusted input (instant.dev's
    /// `safeWhere`): conditions and orders on hidden fields are dropped, not refused.
    pub fn safe_where(&self, conditions: &serde_json::Value) -> Result<Self> {
        self.with_where(conditions, true, &crate::limits::Limits::default())
    }

    /// [`safe_where`](Query::safe_where) within `limits`.
    pub fn safe_where_with(
        &self,
        conditions: &serde_json::Value,
        limits: &crate::limits::Limits,
    ) -> Result<Self> {
        self.with_where(conditions, true, limits)
    }

    pub(crate) fn with_where(
        &self,
        conditions: &serde_json::Value,
        safe: bool,
        limits: &crate::limits::Limits,
    ) -> Result<Self> {
        let table = <M::Table as Table>::INFO;
        let schema = <M::Table as Table>::SCHEMA;
        let hidden = dynamic::Hidden {
            fields: M::HIDDEN,
            drop: safe,
        };
        let (filter, directives) = dynamic::parse(table, schema, conditions, hidden, limits)?;
        let mut next = self.clone();
        if !matches!(&filter, Filter::All(conditions) if conditions.is_empty()) {
            next.filters.push(Arc::new(filter));
        }
        for sort in directives.order {
            let term = if sort.nulls_first {
                Term::ColumnNullsFirst(sort.column)
            } else {
                Term::Column(sort.column)
            };
            next.order.push((term, sort.descending));
        }
        if directives.offset.is_some() {
            next.offset = directives.offset;
        }
        // instant.dev: a count of 0 means no limit.
        match directives.count {
            Some(0) => next.limit = None,
            Some(count) => next.limit = Some(count),
            None => {}
        }
        Ok(next)
    }

    /// Groups the matching rows by `column` (instant.dev's `groupBy`); add computed columns
    /// with [`Grouped::aggregate`]. The result is plain rows
    /// ([`Items`](crate::model::Items)), not models.
    pub fn group_by<C: ColumnOf<M::Table>>(&self, column: C) -> Grouped<M> {
        let _ = column;
        Grouped {
            query: self.clone(),
            columns: vec![C::INFO],
            aggregates: Vec::new(),
        }
    }

    /// The first row, or [`Error::NotFound`] (instant.dev's 404
    /// `No records for <Model> found in your query`) when there is none.
    pub fn first(&self, executor: impl Executor) -> Result<Record<M>> {
        self.first_or_none(executor)?
            .ok_or_else(|| Error::NotFound {
                message: format!(
                    "No records for {} found in your query",
                    <M::Table as Table>::INFO.model
                ),
            })
    }

    /// The first row, or `None` when there is none.
    pub fn first_or_none(&self, executor: impl Executor) -> Result<Option<Record<M>>> {
        Ok(self.limit(1).select(executor)?.into_iter().next())
    }

    /// How many rows the query returns (its limit and offset included, as instant.dev's
    /// `count`).
    pub fn count(&self, mut executor: impl Executor) -> Result<i64> {
        self.counts_in_range()?;
        let (sql, values) = self.count_statement().build_postgres(PostgresQueryBuilder);
        let row = executor
            .with_connection(|connection| connection.query_one(&sql, &values.as_params()))?;
        Ok(row.try_get(0)?)
    }
}

/// A returned column: those without a faithful Rust type as text.
fn returned(column: &crate::descriptor::ColumnInfo) -> Expr {
    if column.read_as_text {
        Expr::cust(format!(
            "{}::text",
            crate::model::statements::quote(column.name)
        ))
    } else {
        Expr::col(Alias::new(column.name))
    }
}

fn no_key(info: &crate::descriptor::TableInfo) -> Error {
    Error::Input {
        message: format!(
            "cannot bulk-update `{}`: it has no integer, text or uuid primary key",
            info.name
        ),
    }
}

impl<M: Model> Default for Query<M> {
    fn default() -> Self {
        Query::new()
    }
}

impl<M> Clone for Query<M> {
    fn clone(&self) -> Self {
        Query {
            filters: self.filters.clone(),
            order: self.order.clone(),
            aliases: self.aliases.clone(),
            searches: self.searches.clone(),
            split_joins: self.split_joins,
            count_total: self.count_total,
            limit: self.limit,
            offset: self.offset,
            joins: self.joins.clone(),
            model: PhantomData,
        }
    }
}

impl<M: Model> fmt::Debug for Query<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("sql", &self.to_sql().0)
            .finish()
    }
}
