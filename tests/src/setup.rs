//! What the behaviour tests start from: a temporary database with a fixture migrated and its
//! `seed.json` loaded through the generated models.

use instant_runtime::Db;
use instant_runtime::seed::{self, Models};
use instant_runtime::testing::TempDb;
use instant_schema::Project;

/// The `fixtures/<name>` project folder.
pub fn fixture_dir(name: &str) -> String {
    format!("{}/../fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A new database with `fixtures/<name>` migrated, and nothing in its tables. The [`TempDb`]
/// drops the database when it goes out of scope: keep it alive with the [`Db`].
///
/// # Panics
///
/// When the cluster or the fixture fails: this is test setup.
pub fn migrated(name: &str) -> (TempDb, Db) {
    let temp = TempDb::new().expect("a temporary database");
    temp.migrate_fixture(fixture_dir(name))
        .expect("the fixture migrates");
    let db = temp.db().expect("a pool on the temporary database");
    (temp, db)
}

/// How many rows `table` has.
///
/// # Panics
///
/// When the count fails: this is a test's check.
pub fn count(db: &Db, table: &str) -> i64 {
    db.query(&format!("SELECT count(*) FROM {table}"), &[])
        .expect("the count runs")[0]
        .get(0)
}

/// A new database with `fixtures/<name>` migrated and seeded through `models`. The
/// [`TempDb`] drops the database when it goes out of scope: keep it alive with the [`Db`].
///
/// # Panics
///
/// When the cluster, the fixture or its seed fails: this is test setup.
pub fn seeded(name: &str, models: &Models) -> (TempDb, Db) {
    let dir = fixture_dir(name);
    let temp = TempDb::new().expect("a temporary database");
    temp.migrate_fixture(&dir).expect("the fixture migrates");
    let db = temp.db().expect("a pool on the temporary database");
    let project = Project::load(&dir).expect("the fixture loads");
    seed::seed_project(&db, &project, models).expect("the fixture's seed loads");
    (temp, db)
}

/// The `family` fixture with its seed: 10 parents (ids 1–10, Albert … Zoolander), 100
/// children (ten per parent, in parent order), 30 pets, 10 partners, 20 careers, 45
/// friendships.
pub fn family() -> (TempDb, Db) {
    seeded("family", &crate::family::seed_models())
}
