//! The lifecycle commands run as a user runs them: `db:state`, `db:migrate --steps`,
//! `db:rollback`, `db:rollbackSync`, `fs:*`, `db:bootstrap`, `db:ext`, several `db:migrate` at
//! once, and a migration that fails halfway.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use instant_runtime::testing::TempDb;

fn fixture(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures")).join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn blog_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    copy_dir(
        &fixture("blog").join("_instant"),
        &copy.path().join("_instant"),
    );
    std::fs::remove_file(copy.path().join("_instant/cache/schema.json")).unwrap();
    copy
}

/// Runs `instant <args> --dir <dir>` against `db`, stdin closed (a script).
fn run(db: &TempDb, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_instant"))
        .args(args)
        .arg("--dir")
        .arg(dir)
        .env("DATABASE_URL", db.url())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn failure(output: &Output) -> String {
    assert!(!output.status.success());
    let message = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(message.starts_with("error: "), "{message}");
    message
}

/// The diff lines of `db:state` (everything after the status line, without the hint).
fn diff(output: &str) -> Vec<String> {
    output
        .lines()
        .skip(1)
        .filter(|line| line.ends_with(".json"))
        .map(str::to_string)
        .collect()
}

const FILES: [&str; 10] = [
    "00000000000001__initial_migration.json",
    "20250101000001__create_users.json",
    "20250101000002__create_posts.json",
    "20250101000003__create_comments.json",
    "20250101000004__add_foreign_key_on_posts_column_user_id.json",
    "20250101000005__add_comment_foreign_keys.json",
    "20250101000006__add_post_indices.json",
    "20250101000007__rename_users_column_bio_to_biography.json",
    "20250101000008__alter_posts_column_title.json",
    "20250101000009__add_posts_column_slug.json",
];

fn expected_diff(prefixes: &[&str]) -> Vec<String> {
    FILES
        .iter()
        .zip(prefixes)
        .map(|(file, prefix)| format!("{prefix}{file}"))
        .collect()
}

#[test]
fn state_migrate_steps_and_rollback() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let dir = copy.path();

    // No history table yet: db:state says how to get one.
    let message = failure(&run(&db, dir, &["db:state"]));
    assert!(message.contains("db:prepare"), "{message}");

    ok(&run(&db, dir, &["db:prepare"]));
    let state = ok(&run(&db, dir, &["db:state"]));
    assert!(state.starts_with("\"filesystem_ahead\""), "{state}");
    assert!(
        !state.contains('\x1b'),
        "no colors when not a terminal: {state}"
    );
    assert_eq!(diff(&state), expected_diff(&["+ "; 10]));

    let migrated = ok(&run(&db, dir, &["db:migrate", "--steps", "3"]));
    assert!(
        migrated.contains("applied 20250101000002__create_posts.json"),
        "{migrated}"
    );
    let state = ok(&run(&db, dir, &["db:state"]));
    let mut prefixes = vec!["  "; 3];
    prefixes.extend(["+ "; 7]);
    assert_eq!(diff(&state), expected_diff(&prefixes));

    ok(&run(&db, dir, &["db:migrate"]));
    let state = ok(&run(&db, dir, &["db:state"]));
    assert!(state.starts_with("\"synced\""), "{state}");
    assert_eq!(diff(&state), expected_diff(&["  "; 10]));

    let rolled = ok(&run(&db, dir, &["db:rollback", "--steps", "2"]));
    assert!(
        rolled.contains("rolled back 20250101000009__add_posts_column_slug.json"),
        "{rolled}"
    );
    let state = ok(&run(&db, dir, &["db:state"]));
    let mut prefixes = vec!["  "; 8];
    prefixes.extend(["+ "; 2]);
    assert_eq!(diff(&state), expected_diff(&prefixes));

    ok(&run(&db, dir, &["db:rollback", "--to", "20250101000005"]));
    let state = ok(&run(&db, dir, &["db:state"]));
    assert_eq!(diff(&state)[5], format!("  {}", FILES[5]));
    assert_eq!(diff(&state)[6], format!("+ {}", FILES[6]));

    let message = failure(&run(&db, dir, &["db:rollback", "--to", "105"]));
    assert!(
        message.contains("(id=105)") && message.contains("not found"),
        "{message}"
    );

    ok(&run(&db, dir, &["db:migrate"]));
    std::fs::remove_file(dir.join("_instant/migrations").join(FILES[8])).unwrap();
    let message = failure(&run(&db, dir, &["db:migrate"]));
    assert!(message.starts_with("error: \"unsynced\""), "{message}");
    ok(&run(&db, dir, &["db:rollbackSync"]));
    let state = ok(&run(&db, dir, &["db:state"]));
    assert!(state.starts_with("\"filesystem_ahead\""), "{state}");
    ok(&run(&db, dir, &["db:migrate"]));
}

#[test]
fn rewind_and_fast_forward() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let dir = copy.path();
    ok(&run(&db, dir, &["db:migrate"]));
    let migrations = dir.join("_instant/migrations");
    let last = std::fs::read_to_string(migrations.join(FILES[9])).unwrap();

    let rewound = ok(&run(&db, dir, &["fs:rewind", "--steps", "2"]));
    assert!(
        rewound.contains(&format!("removed {}", FILES[9])),
        "{rewound}"
    );
    assert!(!migrations.join(FILES[8]).exists());
    let state = ok(&run(&db, dir, &["db:state"]));
    assert!(state.starts_with("\"database_ahead\""), "{state}");
    assert_eq!(diff(&state)[9], format!("- {}", FILES[9]));

    let written = ok(&run(&db, dir, &["fs:fastForward"]));
    assert!(
        written.contains(&format!("wrote {}", FILES[8])),
        "{written}"
    );
    // The file comes back as instant.dev wrote it.
    assert_eq!(
        std::fs::read_to_string(migrations.join(FILES[9])).unwrap(),
        last
    );
    let state = ok(&run(&db, dir, &["db:state"]));
    assert!(state.starts_with("\"synced\""), "{state}");

    std::fs::remove_file(migrations.join(FILES[7])).unwrap();
    let message = failure(&run(&db, dir, &["fs:fastForward"]));
    assert!(message.contains("\"unsynced\""), "{message}");
    ok(&run(&db, dir, &["fs:rewindSync"]));
    assert!(!migrations.join(FILES[8]).exists());
    assert!(migrations.join(FILES[6]).exists());
}

#[test]
fn concurrent_migrate_processes_apply_each_migration_once() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_instant"))
                .args(["db:migrate", "--dir"])
                .arg(copy.path())
                .env("DATABASE_URL", db.url())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<String> = children
        .into_iter()
        .map(|child| ok(&child.wait_with_output().unwrap()))
        .collect();
    let applied: usize = outputs
        .iter()
        .map(|out| out.lines().filter(|l| l.starts_with("applied ")).count())
        .sum();
    assert_eq!(applied, FILES.len(), "{outputs:?}");
    let up_to_date = outputs
        .iter()
        .filter(|out| out.starts_with("Already up to date"))
        .count();
    assert!(up_to_date >= 1, "{outputs:?}");
}

#[test]
fn a_migration_failing_halfway_leaves_nothing_applied() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let dir = copy.path();
    ok(&run(&db, dir, &["db:migrate"]));
    let cache = std::fs::read_to_string(dir.join("_instant/cache/schema.json")).unwrap();
    std::fs::write(
        dir.join("_instant/migrations/20250101000010__half.json"),
        serde_json::to_string_pretty(&serde_json::json!({
            "id": 20250101000010_i64, "name": "half",
            "up": [["createTable", "notes", [{"name": "body", "type": "text"}]],
                   ["executeSql", "INSERT INTO notes (body) VALUES ('x')"],
                   ["executeSql", "SELECT 1/0"]],
            "down": [["dropTable", "notes"]]
        }))
        .unwrap(),
    )
    .unwrap();
    let message = failure(&run(&db, dir, &["db:migrate"]));
    assert!(
        message.contains("20250101000010__half.json (id=20250101000010), up[2] executeSql")
            && message.contains("division by zero"),
        "{message}"
    );
    let mut client = db.connect().unwrap();
    let notes = client
        .query_one("SELECT to_regclass('public.notes') IS NULL", &[])
        .unwrap();
    assert!(
        notes.get::<_, bool>(0),
        "the table of the failed migration is gone"
    );
    let last = client
        .query_one("SELECT max(id) FROM _instant_migrations", &[])
        .unwrap();
    assert_eq!(last.get::<_, Option<i64>>(0), Some(20250101000009));
    assert_eq!(
        std::fs::read_to_string(dir.join("_instant/cache/schema.json")).unwrap(),
        cache
    );
    let state = ok(&run(&db, dir, &["db:state"]));
    assert!(state.starts_with("\"filesystem_ahead\""), "{state}");
}

/// instant.dev: should fail to access Dangerous mode before being enabled
///
/// instant.dev gates its destructive operations behind `enableDangerous()`; the CLI gates
/// them behind a prompt, or `--yes` outside a terminal.
#[test]
fn bootstrap_needs_yes_in_scripts() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let dir = copy.path();
    // instant.dev: Dangerous mode must be enabled first; here, --yes outside a terminal.
    let message = failure(&run(&db, dir, &["db:bootstrap"]));
    assert!(message.contains("--yes"), "{message}");

    let out = ok(&run(&db, dir, &["db:bootstrap", "--yes"]));
    assert!(out.contains("applied 10 migrations"), "{out}");
    assert!(out.contains("Seeded 8 entries:"), "{out}");
    assert!(out.contains(" + \"posts\" (x3)"), "{out}");
    let state = ok(&run(&db, dir, &["db:state"]));
    assert!(state.starts_with("\"synced\""), "{state}");
    ok(&run(&db, dir, &["db:forget"]));
    failure(&run(&db, dir, &["db:state"]));
}

#[test]
fn db_seed_loads_the_seed_and_a_bad_seed_keeps_nothing_of_its_element() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let dir = copy.path();
    ok(&run(&db, dir, &["db:migrate"]));
    let out = ok(&run(&db, dir, &["db:seed"]));
    assert!(out.starts_with("Seeded 8 entries:"), "{out}");
    assert!(out.contains(" + \"comments\" (x3)"), "{out}");

    std::fs::write(
        dir.join("_instant/seed.json"),
        r#"[{"users": [{"email": "new@example.com", "username": "new"}]},
            {"posts": [{"user_id": 1, "title": "ok"}, {"user_id": 1, "tags": "x"}]}]"#,
    )
    .unwrap();
    let message = failure(&run(&db, dir, &["db:seed"]));
    assert!(message.contains("seed[1][\"posts\"]"), "{message}");
    let mut client = db.connect().unwrap();
    let mut count = |sql: &str| -> i64 { client.query_one(sql, &[]).unwrap().get(0) };
    assert_eq!(count("SELECT count(*) FROM users"), 3, "element 0 stays");
    assert_eq!(
        count("SELECT count(*) FROM posts"),
        3,
        "nothing of element 1"
    );
}

#[test]
fn extensions_from_the_command_line() {
    let db = TempDb::new().unwrap();
    let copy = blog_copy();
    let dir = copy.path();
    let listed = ok(&run(&db, dir, &["db:ext"]));
    assert!(
        listed.lines().any(|l| l.starts_with("vector (available")),
        "{listed}"
    );
    let enabled = ok(&run(&db, dir, &["db:ext", "vector", "--enable"]));
    assert!(enabled.starts_with("vector (installed"), "{enabled}");
    let disabled = ok(&run(&db, dir, &["db:ext", "vector", "--disable"]));
    assert!(disabled.starts_with("vector (available"), "{disabled}");
    let message = failure(&run(&db, dir, &["db:ext", "nope", "--enable"]));
    assert!(
        message.contains("Extension \"nope\" is not available to create"),
        "{message}"
    );
}
