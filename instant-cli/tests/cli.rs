//! The `instant` binary run as a user runs it: output on stdout, one `error:` line on stderr
//! and a non-zero exit on bad input, and `db:migrate` against a real database.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use instant_runtime::testing::TempDb;
use instant_schema::Project;
use serde_json::Value;

const FIXTURES: &[&str] = &["blog", "family", "auth", "types"];

fn fixture(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures")).join(name)
}

fn instant(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_instant"));
    command.args(args);
    command
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn read_json(path: impl AsRef<Path>) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A copy of a fixture's `_instant/` (db:migrate writes the schema cache into it).
fn copy_of(name: &str) -> tempfile::TempDir {
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
    let copy = tempfile::tempdir().unwrap();
    copy_dir(
        &fixture(name).join("_instant"),
        &copy.path().join("_instant"),
    );
    std::fs::remove_file(copy.path().join("_instant/cache/schema.json")).unwrap();
    copy
}

fn history(url: &str) -> Value {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let rows = client
        .query(
            "SELECT id, name, commands, schema FROM _instant_migrations ORDER BY id",
            &[],
        )
        .unwrap();
    rows.iter()
        .map(|row| {
            serde_json::json!({
                "id": row.get::<_, i64>(0),
                "name": row.get::<_, Option<String>>(1),
                "commands": row.get::<_, Option<Value>>(2),
                "schema": row.get::<_, Option<Value>>(3),
            })
        })
        .collect()
}

#[test]
fn schema_equals_the_cache_instant_dev_wrote() {
    for name in FIXTURES {
        let dir = fixture(name);
        let output = instant(&["schema", "--dir", dir.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(
            printed,
            read_json(dir.join("_instant/cache/schema.json")),
            "{name}"
        );
    }
}

#[test]
fn schema_runs_in_the_project_directory_by_default() {
    let output = instant(&["schema"])
        .current_dir(fixture("blog"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("{\n  \"migration_id\": 20250101000009,"));
}

#[test]
fn a_bad_project_is_one_error_line_and_a_failure() {
    let dir = fixture("invalid/unknown-table");
    let output = instant(&["schema", "--dir", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert_eq!(stdout(&output), "");
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with("error: "), "{message}");
    assert!(
        message
            .contains("20250101000002__migration.json at up[0][1]: table \"userz\" does not exist"),
        "{message}"
    );

    for command in ["codegen", "db:migrate"] {
        let output = instant(&[command, "--dir", dir.to_str().unwrap()])
            .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
            .output()
            .unwrap();
        assert!(!output.status.success(), "{command}");
        assert!(stderr(&output).contains("table \"userz\""), "{command}");
    }
}

#[test]
fn codegen_prints_the_generated_models() {
    let dir = fixture("family");
    let output = instant(&["codegen", "--dir", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let project = Project::load(&dir).unwrap();
    let expected =
        instant_codegen::generate_project(&project, &instant_codegen::Options::default()).unwrap();
    assert_eq!(stdout(&output).trim_end(), expected.trim_end());
    assert!(stdout(&output).contains("pub struct Parent {"));
}

#[test]
fn db_migrate_stores_what_instant_dev_stores() {
    for name in ["blog", "types"] {
        let db = if name == "types" {
            TempDb::with_vector().unwrap()
        } else {
            TempDb::new().unwrap()
        };
        let copy = copy_of(name);
        let dir = copy.path().to_str().unwrap();

        let output = instant(&["db:migrate", "--dir", dir])
            .env("DATABASE_URL", db.url())
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        let printed = stdout(&output);
        let project = Project::load(copy.path()).unwrap();
        for (_, migration) in &project.migrations {
            assert!(
                printed.contains(&format!("applied {}", migration.filename())),
                "{name}: {printed}"
            );
        }
        assert_eq!(
            history(db.url()),
            read_json(fixture(name).join("expected/instant_migrations.json")),
            "{name}: _instant_migrations"
        );
        assert_eq!(
            read_json(copy.path().join("_instant/cache/schema.json")),
            read_json(fixture(name).join("_instant/cache/schema.json")),
            "{name}: the schema cache"
        );

        let again = instant(&["db:migrate", "--dir", dir])
            .env("DATABASE_URL", db.url())
            .output()
            .unwrap();
        assert!(again.status.success(), "{}", stderr(&again));
        assert!(
            stdout(&again).starts_with("Already up to date"),
            "{}",
            stdout(&again)
        );
    }
}

#[test]
fn db_migrate_reads_db_json_when_database_url_is_unset() {
    let db = TempDb::new().unwrap();
    let config: postgres::Config = db.url().parse().unwrap();
    let host = match &config.get_hosts()[0] {
        postgres::config::Host::Tcp(host) => host.clone(),
        other => panic!("unexpected host {other:?}"),
    };
    let copy = copy_of("auth");
    // fixtures/auth/_instant/db.json names {{ MAIN_DATABASE_* }} placeholders for `test`.
    let output = instant(&["db:migrate", "--env", "test", "--dir"])
        .arg(copy.path())
        .env_remove("DATABASE_URL")
        .env("MAIN_DATABASE_HOST", host)
        .env("MAIN_DATABASE_PORT", config.get_ports()[0].to_string())
        .env("MAIN_DATABASE_USER", config.get_user().unwrap())
        .env("MAIN_DATABASE_PASSWORD", "")
        .env("MAIN_DATABASE_DATABASE", config.get_dbname().unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        history(db.url()),
        read_json(fixture("auth").join("expected/instant_migrations.json"))
    );
}

#[test]
fn db_migrate_without_configuration_says_what_is_missing() {
    let copy = copy_of("blog");
    let output = instant(&["db:migrate", "--dir"])
        .arg(copy.path())
        .env_remove("DATABASE_URL")
        .env_remove("MAIN_DATABASE_HOST")
        .env_remove("INSTANT_ENV")
        .env_remove("NODE_ENV")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains("db.json at development.main.host: No environment variable matching \"MAIN_DATABASE_HOST\" found"),
        "{message}"
    );
}
