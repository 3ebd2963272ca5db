//! The database handle: a pool of connections to one database, with the settings the ORM
//! runs under (statement cache, readonly).

mod connection;
mod executor;
mod pool;
mod transaction;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use instant_pg::Row;
use instant_pg::types::ToSql;

pub use connection::{Connection, MAX_CACHED_STATEMENT_BYTES};
pub use executor::Executor;
pub use pool::{Manager, Pooled};
pub use transaction::Transaction;

use crate::connect::{self, MAIN_DATABASE};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::vector::Vectors;

/// A database: a pool of connections, cheap to clone and shared between threads.
///
/// ```no_run
/// use instant_runtime::Db;
///
/// // DATABASE_URL, else `_instant/db.json` for INSTANT_ENV (default `development`)
/// let db = Db::connect(".")?;
/// let rows = db.query("SELECT 1 AS one", &[])?;
/// let one: i32 = rows[0].get("one");
/// # Ok::<(), instant_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    readonly: bool,
    vectors: Vectors,
    limits: Limits,
    pool: r2d2::Pool<Manager>,
}

impl Db {
    /// The project's `main` database (see [`DbBuilder`] for the options).
    pub fn connect(project_dir: impl AsRef<Path>) -> Result<Db> {
        Db::builder().project_dir(project_dir).connect()
    }

    /// The database at `url` (`postgres://user:password@host:port/database`).
    pub fn from_url(url: &str) -> Result<Db> {
        Db::builder().url(url).connect()
    }

    /// Settings beyond the defaults: another environment or database, the pool size, the
    /// statement cache.
    pub fn builder() -> DbBuilder {
        DbBuilder::default()
    }

    /// The database's name in `db.json` (`main`, `readonly`, …).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Whether the ORM refuses writes here (instant.dev's `readonly` replica slot).
    pub fn is_readonly(&self) -> bool {
        self.inner.readonly
    }

    /// The vector engine this database's saves and vector queries use (instant.dev's
    /// `Instant.Vectors`): `db.vectors().set_engine(LocalEngine::new(384))`. Every
    /// connection of the pool shares it.
    pub fn vectors(&self) -> &Vectors {
        &self.inner.vectors
    }

    /// The limits the dynamic API (nested queries, where-objects) applies to documents run
    /// on this database ([`DbBuilder::limits`]; [`Limits::default`] unless set).
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// A connection from the pool, returned to it when dropped.
    pub fn connection(&self) -> Result<Pooled> {
        self.inner.pool.get().map_err(|error| Error::Connection {
            message: format!("no connection to the {} database: {error}", self.name()),
        })
    }

    /// Opens a transaction on a pooled connection; dropping it without
    /// [`commit`](Transaction::commit) rolls it back.
    pub fn transaction(&self) -> Result<Transaction<'static>> {
        Transaction::begin_pooled(self.connection()?)
    }

    /// Runs raw SQL with `$1…` parameters and returns the rows.
    pub fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        self.connection()?.query(sql, params)
    }

    /// Runs raw SQL and returns how many rows it changed (a readonly database's server refuses
    /// writes).
    pub fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        self.connection()?.execute(sql, params)
    }

    /// Runs statements separated by `;` in one transaction (instant.dev's `transact`); all
    /// or nothing.
    pub fn transact(&self, sql: &str) -> Result<()> {
        Executor::with_transaction(&mut &*self, |transaction| transaction.batch_execute(sql))
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.inner.pool.state();
        f.debug_struct("Db")
            .field("name", &self.inner.name)
            .field("readonly", &self.inner.readonly)
            .field("connections", &state.connections)
            .field("idle", &state.idle_connections)
            .finish()
    }
}

/// How to reach the database and how to run on it.
#[derive(Debug, Clone)]
pub struct DbBuilder {
    project_dir: PathBuf,
    env: Option<String>,
    database: String,
    url: Option<String>,
    config: Option<postgres::Config>,
    pool_size: u32,
    cache_statements: bool,
    readonly: Option<bool>,
    connect_timeout: Duration,
    /// Timeouts, limits and lifetimes of the connections (see `pool.rs`).
    session: pool::Settings,
    limits: Limits,
}

impl Default for DbBuilder {
    fn default() -> Self {
        DbBuilder {
            project_dir: PathBuf::from("."),
            env: None,
            database: MAIN_DATABASE.to_string(),
            url: None,
            config: None,
            pool_size: 10,
            cache_statements: true,
            readonly: None,
            connect_timeout: Duration::from_secs(10),
            session: pool::Settings::default(),
            limits: Limits::default(),
        }
    }
}

impl DbBuilder {
    /// The folder holding `_instant/` (default: the current directory).
    pub fn project_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.project_dir = dir.as_ref().to_path_buf();
        self
    }

    /// The `db.json` environment (default: `INSTANT_ENV`, else `NODE_ENV`, else
    /// `development`).
    pub fn env(mut self, env: impl Into<String>) -> Self {
        self.env = Some(env.into());
        self
    }

    /// The `db.json` database name (default `main`). `readonly` is instant.dev's replica
    /// slot: the ORM refuses writes on it.
    pub fn database(mut self, name: impl Into<String>) -> Self {
        self.database = name.into();
        self
    }

    /// Connects to `url` instead of reading `db.json`.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Connects with a driver configuration instead of reading `db.json`.
    pub fn config(mut self, config: postgres::Config) -> Self {
        self.config = Some(config);
        self
    }

    /// At most this many connections (default 10).
    pub fn pool_size(mut self, size: u32) -> Self {
        self.pool_size = size.max(1);
        self
    }

    /// Whether each connection keeps its prepared statements (default on). Turn it off behind
    /// PgBouncer in transaction pooling mode, where a prepared statement may not exist on the
    /// server connection the next transaction gets.
    pub fn statement_cache(mut self, on: bool) -> Self {
        self.cache_statements = on;
        self
    }

    /// Refuse writes (default: only for the database named `readonly`).
    pub fn readonly(mut self, readonly: bool) -> Self {
        self.readonly = Some(readonly);
        self
    }

    /// How long to wait for a connection, from the pool or the server (default 10 s). A
    /// `connect_timeout` in the URL or `db.json`, else `PGCONNECT_TIMEOUT`, wins for the
    /// server.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The limits on what one dynamic query (a nested query, a where-object) may ask for
    /// (default [`Limits::default`]): raise them for trusted callers, lower them for an API.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Opens the pool and one connection, so a wrong setting fails here and not at the first
    /// query.
    pub fn connect(self) -> Result<Db> {
        let connect = self.connect_fn()?;
        let readonly = self.readonly.unwrap_or(self.database == "readonly");
        let vectors = Vectors::new();
        let manager = Manager {
            connect,
            cache_statements: self.cache_statements,
            readonly,
            vectors: vectors.clone(),
            socket: self.session.socket,
        };
        // One connection now, so a wrong setting reports its own error, not a pool timeout.
        drop(r2d2::ManageConnection::connect(&manager)?);
        let pool = self
            .session
            .pool_builder()?
            .max_size(self.pool_size)
            .min_idle(Some(0))
            .connection_timeout(self.connect_timeout)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        Ok(Db {
            inner: Arc::new(Inner {
                name: self.database,
                readonly,
                vectors,
                limits: self.limits,
                pool,
            }),
        })
    }

    fn connect_fn(&self) -> Result<pool::Connect> {
        let connector = match (&self.url, &self.config) {
            (Some(url), _) => connect::Connector::from_url(url)?,
            (None, Some(config)) => connect::Connector::from_config(config.clone()),
            (None, None) => {
                connect::connector(&self.project_dir, self.env.as_deref(), &self.database)?
            }
        };
        let timeout = self.connect_timeout;
        let connector = connector.with_config(|config| {
            if config.get_connect_timeout().is_none() {
                config.connect_timeout(timeout);
            }
            self.session.apply(config);
        });
        Ok(Arc::new(move || connector.connect()))
    }
}
