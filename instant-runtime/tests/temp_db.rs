//! Temporary databases: unique, usable, gone after `Drop`, and a private cluster that never
//! outlives its process.

use std::process::Command;
use std::time::{Duration, Instant};

use instant_runtime::testing::TempDb;

fn database_exists(client: &mut instant_runtime::pg::Client, name: &str) -> bool {
    client
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname = $1",
            &[&name],
        )
        .unwrap()
        .get::<_, i64>(0)
        == 1
}

#[test]
fn drop_removes_the_database_even_with_open_connections() {
    let observer = TempDb::new().unwrap();
    let mut admin = observer.connect().unwrap();
    let db = TempDb::new().unwrap();
    let name = db.name().to_string();
    assert!(name.starts_with("instant_test_"));
    assert!(db.url().ends_with(&format!("/{name}")));
    let mut open = db.connect().unwrap();
    open.batch_execute("CREATE TABLE notes (body text)")
        .unwrap();
    assert!(database_exists(&mut admin, &name));

    drop(db);

    assert!(!database_exists(&mut admin, &name));
    assert!(
        open.batch_execute("SELECT 1").is_err(),
        "its connections are terminated"
    );
}

#[test]
fn names_are_unique() {
    let a = TempDb::new().unwrap();
    let b = TempDb::new().unwrap();
    assert_ne!(a.name(), b.name());
}

#[test]
fn with_vector_enables_pgvector() {
    let db = TempDb::with_vector().unwrap();
    let mut client = db.connect().unwrap();
    let distance: f64 = client
        .query_one("SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector", &[])
        .unwrap()
        .get(0);
    assert_eq!(distance, 1.0);
}

/// Run by [`private_cluster_is_stopped_when_the_process_ends`] in a child process without
/// `DATABASE_URL`; prints the temporary database's URL.
#[test]
#[ignore = "run as a child process by private_cluster_is_stopped_when_the_process_ends"]
fn private_cluster_child() {
    let db = TempDb::new().unwrap();
    db.connect().unwrap().batch_execute("SELECT 1").unwrap();
    println!("URL={}", db.url());
}

#[test]
fn private_cluster_is_stopped_when_the_process_ends() {
    if !std::path::Path::new("/usr/lib/postgresql/15/bin/pg_ctl").exists() {
        eprintln!("skipped: no PostgreSQL binaries");
        return;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "private_cluster_child",
            "--ignored",
            "--nocapture",
        ])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let url = stdout
        .lines()
        .find_map(|line| line.split_once("URL=").map(|(_, url)| url.to_string()))
        .unwrap();
    assert!(url.starts_with("postgres://postgres@127.0.0.1:"), "{url}");
    let admin = url.rsplit_once('/').unwrap().0.to_string() + "/postgres";
    let deadline = Instant::now() + Duration::from_secs(15);
    while instant_runtime::pg::Client::connect(&admin).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the private cluster at {admin} is still running"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
