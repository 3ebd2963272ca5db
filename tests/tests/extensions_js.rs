//! instant.dev's `extensions.js`: the pgvector extension, vector columns, vectorizing on save,
//! and vector search (`similarity`, `search`, `classify`).
//!
//! instant.dev's suite embeds with OpenAI; these tests use the deterministic
//! [`LocalEngine`], so the expected orderings and labels are re-derived from it (each is also
//! checked against the cosine similarities computed here from the stored vectors). Each test
//! runs in its own temporary database with `fixtures/vectors` migrated.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use instant_runtime::chrono::NaiveDateTime;
use instant_runtime::migrate::extensions;
use instant_runtime::model::Factory;
use instant_runtime::pgvector::Vector;
use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::vector::{Engine, LocalEngine};
use instant_runtime::{Db, Model, Record, Result};
use instant_schema::{Column, MigrationBuilder, Schema};
use instant_tests::vectors::{blog_comment_likes, blog_comments};
use serde_json::json;

/// The engine's dimension count: the fixture's `vector(1536)`.
const DIMENSIONS: usize = 1536;

const QUERY: &str = "i am having tons of fun!";

/// `BlogComment` as extensions.js declares it: `vectorizes('embedding', body => body)` and
/// `hides('embedding')`.
#[derive(Debug, Clone, Model)]
#[instant(table = blog_comments)]
struct BlogComment {
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

fn comment(title: Option<&str>, body: Option<&str>) -> Record<BlogComment> {
    Record::new(BlogComment {
        id: 0,
        title: title.map(str::to_owned),
        body: body.map(str::to_owned),
        embedding: None,
        created_at: None,
        updated_at: None,
    })
}

/// A database with `fixtures/vectors` migrated, and the ORM on it (no engine set).
fn database() -> (TempDb, Db) {
    let temp = TempDb::with_vector().unwrap();
    temp.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/vectors"))
        .unwrap();
    let db = temp.db().unwrap();
    (temp, db)
}

/// An engine that counts its calls and keeps the texts it was given.
#[derive(Clone, Default)]
struct Counting {
    calls: Arc<AtomicUsize>,
    texts: Arc<AtomicUsize>,
    last: Arc<Mutex<Vec<String>>>,
}

impl Engine for Counting {
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.texts.fetch_add(texts.len(), Ordering::SeqCst);
        *self.last.lock().unwrap() = texts.to_vec();
        LocalEngine::new(DIMENSIONS).embed(texts)
    }
}

fn vector_of(text: &str) -> Vector {
    let vectors = LocalEngine::new(DIMENSIONS)
        .embed(&[text.to_owned()])
        .unwrap();
    Vector::from(vectors.into_iter().next().unwrap())
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (a, b) = (a.as_slice(), b.as_slice());
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    dot / (norm(a) * norm(b))
}

/// The five comments the search cases run on: "I am extremely happy!" (the first comment,
/// its body changed), then the factory's four.
fn five_comments(db: &Db) {
    db.vectors().set_engine(LocalEngine::new(DIMENSIONS));
    let mut first = comment(None, Some("I am extremely happy"));
    first.save(db).unwrap();
    first.body = Some("I am extremely happy!".to_owned());
    first.save(db).unwrap();
    Factory::<BlogComment>::new()
        .create_from_json(
            db,
            &json!([
                {"title": "title1", "body": "I am feeling awful"},
                {"title": "title1", "body": "I am in extreme distress"},
                {"title": "title2", "body": "I am feeling pretty good"},
                {"title": "title3", "body": "I am feeling alright"}
            ]),
        )
        .unwrap();
}

fn bodies(records: &[Record<BlogComment>]) -> Vec<&str> {
    records
        .iter()
        .map(|record| record.body.as_deref().unwrap_or_default())
        .collect()
}

/// The bodies ordered by cosine similarity with `text`, most similar first, computed here.
fn by_similarity(records: &[Record<BlogComment>], text: &str) -> Vec<String> {
    let query = vector_of(text);
    let mut scored: Vec<(f64, String)> = records
        .iter()
        .map(|record| {
            let embedding = record.embedding.as_ref().unwrap();
            (cosine(embedding, &query), record.body.clone().unwrap())
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().map(|(_, body)| body).collect()
}

/// The score a vector search gave `record` in the metafield `name`, checked as instant.dev's
/// cases check it: a number above instant.dev's floor, and the same in `to_json()`'s
/// `_metafields`.
fn checked_score(record: &Record<BlogComment>, name: &str) -> f64 {
    let metafield = record.metafield(name).unwrap();
    let score = metafield.as_f64().unwrap();
    assert!(score > MIN_SCORE, "{name}: {score}");
    assert_eq!(record.to_json()["_metafields"][name], *metafield, "{name}");
    score
}

/// instant.dev: Should find available extensions
#[test]
fn finds_available_extensions() {
    let temp = TempDb::new().unwrap();
    let available = extensions::list(&mut temp.connect().unwrap()).unwrap();
    assert!(!available.is_empty());
    assert!(available.iter().any(|extension| extension.name == "vector"));
}

/// instant.dev: Should find "vector" extension disabled
#[test]
fn finds_vector_disabled() {
    let temp = TempDb::new().unwrap();
    let vector = extensions::get(&mut temp.connect().unwrap(), "vector")
        .unwrap()
        .unwrap();
    assert_eq!(vector.name, "vector");
    assert_eq!(vector.installed_version, None);
}

/// instant.dev: Should enable "vector" extension
#[test]
fn enables_vector() {
    let temp = TempDb::new().unwrap();
    let vector = extensions::enable(&mut temp.connect().unwrap(), "vector").unwrap();
    assert_eq!(vector.name, "vector");
    assert!(vector.installed_version.is_some());
    assert_eq!(vector.installed_version, vector.default_version);
}

/// instant.dev: Should find "vector" extension
#[test]
fn finds_vector_enabled() {
    let temp = TempDb::new().unwrap();
    extensions::enable(&mut temp.connect().unwrap(), "vector").unwrap();
    let vector = extensions::get(&mut temp.connect().unwrap(), "vector")
        .unwrap()
        .unwrap();
    assert_eq!(vector.name, "vector");
    assert!(vector.installed_version.is_some());
    assert_eq!(vector.installed_version, vector.default_version);
}

/// instant.dev: should fail to create when vector not provided a length value
#[test]
fn vector_without_length_is_refused() {
    let mut builder = MigrationBuilder::new(Schema::empty());
    let error = builder
        .create_table("blog_comments", vec![Column::new("embedding", "vector")])
        .unwrap_err();
    assert!(
        error.to_string().contains(
            "Invalid column[\"properties\"][\"length\"] for column type \"vector\": must be an integer greater than 0"
        ),
        "{error}"
    );
}

/// instant.dev: Should create a table with a vector embedding
#[test]
fn creates_a_table_with_a_vector_embedding() {
    use instant_runtime::descriptor::Table;
    let info = <blog_comments::Table as Table>::INFO;
    assert_eq!(info.model, "BlogComment");
    let names: Vec<&str> = info.columns.iter().map(|column| column.name).collect();
    assert_eq!(
        names,
        [
            "id",
            "title",
            "body",
            "embedding",
            "created_at",
            "updated_at"
        ]
    );
    let embedding = info.column("embedding").unwrap();
    assert_eq!(embedding.sql_type, "vector");
    assert_eq!(embedding.length, Some(1536));
    // And the database has it so.
    let (_temp, db) = database();
    let rows = db
        .query(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute \
             WHERE attrelid = 'blog_comments'::regclass AND attname = 'embedding'",
            &[],
        )
        .unwrap();
    assert_eq!(rows[0].get::<_, String>(0), "vector(1536)");
}

/// instant.dev: Should create a joined table (BlogCommentLike)
#[test]
fn creates_a_joined_table() {
    use instant_runtime::descriptor::Table;
    let info = <blog_comment_likes::Table as Table>::INFO;
    assert_eq!(info.model, "BlogCommentLike");
    assert_eq!(info.relations[0].name, "blogComment");
    let comments = <blog_comments::Table as Table>::INFO;
    assert_eq!(comments.relations[0].name, "blogCommentLikes");
}

/// instant.dev: Should fail to vectorize the body field on BlogComment without vector engine
#[test]
fn vectorizing_without_an_engine_fails() {
    let (_temp, db) = database();
    let error = comment(None, Some("I am extremely happy"))
        .save(&db)
        .map(|_| ())
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Could not vectorize: no vector engine has been set"),
        "{error}"
    );
    assert_eq!(BlogComment::query().count(&db).unwrap(), 0);
}

/// instant.dev: Should fail to vectorize the body field on BlogComment with a bad vector engine
#[test]
fn vectorizing_with_a_bad_engine_fails() {
    let (_temp, db) = database();
    db.vectors()
        .set_engine(|_: &[String]| -> Result<Vec<Vec<f32>>> { Ok(Vec::new()) });
    let mut record = comment(None, Some("I am extremely happy"));
    let error = record.save(&db).map(|_| ()).unwrap_err();
    assert!(
        error.to_string().contains(
            "Could not vectorize: vector engine did not return a valid vector for input \"I am extremely happy\""
        ),
        "{error}"
    );
    assert!(!record.in_storage());
    assert_eq!(BlogComment::query().count(&db).unwrap(), 0);
}

/// instant.dev: Should succeed at vectorizing the body field on BlogComment when vector engine is set properly
#[test]
fn vectorizes_with_an_engine() {
    let (_temp, db) = database();
    db.vectors().set_engine(LocalEngine::new(DIMENSIONS));
    let mut record = comment(None, Some("I am extremely happy"));
    record.save(&db).unwrap();
    assert_eq!(record.body.as_deref(), Some("I am extremely happy"));
    assert_eq!(record.embedding, Some(vector_of("I am extremely happy")));
    // Stored as computed, and hidden from JSON.
    let stored = BlogComment::find(&db, record.id).unwrap();
    assert_eq!(stored.embedding, record.embedding);
    assert!(stored.to_json().get("embedding").is_none());
}

/// instant.dev: Should not change vector if a field not related to the vector is changed
#[test]
fn unrelated_change_keeps_the_vector() {
    let (_temp, db) = database();
    let engine = Counting::default();
    db.vectors().set_engine(engine.clone());
    comment(None, Some("I am extremely happy"))
        .save(&db)
        .unwrap();
    let calls = engine.calls.load(Ordering::SeqCst);

    let mut record = BlogComment::query().first(&db).unwrap();
    let embedding = record.embedding.clone();
    record.title = Some("Some other title".to_owned());
    record.save(&db).unwrap();
    assert_eq!(record.embedding, embedding);
    assert_eq!(engine.calls.load(Ordering::SeqCst), calls, "no engine call");
}

/// instant.dev: Should change vector if a field related to the vector is changed
///
/// instant.dev checks that the vector differs; the local engine ignores punctuation, so
/// "I am extremely happy!" embeds as "I am extremely happy" did: the check here is that the
/// new text was embedded and stored.
#[test]
fn related_change_changes_the_vector() {
    let (_temp, db) = database();
    let engine = Counting::default();
    db.vectors().set_engine(engine.clone());
    comment(None, Some("I am extremely happy"))
        .save(&db)
        .unwrap();

    let mut record = BlogComment::query().first(&db).unwrap();
    record.body = Some("I am extremely happy!".to_owned());
    record.save(&db).unwrap();
    assert_eq!(engine.calls.load(Ordering::SeqCst), 2);
    assert_eq!(*engine.last.lock().unwrap(), ["I am extremely happy!"]);
    assert_eq!(record.embedding, Some(vector_of("I am extremely happy!")));

    record.body = Some("Something else entirely".to_owned());
    let before = record.embedding.clone();
    record.save(&db).unwrap();
    assert_ne!(record.embedding, before);
    let stored = BlogComment::find(&db, record.id).unwrap();
    assert_eq!(stored.embedding, Some(vector_of("Something else entirely")));
}

/// instant.dev: Should create more vectorized entries
#[test]
fn creates_more_vectorized_entries() {
    let (_temp, db) = database();
    let engine = Counting::default();
    db.vectors().set_engine(engine.clone());
    let records = Factory::<BlogComment>::new()
        .create_from_json(
            &db,
            &json!([
                {"title": "title1", "body": "I am feeling awful"},
                {"title": "title1", "body": "I am in extreme distress"},
                {"title": "title2", "body": "I am feeling pretty good"},
                {"title": "title3", "body": "I am feeling alright"}
            ]),
        )
        .unwrap();
    assert_eq!(records.len(), 4);
    for record in records.iter() {
        assert_eq!(
            record.embedding,
            Some(vector_of(record.body.as_deref().unwrap()))
        );
    }
    // The four texts went to the engine together.
    assert_eq!(engine.calls.load(Ordering::SeqCst), 1);
    assert_eq!(engine.texts.load(Ordering::SeqCst), 4);
}

/// The order the local engine gives the five comments for [`QUERY`].
const EXPECTED_ORDER: [&str; 5] = EXPECTED;

/// instant.dev: Should perform a vector search (cosine similarity) for related entries
#[test]
fn similarity_search() {
    let (_temp, db) = database();
    five_comments(&db);
    let records = BlogComment::query()
        .similarity(blog_comments::embedding, QUERY)
        .select(&db)
        .unwrap();
    assert_eq!(records.len(), 5);
    assert_eq!(bodies(&records), EXPECTED_ORDER);
    assert_eq!(bodies(&records), by_similarity(&records, QUERY));
    let query = vector_of(QUERY);
    for record in records.iter() {
        let similarity = checked_score(record, "embedding_similarity");
        let expected = cosine(record.embedding.as_ref().unwrap(), &query);
        assert!(
            (similarity - expected).abs() < 1e-5,
            "{similarity} vs {expected}"
        );
    }
}

/// instant.dev: Should perform a vector search (dot product similarity) for related entries
#[test]
fn dot_product_search() {
    let (_temp, db) = database();
    five_comments(&db);
    let records = BlogComment::query()
        .search(blog_comments::embedding, QUERY)
        .select(&db)
        .unwrap();
    assert_eq!(records.len(), 5);
    assert_eq!(bodies(&records), EXPECTED_ORDER);
    for record in records.iter() {
        checked_score(record, "embedding_product");
    }
}

/// instant.dev: Should perform a vector search (dot product similarity) for related entries and join in a model
#[test]
fn dot_product_search_with_a_join() {
    let (_temp, db) = database();
    five_comments(&db);
    let records = BlogComment::query()
        .search(blog_comments::embedding, QUERY)
        .join(blog_comments::relations::blog_comment_likes)
        .select(&db)
        .unwrap();
    assert_eq!(records.len(), 5);
    assert_eq!(bodies(&records), EXPECTED_ORDER);
    for record in records.iter() {
        checked_score(record, "embedding_product");
        let likes = record
            .joined(blog_comments::relations::blog_comment_likes)
            .unwrap();
        assert!(likes.is_empty());
    }
}

/// Checks a classification: the label is the most similar one (computed here), every label
/// has its similarity, and the JSON carries the same.
fn check_classification(
    records: &[Record<BlogComment>],
    labels: &[&str],
    expected: &[(&str, &str)],
) {
    assert_eq!(records.len(), 5);
    for record in records {
        let body = record.body.as_deref().unwrap();
        let classification = record.metafield("embedding_classification").unwrap();
        let value = classification["value"].as_str().unwrap();
        let wanted = expected.iter().find(|(b, _)| *b == body).unwrap().1;
        assert_eq!(value, wanted, "{body}");
        let embedding = record.embedding.as_ref().unwrap();
        let nearest = labels
            .iter()
            .max_by(|a, b| {
                cosine(embedding, &vector_of(a)).total_cmp(&cosine(embedding, &vector_of(b)))
            })
            .unwrap();
        assert_eq!(value, *nearest, "{body}");
        for label in labels {
            assert!(classification["similarity"][label].is_number(), "{label}");
        }
        let json = record.to_json();
        assert_eq!(
            json["_metafields"]["embedding_classification"],
            *classification
        );
    }
}

/// instant.dev: Should perform two-way classification on vectors
#[test]
fn two_way_classification() {
    let (_temp, db) = database();
    five_comments(&db);
    let labels = [POSITIVE, NEGATIVE];
    let records = BlogComment::query()
        .classify(blog_comments::embedding, labels)
        .select(&db)
        .unwrap();
    check_classification(&records, &labels, &TWO_WAY);
}

/// instant.dev: Should perform three-way classification on vectors
#[test]
fn three_way_classification() {
    let (_temp, db) = database();
    five_comments(&db);
    let labels = [POSITIVE_THREE_WAY, NEUTRAL, NEGATIVE];
    let records = BlogComment::query()
        .classify(blog_comments::embedding, labels)
        .select(&db)
        .unwrap();
    check_classification(&records, &labels, &THREE_WAY);
}

/// instant.dev: Should perform a vector search on a subset of entries
#[test]
fn similarity_search_on_a_subset() {
    let (_temp, db) = database();
    five_comments(&db);
    let records = BlogComment::query()
        .filter(blog_comments::title.eq("title1"))
        .similarity(blog_comments::embedding, QUERY)
        .select(&db)
        .unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(bodies(&records), SUBSET_ORDER);
    assert_eq!(bodies(&records), by_similarity(&records, QUERY));
    for record in records.iter() {
        checked_score(record, "embedding_similarity");
    }
}

/// instant.dev: Should succeed at setting empty body and not create a vector entry
#[test]
fn empty_text_gives_no_vector() {
    let (_temp, db) = database();
    let engine = Counting::default();
    db.vectors().set_engine(engine.clone());
    let record = BlogComment::create_from_json(&db, &json!({})).unwrap();
    assert_eq!(record.embedding, None);
    let mut blank = comment(None, Some("   "));
    blank.save(&db).unwrap();
    assert_eq!(blank.embedding, None);
    assert_eq!(engine.calls.load(Ordering::SeqCst), 0);
}

/// instant.dev: Should make vector engine defunct again
#[test]
fn defunct_engine_fails() {
    let (_temp, db) = database();
    db.vectors()
        .set_engine(|_: &[String]| -> Result<Vec<Vec<f32>>> { Ok(Vec::new()) });
    let error = db.vectors().create("I am extremely happy").unwrap_err();
    assert!(
        error.to_string().contains(
            "Could not vectorize: vector engine did not return a valid vector for input \"I am extremely happy\""
        ),
        "{error}"
    );
}

/// instant.dev: Should fail to disable "vector" extension when there are dependencies
#[test]
fn disabling_vector_with_dependents_fails() {
    let (temp, _db) = database();
    let error = extensions::disable(&mut temp.connect().unwrap(), "vector").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("cannot drop extension vector because other objects depend on it"),
        "{error}"
    );
}

/// instant.dev: Should disable "vector" extension once table dropped
#[test]
fn disabling_vector_without_dependents() {
    let (temp, _db) = database();
    let mut client = temp.connect().unwrap();
    client
        .batch_execute("DROP TABLE blog_comment_likes; DROP TABLE blog_comments")
        .unwrap();
    let vector = extensions::disable(&mut client, "vector").unwrap();
    assert_eq!(vector.installed_version, None);
    let vector = extensions::get(&mut client, "vector").unwrap().unwrap();
    assert_eq!(vector.installed_version, None);
}

/// Saving many models sends their texts to the engine together, and a failed engine call
/// saves none of them.
#[test]
fn saves_of_many_models_batch_their_texts() {
    let (_temp, db) = database();
    let engine = Counting::default();
    db.vectors().set_engine(engine.clone());
    let mut records: instant_runtime::Records<BlogComment> = (0..25)
        .map(|i| comment(None, Some(&format!("comment number {i}"))))
        .collect();
    records.save_all(&db).unwrap();
    assert_eq!(engine.calls.load(Ordering::SeqCst), 1);
    assert_eq!(engine.texts.load(Ordering::SeqCst), 25);

    db.vectors()
        .set_engine(|_: &[String]| -> Result<Vec<Vec<f32>>> {
            Err(instant_runtime::Error::Vector {
                message: "the engine is down".to_owned(),
            })
        });
    let mut more: instant_runtime::Records<BlogComment> = (0..3)
        .map(|i| comment(None, Some(&format!("another {i}"))))
        .collect();
    let error = more.save_all(&db).unwrap_err();
    assert!(error.to_string().contains("the engine is down"), "{error}");
    assert_eq!(BlogComment::query().count(&db).unwrap(), 25);
}

/// The similarity order is served by an HNSW index (pgvector's `<=>` in ORDER BY, as our SQL
/// writes it, not instant.dev's `1 - (… <=> …) DESC`).
#[test]
fn similarity_search_uses_an_hnsw_index() {
    let (_temp, db) = database();
    five_comments(&db);
    let mut connection = db.connection().unwrap();
    // 500 more rows, so the planner costs the index as it would on a real table; a table
    // this small would still be scanned, so scans are forbidden to show the index can serve.
    connection
        .batch_execute(
            "INSERT INTO blog_comments (body, embedding) \
               SELECT 'row ' || i, (SELECT array_agg(sin(i * j))::real[]::vector \
                                    FROM generate_series(1, 1536) AS j) \
               FROM generate_series(1, 500) AS i; \
             CREATE INDEX blog_comments_embedding_hnsw ON blog_comments \
               USING hnsw (embedding vector_cosine_ops); \
             ANALYZE blog_comments; SET enable_seqscan = off",
        )
        .unwrap();
    let plan = BlogComment::query()
        .similarity(blog_comments::embedding, QUERY)
        .limit(3)
        .explain(&mut *connection)
        .unwrap()
        .join("\n");
    assert!(plan.contains("blog_comments_embedding_hnsw"), "{plan}");
}

// instant.dev classifies with the labels "positive", "neutral" and "negative", which OpenAI's
// embeddings place near the texts by meaning. The local engine only sees shared words and
// spellings, so its labels are words that mean the same and occur in the texts; the labels
// each text gets are instant.dev's.
const POSITIVE: &str = "happy good alright";
const POSITIVE_THREE_WAY: &str = "happy good";
const NEUTRAL: &str = "alright";
const NEGATIVE: &str = "awful distress";

const EXPECTED: [&str; 5] = [
    "I am feeling awful",
    "I am extremely happy!",
    "I am feeling alright",
    "I am feeling pretty good",
    "I am in extreme distress",
];
const SUBSET_ORDER: [&str; 2] = ["I am feeling awful", "I am in extreme distress"];
/// instant.dev's floor for the scores of these texts, which share "i am" with the query.
const MIN_SCORE: f64 = 0.2;
const TWO_WAY: [(&str, &str); 5] = [
    ("I am extremely happy!", POSITIVE),
    ("I am feeling pretty good", POSITIVE),
    ("I am feeling alright", POSITIVE),
    ("I am feeling awful", NEGATIVE),
    ("I am in extreme distress", NEGATIVE),
];
const THREE_WAY: [(&str, &str); 5] = [
    ("I am extremely happy!", POSITIVE_THREE_WAY),
    ("I am feeling pretty good", POSITIVE_THREE_WAY),
    ("I am feeling alright", NEUTRAL),
    ("I am feeling awful", NEGATIVE),
    ("I am in extreme distress", NEGATIVE),
];
