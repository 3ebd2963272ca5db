//! The migration lifecycle, ported from instant.dev's `test/tests/migrations.js` (the cases
//! that do not need the model layer). Each test starts where instant.dev's does after
//! `reset(); annihilate(); prepare(); initialize()`: a fresh database with an empty
//! `_instant_migrations`, then the initial migration written and recorded. instant.dev's
//! `Model('X')` checks become checks on the schema and the database's tables.

use std::path::PathBuf;

use instant_runtime::migrate::{self, Status, filesystem, history, introspect, state};
use instant_runtime::pg::Client;
use instant_runtime::testing::TempDb;
use instant_schema::{Column, Migration, MigrationBuilder, Project, Schema};
use serde_json::{Value, json};

/// A temporary database and project folder.
struct Env {
    _db: TempDb,
    dir: tempfile::TempDir,
    client: Client,
}

impl Env {
    /// A fresh database with `_instant_migrations` and an `_instant/` folder without
    /// migrations (instant.dev's `reset(); annihilate(); prepare()`).
    fn prepared() -> Env {
        let db = TempDb::new().unwrap();
        let mut client = db.connect().unwrap();
        migrate::prepare(&mut client).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("_instant")).unwrap();
        Env {
            _db: db,
            dir,
            client,
        }
    }

    /// [`Env::prepared`], then `initialize()` from introspection.
    fn initialized() -> Env {
        let mut env = Env::prepared();
        migrate::initialize(&mut env.client, env.dir.path(), None).unwrap();
        env
    }

    /// [`Env::initialized`] with migrations A (100, blog_posts), B (200, users) and
    /// C (300, uploads) written but not applied.
    fn with_abc() -> Env {
        let env = Env::initialized();
        for (id, table) in [(100, "blog_posts"), (200, "users"), (300, "uploads")] {
            env.write(&create_table(id, table, "title"));
        }
        env
    }

    fn project(&self) -> Project {
        Project::load(self.dir.path()).unwrap()
    }

    fn write(&self, migration: &Migration) -> PathBuf {
        filesystem::write(&self.project(), migration).unwrap()
    }

    fn remove(&self, id: i64, table: &str) {
        let name = format!("{id:014}__create_{table}.json");
        std::fs::remove_file(self.dir.path().join("_instant/migrations").join(name)).unwrap();
    }

    fn migrate(&mut self, steps: Option<u32>) -> Vec<i64> {
        let project = self.project();
        migrate::migrate_steps(&mut self.client, &project, steps, |_| {})
            .unwrap()
            .applied
    }

    fn diff(&mut self) -> String {
        let project = self.project();
        state(&mut self.client, &project).unwrap().text_diff()
    }

    fn state(&mut self) -> migrate::MigrationState {
        let project = self.project();
        state(&mut self.client, &project).unwrap()
    }

    /// The tables of `public` except the history.
    fn tables(&mut self) -> Vec<String> {
        self.client
            .query(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_name <> '_instant_migrations' \
                 ORDER BY 1",
                &[],
            )
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect()
    }

    fn cache(&self) -> Value {
        let text =
            std::fs::read_to_string(self.dir.path().join("_instant/cache/schema.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

/// `createTable(table, [{name: column, type: 'string'}])` with its default name
/// (`create_<table>`), as `Migrator.create(id)` builds it.
fn create_table(id: i64, table: &str, column: &str) -> Migration {
    let mut builder = MigrationBuilder::new(Schema::empty()).with_id(id);
    builder
        .create_table(table, vec![Column::new(column, "string")])
        .unwrap();
    builder.build().unwrap()
}

fn lines(lines: &[&str]) -> String {
    lines.join("\n")
}

const INITIAL: &str = "  00000000000001__initial_migration.json";

/// instant.dev: should be connect to a database
#[test]
fn connects_to_a_database() {
    let mut env = Env::prepared();
    assert!(
        env.client
            .is_valid(std::time::Duration::from_secs(5))
            .is_ok()
    );
}

/// instant.dev: should have an empty schema
#[test]
fn an_empty_database_introspects_to_the_empty_schema() {
    let mut env = Env::prepared();
    let schema = introspect::introspect(&mut env.client).unwrap();
    assert_eq!(schema.migration_id, None);
    assert_eq!(schema.indices.len(), 0);
    assert_eq!(schema.tables.len(), 0);
}

/// instant.dev: should show migrator disabled
#[test]
fn migrations_are_disabled_before_prepare() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    assert!(!history::exists(&mut client).unwrap());
}

/// instant.dev: should fail to create a migration if database is not ready
#[test]
fn the_state_needs_the_history_table() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("_instant/migrations")).unwrap();
    let project = Project::load(dir.path()).unwrap();
    let error = state(&mut client, &project).unwrap_err();
    assert!(error.to_string().contains("migrations enabled"), "{error}");
}

/// instant.dev: should initialize database migrations and create first migration, but not run it
#[test]
fn a_new_migration_inverts_its_commands_and_leaves_the_schema_alone() {
    let mut env = Env::initialized();
    let schema = env.project().schema().unwrap();
    let mut builder = MigrationBuilder::new(schema.clone());
    builder
        .create_table("blog_posts", vec![Column::new("title", "string")])
        .unwrap()
        .alter_column("blog_posts", "title", Some("varchar".into()), None)
        .unwrap();
    let migration = builder.build().unwrap();
    let json = migration.to_json();

    assert_eq!(json["name"], "create_blog_posts");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(migration.id.to_string().starts_with(&year));
    assert_eq!(
        json["up"],
        json!([["createTable", "blog_posts", [{"name": "title", "type": "string"}]],
               ["alterColumn", "blog_posts", "title", "varchar"]])
    );
    assert_eq!(
        json["down"],
        json!([
            ["alterColumn", "blog_posts", "title", "string"],
            ["dropTable", "blog_posts"]
        ])
    );
    assert!(
        env.project()
            .schema()
            .unwrap()
            .table("blog_posts")
            .is_none()
    );
    assert!(env.tables().is_empty());
}

/// instant.dev: should fail when provided invalid command input
#[test]
fn an_invalid_command_argument_is_refused() {
    let error = Migration::from_json(&json!({"id": 2, "name": "create_blog_posts",
        "up": [["createTable", "blog_posts", [{"name": "title", "type": "string"}]],
               ["alterColumn", "blog_posts", "title", {"type": "varchar"}]],
        "down": []}))
    .unwrap_err();
    // instant.dev: `Invalid migration command "alterColumn" at argument[2]: type`; we name the
    // JSON location of that argument.
    let message = error.to_string();
    assert!(message.contains("up[1][3]"), "{message}");
}

/// instant.dev: should initialize database migrations and create first named migration, and run it
#[test]
fn a_named_migration_runs_and_is_recorded() {
    let mut env = Env::initialized();
    let mut builder =
        MigrationBuilder::new(env.project().schema().unwrap()).with_name("my_first_migration");
    builder
        .create_table("blog_posts", vec![Column::new("title", "string")])
        .unwrap()
        .alter_column("blog_posts", "title", Some("varchar".into()), None)
        .unwrap();
    let migration = builder.build().unwrap();
    env.write(&migration);
    assert_eq!(env.migrate(None), vec![migration.id]);

    assert_eq!(migration.name, "my_first_migration");
    let cache = env.cache();
    assert_eq!(cache["migration_id"], json!(migration.id));
    let columns: Vec<&str> = cache["tables"]["blog_posts"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["id", "title", "created_at", "updated_at"]);
    assert_eq!(
        cache["tables"]["blog_posts"]["columns"][1]["type"],
        "varchar"
    );

    let rows = migrate::lifecycle::database_migrations(&mut env.client).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], 1);
    assert_eq!(rows[1]["id"], json!(migration.id));
    assert_eq!(rows[1], migration.to_json());
}

/// instant.dev: should create a migration and write it to a file
#[test]
fn a_migration_is_written_as_instant_dev_writes_it() {
    let env = Env::initialized();
    let mut builder = MigrationBuilder::new(Schema::empty()).with_name("my_first_migration");
    builder
        .create_table("blog_posts", vec![Column::new("title", "string")])
        .unwrap();
    let migration = builder.build().unwrap();
    env.write(&migration);

    let dir = env.dir.path().join("_instant/migrations");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "00000000000001__initial_migration.json".to_string(),
            format!("{:014}__my_first_migration.json", migration.id)
        ]
    );
    let text = std::fs::read_to_string(dir.join(&names[1])).unwrap();
    assert_eq!(
        text,
        serde_json::to_string_pretty(&migration.to_json()).unwrap()
    );
    // The initial migration is byte for byte what `instant init` writes on an empty database.
    let initial = std::fs::read_to_string(dir.join(&names[0])).unwrap();
    let expected = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/blog/_instant/migrations/00000000000001__initial_migration.json"
    ))
    .unwrap();
    assert_eq!(initial, expected);
}

/// instant.dev: should throw an error for no migrations directory
#[test]
fn the_state_needs_the_migrations_folder() {
    let mut env = Env::prepared();
    let project = env.project();
    let error = state(&mut env.client, &project).unwrap_err();
    assert!(error.to_string().contains("not initialized"), "{error}");
}

/// instant.dev: should succeed at initializing local directory and getting migrations
#[test]
fn initialize_writes_the_initial_migration() {
    let env = Env::initialized();
    let project = env.project();
    assert_eq!(project.migrations.len(), 1);
    assert_eq!(project.migrations[0].1.id, 1);
    assert_eq!(project.migrations[0].1.name, "initial_migration");
}

/// instant.dev: should get local and remote migrations in sync
#[test]
fn local_and_remote_migrations_are_in_sync_after_initialize() {
    let mut env = Env::initialized();
    let local: Vec<Value> = env
        .project()
        .migration_list()
        .iter()
        .map(Migration::to_json)
        .collect();
    let remote = migrate::lifecycle::database_migrations(&mut env.client).unwrap();
    assert_eq!(local, remote);
    assert_eq!(env.state().status, Status::Synced);
}

/// instant.dev: should create a migration and have local be out of sync
#[test]
fn a_written_migration_puts_the_folder_ahead() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    let local = env.project().migration_list();
    let remote = migrate::lifecycle::database_migrations(&mut env.client).unwrap();
    assert_eq!(local[0].to_json(), remote[0]);
    assert_eq!((local.len(), remote.len()), (2, 1));
}

/// instant.dev: should fail to create another migration with same id
#[test]
fn writing_a_second_migration_with_the_same_id_fails() {
    let env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    let error =
        filesystem::write(&env.project(), &create_table(100, "users", "username")).unwrap_err();
    assert!(error.to_string().contains("(id=100)"), "{error}");
}

/// instant.dev: should create another migration and have local be out of sync
#[test]
fn two_written_migrations_put_the_folder_two_ahead() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    env.write(&create_table(101, "users", "username"));
    let remote = migrate::lifecycle::database_migrations(&mut env.client).unwrap();
    let local = env.project().migration_list();
    assert_eq!(local[0].to_json(), remote[0]);
    assert_eq!((local.len(), remote.len()), (3, 1));
}

/// instant.dev: should diff migrations
#[test]
fn the_diff_flags_each_migration() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    env.write(&create_table(101, "users", "username"));
    let flags: Vec<(bool, bool, bool)> = env
        .state()
        .diffs
        .iter()
        .map(|d| (d.filesystem, d.database, d.mismatch))
        .collect();
    assert_eq!(
        flags,
        [
            (true, true, false),
            (true, false, false),
            (true, false, false)
        ]
    );
}

/// instant.dev: should successfully migrate
#[test]
fn migrate_applies_the_pending_migrations() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    env.write(&create_table(101, "users", "username"));
    assert_eq!(env.migrate(None), [100, 101]);
    assert_eq!(env.tables(), ["blog_posts", "users"]);
    let cache = env.cache();
    assert_eq!(
        cache["tables"]["users"]["columns"][1],
        json!({"name": "username", "type": "string"})
    );
}

/// instant.dev: should fail to migrate when "mismatch"
#[test]
fn migrate_refuses_a_mismatch() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    env.write(&create_table(200, "users", "username"));
    env.migrate(None);
    env.remove(100, "blog_posts");
    let mut edited = MigrationBuilder::new(Schema::empty()).with_id(100);
    edited
        .create_table(
            "blog_posts",
            vec![
                Column::new("title", "string"),
                Column::new("content", "string"),
            ],
        )
        .unwrap();
    env.write(&edited.build().unwrap());

    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "? 00000000000100__create_blog_posts.json",
            "  00000000000200__create_users.json"
        ])
    );
    let project = env.project();
    let message = migrate::migrate(&mut env.client, &project)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("\"mismatch\""), "{message}");
    assert!(message.contains("(id=100)"), "{message}");
    assert!(message.contains("(id=1)"), "{message}");
}

/// instant.dev: should fail to migrate when "database_ahead"
#[test]
fn migrate_refuses_when_the_database_is_ahead() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    env.write(&create_table(200, "users", "username"));
    env.migrate(None);
    env.remove(200, "users");
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "- 00000000000200__create_users.json"
        ])
    );
    let project = env.project();
    let message = migrate::migrate(&mut env.client, &project)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("\"database_ahead\""), "{message}");
    assert!(message.contains("(id=200)"), "{message}");
    assert!(message.contains("(id=100)"), "{message}");
}

/// instant.dev: should fail to migrate when "unsynced"
#[test]
fn migrate_refuses_when_unsynced() {
    let mut env = Env::with_abc();
    env.migrate(None);
    env.remove(200, "users");
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "- 00000000000200__create_users.json",
            "  00000000000300__create_uploads.json"
        ])
    );
    let project = env.project();
    let message = migrate::migrate(&mut env.client, &project)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("\"unsynced\""), "{message}");
    assert!(message.contains("(id=100)"), "{message}");
}

/// instant.dev: should migrate based on number of steps
#[test]
fn migrate_takes_a_number_of_steps() {
    let mut env = Env::with_abc();
    assert_eq!(env.migrate(Some(1)), [100]);
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "+ 00000000000200__create_users.json",
            "+ 00000000000300__create_uploads.json"
        ])
    );
    assert_eq!(env.migrate(Some(2)), [200, 300]);
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "  00000000000200__create_users.json",
            "  00000000000300__create_uploads.json"
        ])
    );
}

/// instant.dev: should rollback based on number of steps
#[test]
fn rollback_takes_a_number_of_steps() {
    let mut env = Env::with_abc();
    env.migrate(None);
    assert_eq!(env.tables(), ["blog_posts", "uploads", "users"]);
    let project = env.project();

    let done = migrate::rollback(&mut env.client, &project, 1).unwrap();
    assert_eq!(done.migrations[0].id, 300);
    assert_eq!(env.tables(), ["blog_posts", "users"]);
    assert!(env.cache()["tables"].get("uploads").is_none());
    assert_eq!(env.cache()["migration_id"], 200);
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "  00000000000200__create_users.json",
            "+ 00000000000300__create_uploads.json"
        ])
    );

    migrate::rollback(&mut env.client, &project, 2).unwrap();
    assert!(env.tables().is_empty());
    assert_eq!(env.cache()["migration_id"], 1);
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "+ 00000000000100__create_blog_posts.json",
            "+ 00000000000200__create_users.json",
            "+ 00000000000300__create_uploads.json"
        ])
    );
}

/// instant.dev: should rollback to a specific migration id
#[test]
fn rollback_to_a_migration_id() {
    let mut env = Env::with_abc();
    env.migrate(None);
    let project = env.project();
    let message = migrate::rollback_to(&mut env.client, &project, 105)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("(id=105)") && message.contains("not found"),
        "{message}"
    );

    assert!(migrate::rollback_to(&mut env.client, &project, 100).unwrap());
    assert_eq!(env.tables(), ["blog_posts"]);
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "+ 00000000000200__create_users.json",
            "+ 00000000000300__create_uploads.json"
        ])
    );
    assert!(!migrate::rollback_to(&mut env.client, &project, 100).unwrap());
}

/// instant.dev: should rollbackSync = false when already synced
#[test]
fn rollback_sync_does_nothing_when_synced() {
    let mut env = Env::with_abc();
    env.migrate(None);
    let project = env.project();
    assert!(!migrate::rollback_sync(&mut env.client, &project).unwrap());
}

/// instant.dev: should rollbackSync = true when not synced
#[test]
fn rollback_sync_undoes_what_the_folder_lacks() {
    let mut env = Env::with_abc();
    env.migrate(None);
    env.remove(200, "users");
    let project = env.project();
    assert!(migrate::rollback_sync(&mut env.client, &project).unwrap());
    assert_eq!(env.cache()["migration_id"], 100);
    assert_eq!(env.tables(), ["blog_posts"]);

    // instant.dev: should successfully migrate after rollbackSync with 2nd migration deleted
    assert_eq!(env.migrate(None), [300]);
    assert_eq!(env.cache()["migration_id"], 300);
    assert_eq!(env.tables(), ["blog_posts", "uploads"]);
}

/// instant.dev: should successfully migrate after rollbackSync with 2nd migration deleted
#[test]
fn migrate_after_rollback_sync_skips_the_deleted_migration() {
    let mut env = Env::with_abc();
    env.migrate(None);
    env.remove(200, "users");
    let project = env.project();
    migrate::rollback_sync(&mut env.client, &project).unwrap();
    assert_eq!(env.migrate(None), [300]);
    assert_eq!(env.state().status, Status::Synced);
    assert!(!env.tables().contains(&"users".to_string()));
}

/// instant.dev: should fast-forward from the database
#[test]
fn fast_forward_writes_the_database_migrations() {
    let mut env = Env::with_abc();
    env.migrate(None);
    env.remove(200, "users");
    env.remove(300, "uploads");
    let project = env.project();
    let written = filesystem::fast_forward(&mut env.client, &project).unwrap();
    let names: Vec<(i64, &str)> = written.iter().map(|m| (m.id, m.name.as_str())).collect();
    assert_eq!(names, [(200, "create_users"), (300, "create_uploads")]);
    assert_eq!(env.state().status, Status::Synced);
}

/// instant.dev: should fail to fast-forward when "mismatch"
#[test]
fn fast_forward_refuses_a_mismatch() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    env.write(&create_table(200, "users", "username"));
    env.migrate(None);
    env.remove(100, "blog_posts");
    env.write(&create_table(100, "blog_posts", "content"));
    let project = env.project();
    let message = filesystem::fast_forward(&mut env.client, &project)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("\"mismatch\""), "{message}");
    assert!(
        message.contains("(id=100)") && message.contains("(id=1)"),
        "{message}"
    );
}

/// instant.dev: should fail to fast-forward when "unsynced"
#[test]
fn fast_forward_refuses_when_unsynced() {
    let mut env = Env::with_abc();
    env.migrate(None);
    env.remove(200, "users");
    let project = env.project();
    let message = filesystem::fast_forward(&mut env.client, &project)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("\"unsynced\""), "{message}");
    assert!(message.contains("(id=100)"), "{message}");
}

/// instant.dev: should fail to fast-forward when "filesystem_ahead"
#[test]
fn fast_forward_refuses_when_the_folder_is_ahead() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    env.migrate(None);
    env.write(&create_table(200, "users", "username"));
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "+ 00000000000200__create_users.json"
        ])
    );
    let project = env.project();
    let message = filesystem::fast_forward(&mut env.client, &project)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("\"filesystem_ahead\""), "{message}");
    assert!(
        message.contains("(id=200)") && message.contains("(id=100)"),
        "{message}"
    );
}

/// instant.dev: should rewind based on number of steps
#[test]
fn rewind_takes_a_number_of_steps() {
    let mut env = Env::with_abc();
    env.migrate(None);
    assert!(filesystem::rewind(&env.project(), 1).unwrap());
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "  00000000000200__create_users.json",
            "- 00000000000300__create_uploads.json"
        ])
    );
    assert!(filesystem::rewind(&env.project(), 2).unwrap());
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "- 00000000000100__create_blog_posts.json",
            "- 00000000000200__create_users.json",
            "- 00000000000300__create_uploads.json"
        ])
    );
    // The database is untouched.
    assert_eq!(env.tables(), ["blog_posts", "uploads", "users"]);
}

/// instant.dev: should rewind to a specific migration id
#[test]
fn rewind_to_a_migration_id() {
    let mut env = Env::with_abc();
    env.migrate(None);
    let message = filesystem::rewind_to(&env.project(), 105)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("(id=105)") && message.contains("not found"),
        "{message}"
    );
    assert!(filesystem::rewind_to(&env.project(), 100).unwrap());
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "- 00000000000200__create_users.json",
            "- 00000000000300__create_uploads.json"
        ])
    );
}

/// instant.dev: should filesystem.rewindSync = false when already synced
#[test]
fn rewind_sync_does_nothing_when_synced() {
    let mut env = Env::with_abc();
    env.migrate(None);
    let project = env.project();
    assert!(!filesystem::rewind_sync(&mut env.client, &project).unwrap());
}

/// instant.dev: should filesystem.rewindSync = true when not synced
#[test]
fn rewind_sync_deletes_the_files_after_the_last_common_migration() {
    let mut env = Env::with_abc();
    env.migrate(None);
    env.remove(200, "users");
    let project = env.project();
    assert!(filesystem::rewind_sync(&mut env.client, &project).unwrap());
    assert_eq!(
        env.diff(),
        lines(&[
            INITIAL,
            "  00000000000100__create_blog_posts.json",
            "- 00000000000200__create_users.json",
            "- 00000000000300__create_uploads.json"
        ])
    );
}

/// instant.dev: should create serial fields without extra params (defaults included)
#[test]
fn a_serial_id_has_no_properties() {
    let mut env = Env::initialized();
    env.write(&create_table(100, "blog_posts", "title"));
    env.migrate(None);
    assert_eq!(
        env.cache()["tables"]["blog_posts"]["columns"][0],
        json!({"name": "id", "type": "serial"})
    );
}
