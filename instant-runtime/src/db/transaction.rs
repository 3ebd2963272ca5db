//! A database transaction, opened by the caller or by the ORM for one save.

use std::ops::{Deref, DerefMut};

use super::connection::Connection;
use super::pool::Pooled;
use crate::error::{Error, Result};

/// An open transaction. Commit it with [`commit`](Transaction::commit); dropping it without
/// committing rolls it back.
///
/// Pass `&mut transaction` wherever the ORM takes an executor to run several operations
/// atomically: the ORM then never commits or rolls back itself, the caller decides.
///
/// ```no_run
/// # fn demo(db: &instant_runtime::Db) -> instant_runtime::Result<()> {
/// let mut transaction = db.transaction()?;
/// transaction.execute("UPDATE accounts SET balance = balance - 10 WHERE id = $1", &[&1_i64])?;
/// transaction.execute("UPDATE accounts SET balance = balance + 10 WHERE id = $1", &[&2_i64])?;
/// transaction.commit()?;
/// # Ok(()) }
/// ```
pub struct Transaction<'c> {
    connection: Holder<'c>,
    open: bool,
}

enum Holder<'c> {
    /// Boxed: a pooled connection is large, a borrowed one a pointer.
    Pooled(Box<Pooled>),
    Borrowed(&'c mut Connection),
}

impl<'c> Transaction<'c> {
    pub(crate) fn begin_pooled(connection: Pooled) -> Result<Transaction<'static>> {
        Transaction::begin(Holder::Pooled(Box::new(connection)))
    }

    /// Opens a transaction on `connection`.
    pub fn begin_on(connection: &'c mut Connection) -> Result<Transaction<'c>> {
        Transaction::begin(Holder::Borrowed(connection))
    }

    fn begin(connection: Holder<'c>) -> Result<Transaction<'c>> {
        let mut transaction = Transaction {
            connection,
            open: false,
        };
        transaction.connection().client().batch_execute("BEGIN")?;
        transaction.open = true;
        Ok(transaction)
    }

    /// Makes the transaction's writes permanent. When the commit fails before the server
    /// ended the transaction (a deadline that had passed, so `COMMIT` was never sent), the
    /// transaction is rolled back, so the connection is not left inside it.
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        let committed = self.connection().client().batch_execute("COMMIT");
        if let Err(error) = committed {
            if self.connection().client().in_transaction()
                && let Err(rollback) = self.finish_with_rollback()
            {
                tracing::warn!(%rollback, "rolling back after a failed commit failed");
            }
            return Err(error.into());
        }
        Ok(())
    }

    /// Undoes the transaction's writes, even after the connection's deadline passed: the
    /// deadline is lifted while `ROLLBACK` runs, so the connection is kept rather than
    /// dropped. A rollback that fails marks the connection for the pool to drop.
    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.finish_with_rollback()
    }

    /// `ROLLBACK`, with the connection's deadline lifted while it runs: the deadline is what
    /// often ended the transaction's work, and a call after it fails before sending, so the
    /// rollback would fail and the connection be dropped instead of reused. The server ends
    /// a transaction's rollback at once; the read timeout, if any, still bounds it. The
    /// deadline is put back after. A rollback that fails marks the connection broken: the
    /// pool drops it rather than hand out a connection inside a transaction.
    fn finish_with_rollback(&mut self) -> Result<()> {
        let connection = self.connection();
        let client = connection.client();
        let deadline = client.deadline();
        if deadline.is_some() {
            client.set_deadline_at(None);
        }
        let result = client.batch_execute("ROLLBACK");
        if deadline.is_some() {
            client.set_deadline_at(deadline);
        }
        if result.is_err() {
            connection.broken = true;
        }
        result.map_err(Error::from)
    }

    /// The connection the transaction runs on.
    pub fn connection(&mut self) -> &mut Connection {
        match &mut self.connection {
            Holder::Pooled(connection) => connection,
            Holder::Borrowed(connection) => connection,
        }
    }
}

impl Deref for Transaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match &self.connection {
            Holder::Pooled(connection) => connection,
            Holder::Borrowed(connection) => connection,
        }
    }
}

impl DerefMut for Transaction<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.connection()
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            self.open = false;
            if let Err(error) = self.finish_with_rollback() {
                tracing::warn!(%error, "rolling back a dropped transaction failed");
            }
        }
    }
}

impl std::fmt::Debug for Transaction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction")
            .field("open", &self.open)
            .finish_non_exhaustive()
    }
}
