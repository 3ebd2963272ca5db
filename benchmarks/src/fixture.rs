//! The database the benchmarks run on: a temporary database with a fixture migrated (the blog
//! one unless said otherwise), and blog users with unique emails and usernames to fill it with.

use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Result};
use postgres::Client;

use crate::blog::User;

/// The blog fixture project, as `build.rs` generates it.
const BLOG_PROJECT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/blog");

/// The diesel suite's schema (`fixtures/diesel_bench`), as `build.rs` generates it.
pub const DIESEL_BENCH_PROJECT: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/diesel_bench");

/// A temporary database (on `DATABASE_URL`'s server, else a private cluster) with a fixture's
/// schema, and an ORM pool on it. Dropping it drops the database.
pub struct Fixture {
    // Field order: the pool closes before the database is dropped.
    db: Db,
    temp: TempDb,
}

impl Fixture {
    /// Creates the database and applies the blog fixture's migrations.
    pub fn new() -> Result<Fixture> {
        Fixture::migrated(BLOG_PROJECT)
    }

    /// Creates the database and applies the migrations of the fixture project at `project`
    /// (a directory holding `_instant/`).
    pub fn migrated(project: &str) -> Result<Fixture> {
        let temp = TempDb::new()?;
        temp.migrate_fixture(project)?;
        let db = temp.db()?;
        Ok(Fixture { db, temp })
    }

    /// The ORM's handle: a pool, as an application holds it.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The database's connection URL, for the peers that open their own connections.
    pub fn url(&self) -> &str {
        self.temp.url()
    }

    /// A connection of the `postgres` crate, for the baseline and for setup.
    pub fn client(&self) -> Result<Client> {
        Client::connect(self.url(), postgres::NoTls).map_err(baseline)
    }

    /// Empties `users` (and what references it), so inserts start from an empty table.
    pub fn truncate_users(client: &mut Client) -> Result<()> {
        client
            .batch_execute("TRUNCATE users CASCADE")
            .map_err(baseline)?;
        Ok(())
    }

    /// Replaces the users with `count` fresh ones in one statement; returns their ids.
    pub fn seed_users(&self, users: &mut Users, count: usize) -> Result<Vec<i64>> {
        let mut client = self.client()?;
        Fixture::truncate_users(&mut client)?;
        let mut raw = crate::raw::RawUsers::prepare(client, count).map_err(baseline)?;
        let inserted = raw.insert_batch(&users.take(count)).map_err(baseline)?;
        Ok(inserted.into_iter().map(|user| user.id).collect())
    }
}

/// An error of the baseline's driver (the `postgres` crate) as the runtime's.
pub fn baseline(error: postgres::Error) -> instant_runtime::Error {
    instant_runtime::Error::Connection {
        message: format!("the baseline's driver: {error}"),
    }
}

/// Makes users whose unique columns (email, username) never repeat within a process.
#[derive(Debug, Default)]
pub struct Users {
    made: u64,
}

impl Users {
    /// A factory starting at user 0.
    pub fn new() -> Users {
        Users::default()
    }

    /// The next user, not yet saved (`id` 0, timestamps unset: the insert fills them in).
    pub fn next_user(&mut self) -> User {
        let n = self.made;
        self.made += 1;
        User {
            id: 0,
            email: format!("user{n}@example.com"),
            username: format!("user{n}"),
            biography: Some("Writes about databases.".to_string()),
            is_admin: Some(n.is_multiple_of(2)),
            created_at: None,
            updated_at: None,
        }
    }

    /// The next `count` users.
    pub fn take(&mut self, count: usize) -> Vec<User> {
        (0..count).map(|_| self.next_user()).collect()
    }
}
