//! One database connection with its prepared-statement cache.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use instant_pg::types::ToSql;
use instant_pg::{Client, Row, Sql, Statement};
use sea_query_postgres::PostgresValues;

use super::Db;
use crate::error::{Error, Result};
use crate::query::shape::{self, Bindings, BuildShapeHasher, Shape};
use crate::vector::Vectors;

/// How many statements a connection keeps prepared; past it the cache starts over, so SQL built
/// from varying input cannot grow it without bound.
const STATEMENT_CACHE_LIMIT: usize = 512;

/// The longest SQL text a connection keeps prepared, in bytes. A longer statement is one a
/// dynamic query built from a large document (a where-object of thousands of terms: 50 000
/// make 1.4 MB) and is rarely run twice as is; kept, it would hold its text here and its
/// parse tree and plan in the server's memory for as long as the connection lives, on every
/// connection of the pool. It runs as the unnamed statement instead, which the server
/// replaces with the next one. 64 KiB is far beyond what a hand-written or generated
/// statement needs (the longest of the test suite's is a few KiB).
pub const MAX_CACHED_STATEMENT_BYTES: usize = 64 * 1024;

/// The most SQL text a connection keeps prepared in all, in bytes; past it the cache starts
/// over, as past [`STATEMENT_CACHE_LIMIT`] statements. With statements of up to
/// [`MAX_CACHED_STATEMENT_BYTES`], the count alone would allow 32 MiB.
const STATEMENT_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// A connection to PostgreSQL: the driver's client, the statements it has prepared (keyed by
/// SQL text, so a statement is parsed and planned once per connection), and what the pool
/// said about it. Taken from a [`Db`](crate::Db) (`db.connection()`), or wrapped around a
/// client of your own with [`Connection::new`].
pub struct Connection {
    client: Client,
    statements: HashMap<Box<str>, Statement>,
    /// The statements of the query shapes run on this connection, with their SQL (for the
    /// log): see [`query_shaped`](Connection::query_shaped).
    shapes: HashMap<Shape, (Statement, Arc<str>), BuildShapeHasher>,
    cache_statements: bool,
    /// The bytes of SQL text the two caches hold (a statement kept for a shape counts in
    /// both, as both hold its text).
    cached_bytes: usize,
    readonly: bool,
    /// The engine slot of the database the connection came from (vectorizing on save,
    /// vector search).
    vectors: Vectors,
    /// Set when a rollback failed: the pool drops the connection instead of reusing it.
    pub(crate) broken: bool,
}

impl Connection {
    /// Wraps `client`, with the statement cache on.
    pub fn new(client: Client) -> Connection {
        Connection {
            client,
            statements: HashMap::new(),
            shapes: HashMap::default(),
            cache_statements: true,
            cached_bytes: 0,
            readonly: false,
            vectors: Vectors::new(),
            broken: false,
        }
    }

    pub(crate) fn configured(
        client: Client,
        cache_statements: bool,
        readonly: bool,
        vectors: Vectors,
    ) -> Self {
        Connection {
            cache_statements,
            readonly,
            vectors,
            ..Connection::new(client)
        }
    }

    /// The vector engine slot: the pool's database's (shared with it) for a pooled
    /// connection, one of its own for [`Connection::new`].
    pub fn vectors(&self) -> &Vectors {
        &self.vectors
    }

    /// Whether writes through the ORM are refused (a `readonly` replica).
    pub fn is_readonly(&self) -> bool {
        self.readonly
    }

    /// Runs `sql` with `params` and returns the rows.
    pub fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        self.run(sql, params, Collect)
    }

    /// Runs `sql` with `params` and calls `each` with every row as the rows arrive, without
    /// collecting them (see [`Client::query_each`]): a large result is decoded while the server
    /// is still sending it. Returns how many rows there were; `each`'s first error stops it.
    pub fn query_each(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        each: impl FnMut(&Row) -> Result<()>,
    ) -> Result<u64> {
        self.run(sql, params, Each(each))
    }

    /// Runs `sql` with `params` (prepared and cached when the cache is on) and reads its rows
    /// with `reader`.
    fn run<R: Reader>(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        reader: R,
    ) -> Result<R::Output> {
        log(sql, params);
        if self.cache_statements && sql.len() <= MAX_CACHED_STATEMENT_BYTES {
            let statement = self.statement(sql)?;
            reader.read(&mut self.client, Sql::Prepared(&statement), params)
        } else {
            reader.read(&mut self.client, Sql::Text(sql), params)
        }
    }

    /// Runs the statement of `shape` with `values` (the values it binds, in order) and hands
    /// each row to `each` as it arrives (see [`query_each`](Connection::query_each)). The first
    /// time this connection sees the shape, the statement comes from `render` (sea-query), and
    /// is kept for the shape when it binds exactly `values`; from then on `render` is not
    /// called. See [`shape`](crate::query::shape).
    pub(crate) fn query_shaped(
        &mut self,
        shape: Shape,
        values: Bindings,
        render: impl FnOnce() -> (String, PostgresValues),
        each: impl FnMut(&Row) -> Result<()>,
    ) -> Result<u64> {
        let params: Vec<&(dyn ToSql + Sync)> = values
            .iter()
            .map(|value| value as &(dyn ToSql + Sync))
            .collect();
        let reader = match self.run_kept(&shape, &params, Each(each)) {
            Ok(done) => return done,
            Err(reader) => reader,
        };
        let (sql, rendered) = render();
        if shape::binds_as(&values, &rendered.0) {
            self.keep(shape, &sql)?;
        }
        self.run(&sql, &rendered.as_params(), reader)
    }

    /// Runs the statement kept for `shape`, or else the SQL `write` returns (and keeps it for
    /// the shape), with `params`, and returns the rows: for statements the ORM writes itself,
    /// which bind their values in the order they are written, so there is nothing to check.
    pub(crate) fn query_written(
        &mut self,
        shape: Shape,
        params: &[&(dyn ToSql + Sync)],
        write: impl FnOnce() -> String,
    ) -> Result<Vec<Row>> {
        self.run_written(shape, params, write, Collect)
    }

    /// [`query_written`](Connection::query_written) for a statement run for what it changes:
    /// returns how many rows it changed.
    pub(crate) fn execute_written(
        &mut self,
        shape: Shape,
        params: &[&(dyn ToSql + Sync)],
        write: impl FnOnce() -> String,
    ) -> Result<u64> {
        self.run_written(shape, params, write, Execute)
    }

    fn run_written<R: Reader>(
        &mut self,
        shape: Shape,
        params: &[&(dyn ToSql + Sync)],
        write: impl FnOnce() -> String,
        reader: R,
    ) -> Result<R::Output> {
        let reader = match self.run_kept(&shape, params, reader) {
            Ok(done) => return done,
            Err(reader) => reader,
        };
        let sql = write();
        self.keep(shape, &sql)?;
        self.run(&sql, params, reader)
    }

    /// Runs the statement kept for `shape` with `reader`; hands `reader` back when no
    /// statement is kept for it.
    fn run_kept<R: Reader>(
        &mut self,
        shape: &Shape,
        params: &[&(dyn ToSql + Sync)],
        reader: R,
    ) -> std::result::Result<Result<R::Output>, R> {
        let Some((statement, sql)) = self.shapes.get(shape) else {
            return Err(reader);
        };
        log(sql, params);
        Ok(reader.read(&mut self.client, Sql::Prepared(statement), params))
    }

    /// Prepares `sql` and keeps it for `shape` (unless the statement cache is off).
    fn keep(&mut self, shape: Shape, sql: &str) -> Result<()> {
        if !self.cache_statements || sql.len() > MAX_CACHED_STATEMENT_BYTES {
            return Ok(());
        }
        let statement = self.statement(sql)?;
        if self.shapes.len() >= STATEMENT_CACHE_LIMIT {
            self.clear_statement_cache();
        }
        self.make_room(sql.len());
        self.shapes.insert(shape, (statement, sql.into()));
        Ok(())
    }

    /// Starts the caches over when `bytes` more would take them past
    /// [`STATEMENT_CACHE_BYTES`].
    fn make_room(&mut self, bytes: usize) {
        if self.cached_bytes + bytes > STATEMENT_CACHE_BYTES {
            self.clear_statement_cache();
        }
        self.cached_bytes += bytes;
    }

    /// Runs `sql` and returns its single row: an error when there is none or more than one.
    pub fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row> {
        let mut rows = self.query(sql, params)?;
        match rows.len() {
            1 => Ok(rows.remove(0)),
            0 => Err(Error::NotFound {
                message: format!("`{sql}` returned no rows"),
            }),
            count => Err(Error::Input {
                message: format!("expected one row from `{sql}`, the query returned {count}"),
            }),
        }
    }

    /// Runs `sql` and returns its row, if any (more than one is an error).
    pub fn query_opt(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>> {
        let mut rows = self.query(sql, params)?;
        match rows.len() {
            0 => Ok(None),
            1 => Ok(Some(rows.remove(0))),
            count => Err(Error::Input {
                message: format!(
                    "expected at most one row from `{sql}`, the query returned {count}"
                ),
            }),
        }
    }

    /// Runs `sql` and returns how many rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        self.run(sql, params, Execute)
    }

    /// Runs `sql`, a `COPY … FROM STDIN (FORMAT binary)`, with `values` as its rows (see
    /// [`Client::copy_in`]); returns how many rows were copied.
    pub fn copy_in(
        &mut self,
        sql: &str,
        types: &[instant_pg::types::Type],
        values: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        tracing::debug!(target: "instant::sql", sql, rows = values.len() / types.len().max(1));
        Ok(self.client.copy_in(sql, types, values)?)
    }

    /// Runs one or more statements without parameters (the simple query protocol), e.g. DDL.
    /// Forgets the prepared statements, whose plans DDL may have made stale.
    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        log(sql, &[]);
        self.clear_statement_cache();
        Ok(self.client.batch_execute(sql)?)
    }

    /// The prepared statement for `sql`, prepared now if this connection has not yet. A
    /// statement over [`MAX_CACHED_STATEMENT_BYTES`] is prepared and not kept: the server
    /// closes it when the last `Statement` for it is dropped.
    pub fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        if self.cache_statements && sql.len() <= MAX_CACHED_STATEMENT_BYTES {
            if self.statements.len() >= STATEMENT_CACHE_LIMIT {
                self.clear_statement_cache();
            }
            self.make_room(sql.len());
            self.statements.insert(sql.into(), statement.clone());
        }
        Ok(statement)
    }

    /// How many bytes of SQL text the connection's statement caches hold (see
    /// [`MAX_CACHED_STATEMENT_BYTES`]).
    pub fn cached_sql_bytes(&self) -> usize {
        self.cached_bytes
    }

    /// How many query shapes this connection keeps a statement for: queries built the same
    /// way again skip building their SQL.
    pub fn kept_shapes(&self) -> usize {
        self.shapes.len()
    }

    /// Forgets every prepared statement (after a schema change made outside this connection).
    pub fn clear_statement_cache(&mut self) {
        self.statements.clear();
        self.shapes.clear();
        self.cached_bytes = 0;
    }

    /// The driver's client ([`instant_pg::Client`]), for what the ORM does not wrap (statements
    /// prepared and kept by the caller, savepoints …). Statements run on it bypass the cache
    /// and the query log.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.broken || self.client.is_closed()
    }

    /// Runs `f` with a deadline `timeout` from now: a statement still running when it passes
    /// is cancelled (a CancelRequest to the server) and fails with a timeout error
    /// ([`instant_pg::Error::is_timeout`]); the connection stays usable. Calls made after
    /// the deadline fail before sending anything. Within an outer deadline, the earlier of
    /// the two applies.
    ///
    /// Works for everything run on the connection in `f`, the ORM's calls included (pass
    /// the connection as their executor). It costs nothing while the server answers in time.
    ///
    /// ```no_run
    /// # fn demo(db: &instant_runtime::Db) -> instant_runtime::Result<()> {
    /// use std::time::Duration;
    /// let mut connection = db.connection()?;
    /// let rows = connection.with_deadline(Duration::from_secs(2), |connection| {
    ///     connection.query("SELECT * FROM reports WHERE slow_check(body)", &[])
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn with_deadline<R>(
        &mut self,
        timeout: Duration,
        f: impl FnOnce(&mut Connection) -> Result<R>,
    ) -> Result<R> {
        self.with_deadline_at(Instant::now() + timeout, timeout, f)
    }

    /// [`with_deadline`](Connection::with_deadline) at `deadline`, which `timeout` led to.
    fn with_deadline_at<R>(
        &mut self,
        deadline: Instant,
        timeout: Duration,
        f: impl FnOnce(&mut Connection) -> Result<R>,
    ) -> Result<R> {
        let outer = self.client.deadline();
        if outer.is_none_or(|(outer, _)| deadline < outer) {
            self.client.set_deadline_at(Some((deadline, timeout)));
        }
        let result = f(self);
        self.client.set_deadline_at(outer);
        result
    }

    /// Runs `f` with the server's `statement_timeout` and `lock_timeout` set as given for
    /// its duration (`None` leaves one as it is), then back to the connection's defaults
    /// (`RESET`, which returns to
    /// [`DbBuilder::statement_timeout`](crate::db::DbBuilder::statement_timeout) and the
    /// like): the server cancels a statement that runs, or waits for a lock, longer
    /// (SQLSTATE 57014 or 55P03), and the connection stays usable. Two more round trips;
    /// [`with_deadline`](Connection::with_deadline) costs none. A connection the settings
    /// cannot be reset on (its transaction failed inside `f` and is still open) is not
    /// returned to the pool.
    pub fn with_server_timeouts<R>(
        &mut self,
        statement: Option<Duration>,
        lock: Option<Duration>,
        f: impl FnOnce(&mut Connection) -> Result<R>,
    ) -> Result<R> {
        let settings = [("statement_timeout", statement), ("lock_timeout", lock)];
        let set: Vec<String> = settings
            .iter()
            .filter_map(|(name, timeout)| {
                timeout.map(|timeout| format!("SET {name} = {}", timeout.as_millis()))
            })
            .collect();
        if set.is_empty() {
            return f(self);
        }
        self.client.batch_execute(&set.join("; "))?;
        let result = f(self);
        let reset: Vec<String> = settings
            .iter()
            .filter(|(_, timeout)| timeout.is_some())
            .map(|(name, _)| format!("RESET {name}"))
            .collect();
        if let Err(error) = self.client.batch_execute(&reset.join("; ")) {
            self.broken = true;
            tracing::warn!(target: "instant::sql", %error, "resetting the server's timeouts failed");
        }
        result
    }
}

impl Db {
    /// Runs `f` on a pooled connection within `timeout` (see
    /// [`Connection::with_deadline`]); waiting for the connection counts too.
    ///
    /// ```no_run
    /// # fn demo(db: &instant_runtime::Db) -> instant_runtime::Result<()> {
    /// use std::time::Duration;
    /// let count = db.with_deadline(Duration::from_secs(1), |connection| {
    ///     connection.query_one("SELECT count(*) FROM events", &[])
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn with_deadline<R>(
        &self,
        timeout: Duration,
        f: impl FnOnce(&mut Connection) -> Result<R>,
    ) -> Result<R> {
        let deadline = Instant::now() + timeout;
        let mut connection =
            self.inner
                .pool
                .get_timeout(timeout)
                .map_err(|error| Error::Connection {
                    message: format!(
                        "no connection to the {} database within the deadline: {error}",
                        self.name()
                    ),
                })?;
        connection.with_deadline_at(deadline, timeout, f)
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("prepared_statements", &self.statements.len())
            .field("kept_shapes", &self.shapes.len())
            .field("cache_statements", &self.cache_statements)
            .field("readonly", &self.readonly)
            .finish_non_exhaustive()
    }
}

/// How a statement's rows are read: collected, counted, or handed to a function as they arrive.
trait Reader {
    type Output;

    fn read(
        self,
        client: &mut Client,
        statement: Sql<'_>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Self::Output>;
}

/// Every row, collected ([`Client::query`]).
struct Collect;

impl Reader for Collect {
    type Output = Vec<Row>;

    fn read(
        self,
        client: &mut Client,
        statement: Sql<'_>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        Ok(client.query(statement, params)?)
    }
}

/// No rows, the count of rows changed ([`Client::execute`]).
struct Execute;

impl Reader for Execute {
    type Output = u64;

    fn read(
        self,
        client: &mut Client,
        statement: Sql<'_>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        Ok(client.execute(statement, params)?)
    }
}

/// Each row handed to a function as it arrives ([`Client::query_each`]); the row count.
struct Each<F>(F);

impl<F: FnMut(&Row) -> Result<()>> Reader for Each<F> {
    type Output = u64;

    fn read(
        self,
        client: &mut Client,
        statement: Sql<'_>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        client.query_each(statement, params, self.0)
    }
}

/// Query logging (instant.dev's log level 4): the SQL and its parameters at `debug` level on
/// the `instant::sql` target. `tracing` checks the level first, so it costs nothing when off.
fn log(sql: &str, params: &[&(dyn ToSql + Sync)]) {
    tracing::debug!(target: "instant::sql", sql, params = ?params);
}
