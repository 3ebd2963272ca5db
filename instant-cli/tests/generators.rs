//! The generators run as a user runs them, on temporary folders: `init`, `g:model`,
//! `g:migration`, `g:relationship` and `kit auth` write what instant.dev writes (checked
//! against `fixtures/auth`, which the real `init` and `kit auth` produced), and a bad argument
//! is one `error:` line, a failure, and nothing written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use instant_runtime::testing::TempDb;
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures")).join(name)
}

fn instant(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_instant"))
        .args(args)
        .arg("--dir")
        .arg(dir)
        .output()
        .unwrap()
}

/// Runs `args` and returns stdout, failing the test with stderr when the command fails.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = instant(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Runs `args`, which must fail, and returns its one error line.
fn fails(dir: &Path, args: &[&str]) -> String {
    let output = instant(dir, args);
    assert!(!output.status.success(), "{args:?} succeeded");
    let message = String::from_utf8(output.stderr).unwrap();
    assert_eq!(message.lines().count(), 1, "{args:?}: {message}");
    assert!(message.starts_with("error: "), "{message}");
    message.trim_end().to_string()
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|error| panic!("{}: {error}", path.as_ref().display()))
}

fn read_json(path: impl AsRef<Path>) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

/// Every file under `dir` with its contents, to show a failed command changed nothing.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), read(&path));
            }
        }
    }
    files
}

/// The files of `_instant/migrations`, in order.
fn migration_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("_instant/migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn last_migration(dir: &Path) -> Value {
    let name = migration_files(dir).pop().unwrap();
    read_json(dir.join("_instant/migrations").join(name))
}

fn schema(dir: &Path) -> Value {
    serde_json::from_str(&ok(dir, &["schema"])).unwrap()
}

/// A new project made by `instant init`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    dir
}

#[test]
fn init_writes_the_files_instant_dev_writes() {
    let dir = tempfile::tempdir().unwrap();
    let printed = ok(dir.path(), &["init"]);
    let auth = fixture("auth/_instant");
    let initial = "migrations/00000000000001__initial_migration.json";
    assert_eq!(
        read(dir.path().join("_instant").join(initial)),
        read(auth.join(initial)),
        "the initial migration, byte for byte"
    );
    assert_eq!(
        read_json(dir.path().join("_instant/db.json")),
        read_json(auth.join("db.json"))
    );
    assert_eq!(
        read(dir.path().join(".gitignore")),
        "_instant/db.json\n_instant/cache/schema.json\n"
    );
    assert_eq!(
        read_json(dir.path().join("_instant/cache/schema.json")),
        json!({"migration_id": 1, "indices": [], "foreign_keys": [], "tables": {}})
    );
    assert_eq!(schema(dir.path())["migration_id"], 1);
    assert!(printed.contains("wrote _instant/db.json"), "{printed}");
}

/// instant.dev: should write an empty seed
#[test]
fn should_write_an_empty_seed() {
    let dir = project();
    let seed = dir.path().join("_instant/seed.json");
    assert_eq!(read(&seed), read(fixture("auth/_instant/seed.json")));
    assert_eq!(read_json(&seed), json!([{}]));

    // Starting over keeps a seed that has rows (instant.dev's `createSeedIfNotExists`).
    std::fs::write(&seed, r#"[{"users": [{"email": "a@b.c"}]}]"#).unwrap();
    ok(dir.path(), &["init", "--force", "--yes"]);
    assert_eq!(read_json(&seed), json!([{"users": [{"email": "a@b.c"}]}]));
}

#[test]
fn init_refuses_an_existing_project_unless_forced() {
    let dir = project();
    ok(dir.path(), &["g:model", "post", "title:string"]);
    let before = snapshot(dir.path());
    let message = fails(dir.path(), &["init"]);
    assert!(
        message.contains("_instant already exists: pass --force"),
        "{message}"
    );
    // Deleting migrations needs a confirmation, which a script gives with --yes.
    let message = fails(dir.path(), &["init", "--force"]);
    assert!(message.contains("pass --yes"), "{message}");
    assert_eq!(snapshot(dir.path()), before);

    std::fs::write(
        dir.path().join("_instant/db.json"),
        r#"{"development": {}}"#,
    )
    .unwrap();
    ok(dir.path(), &["init", "--force", "--yes"]);
    assert_eq!(
        migration_files(dir.path()),
        ["00000000000001__initial_migration.json"]
    );
    assert_eq!(
        read(dir.path().join("_instant/db.json")),
        r#"{"development": {}}"#,
        "db.json is kept"
    );
}

#[test]
fn g_model_writes_a_create_table_migration_and_schema_shows_the_table() {
    let dir = project();
    let printed = ok(
        dir.path(),
        &[
            "g:model",
            "BlogPost",
            "title:string:not_null",
            "slug:string:unique:index",
            "embedding:vector",
            "tags:text:array",
            "views:int:default=0",
        ],
    );
    let files = migration_files(dir.path());
    let name = &files[1];
    assert_eq!(files.len(), 2);
    assert!(name.ends_with("__create_blog_posts.json"), "{name}");
    assert_eq!(name.len(), "20250101000000__create_blog_posts.json".len());
    let migration = last_migration(dir.path());
    assert_eq!(
        (&migration["up"], &migration["down"]),
        (
            &json!([
                ["createTable", "blog_posts", [
                    {"name": "title", "type": "string", "properties": {"nullable": false}},
                    {"name": "slug", "type": "string", "properties": {"unique": true}},
                    {"name": "embedding", "type": "vector", "properties": {"length": 1536}},
                    {"name": "tags", "type": "text", "properties": {"array": true}},
                    {"name": "views", "type": "int", "properties": {"defaultValue": 0}}
                ]],
                ["createIndex", "blog_posts", "slug"]
            ]),
            &json!([
                ["dropIndex", "blog_posts", "slug"],
                ["dropTable", "blog_posts"]
            ])
        )
    );
    assert!(printed.contains(&format!("wrote _instant/migrations/{name}")));
    assert!(printed.contains("instant db:migrate"), "{printed}");

    let schema = schema(dir.path());
    let columns: Vec<&str> = schema["tables"]["blog_posts"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|column| column["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        columns,
        [
            "id",
            "title",
            "slug",
            "embedding",
            "tags",
            "views",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(
        schema["indices"],
        json!([{"table": "blog_posts", "column": "slug", "type": "btree"}])
    );

    let model = read(dir.path().join("src/models/blog_post.rs"));
    for expected in [
        "#[derive(Debug, Clone, PartialEq, Model)]",
        "#[instant(table = crate::models::blog_posts, hooks)]",
        "pub struct BlogPost {",
        "    pub id: i64,",
        "    pub title: String,",
        "    pub embedding: Option<instant_runtime::pgvector::Vector>,",
        "    pub tags: Option<Vec<String>>,",
        "    pub views: Option<i64>,",
        "    pub created_at: Option<instant_runtime::chrono::NaiveDateTime>,",
        "// #[verifies(title, \"is already taken\", title_is_free)]",
        "// #[calculates(label, |model: &BlogPost|",
        "    // #[validates(\"must not be empty\", |title| !title.is_empty())]",
        "    // #[hides]",
        "    // #[vectorizes(from = [title], with = embedding_text)]",
        "impl Hooks for BlogPost {",
        "    fn before_save(",
        "    fn after_save(",
    ] {
        assert!(
            model.contains(expected),
            "missing {expected:?} in:\n{model}"
        );
    }
    assert_eq!(
        read(dir.path().join("src/models.rs")),
        "//! The application's models: the structs and table modules `build.rs` generates from\n\
         //! `_instant/`, and the hand-written models in `src/models/`.\n\
         \n\
         include!(concat!(env!(\"OUT_DIR\"), \"/instant_models.rs\"));\n\
         \n\
         pub mod blog_post;\n"
    );
}

/// instant.dev: should extend my model
#[test]
fn should_extend_my_model() {
    let dir = project();
    ok(dir.path(), &["g:model", "my_model"]);
    let path = dir.path().join("src/models/my_model.rs");
    let model = read(&path);
    assert!(model.contains("pub struct MyModel {"), "{model}");
    assert!(model.contains("#[instant(table = crate::models::my_models, hooks)]"));

    // instant.dev never overwrites a model file: a model whose file exists is refused before
    // its migration is written.
    let mine = dir.path().join("src/models/comment.rs");
    std::fs::write(&mine, "// mine").unwrap();
    let before = snapshot(dir.path());
    let message = fails(dir.path(), &["g:model", "comment"]);
    assert_eq!(
        message,
        "error: src/models/comment.rs already exists: a model file is never overwritten"
    );
    assert_eq!(snapshot(dir.path()), before);

    // Two tables giving one model struct are refused the same way.
    let message = fails(dir.path(), &["g:model", "my_model", "--no-pluralize"]);
    assert!(
        message.contains("both become the model struct `MyModel`"),
        "{message}"
    );
    assert_eq!(snapshot(dir.path()), before);

    // Declarations already in src/models.rs are not repeated; new ones follow them.
    ok(dir.path(), &["g:model", "Person"]);
    assert!(
        read(dir.path().join("src/models.rs")).ends_with("pub mod my_model;\npub mod person;\n")
    );
    assert!(schema(dir.path())["tables"]["people"].is_object());
}

#[test]
fn g_model_no_model_writes_only_the_migration() {
    let dir = project();
    ok(
        dir.path(),
        &[
            "g:model",
            "staff",
            "name:string",
            "--no-pluralize",
            "--no-model",
        ],
    );
    assert!(schema(dir.path())["tables"]["staff"].is_object());
    assert!(!dir.path().join("src").exists());
}

#[test]
fn bad_arguments_are_one_line_and_write_nothing() {
    let dir = project();
    ok(dir.path(), &["g:model", "user", "email:string"]);
    let before = snapshot(dir.path());
    let cases: &[(&[&str], &str)] = &[
        (
            &["g:model", "post", "title:strin"],
            "error: column \"title:strin\": unknown type \"strin\"; valid types: serial, int, float, string, text, datetime, boolean, json, vector, bigint,",
        ),
        (
            &["g:model", "post", "title:string:uniq"],
            "error: column \"title:string:uniq\": unknown flag \"uniq\"; valid flags: not_null, null, unique, index[=btree|hash|gist|gin|hnsw[:cosine|ip|l2]|ivfflat[:cosine|ip|l2]], array, length=N, default=VALUE",
        ),
        (
            &["g:model", "post", "title"],
            "error: column \"title\": expected `name:type[:flag]...`, the type is missing",
        ),
        (
            &["g:model", "post", "a:int", "a:text"],
            "error: column \"a\" is given twice",
        ),
        (
            &["g:model", "user"],
            "error: table \"users\" already exists",
        ),
        (&["g:model", "2fa"], "error: invalid model name \"2fa\""),
        (
            &["g:relationship", "users", "posts"],
            "error: table \"posts\" does not exist",
        ),
        (
            &[
                "g:relationship",
                "users",
                "users",
                "--parent-column",
                "uuid",
            ],
            "error: column \"users\".\"uuid\" does not exist",
        ),
        (
            &["g:migration", "bad/name"],
            "error: expected a migration name of letters, digits, spaces, \"_\" and \"-\", found \"bad/name\"",
        ),
    ];
    for (args, expected) in cases {
        let message = fails(dir.path(), args);
        assert!(message.starts_with(expected), "{args:?}: {message}");
        assert_eq!(snapshot(dir.path()), before, "{args:?} changed the project");
    }

    // Unknown kits are refused by the argument parser (clap's own message and exit code).
    let output = instant(dir.path(), &["kit", "payments"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("[possible values: auth]"));
    assert_eq!(snapshot(dir.path()), before);

    let empty = tempfile::tempdir().unwrap();
    let message = fails(empty.path(), &["g:model", "post"]);
    assert!(
        message.contains("run `instant init` to create one"),
        "{message}"
    );
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

#[test]
fn g_migration_writes_an_empty_migration_with_the_next_id() {
    let dir = project();
    ok(dir.path(), &["g:migration", "AddIndexes"]);
    ok(dir.path(), &["g:migration"]);
    let files = migration_files(dir.path());
    assert_eq!(files.len(), 3);
    assert!(files[1].ends_with("__add_indexes.json"), "{files:?}");
    let first = read_json(dir.path().join("_instant/migrations").join(&files[1]));
    assert_eq!(first["name"], "add_indexes");
    assert_eq!((&first["up"], &first["down"]), (&json!([]), &json!([])));
    // The second comes after the first even within the same second, and has no name.
    let second = last_migration(dir.path());
    assert!(second["id"].as_i64() > first["id"].as_i64());
    assert_eq!(
        files[2],
        format!("{:014}.json", second["id"].as_i64().unwrap())
    );
    assert_eq!(schema(dir.path())["migration_id"], second["id"]);
}

#[test]
fn g_relationship_adds_the_column_and_the_foreign_key() {
    let dir = project();
    ok(dir.path(), &["g:model", "user", "email:string"]);
    ok(dir.path(), &["g:model", "post", "title:string"]);
    ok(dir.path(), &["g:model", "profile", "bio:text"]);

    let printed = ok(dir.path(), &["g:relationship", "users", "posts"]);
    assert!(printed.contains("one-to-many"), "{printed}");
    let migration = last_migration(dir.path());
    assert_eq!(migration["name"], "add_posts_column_user_id");
    assert_eq!(
        migration["up"],
        json!([
            ["addColumn", "posts", "user_id", "bigint", {"unique": false}],
            ["createForeignKey", "posts", "user_id", "users", "id"]
        ])
    );

    ok(
        dir.path(),
        &["g:relationship", "users", "profiles", "--one-to-one"],
    );
    let schema = schema(dir.path());
    assert_eq!(
        schema["foreign_keys"],
        json!([
            {"table": "posts", "column": "user_id", "parentTable": "users", "parentColumn": "id"},
            {"table": "profiles", "column": "user_id", "parentTable": "users", "parentColumn": "id"}
        ])
    );
    assert_eq!(
        schema["tables"]["profiles"]["columns"][4],
        json!({"name": "user_id", "type": "bigint", "properties": {"unique": true}})
    );

    let before = snapshot(dir.path());
    let message = fails(dir.path(), &["g:relationship", "users", "posts"]);
    assert_eq!(
        message,
        "error: \"posts\".\"user_id\" already references \"users\".\"id\""
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn kit_auth_gives_the_schema_instant_dev_s_kit_gives() {
    let dir = project();
    ok(dir.path(), &["kit", "auth"]);

    let mut ours = schema(dir.path());
    let mut theirs = read_json(fixture("auth/_instant/cache/schema.json"));
    ours["migration_id"] = Value::Null;
    theirs["migration_id"] = Value::Null;
    assert_eq!(ours, theirs);

    let fixture_migration = read_json(fixture(
        "auth/_instant/migrations/20250101000001__create_users_and_access_tokens.json",
    ));
    let mut migration = last_migration(dir.path());
    assert!(migration["id"].as_i64() > Some(20250101000001));
    migration["id"] = fixture_migration["id"].clone();
    assert_eq!(migration, fixture_migration);

    for (file, expected) in [
        ("user.rs", "#[instant(table = crate::models::users, hooks)]"),
        (
            "access_token.rs",
            "#[instant(table = crate::models::access_tokens, hooks)]",
        ),
    ] {
        let model = read(dir.path().join("src/models").join(file));
        assert!(model.contains(expected), "{file}");
    }
    assert!(
        read(dir.path().join("src/models.rs")).ends_with("pub mod user;\npub mod access_token;\n")
    );

    // Installing it twice is refused before anything is written.
    let before = snapshot(dir.path());
    let message = fails(dir.path(), &["kit", "auth"]);
    assert!(message.starts_with("error: kit auth: "), "{message}");
    assert!(message.contains("\"users\""), "{message}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn help_lists_the_generators() {
    let output = Command::new(env!("CARGO_BIN_EXE_instant"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for command in ["init", "g:model", "g:migration", "g:relationship", "kit"] {
        assert!(
            help.lines()
                .any(|line| line.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from:\n{help}"
        );
    }
}

#[test]
fn generated_migrations_apply_to_a_database() {
    let db = TempDb::new().unwrap();
    let dir = project();
    ok(dir.path(), &["kit", "auth"]);
    ok(
        dir.path(),
        &[
            "g:model",
            "post",
            "title:string:not_null",
            "body:text:index",
        ],
    );
    ok(dir.path(), &["g:relationship", "users", "posts"]);
    ok(dir.path(), &["g:migration", "later"]);

    let output = Command::new(env!("CARGO_BIN_EXE_instant"))
        .args(["db:bootstrap", "--yes", "--dir"])
        .arg(dir.path())
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let state = Command::new(env!("CARGO_BIN_EXE_instant"))
        .args(["db:state", "--dir"])
        .arg(dir.path())
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    let state = String::from_utf8(state.stdout).unwrap();
    assert!(state.contains("synced"), "{state}");

    let mut client = db.connect().unwrap();
    let row = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns \
             WHERE table_name = 'posts' AND column_name IN ('title', 'body', 'user_id')",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 3);
    let foreign_keys = client
        .query_one(
            "SELECT count(*) FROM information_schema.table_constraints \
             WHERE constraint_type = 'FOREIGN KEY' AND table_name IN ('posts', 'access_tokens')",
            &[],
        )
        .unwrap();
    assert_eq!(foreign_keys.get::<_, i64>(0), 2);
}

/// The generated model files compile against the generated table modules, with every
/// commented example uncommented, and so do the auth kit's models: `cargo check` of a new
/// crate (about a minute on a cold target directory).
#[test]
fn generated_models_compile() {
    let dir = project();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"generated\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [dependencies]\ninstant-runtime = {{ path = {runtime:?} }}\n\n\
             [build-dependencies]\ninstant-codegen = {{ path = {codegen:?} }}\n\n[workspace]\n",
            runtime = workspace.join("instant-runtime"),
            codegen = workspace.join("instant-codegen"),
        ),
    )
    .unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.path().join("build.rs"),
        "fn main() { instant_codegen::Builder::new().run(); }\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), "pub mod models;\n").unwrap();
    ok(dir.path(), &["kit", "auth"]);
    ok(
        dir.path(),
        &[
            "g:model",
            "post",
            "title:string:not_null",
            "summary:text",
            "embedding:vector:length=3",
        ],
    );
    ok(
        dir.path(),
        &[
            "g:model",
            "sample",
            "at:timestamp with time zone",
            "address:inet",
            "price:money",
            "scores:int:array:not_null",
        ],
    );
    ok(dir.path(), &["g:model", "counter", "n:int:not_null"]);
    ok(
        dir.path(),
        &["g:model", "score", "value:int", "weight:float"],
    );
    ok(
        dir.path(),
        &[
            "g:model",
            "item",
            "type:string",
            "embedding:vector:length=3",
        ],
    );
    ok(dir.path(), &["g:relationship", "users", "posts"]);
    for model in ["post", "sample", "counter", "score", "item"] {
        let path = dir.path().join("src/models").join(format!("{model}.rs"));
        let uncommented: Vec<String> = read(&path)
            .lines()
            .map(|line| {
                let code = line.trim_start();
                let indent = &line[..line.len() - code.len()];
                match code.strip_prefix("// ") {
                    Some(rest)
                        if ["#[", "fn ", "    ", "}"]
                            .iter()
                            .any(|start| rest.starts_with(start)) =>
                    {
                        format!("{indent}{rest}")
                    }
                    _ => line.to_string(),
                }
            })
            .collect();
        std::fs::write(&path, uncommented.join("\n")).unwrap();
    }
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(dir.path())
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-models"),
        )
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
