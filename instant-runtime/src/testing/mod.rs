//! Temporary databases: a fresh, uniquely named database per test (or per "temporary app"),
//! dropped when its handle goes out of scope.
//!
//! The database is created on the server named by `DATABASE_URL`. When `DATABASE_URL` is unset,
//! one private cluster per process is started from the machine's PostgreSQL binaries and
//! stopped when the process ends (see the `cluster` module). Names are unique across processes, so tests
//! run in parallel, including under `cargo nextest` (one process per test).
//!
//! ```no_run
//! use instant_runtime::testing::TempDb;
//!
//! let db = TempDb::new()?;
//! let mut client = db.connect()?;
//! client.batch_execute("CREATE TABLE notes (body text)")?;
//! // dropped (with any open connections terminated) at the end of the scope
//! # Ok::<(), instant_runtime::Error>(())
//! ```

mod cluster;

pub use cluster::PrivateCluster;

use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use instant_schema::Project;

use crate::error::{Error, Result};
use crate::migrate;

/// A database that exists for the lifetime of this value.
#[derive(Debug)]
pub struct TempDb {
    name: String,
    /// The server's admin URL (its own database), used to create and drop ours.
    admin_url: String,
    url: String,
}

impl TempDb {
    /// Creates an empty database.
    pub fn new() -> Result<TempDb> {
        let admin_url = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => cluster::url()?,
        };
        let name = unique_name();
        let url = with_database(&admin_url, &name);
        let mut admin = connect_to(&admin_url)?;
        admin.batch_execute(&format!("CREATE DATABASE {}", quote_ident(&name)))?;
        Ok(TempDb {
            name,
            admin_url,
            url,
        })
    }

    /// Creates an empty database with the pgvector extension enabled.
    pub fn with_vector() -> Result<TempDb> {
        let db = TempDb::new()?;
        db.connect()?
            .batch_execute("CREATE EXTENSION IF NOT EXISTS vector")?;
        Ok(db)
    }

    /// The database's name (`instant_test_<pid>_<counter>_<random>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A connection URL for this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new connection to this database.
    pub fn connect(&self) -> Result<instant_pg::Client> {
        connect_to(&self.url)
    }

    /// A [`Db`](crate::Db) (a connection pool) on this database, for the ORM.
    pub fn db(&self) -> Result<crate::Db> {
        crate::Db::builder()
            .url(self.url.as_str())
            .pool_size(4)
            .connect()
    }

    /// Applies every migration of `project` (without writing its schema cache).
    pub fn migrate(&self, project: &Project) -> Result<Vec<i64>> {
        let mut client = self.connect()?;
        Ok(migrate::apply_pending(&mut client, project)?.applied)
    }

    /// Loads the project at `dir` (the folder holding `_instant/`, or `_instant/` itself) and
    /// applies its migrations, leaving the folder untouched.
    pub fn migrate_fixture(&self, dir: impl AsRef<Path>) -> Result<Vec<i64>> {
        let project = Project::load(dir.as_ref())?;
        self.migrate(&project)
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let dropped = connect_to(&self.admin_url).and_then(|mut admin| {
            admin
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    quote_ident(&self.name)
                ))
                .map_err(Error::from)
        });
        if let Err(error) = dropped {
            tracing::warn!(database = %self.name, %error, "could not drop temporary database");
        }
    }
}

fn connect_to(url: &str) -> Result<instant_pg::Client> {
    Ok(instant_pg::Client::connect(url)?)
}

/// `instant_test_<pid>_<counter>_<random>`: unique within the process (counter) and across
/// processes, even with reused pids (random).
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "instant_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        random_suffix()
    )
}

/// Eight hex digits from the standard library's randomly seeded hasher and the clock.
fn random_suffix() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    format!("{:08x}", hasher.finish() as u32)
}

/// `url` pointing at database `name` instead: the path of a `postgres://` URL is replaced; a
/// key-value connection string gets a trailing `dbname=` (the last one wins).
pub(crate) fn with_database(url: &str, name: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return format!("{url} dbname={name}");
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_end = rest
        .find(['/', '?'])
        .map_or(url.len(), |i| authority_start + i);
    let query = url[authority_end..]
        .find('?')
        .map_or("", |i| &url[authority_end + i..]);
    format!("{}/{name}{query}", &url[..authority_end])
}

/// A double-quoted SQL identifier.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_the_database_of_a_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:54329/postgres", "x"),
            "postgres://postgres@127.0.0.1:54329/x"
        );
        assert_eq!(
            with_database("postgresql://u:p@h:1/db?sslmode=disable", "x"),
            "postgresql://u:p@h:1/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h:1", "x"), "postgres://h:1/x");
        assert_eq!(with_database("postgres://h?a=b", "x"), "postgres://h/x?a=b");
        assert_eq!(
            with_database("host=h user=u", "x"),
            "host=h user=u dbname=x"
        );
    }

    #[test]
    fn names_are_unique_and_lowercase() {
        let a = unique_name();
        let b = unique_name();
        assert_ne!(a, b);
        assert!(a.starts_with(&format!("instant_test_{}_", std::process::id())));
        assert_eq!(a, a.to_lowercase());
    }
}
