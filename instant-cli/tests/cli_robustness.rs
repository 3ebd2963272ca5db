//! The `instant` binary under conditions a user does not plan for: a reader that goes away
//! (`| head -1`), control characters in names, an unreachable server, a migration slipped in
//! before applied ones, and the process killed with SIGKILL in the middle of a migration.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use instant_runtime::migrate::lock::LOCK_KEY;
use instant_runtime::pg::Client;
use instant_runtime::testing::TempDb;
use serde_json::{Value, json};

fn instant(url: &str, dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_instant"));
    command
        .args(args)
        .arg("--dir")
        .arg(dir)
        .env("DATABASE_URL", url)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

fn run(url: &str, dir: &Path, args: &[&str]) -> Output {
    instant(url, dir, args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A project folder holding `migrations` (file name, JSON) in `_instant/migrations`.
fn project(migrations: &[(String, Value)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("_instant/migrations");
    std::fs::create_dir_all(&folder).unwrap();
    for (file, migration) in migrations {
        std::fs::write(
            folder.join(file),
            serde_json::to_string_pretty(migration).unwrap(),
        )
        .unwrap();
    }
    dir
}

fn create_table(id: i64, table: &str) -> (String, Value) {
    (
        format!("{id}__create_{table}.json"),
        json!({"id": id, "name": format!("create_{table}"),
               "up": [["createTable", table, [{"name": "x", "type": "int"}]]],
               "down": [["dropTable", table]]}),
    )
}

/// Starts `instant <args>` with standard output a pipe whose reading end is closed at once,
/// as `| head -1` leaves it once `head` has its line; returns its exit status and stderr.
fn with_closed_stdout(mut command: Command) -> (std::process::ExitStatus, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap(), stderr)
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let db = TempDb::new().unwrap();
    let dir = project(&[create_table(20250101000001, "a")]);
    // The work is done whatever happens to the output.
    let (status, stderr) = with_closed_stdout(instant(db.url(), dir.path(), &["db:migrate"]));
    assert_eq!((status.code(), stderr.as_str()), (Some(0), ""));
    let mut client = db.connect().unwrap();
    assert!(table_exists(&mut client, "a"));
    for args in [&["db:ext"][..], &["db:state"], &["schema"]] {
        let (status, stderr) = with_closed_stdout(instant(db.url(), dir.path(), args));
        assert_eq!((status.code(), stderr.as_str()), (Some(0), ""), "{args:?}");
    }
    // Through a real shell pipe too.
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' db:ext --dir '{}' | head -c 1 >/dev/null; echo \"status=${{PIPESTATUS[0]}}\"",
            env!("CARGO_BIN_EXE_instant"),
            dir.path().display()
        ))
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert_eq!(
        (text(&output.stdout), text(&output.stderr)),
        ("status=0\n".to_string(), String::new())
    );
}

#[test]
fn control_characters_are_shown_as_escapes() {
    let db = TempDb::new().unwrap();
    // In an error built from a key of a migration file.
    let dir = project(&[(
        "20250101000001__bad.json".to_string(),
        json!({"id": 20250101000001_i64, "name": "bad",
               "up": [["createTable", "t", [{"name": "x", "type": "int\u{1b}[2J\r"}]]],
               "down": [["dropTable", "t"]]}),
    )]);
    let output = run(db.url(), dir.path(), &["db:migrate"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\r'),
        "{stderr:?}"
    );
    let file = dir
        .path()
        .join("_instant/migrations/20250101000001__bad.json");
    assert!(
        stderr.starts_with(&format!(
            "error: {} at up[0][2][0].type: unknown column type \"int\\u{{1b}}[2J\\u{{d}}\"; \
             expected an alias (",
            file.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with('\n') && stderr.lines().count() == 1,
        "{stderr}"
    );

    // In an argument echoed back.
    let output = run(
        db.url(),
        dir.path(),
        &["db:ext", "x\u{1b}]0;title\u{7}\u{9b}\u{202e}"],
    );
    assert_eq!(
        text(&output.stderr),
        "error: Extension \"x\\u{1b}]0;title\\u{7}\\u{9b}\\u{202e}\" is not available on \
         this server\n"
    );

    // In JSON output, as JSON escapes that parse back to the same name.
    let dir = project(&[(
        "20250101000001__create_t.json".to_string(),
        json!({"id": 20250101000001_i64, "name": "create_t",
               "up": [["createTable", "t\u{9b}\u{7f}\u{1b}", []]],
               "down": [["dropTable", "t\u{9b}\u{7f}\u{1b}"]]}),
    )]);
    let output = run(db.url(), dir.path(), &["schema"]);
    let stdout = text(&output.stdout);
    assert!(stdout.contains(r#""t\u009b\u007f\u001b": {"#), "{stdout}");
    let schema: Value = serde_json::from_str(&stdout).unwrap();
    assert!(schema["tables"]["t\u{9b}\u{7f}\u{1b}"].is_object());
}

#[test]
fn an_unreachable_server_is_one_line_naming_it() {
    let dir = project(&[]);
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");

    let output = run(&url, dir.path(), &["db:ext"]);

    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    let stderr = text(&output.stderr);
    let expected =
        format!("error: could not connect to 127.0.0.1:{port} (settings from DATABASE_URL): ");
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(
        stderr.ends_with('\n') && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(stderr.to_lowercase().contains("refused"), "{stderr}");
}

#[test]
fn a_migration_slipped_in_names_the_last_applied_one() {
    let db = TempDb::new().unwrap();
    let dir = project(&[
        create_table(20250101000001, "a"),
        create_table(20250101000003, "c"),
        create_table(20250101000004, "d"),
    ]);
    assert_eq!(
        run(db.url(), dir.path(), &["db:migrate"]).status.code(),
        Some(0)
    );
    let (file, late) = create_table(20250101000002, "b");
    std::fs::write(
        dir.path().join("_instant/migrations").join(file),
        late.to_string(),
    )
    .unwrap();

    let output = run(db.url(), dir.path(), &["db:migrate"]);

    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "error: \"filesystem_ahead\" Migration (id=20250101000002) was never applied, but the \
         database already has the later migration (id=20250101000003). Give it an id after \
         the last applied migration (id=20250101000004).\n"
    );
}

fn try_lock(client: &mut Client) -> bool {
    let got: bool = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
        .unwrap()
        .get(0);
    if got {
        client
            .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
            .unwrap();
    }
    got
}

fn table_exists(client: &mut Client, table: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
        .unwrap()
        .get(0)
}

fn history_ids(client: &mut Client) -> Vec<i64> {
    client
        .query("SELECT id FROM _instant_migrations ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// Waits until a backend of `database` runs `sql`.
fn wait_for_query(client: &mut Client, database: &str, sql: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let running: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query = $2 \
                 AND state = 'active')",
                &[&database, &sql],
            )
            .unwrap()
            .get(0);
        if running {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "instant exited before running {sql}"
        );
        assert!(Instant::now() < deadline, "{sql} never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// kill -9 during `db:migrate`: the migration in flight is not half-applied, the migration
/// lock comes free, and a new run finishes the job.
#[test]
fn kill_9_during_migrate_leaves_nothing_half_applied() {
    let db = TempDb::new().unwrap();
    let sleeper = json!({"id": 20250101000002_i64, "name": "slow",
        "up": [
            ["createTable", "before_sleep", [{"name": "x", "type": "int"}]],
            ["executeSql", "SELECT pg_sleep(5)"],
            ["createTable", "after_sleep", [{"name": "x", "type": "int"}]]
        ],
        "down": [["dropTable", "after_sleep"], ["dropTable", "before_sleep"]]});
    let dir = project(&[
        create_table(20250101000001, "first"),
        ("20250101000002__slow.json".to_string(), sleeper),
    ]);
    let mut observer = db.connect().unwrap();
    let mut child = instant(db.url(), dir.path(), &["db:migrate"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    wait_for_query(&mut observer, db.name(), "SELECT pg_sleep(5)", &mut child);
    child.kill().unwrap(); // SIGKILL
    let killed_at = Instant::now();
    assert!(!child.wait().unwrap().success());

    // Nothing of the killed migration is visible, whether or not its backend has noticed.
    assert!(table_exists(&mut observer, "first"));
    assert!(!table_exists(&mut observer, "before_sleep"));
    assert!(!table_exists(&mut observer, "after_sleep"));
    assert_eq!(history_ids(&mut observer), [20250101000001]);

    // The server releases the migration lock when the dead client's session ends.
    while !try_lock(&mut observer) {
        assert!(
            killed_at.elapsed() < Duration::from_secs(10),
            "the migration lock is still held 10 s after the kill"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let lock_free_after = killed_at.elapsed();
    // The server checks every second that the migrator is still there, so it does not wait
    // for the 5 s pg_sleep to end.
    assert!(
        lock_free_after < Duration::from_secs(3),
        "lock free only {lock_free_after:?} after the kill"
    );
    assert!(!table_exists(&mut observer, "before_sleep"));
    assert_eq!(history_ids(&mut observer), [20250101000001]);

    // A new run applies the whole migration and the database reads as synced.
    let rerun_started = Instant::now();
    let output = run(db.url(), dir.path(), &["db:migrate"]);
    let rerun = rerun_started.elapsed();
    let succeeded_after = killed_at.elapsed();
    assert_eq!(
        (output.status.code(), text(&output.stderr)),
        (Some(0), String::new())
    );
    assert!(table_exists(&mut observer, "before_sleep"));
    assert!(table_exists(&mut observer, "after_sleep"));
    assert_eq!(history_ids(&mut observer), [20250101000001, 20250101000002]);
    let state = run(db.url(), dir.path(), &["db:state"]);
    assert!(text(&state.stdout).starts_with("\"synced\""), "{state:?}");
    eprintln!(
        "kill -9 during migrate: lock free {:.2} s after the kill; re-run took {:.2} s \
         (5 s of it the migration's pg_sleep); success {:.2} s after the kill",
        lock_free_after.as_secs_f64(),
        rerun.as_secs_f64(),
        succeeded_after.as_secs_f64()
    );
}
