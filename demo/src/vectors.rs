//! The demo's vector part: `fixtures/vectors` in a database of its own, comments embedded on
//! save by the deterministic local engine, then a similarity search and a classification.

use instant_runtime::chrono::NaiveDateTime;
use instant_runtime::pgvector::Vector;
use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::vector::LocalEngine;
use instant_runtime::{Model, Record, Records};

mod models {
    include!(concat!(env!("OUT_DIR"), "/vector_models.rs"));
}

use models::blog_comments;

/// A comment whose `embedding` is the vector of its body, computed on save.
#[derive(Debug, Clone, Model)]
#[instant(table = blog_comments)]
struct Comment {
    id: i64,
    title: Option<String>,
    body: Option<String>,
    #[hides]
    #[vectorizes(from = [body], with = body_text)]
    embedding: Option<Vector>,
    created_at: Option<NaiveDateTime>,
    updated_at: Option<NaiveDateTime>,
}

fn body_text(body: &Option<String>) -> String {
    body.clone().unwrap_or_default()
}

pub fn run() -> instant_runtime::Result<()> {
    let temp = TempDb::with_vector()?;
    temp.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/vectors"))?;
    let db = temp.db()?;
    db.vectors().set_engine(LocalEngine::new(1536));

    let mut comments: Records<Comment> = [
        "The engine weaves algebraic patterns",
        "A compiler translates programs",
        "Punched cards feed the analytical engine",
        "Debugging the first compiler",
    ]
    .into_iter()
    .map(|body| {
        Record::new(Comment {
            id: 0,
            title: None,
            body: Some(body.to_owned()),
            embedding: None,
            created_at: None,
            updated_at: None,
        })
    })
    .collect();
    comments.save_all(&db)?;
    println!(
        "\nVectorized {} comments on save (fixtures/vectors, the local engine)",
        comments.len()
    );

    let found = Comment::query()
        .similarity(blog_comments::embedding, "the analytical engine")
        .limit(2)
        .select(&db)?;
    println!("Most similar to \"the analytical engine\":");
    for comment in &found {
        let similarity = comment
            .metafield("embedding_similarity")
            .and_then(|value| value.as_f64())
            .unwrap_or_default();
        println!(
            "  {similarity:.3}  {}",
            comment.body.as_deref().unwrap_or_default()
        );
    }

    let labelled = Comment::query()
        .classify(blog_comments::embedding, ["engine", "compiler"])
        .order_by(blog_comments::id.asc())
        .select(&db)?;
    println!("Classified as engine or compiler:");
    for comment in &labelled {
        let label = comment
            .metafield("embedding_classification")
            .and_then(|value| value["value"].as_str().map(str::to_owned))
            .unwrap_or_default();
        println!(
            "  {label:<8}  {}",
            comment.body.as_deref().unwrap_or_default()
        );
    }
    Ok(())
}
