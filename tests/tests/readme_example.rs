//! The README's "Models and queries" example, kept compiling and running here (the README
//! shows this code; the `models` module stands for the application's `include!`d models).

use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Model};
use serde_json::json;

mod models {
    pub use instant_tests::blog::*;
}

// --- README example starts here ---
use models::{Post, posts, users};

/// A hand-written model of the `users` table: its fields are checked against the schema at
/// compile time (names and types), and it adds behaviour.
#[derive(Debug, Clone, Model)]
#[instant(table = users)]
#[calculates(handle, |user: &User| format!("@{}", user.username))]
pub struct User {
    pub id: i64,
    #[validates("must be an email address", |email| email.contains('@'))]
    #[hides]
    pub email: String,
    #[validates("must be 3 to 20 characters", |name| (3..=20).contains(&name.len()))]
    pub username: String,
    pub biography: Option<String>,
}

fn example(db: &Db) -> instant_runtime::Result<()> {
    // Create: validations, verifications and hooks run, then the INSERT; the row the
    // database returned (with its id) is loaded back.
    let ada = User::create(
        db,
        User {
            id: 0, // ignored: the sequence gives the id
            email: "ada@example.com".into(),
            username: "ada".into(),
            biography: None,
        },
    )?;
    assert!(ada.in_storage());

    // Invalid models never reach the database; errors have instant.dev's shape.
    let invalid = User {
        id: 0,
        email: "nobody".into(),
        username: "al".into(),
        biography: None,
    };
    let error = User::create(db, invalid).unwrap_err();
    assert_eq!(error.status(), 400);
    assert_eq!(
        error.to_json()["details"],
        json!({
            "email": {"message": "must be an email address", "invalid": true},
            "username": {"message": "must be 3 to 20 characters", "invalid": true}
        })
    );

    // Find, by primary key or by any column (a miss is a 404 `notFound` error).
    let mut user = User::find(db, ada.id)?;
    assert_eq!(User::find_by(db, users::username, "ada".into())?.id, ada.id);

    // Update: only the changed fields are written (and `updated_at`).
    user.biography = Some("Writes about Rust".into());
    assert!(user.has_changed(users::biography));
    user.save(db)?;

    // Several writes in one transaction; dropping it without `commit` rolls back.
    let mut transaction = db.transaction()?;
    Post::create_from_json(
        &mut transaction,
        &json!({"user_id": ada.id, "title": "Rust in production"}),
    )?;
    transaction.commit()?;

    // Typed queries: users with a post whose title contains "rust", newest first.
    let writers = User::query()
        .filter(users::relations::posts.any(posts::title.icontains("rust")))
        .order_by(users::id.desc())
        .limit(10)
        .select(db)?;
    // JSON drops hidden fields and adds calculated ones.
    assert_eq!(
        writers.to_json(),
        json!([{"id": ada.id, "username": "ada", "biography": "Writes about Rust", "handle": "@ada"}])
    );

    // Destroy the user and, deepest first, every row that depends on it (their posts).
    user.destroy_cascade(db)?;
    assert!(User::find(db, ada.id).unwrap_err().is_not_found());
    assert_eq!(Post::query().count(db)?, 0);
    Ok(())
}
// --- README example ends here ---

#[test]
fn readme_example_runs() {
    let temp = TempDb::new().unwrap();
    temp.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/blog"))
        .unwrap();
    example(&temp.db().unwrap()).unwrap();
}

/// The README's "Connections" example of timeouts and limits, as written there (with the
/// temporary database's URL in place of `DATABASE_URL`).
fn timeouts_example(
    url: &str,
) -> instant_runtime::Result<instant_runtime::Result<Vec<instant_runtime::pg::Row>>> {
    // --- README timeouts example starts here ---
    use instant_runtime::limits::Limits;
    use std::time::Duration;

    let db = Db::builder()
        .url(url)
        .connect_timeout(Duration::from_secs(5)) // TCP, TLS, startup, authentication
        .statement_timeout(Duration::from_secs(30)) // the server's own timeouts, per connection
        .lock_timeout(Duration::from_secs(5))
        .read_timeout(Some(Duration::from_secs(60))) // a server that stops answering
        .limits(Limits::default()) // where-objects, nested queries (RELIABILITY.md)
        .connect()?;

    // A client-side deadline for one call: past it, a CancelRequest stops the statement on the
    // server and the call fails with a timeout error; the connection stays usable.
    let rows = db.with_deadline(Duration::from_secs(1), |conn| {
        conn.query("SELECT pg_sleep(30)", &[])
    });
    // --- README timeouts example ends here ---
    Ok(rows)
}

#[test]
fn readme_timeouts_example_cancels_past_the_deadline() {
    let temp = TempDb::new().unwrap();
    let started = std::time::Instant::now();
    let error = timeouts_example(temp.url()).unwrap().unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert_eq!(
        error.to_string(),
        "database error: the statement ran past its deadline of 1 s and was cancelled"
    );
}
