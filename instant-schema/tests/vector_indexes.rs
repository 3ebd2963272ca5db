//! Our extension of `createIndex`: pgvector's `hnsw` and `ivfflat` with a distance
//! (`hnsw:ip`), only on a `vector` column, stored in a schema in the explicit form
//! (`hnsw` → `hnsw:cosine`), so the schema JSON reads back to itself.

use std::path::Path;

use instant_schema::index_type::{IndexType, VectorDistance, VectorMethod};
use instant_schema::json_path::JsonPath;
use instant_schema::{Command, Migration, MigrationBuilder, Project, Schema, replay};
use serde_json::{Value, json};

fn migration(id: i64, up: Value) -> Migration {
    Migration::from_json(&json!({"id": id, "name": "m", "up": up, "down": []})).unwrap()
}

fn documents() -> Value {
    json!(["createTable", "documents", [
        {"name": "title", "type": "string"},
        {"name": "tags", "type": "vector", "properties": {"length": 3, "array": true}},
        {"name": "embedding", "type": "vector", "properties": {"length": 3}},
        {"name": "summary", "type": "vector", "properties": {"length": 3}},
        {"name": "chunk", "type": "vector", "properties": {"length": 3}}
    ]])
}

/// The error of replaying `up` after creating `documents`, as `at <location>: <message>`.
fn replay_error(extra: Value) -> String {
    let mut up = vec![documents()];
    up.push(extra);
    replay(&[migration(1, Value::Array(up))])
        .unwrap_err()
        .to_string()
}

#[test]
fn commands_keep_the_type_as_written() {
    for written in ["hnsw", "hnsw:cosine", "hnsw:ip", "ivfflat", "ivfflat:l2"] {
        let value = json!(["createIndex", "documents", "embedding", written]);
        let command = Command::from_json(&value, &JsonPath::root()).unwrap();
        assert_eq!(
            command,
            Command::CreateIndex {
                table: "documents".into(),
                column: "embedding".into(),
                index_type: Some(written.into()),
            }
        );
        assert_eq!(command.to_json(), value);
    }
}

#[test]
fn unknown_types_and_distances_are_located_errors() {
    let at = JsonPath::root().key("up").index(1);
    let error = |value: Value| Command::from_json(&value, &at).unwrap_err().to_string();
    assert_eq!(
        error(json!(["createIndex", "documents", "embedding", "hnsw:dot"])),
        "at up[1][3]: unknown distance \"dot\" in index type \"hnsw:dot\"; expected \"cosine\", \"ip\" or \"l2\" (cosine when left out)"
    );
    assert_eq!(
        error(json!(["createIndex", "documents", "embedding", "gin:ip"])),
        "at up[1][3]: index type \"gin\" takes no distance (\"gin:ip\"); only \"hnsw\" and \"ivfflat\" do"
    );
    assert!(
        error(json!(["createIndex", "documents", "embedding", "diskann"]))
            .starts_with("at up[1][3]: unknown index type \"diskann\"; expected one of \"btree\"")
    );
}

#[test]
fn replay_stores_the_explicit_form() {
    let schema = replay(&[migration(
        1,
        json!([
            documents(),
            ["createIndex", "documents", "embedding", "hnsw"],
            ["createIndex", "documents", "summary", "ivfflat:ip"],
            ["createIndex", "documents", "chunk", "hnsw:l2"],
            ["createIndex", "documents", "title"]
        ]),
    )])
    .unwrap();
    assert_eq!(
        json!(schema.indices),
        json!([
            {"table": "documents", "column": "chunk", "type": "hnsw:l2"},
            {"table": "documents", "column": "embedding", "type": "hnsw:cosine"},
            {"table": "documents", "column": "summary", "type": "ivfflat:ip"},
            {"table": "documents", "column": "title", "type": "btree"}
        ])
    );
    let parsed: Vec<IndexType> = schema
        .indices
        .iter()
        .map(|index| IndexType::parse(&index.index_type).unwrap())
        .collect();
    let summary = parsed[2].vector().unwrap();
    assert_eq!(summary.method, VectorMethod::Ivfflat);
    assert_eq!(summary.distance, VectorDistance::InnerProduct);
    assert_eq!(summary.distance.operator(), "<#>");
}

#[test]
fn schema_json_round_trips() {
    let schema = replay(&[migration(
        1,
        json!([
            documents(),
            ["createIndex", "documents", "embedding", "hnsw"],
            ["createIndex", "documents", "summary", "ivfflat:l2"]
        ]),
    )])
    .unwrap();
    let written = schema.to_json();
    let read = Schema::from_json(&written).unwrap();
    assert_eq!(read, schema);
    assert_eq!(read.to_json(), written);

    // A hand-written schema (or `setSchema`) may say `hnsw`; it reads as `hnsw:cosine`.
    let mut bare = written.clone();
    bare["indices"][0]["type"] = json!("hnsw");
    assert_eq!(written["indices"][0]["type"], json!("hnsw:cosine"));
    assert_eq!(Schema::from_json(&bare).unwrap(), schema);

    // The schema replayed through `setSchema` is the same schema.
    let again = replay(&[migration(2, json!([["setSchema", bare]]))]).unwrap();
    assert_eq!(again.indices, schema.indices);
}

#[test]
fn only_a_vector_column_takes_a_vector_index() {
    assert_eq!(
        replay_error(json!(["createIndex", "documents", "title", "hnsw"])),
        "at up[1][3]: index type \"hnsw:cosine\" needs a vector column; \"documents\".\"title\" is \"string\""
    );
    assert_eq!(
        replay_error(json!(["createIndex", "documents", "tags", "ivfflat:ip"])),
        "at up[1][3]: index type \"ivfflat:ip\" needs a vector column; \"documents\".\"tags\" is an array of vectors"
    );
    assert_eq!(
        replay_error(json!(["createIndex", "documents", "created_at", "hnsw:l2"])),
        "at up[1][3]: index type \"hnsw:l2\" needs a vector column; \"documents\".\"created_at\" is \"datetime\""
    );
    assert_eq!(
        replay_error(json!(["createIndex", "documents", "title->x", "hnsw"])),
        "at up[1][3]: index type \"hnsw:cosine\" needs a vector column; \"title->x\" is a JSON path"
    );
    // instant.dev's types are unchanged: a `gin` on a string is PostgreSQL's business.
    let schema = replay(&[migration(
        1,
        json!([documents(), ["createIndex", "documents", "title", "gin"]]),
    )])
    .unwrap();
    assert_eq!(schema.indices[0].index_type, "gin");
}

#[test]
fn a_vector_index_keeps_its_column_a_vector() {
    let index = json!(["createIndex", "documents", "embedding", "hnsw"]);
    let up = |change: Value| json!([documents(), index, change]);
    let error = replay(&[migration(
        1,
        up(json!(["alterColumn", "documents", "embedding", "text"])),
    )])
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "at up[2][3]: index type \"hnsw:cosine\" needs a vector column; \"documents\".\"embedding\" is \"text\" after this change; drop the index on \"documents\".\"embedding\" first"
    );
    let error = replay(&[migration(
        1,
        up(json!(["alterColumn", "documents", "embedding", null, {"array": true}])),
    )])
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with("at up[2]: index type \"hnsw:cosine\" needs a vector column; \"documents\".\"embedding\" is an array of vectors after this change"),
        "{error}"
    );
    // A new length keeps it a vector.
    replay(&[migration(
        1,
        up(json!(["alterColumn", "documents", "embedding", "vector", {"length": 4}])),
    )])
    .unwrap();
    // Dropping the index first frees the column.
    replay(&[migration(
        1,
        json!([
            documents(),
            index,
            ["dropIndex", "documents", "embedding"],
            ["alterColumn", "documents", "embedding", "text"]
        ]),
    )])
    .unwrap();
}

#[test]
fn a_schema_names_a_vector_index_on_a_vector_column() {
    let schema = |index: Value| {
        json!({
            "migration_id": null,
            "indices": [index],
            "foreign_keys": [],
            "tables": {"documents": {"name": "documents", "columns": [
                {"name": "title", "type": "string"},
                {"name": "embedding", "type": "vector", "properties": {"length": 3}}
            ]}}
        })
    };
    let error = |index: Value| Schema::from_json(&schema(index)).unwrap_err().to_string();
    assert_eq!(
        error(json!({"table": "documents", "column": "title", "type": "hnsw:ip"})),
        "at indices[0].type: index type \"hnsw:ip\" needs a vector column; \"documents\".\"title\" is \"string\""
    );
    assert_eq!(
        error(json!({"table": "documents", "column": "nope", "type": "ivfflat"})),
        "at indices[0].column: index type \"ivfflat:cosine\" on \"documents\".\"nope\", which is not in \"tables\""
    );
    assert_eq!(
        error(json!({"table": "documents", "column": "embedding", "type": "ivfflat:cos"})),
        "at indices[0].type: unknown distance \"cos\" in index type \"ivfflat:cos\"; expected \"cosine\", \"ip\" or \"l2\" (cosine when left out)"
    );
    Schema::from_json(&schema(
        json!({"table": "documents", "column": "embedding", "type": "ivfflat:l2"}),
    ))
    .unwrap();
}

#[test]
fn the_inverse_of_drop_index_recreates_the_vector_index() {
    let mut start = Schema::empty();
    instant_schema::apply_migration(
        &mut start,
        &migration(
            1,
            json!([
                documents(),
                ["createIndex", "documents", "embedding", "ivfflat:ip"]
            ]),
        ),
    )
    .unwrap();
    let mut builder = MigrationBuilder::new(start).with_id(2);
    builder.drop_index("documents", "embedding").unwrap();
    let built = builder.build().unwrap();
    assert_eq!(
        built.down[0].to_json(),
        json!(["createIndex", "documents", "embedding", "ivfflat:ip"])
    );
    // The builder refuses what replay refuses, at the same place.
    let mut builder = MigrationBuilder::new(Schema::empty()).with_id(3);
    builder
        .add(Command::from_json(&documents(), &JsonPath::root()).unwrap())
        .unwrap();
    let error = builder
        .create_index("documents", "title", Some("hnsw".into()))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "at up[1][3]: index type \"hnsw:cosine\" needs a vector column; \"documents\".\"title\" is \"string\""
    );
}

fn write_migration(dir: &Path, migration: &Migration) {
    let migrations = dir.join("_instant/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::write(
        migrations.join(migration.filename()),
        serde_json::to_string_pretty(&migration.to_json()).unwrap(),
    )
    .unwrap();
}

#[test]
fn a_project_names_the_file_and_location() {
    let dir = tempfile::tempdir().unwrap();
    write_migration(dir.path(), &migration(20250101000001, json!([documents()])));
    write_migration(
        dir.path(),
        &migration(
            20250101000002,
            json!([
                ["createIndex", "documents", "embedding", "hnsw:ip"],
                ["createIndex", "documents", "title", "ivfflat"]
            ]),
        ),
    );
    let error = Project::load(dir.path())
        .and_then(|project| project.schema())
        .unwrap_err()
        .to_string();
    let message = error.replace(&format!("{}/", dir.path().display()), "");
    assert_eq!(
        message,
        "_instant/migrations/20250101000002__m.json at up[1][3]: index type \"ivfflat:cosine\" needs a vector column; \"documents\".\"title\" is \"string\""
    );
}

#[test]
fn generators_take_a_vector_index_flag() {
    use instant_schema::generate::{ColumnSpec, create_table_migration};
    let specs = [
        ColumnSpec::parse("title:string").unwrap(),
        ColumnSpec::parse("embedding:vector:length=3:index=hnsw:ip").unwrap(),
    ];
    let migration = create_table_migration(&Schema::empty(), "documents", &specs, 7).unwrap();
    assert_eq!(
        migration.to_json()["up"][1],
        json!(["createIndex", "documents", "embedding", "hnsw:ip"])
    );
    assert_eq!(
        replay(&[migration]).unwrap().indices[0].index_type,
        "hnsw:ip"
    );
    assert_eq!(
        ColumnSpec::parse("title:text:index=ivfflat")
            .unwrap_err()
            .to_string(),
        "column \"title:text:index=ivfflat\": index type \"ivfflat:cosine\" needs a vector column; \"title\" is \"text\""
    );
}
