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
///
/// Meanwhile the server checks every [`CLIENT_CHECK_INTERVAL`] that the client is still
/// there (PostgreSQL 14+ on Linux, `client_connection_check_interval`): a migrator killed
/// with SIGKILL in the middle of a long statement (an index build, a data fix) then loses its
/// session, its transaction and the lock within about a second, instead of when the
/// statement ends, so the next `db:migrate` need not wait for it.
pub fn with_lock<T>(
    client: &mut Client,
    operation: impl FnOnce(&mut Client) -> Result<T>,
) -> Result<T> {
    let previous_check = check_for_a_dead_client(client)?;
    let lock = MigrationLock::acquire(client)?;
    let result = operation(client);
    // A failed transaction leaves the session usable; the unlock error only matters when the
    // operation itself succeeded.
    let released = lock.release(client);
    let restored = match previous_check {
        Some(previous) => set_check_interval(client, &previous),
        None => Ok(()),
    };
    let value = result?;
    released?;
    restored?;
    Ok(value)
}

/// How often the server checks that a migrator is still connected while it runs a statement.
pub const CLIENT_CHECK_INTERVAL: &str = "1s";

/// Turns the server's dead-client check on for this session when the server has it and it is
/// off; returns the setting to put back (`None`: nothing was changed).
fn check_for_a_dead_client(client: &mut Client) -> Result<Option<String>> {
    let previous: Option<String> = client
        .query_one(
            "SELECT current_setting('client_connection_check_interval', true)",
            &[],
        )?
        .get(0);
    match previous {
        Some(previous) if previous == "0" => {
            set_check_interval(client, CLIENT_CHECK_INTERVAL)?;
            Ok(Some(previous))
        }
        _ => Ok(None),
    }
}

fn set_check_interval(client: &mut Client, value: &str) -> Result<()> {
    client.execute(
        "SELECT set_config('client_connection_check_interval', $1, false)",
        &[&value],
    )?;
    Ok(())
}
