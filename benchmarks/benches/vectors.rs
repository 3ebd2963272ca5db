//! Vector search: the ten comments most similar to a text, among 10 000 rows of 384-dimension
//! vectors, without an index (a scan and a sort) and with an HNSW index, instant against the
//! same query written by hand on the raw `postgres` driver, in the same run.
//!
//! The vectors come from the deterministic local engine, so every run searches the same data.
//! The query's text is embedded once, outside the measurements (`Query::embed`): what is
//! measured is the search, not the engine.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use instant_benchmarks::vector_bench::{Document, documents};
use instant_runtime::pgvector::Vector;
use instant_runtime::testing::TempDb;
use instant_runtime::vector::{Engine, LocalEngine};
use instant_runtime::{Db, Model};
use postgres::{Client, Row, Statement};

/// Rows searched.
const ROWS: usize = 10_000;
/// The vectors' dimension count.
const DIMENSIONS: usize = 384;
/// The text searched for.
const QUERY: &str = "notes on the analytical engine and its punched cards";

/// A temporary database with pgvector and `fixtures/vector_bench`'s `documents`, filled.
struct Setup {
    db: Db,
    client: Client,
    similar: Statement,
    query: Vector,
    _temp: TempDb,
}

impl Setup {
    fn new() -> Setup {
        let temp = TempDb::with_vector().expect("a database with pgvector");
        temp.migrate_fixture(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/vector_bench"
        ))
        .expect("the documents table");
        let mut client = Client::connect(temp.url(), postgres::NoTls).expect("a connection");
        let engine = LocalEngine::new(DIMENSIONS);
        let texts: Vec<String> = (0..ROWS)
            .map(|i| {
                format!(
                    "document {i} on {} and {}",
                    TOPICS[i % TOPICS.len()],
                    TOPICS[(i * 7 + 3) % TOPICS.len()]
                )
            })
            .collect();
        let vectors = engine.embed(&texts).expect("local vectors");
        let insert = client
            .prepare("INSERT INTO documents (body, embedding) SELECT * FROM unnest($1::text[], $2::vector[])")
            .expect("the insert");
        for (texts, vectors) in texts.chunks(1_000).zip(vectors.chunks(1_000)) {
            let vectors: Vec<Vector> = vectors.iter().cloned().map(Vector::from).collect();
            client
                .execute(&insert, &[&texts, &vectors])
                .expect("documents inserted");
        }
        client.batch_execute("ANALYZE documents").expect("analyzed");
        let similar = client
            .prepare(
                "SELECT id, body, embedding, created_at, updated_at, embedding <=> $1 AS distance \
                 FROM documents ORDER BY distance LIMIT 10",
            )
            .expect("the raw search");
        let query = Vector::from(engine.vector(QUERY).expect("the query's vector"));
        let db = temp.db().expect("the ORM pool");
        db.vectors().set_engine(engine);
        Setup {
            db,
            client,
            similar,
            query,
            _temp: temp,
        }
    }

    /// The hand-written search: prepared once, decoded by index.
    fn raw(&mut self) -> Vec<(Document, f64)> {
        self.client
            .query(&self.similar, &[&self.query])
            .expect("raw search")
            .iter()
            .map(|row| (document(row), 1.0 - row.get::<_, f64>(5)))
            .collect()
    }
}

fn document(row: &Row) -> Document {
    Document {
        id: row.get(0),
        body: row.get(1),
        embedding: row.get(2),
        created_at: row.get(3),
        updated_at: row.get(4),
    }
}

const TOPICS: [&str; 12] = [
    "the analytical engine",
    "punched cards",
    "compilers",
    "garbage collection",
    "relational algebra",
    "vector search",
    "type systems",
    "network protocols",
    "operating systems",
    "numerical analysis",
    "cryptography",
    "distributed consensus",
];

fn similarity_top_10(c: &mut Criterion) {
    let mut setup = Setup::new();
    let search = Document::query()
        .similarity(documents::embedding, QUERY)
        .limit(10)
        .embed(setup.db.vectors())
        .expect("the query embedded");
    for index in [false, true] {
        if index {
            setup
                .client
                .batch_execute(
                    "CREATE INDEX documents_embedding_hnsw ON documents \
                     USING hnsw (embedding vector_cosine_ops); ANALYZE documents",
                )
                .expect("the HNSW index");
        }
        let raw = setup.raw();
        let found = search.select(&setup.db).expect("instant search");
        assert_eq!(found.len(), 10);
        assert_eq!(
            raw.iter()
                .map(|(document, _)| document.id)
                .collect::<Vec<_>>(),
            found.iter().map(|document| document.id).collect::<Vec<_>>(),
            "both sides find the same rows"
        );
        let name = if index {
            "similarity_top10_hnsw"
        } else {
            "similarity_top10_scan"
        };
        let mut group = c.benchmark_group(name);
        group.bench_function("raw", |b| b.iter(|| setup.raw()));
        group.bench_function("instant", |b| {
            b.iter(|| search.select(&setup.db).expect("instant search"))
        });
        group.finish();
    }
}

criterion_group! {
    name = vectors;
    config = Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_secs(1))
        .sample_size(50);
    targets = similarity_top_10
}
criterion_main!(vectors);
