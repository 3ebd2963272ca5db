//! The connection pool: r2d2 with a manager that hands out [`Connection`]s (a client plus its
//! statement cache), so prepared statements survive between checkouts.

use std::sync::Arc;
use std::time::Duration;

use instant_pg::Client;

use super::connection::Connection;
use super::{Db, DbBuilder};
use crate::error::{Error, Result};
use crate::vector::Vectors;

/// Opens one client; cheap to clone and shared by every pool thread.
pub(crate) type Connect = Arc<dyn Fn() -> Result<Client> + Send + Sync>;

/// A connection checked out of a [`Db`](crate::Db)'s pool; returned to it when dropped.
pub type Pooled = r2d2::PooledConnection<Manager>;

/// How long a connection whose last call failed has to answer an empty query before the
/// pool hands it out again; one that does not is dropped.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// Makes the pool's connections, and judges them when they come back and go out.
///
/// A connection goes back into the pool only when its driver says it is in step with the
/// server, outside any transaction; one whose last call failed is checked with an empty
/// query before it is handed out again (a cheap test that costs nothing after calls that
/// succeeded).
pub struct Manager {
    pub(crate) connect: Connect,
    pub(crate) cache_statements: bool,
    pub(crate) readonly: bool,
    pub(crate) vectors: Vectors,
    pub(crate) socket: SocketSettings,
}

/// What the manager sets on each new connection's socket.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SocketSettings {
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) write_timeout: Option<Duration>,
    pub(crate) max_message_size: Option<usize>,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Connection;
    type Error = Error;

    fn connect(&self) -> Result<Connection> {
        let mut client = (self.connect)()?;
        client.set_read_timeout(self.socket.read_timeout)?;
        client.set_write_timeout(self.socket.write_timeout)?;
        if let Some(bytes) = self.socket.max_message_size {
            client.set_max_message_size(bytes);
        }
        if self.readonly {
            // Defence in depth: the server refuses writes too, not only the ORM.
            client.batch_execute("SET default_transaction_read_only = on")?;
        }
        Ok(Connection::configured(
            client,
            self.cache_statements,
            self.readonly,
            self.vectors.clone(),
        ))
    }

    fn is_valid(&self, connection: &mut Connection) -> Result<()> {
        if !connection.client().last_call_failed() {
            return Ok(());
        }
        connection.client().is_valid(CHECK_TIMEOUT)?;
        Ok(())
    }

    fn has_broken(&self, connection: &mut Connection) -> bool {
        // A connection left inside a transaction would hand its transaction to the next user.
        connection.is_closed() || connection.client().in_transaction()
    }
}

impl std::fmt::Debug for Manager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manager")
            .field("cache_statements", &self.cache_statements)
            .field("readonly", &self.readonly)
            .finish_non_exhaustive()
    }
}

/// The settings of each connection and of the pool beyond its size, as [`DbBuilder`] gathers
/// them.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) socket: SocketSettings,
    pub(crate) statement_timeout: Option<Duration>,
    pub(crate) lock_timeout: Option<Duration>,
    pub(crate) max_lifetime: Option<Duration>,
    pub(crate) idle_timeout: Option<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            socket: SocketSettings::default(),
            statement_timeout: None,
            lock_timeout: None,
            // r2d2's own defaults, which the pool had before they could be set.
            max_lifetime: Some(Duration::from_secs(30 * 60)),
            idle_timeout: Some(Duration::from_secs(10 * 60)),
        }
    }
}

impl Settings {
    /// The server-side timeouts as startup options (`-c statement_timeout=…`), after the
    /// options the connection settings already have: the session's defaults, which `RESET`
    /// returns to, at no round trip.
    pub(crate) fn apply(&self, config: &mut postgres::Config) {
        let mut options = config.get_options().unwrap_or_default().to_string();
        for (name, timeout) in [
            ("statement_timeout", self.statement_timeout),
            ("lock_timeout", self.lock_timeout),
        ] {
            if let Some(timeout) = timeout {
                if !options.is_empty() {
                    options.push(' ');
                }
                options.push_str(&format!("-c {name}={}ms", timeout.as_millis()));
            }
        }
        if !options.is_empty() {
            config.options(&options);
        }
    }

    /// The pool's lifetimes, checked: r2d2 refuses a zero one.
    pub(crate) fn pool_builder(&self) -> Result<r2d2::Builder<Manager>> {
        for (name, value) in [
            ("max_lifetime", self.max_lifetime),
            ("idle_timeout", self.idle_timeout),
        ] {
            if value.is_some_and(|value| value.is_zero()) {
                return Err(Error::config(format!(
                    "the pool's {name} must be more than 0 (use None for no limit)"
                )));
            }
        }
        Ok(r2d2::Pool::builder()
            .max_lifetime(self.max_lifetime)
            .idle_timeout(self.idle_timeout)
            .test_on_check_out(true))
    }
}

/// Settings for the connections and the pool: timeouts on the socket and on the server, and
/// how long connections live.
impl DbBuilder {
    /// The server's `statement_timeout` for every connection (default: the server's, usually
    /// none): a statement running longer is cancelled by the server (SQLSTATE 57014). Sent as
    /// a startup option, so `RESET statement_timeout` comes back to it.
    pub fn statement_timeout(mut self, timeout: Duration) -> Self {
        self.session.statement_timeout = Some(timeout);
        self
    }

    /// The server's `lock_timeout` for every connection (default: the server's, usually
    /// none): a statement waiting longer for a lock fails (SQLSTATE 55P03).
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.session.lock_timeout = Some(timeout);
        self
    }

    /// How long one read from the server may wait before the connection is given up
    /// (default: for ever). For a server that stops answering; slow statements are better
    /// bounded by [`statement_timeout`](DbBuilder::statement_timeout) or
    /// [`Db::with_deadline`], which leave the connection usable.
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.session.socket.read_timeout = timeout;
        self
    }

    /// How long one write to the server may wait before the connection is given up
    /// (default: for ever).
    pub fn write_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.session.socket.write_timeout = timeout;
        self
    }

    /// The largest message accepted from the server, in bytes (default 1 GiB, the most a
    /// server sends); a longer one closes the connection. Memory is taken only as a message
    /// arrives, whatever its header says.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.session.socket.max_message_size = Some(bytes);
        self
    }

    /// How long a connection is kept at most before the pool replaces it (default 30 min;
    /// `None`: for ever). Checked every 30 s.
    pub fn max_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.session.max_lifetime = lifetime;
        self
    }

    /// How long a connection may sit unused in the pool before it is closed (default
    /// 10 min; `None`: for ever). Checked every 30 s.
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.session.idle_timeout = timeout;
        self
    }
}

impl Db {
    /// The connection pool, for its settings and state (`max_size`, `max_lifetime`,
    /// `idle_timeout`, `state()`, …).
    pub fn pool(&self) -> &r2d2::Pool<Manager> {
        &self.inner.pool
    }
}
