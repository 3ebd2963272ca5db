//! One migrator at a time per database.
//!
//! Several processes may run `db:migrate` at once (deploys that start many instances, CI
//! jobs). Each lifecycle operation that changes the database first takes a PostgreSQL
//! session-level advisory lock with a fixed key, so the others wait, then read the history
//! afresh and find nothing left to do. A session lock (not a transaction lock) because every
//! migration commits on its own; the server releases it if the connection dies.

use instant_pg::Client;

use crate::error::Result;

/// The advisory lock key: FNV-1a (64 bit) of `"instant migrations"`, so it is stable across
/// versions and unlikely to collide with an application's own keys.
pub const LOCK_KEY: i64 = fnv1a(b"instant migrations");

const fn fnv1a(bytes: &[u8]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash as i64
}

/// Holds the migration lock on a connection; [`MigrationLock::release`] gives it back (a
/// dropped guard leaves it to the end of the session).
#[derive(Debug)]
#[must_use = "the lock is released by `release`"]
pub struct MigrationLock {
    _private: (),
}

impl MigrationLock {
    /// Waits until no other session holds the lock, then takes it.
    pub fn acquire(client: &mut Client) -> Result<MigrationLock> {
        client.execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY])?;
        Ok(MigrationLock { _private: () })
    }

    /// Releases the lock.
    pub fn release(self, client: &mut Client) -> Result<()> {
        client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])?;
        Ok(())
    }
}

/// Runs `operation` holding the migration lock; releases it whatever the outcome.
pub fn with_lock<T>(
    client: &mut Client,
    operation: impl FnOnce(&mut Client) -> Result<T>,
) -> Result<T> {
    let lock = MigrationLock::acquire(client)?;
    let result = operation(client);
    // A failed transaction leaves the session usable; the unlock error only matters when the
    // operation itself succeeded.
    let released = lock.release(client);
    let value = result?;
    released?;
    Ok(value)
}
