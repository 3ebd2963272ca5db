//! pgvector's `hnsw` and `ivfflat` indexes in migrations (our extension of `createIndex`): the
//! DDL names the operator class of the distance, introspection reads method and distance back
//! so the database gives the replayed schema, the planner uses the index for a similarity
//! query ordered by the index's distance, and rolling back drops it.

use std::path::Path;

use instant_runtime::migrate::{self, ddl, introspect};
use instant_runtime::testing::TempDb;
use instant_schema::json_path::JsonPath;
use instant_schema::{Command, Migration, Project, Schema, replay};
use pgvector::Vector;
use serde_json::{Value, json};

fn command(value: Value) -> Command {
    Command::from_json(&value, &JsonPath::root()).unwrap()
}

fn documents() -> Value {
    json!(["createTable", "documents", [
        {"name": "title", "type": "string"},
        {"name": "embedding", "type": "vector", "properties": {"length": 3}},
        {"name": "summary", "type": "vector", "properties": {"length": 3}},
        {"name": "chunk", "type": "vector", "properties": {"length": 3}}
    ]])
}

/// The SQL of `index` (a `createIndex` command) on the `documents` table.
fn index_sql(index: Value) -> Vec<String> {
    let mut schema = Schema::empty();
    replay::apply(&mut schema, &command(documents())).unwrap();
    ddl::statements(&schema, &command(index))
        .into_iter()
        .map(|statement| statement.sql)
        .collect()
}

#[test]
fn ddl_names_the_operator_class() {
    assert_eq!(
        index_sql(json!(["createIndex", "documents", "embedding", "hnsw"])),
        [
            r#"CREATE INDEX "documents_embedding_index" ON "documents" USING hnsw ("embedding" vector_cosine_ops)"#
        ]
    );
    assert_eq!(
        index_sql(json!(["createIndex", "documents", "embedding", "hnsw:ip"])),
        [
            r#"CREATE INDEX "documents_embedding_index" ON "documents" USING hnsw ("embedding" vector_ip_ops)"#
        ]
    );
    assert_eq!(
        index_sql(json!(["createIndex", "documents", "summary", "ivfflat:l2"])),
        [
            r#"CREATE INDEX "documents_summary_index" ON "documents" USING ivfflat ("summary" vector_l2_ops) WITH (lists = 100)"#
        ]
    );
    // instant.dev's types are unchanged.
    assert_eq!(
        index_sql(json!(["createIndex", "documents", "title", "hash"])),
        [r#"CREATE INDEX "documents_title_index" ON "documents" USING HASH ("title")"#]
    );
}

#[test]
fn set_schema_creates_vector_indexes_too() {
    let schema = Schema::from_json(&json!({
        "migration_id": null,
        "indices": [{"table": "documents", "column": "embedding", "type": "ivfflat"}],
        "foreign_keys": [],
        "tables": {"documents": {"name": "documents", "columns": [
            {"name": "id", "type": "serial"},
            {"name": "embedding", "type": "vector", "properties": {"length": 3}}
        ]}}
    }))
    .unwrap();
    let statements = ddl::statements(&Schema::empty(), &Command::SetSchema(Box::new(schema)));
    assert_eq!(
        statements.last().unwrap().sql,
        r#"CREATE INDEX "documents_embedding_index" ON "documents" USING ivfflat ("embedding" vector_cosine_ops) WITH (lists = 100)"#
    );
}

fn write_migration(dir: &Path, id: i64, name: &str, up: Value, down: Value) {
    let migration =
        Migration::from_json(&json!({"id": id, "name": name, "up": up, "down": down})).unwrap();
    let migrations = dir.join("_instant/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::write(
        migrations.join(migration.filename()),
        serde_json::to_string_pretty(&migration.to_json()).unwrap(),
    )
    .unwrap();
}

/// A project creating `documents`, then the three vector indexes (and a plain one) in a second
/// migration.
fn project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    write_migration(
        dir.path(),
        20250101000001,
        "create_documents",
        json!([documents()]),
        json!([["dropTable", "documents"]]),
    );
    write_migration(
        dir.path(),
        20250101000002,
        "index_documents",
        json!([
            ["createIndex", "documents", "embedding", "hnsw"],
            ["createIndex", "documents", "summary", "ivfflat:ip"],
            ["createIndex", "documents", "chunk", "hnsw:l2"],
            ["createIndex", "documents", "title"]
        ]),
        json!([
            ["dropIndex", "documents", "title"],
            ["dropIndex", "documents", "chunk"],
            ["dropIndex", "documents", "summary"],
            ["dropIndex", "documents", "embedding"]
        ]),
    );
    let project = Project::load(dir.path()).unwrap();
    (dir, project)
}

fn index_definitions(client: &mut instant_runtime::pg::Client) -> Vec<String> {
    client
        .query(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'documents' \
             AND indexname LIKE '%\\_index' ORDER BY indexname",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn migrated_vector_indexes_introspect_to_the_replayed_schema() {
    let db = TempDb::with_vector().unwrap();
    let (_dir, project) = project();
    db.migrate(&project).unwrap();
    let mut client = db.connect().unwrap();

    assert_eq!(
        index_definitions(&mut client),
        [
            "CREATE INDEX documents_chunk_index ON public.documents USING hnsw (chunk vector_l2_ops)",
            "CREATE INDEX documents_embedding_index ON public.documents USING hnsw (embedding vector_cosine_ops)",
            "CREATE INDEX documents_summary_index ON public.documents USING ivfflat (summary vector_ip_ops) WITH (lists='100')",
            "CREATE INDEX documents_title_index ON public.documents USING btree (title)",
        ]
    );

    let replayed = project.schema().unwrap();
    assert_eq!(
        json!(replayed.indices),
        json!([
            {"table": "documents", "column": "chunk", "type": "hnsw:l2"},
            {"table": "documents", "column": "embedding", "type": "hnsw:cosine"},
            {"table": "documents", "column": "summary", "type": "ivfflat:ip"},
            {"table": "documents", "column": "title", "type": "btree"}
        ])
    );
    let mut found = introspect::introspect(&mut client).unwrap();
    found.migration_id = replayed.migration_id;
    assert_eq!(found.to_json(), introspect::comparable(&replayed).to_json());
    // The stored schema reads back as itself.
    assert_eq!(Schema::from_json(&replayed.to_json()).unwrap(), replayed);

    // Rolling back the second migration drops the indexes, and introspection follows.
    migrate::rollback(&mut client, &project, 1).unwrap();
    assert!(index_definitions(&mut client).is_empty());
    assert!(
        introspect::introspect(&mut client)
            .unwrap()
            .indices
            .is_empty()
    );
}

/// The plan of `sql` with `query` bound to `$1`, one line per node.
fn explain(client: &mut instant_runtime::pg::Client, sql: &str, query: &Vector) -> String {
    client
        .query(&format!("EXPLAIN {sql}"), &[query])
        .unwrap()
        .iter()
        .map(|row| row.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn similarity_search_uses_the_hnsw_index() {
    let db = TempDb::with_vector().unwrap();
    let (_dir, project) = project();
    db.migrate(&project).unwrap();
    let mut client = db.connect().unwrap();
    client
        .batch_execute(
            "INSERT INTO documents (title, embedding, summary, chunk) \
             SELECT 'doc ' || i, v, v, v FROM generate_series(1, 500) AS i, \
             LATERAL (SELECT format('[%s,%s,%s]', i % 17 + 1, i % 13 + 1, i % 7 + 1)::vector AS v) AS e; \
             ANALYZE documents",
        )
        .unwrap();
    // 500 rows fit in a few pages, so a sequential scan plus sort is cheaper and the planner
    // would pick it; turning sequential scans off shows whether the index *can* serve the
    // query, which is what the index type decides.
    client.batch_execute("SET enable_seqscan = off").unwrap();
    let query = Vector::from(vec![3.0, 2.0, 1.0]);

    let plan = explain(
        &mut client,
        "SELECT id FROM documents ORDER BY embedding <=> $1 LIMIT 10",
        &query,
    );
    assert!(
        plan.contains("Index Scan using documents_embedding_index"),
        "{plan}"
    );
    let plan = explain(
        &mut client,
        "SELECT id FROM documents ORDER BY summary <#> $1 LIMIT 10",
        &query,
    );
    assert!(
        plan.contains("Index Scan using documents_summary_index"),
        "{plan}"
    );
    let plan = explain(
        &mut client,
        "SELECT id FROM documents ORDER BY chunk <-> $1 LIMIT 10",
        &query,
    );
    assert!(
        plan.contains("Index Scan using documents_chunk_index"),
        "{plan}"
    );
    // An index serves only its own distance: Euclidean order on the cosine index is a scan.
    let plan = explain(
        &mut client,
        "SELECT id FROM documents ORDER BY embedding <-> $1 LIMIT 10",
        &query,
    );
    assert!(!plan.contains("documents_embedding_index"), "{plan}");

    // And the index answers: the nearest rows by cosine distance come back.
    let ids: Vec<i64> = client
        .query(
            "SELECT id FROM documents ORDER BY embedding <=> $1 LIMIT 10",
            &[&query],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(ids.len(), 10);
}
