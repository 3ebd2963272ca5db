//! The README's demo, from nothing: a temporary database (on the server `DATABASE_URL` names,
//! or a private PostgreSQL cluster started for the run), `fixtures/blog` migrated and seeded
//! through its generated models, then typed queries, a save and JSON output; then vectors:
//! comments embedded on save and searched by similarity.

use std::process::ExitCode;

use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::{Interface, Model, seed};
use instant_schema::Project;

mod vectors;

mod models {
    include!(concat!(env!("OUT_DIR"), "/instant_models.rs"));
}

use models::{Post, User, comments, posts, users};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demo failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> instant_runtime::Result<()> {
    let project = Project::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/blog"))?;
    let temp = TempDb::new()?;
    let applied = temp.migrate(&project)?;
    println!(
        "Migrated a temporary database: {} migrations",
        applied.len()
    );

    let db = temp.db()?;
    let report = seed::seed_project(&db, &project, &models::seed_models())?;
    println!("{report}\n");

    // Users who published something, with their posts and each post's comments.
    let authors = User::query()
        .filter(users::relations::posts.any(posts::published_at.not_null()))
        .order_by(users::username.asc())
        .join_with(users::relations::posts, |posts| {
            posts
                .order_by(posts::id.asc())
                .join(posts::relations::comments)
        })
        .select(&db)?;
    for user in &authors {
        println!("{} <{}>", user.username, user.email);
        for post in user.joined(users::relations::posts).into_iter().flatten() {
            let comments = post
                .joined(posts::relations::comments)
                .map_or(0, |comments| comments.len());
            let state = if post.published_at.is_some() {
                "published"
            } else {
                "draft"
            };
            let plural = if comments == 1 { "" } else { "s" };
            println!("  - {} ({state}, {comments} comment{plural})", post.title);
        }
    }

    // Publish the draft: only the changed column (and updated_at) is written.
    let mut draft = Post::find_by(&db, posts::slug, Some("draft".to_string()))?;
    draft.published_at = Some(chrono::Utc::now().naive_utc());
    draft.save(&db)?;
    let published = Post::query()
        .filter(posts::published_at.not_null())
        .count(&db)?;
    println!("\nPublished the draft: {published} published posts");

    // The first comments on ada's posts with their authors, as instant.dev's toQueryJSON.
    let thread = models::Comment::query()
        .filter(
            comments::relations::post.any(posts::relations::user.any(users::username.eq("ada"))),
        )
        .order_by(comments::id.asc())
        .limit(2)
        .join(comments::relations::user)
        .select(&db)?;
    let interface = Interface::parse(&serde_json::json!(["id", "body", {"user": ["username"]}]))?;
    println!(
        "\nComments on ada's posts:\n{}",
        serde_json::to_string_pretty(&thread.to_query_json(Some(&interface))).unwrap_or_default()
    );
    vectors::run()
}
