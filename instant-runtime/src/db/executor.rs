//! Where the ORM runs a statement: a [`Db`] (a pooled connection, and a transaction of the
//! ORM's own for writes), a caller's [`Transaction`], or a [`Connection`] held by the caller.

use super::{Connection, Db, Transaction};
use crate::error::{Error, Result};
use crate::limits::Limits;

/// Something the ORM can run statements on. Every ORM operation takes one, as instant.dev's
/// take an optional transaction: pass `&db` to let the ORM open (and commit, or roll back)
/// its own transaction, or `&mut transaction` to run inside yours, which the ORM then never
/// commits or rolls back.
pub trait Executor: Sized {
    /// Runs `f` on a connection (reads).
    fn with_connection<R>(&mut self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R>;

    /// Runs `f` inside a transaction, for writes: the caller's, left open whatever `f`
    /// returns, or a new one that is committed when `f` succeeds and rolled back when it
    /// fails. Refused on a readonly database.
    fn with_transaction<R>(
        &mut self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<R>,
    ) -> Result<R>;

    /// Runs `f`, a single write statement (atomic by itself), on a connection: no transaction
    /// of the ORM's own. Refused on a readonly database.
    fn with_write<R>(&mut self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        self.with_connection(|connection| {
            if connection.is_readonly() {
                return Err(Error::ReadOnly);
            }
            f(connection)
        })
    }

    /// The limits a dynamic query run here applies: the [`Db`]'s own
    /// ([`Db::limits`]), and [`Limits::default`] on a transaction or connection, which do
    /// not know the `Db` they came from (pass limits explicitly there).
    fn limits(&self) -> Limits {
        Limits::default()
    }
}

impl Executor for &Db {
    fn with_connection<R>(&mut self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        let mut connection = self.connection()?;
        f(&mut connection)
    }

    fn with_transaction<R>(
        &mut self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        if self.is_readonly() {
            return Err(Error::ReadOnly);
        }
        owned(self.transaction()?, f)
    }

    fn limits(&self) -> Limits {
        *Db::limits(self)
    }
}

impl Executor for &mut Transaction<'_> {
    fn with_connection<R>(&mut self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        f(self.connection())
    }

    fn with_transaction<R>(
        &mut self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        if self.is_readonly() {
            return Err(Error::ReadOnly);
        }
        f(self)
    }
}

/// An executor borrowed again, so one can serve several operations in a row.
impl<E: Executor> Executor for &mut E {
    fn with_connection<R>(&mut self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        (**self).with_connection(f)
    }

    fn with_transaction<R>(
        &mut self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        (**self).with_transaction(f)
    }

    fn with_write<R>(&mut self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        (**self).with_write(f)
    }

    fn limits(&self) -> Limits {
        (**self).limits()
    }
}

impl Executor for &mut Connection {
    fn with_connection<R>(&mut self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        f(self)
    }

    fn with_transaction<R>(
        &mut self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        if self.is_readonly() {
            return Err(Error::ReadOnly);
        }
        owned(Transaction::begin_on(self)?, f)
    }
}

/// Runs `f` in a transaction the ORM opened: commit on success, roll back on failure (the
/// failure is what the caller sees, not a rollback error after it).
fn owned<R>(
    mut transaction: Transaction<'_>,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<R>,
) -> Result<R> {
    match f(&mut transaction) {
        Ok(value) => {
            transaction.commit()?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = transaction.rollback() {
                tracing::warn!(%rollback, "rolling back after a failed operation failed");
            }
            Err(error)
        }
    }
}
