//! The README's "Models and queries" example, kept compiling and running here (the README
//! shows this code; the `models` module stands for the application's `include!`d models).

use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::{Model, Record, ValidationErrors};

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

fn example(client: &mut instant_runtime::postgres::Client) -> instant_runtime::Result<()> {
    // Validations collect into instant.dev's error map.
    let user = User {
        id: 0,
        email: "nobody".into(),
        username: "al".into(),
        biography: None,
    };
    let mut errors = ValidationErrors::new();
    user.validate(&mut errors);
    assert_eq!(
        errors.to_json(),
        serde_json::json!({
            "email": {"message": "must be an email address", "invalid": true},
            "username": {"message": "must be 3 to 20 characters", "invalid": true}
        })
    );

    // Typed queries: users with a post titled like "%rust%" and no biography, newest first.
    let writers: Vec<User> = User::query()
        .filter(users::relations::posts.any(posts::title.icontains("rust")))
        .filter(users::biography.eq(None))
        .order_by(users::id.desc())
        .limit(10)
        .select(client)?;
    // JSON output drops hidden fields and adds calculated ones.
    assert_eq!(
        writers[0].to_json(),
        serde_json::json!({"id": 1, "username": "ada", "biography": null, "handle": "@ada"})
    );

    // Generated models work the same way; Record tracks what changed.
    let post = Post::query()
        .filter(posts::title.startswith("Rust"))
        .first(client)?;
    let mut post = Record::loaded(post);
    post.body = Some("Updated".into());
    assert!(post.has_changed(posts::body));
    assert!(!post.has_changed(posts::title));
    Ok(())
}
// --- README example ends here ---

#[test]
fn readme_example_runs() {
    let db = TempDb::new().unwrap();
    db.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/blog"))
        .unwrap();
    let mut client = db.connect().unwrap();
    client
        .batch_execute(
            "INSERT INTO users (email, username) VALUES ('ada@example.com', 'ada'), ('bo@example.com', 'bo');
             UPDATE users SET biography = 'Writes about Go' WHERE username = 'bo';
             INSERT INTO posts (user_id, title) VALUES (1, 'Rust in production'), (2, 'Trusting Go');",
        )
        .unwrap();
    example(&mut client).unwrap();
}
