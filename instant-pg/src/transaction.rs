//! Transactions: `BEGIN` … `COMMIT`, and savepoints inside them.

use std::ops::{Deref, DerefMut};

use crate::client::Client;
use crate::error::Error;

/// An open transaction on a [`Client`]; everything the client does runs in it (it derefs to
/// the client). Dropped without [`commit`](Transaction::commit), it rolls back.
pub struct Transaction<'a> {
    client: &'a mut Client,
    /// 0 for the transaction itself, n for the n-th nested savepoint.
    depth: u32,
    done: bool,
}

impl<'a> Transaction<'a> {
    pub(crate) fn new(client: &'a mut Client, depth: u32) -> Transaction<'a> {
        Transaction {
            client,
            depth,
            done: false,
        }
    }

    /// Makes the transaction's work permanent (`COMMIT`, or releases the savepoint). When it
    /// fails before the server ended the transaction (a deadline that passed), the
    /// transaction is rolled back, as when dropped.
    pub fn commit(mut self) -> Result<(), Error> {
        let sql = match self.depth {
            0 => "COMMIT".to_owned(),
            depth => format!("RELEASE sp{depth}"),
        };
        let committed = self.client.batch_execute(&sql);
        self.done = committed.is_ok();
        committed
    }

    /// Undoes the transaction's work (`ROLLBACK`, or back to the savepoint).
    pub fn rollback(mut self) -> Result<(), Error> {
        self.done = true;
        self.roll_back()
    }

    /// A savepoint inside this transaction: committing it keeps its work in this one,
    /// rolling it back undoes only its own.
    pub fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
        let depth = self.depth + 1;
        self.client.batch_execute(&format!("SAVEPOINT sp{depth}"))?;
        Ok(Transaction::new(self.client, depth))
    }

    fn roll_back(&mut self) -> Result<(), Error> {
        let sql = match self.depth {
            0 => "ROLLBACK".to_owned(),
            depth => format!("ROLLBACK TO sp{depth}"),
        };
        self.client.batch_execute(&sql)
    }
}

impl Deref for Transaction<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client
    }
}

impl DerefMut for Transaction<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.done || self.client.is_closed() || !self.client.in_transaction() {
            return;
        }
        // Cleaning up is not cut short by the caller's deadline, which may be what ended the
        // transaction's work.
        let deadline = self.client.deadline();
        if deadline.is_some() {
            self.client.set_deadline_at(None);
        }
        if let Err(error) = self.roll_back() {
            tracing::warn!(target: "instant::pg", %error, "rolling back a dropped transaction failed");
        }
        if deadline.is_some() {
            self.client.set_deadline_at(deadline);
        }
    }
}

impl std::fmt::Debug for Transaction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction")
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}
