//! The connection pool: r2d2 with a manager that hands out [`Connection`]s (a client plus its
//! statement cache), so prepared statements survive between checkouts.

use std::sync::Arc;

use instant_pg::Client;

use super::connection::Connection;
use crate::error::{Error, Result};
use crate::vector::Vectors;

/// Opens one client; cheap to clone and shared by every pool thread.
pub(crate) type Connect = Arc<dyn Fn() -> Result<Client> + Send + Sync>;

/// A connection checked out of a [`Db`](crate::Db)'s pool; returned to it when dropped.
pub type Pooled = r2d2::PooledConnection<Manager>;

/// Makes the pool's connections.
pub struct Manager {
    pub(crate) connect: Connect,
    pub(crate) cache_statements: bool,
    pub(crate) readonly: bool,
    pub(crate) vectors: Vectors,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Connection;
    type Error = Error;

    fn connect(&self) -> Result<Connection> {
        let mut client = (self.connect)()?;
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
        connection.client().batch_execute("")?;
        Ok(())
    }

    fn has_broken(&self, connection: &mut Connection) -> bool {
        connection.is_closed()
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
