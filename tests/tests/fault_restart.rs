//! Fault test: the server restarts under load (issue 17).
//!
//! A private PostgreSQL cluster, started for this test alone from the machine's binaries, is
//! restarted twice (`pg_ctl restart -m fast`) while eight threads share a pool of four
//! connections, each running short queries and two-row saves in a loop. What is promised:
//!
//! - no panic, and no call that hangs: every call runs under [`Db::with_deadline`], and none
//!   takes longer than its deadline (plus scheduling slack);
//! - a call that fails ends in a connection error with a readable message (the server's
//!   "terminating connection due to administrator command", "the database system is
//!   shutting down", a refused connection …);
//! - after each restart every thread succeeds again within [`RECOVERY_BOUND`], and from then
//!   on nothing fails until the next restart;
//! - nothing is half-written: a save writes a parent and its child in one transaction, and
//!   afterwards every parent of the run has exactly its child, and every save reported as done
//!   is there.
//!
//! Then a second pool whose connections sat idle through a third restart: each stale
//! connection fails at most its first call, with a connection error, and the calls after
//! that succeed.
//!
//! The figures (recovery time per restart, errors per restart) are printed for
//! RELIABILITY.md; run with `--no-capture` to see them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use instant_runtime::testing::PrivateCluster;
use instant_runtime::{Db, Error, Model, Record, Transaction};
use instant_schema::Project;
use instant_tests::family::{children, parents};
use instant_tests::setup::fixture_dir;

/// Every call's deadline: waiting for a pooled connection, connecting and running.
const DEADLINE: Duration = Duration::from_secs(3);
/// How long a thread may take to succeed again once the server is back.
const RECOVERY_BOUND: Duration = Duration::from_secs(5);
/// Threads sharing the pool, and the pool's size.
const THREADS: usize = 8;
const POOL_SIZE: u32 = 4;
/// The load before the first restart, between the restarts and after the last one.
const STEADY: Duration = Duration::from_millis(2500);

/// A parent of the family fixture, as much of it as a save needs.
#[derive(Debug, Clone, Model)]
#[instant(table = parents)]
struct Unit {
    id: i64,
    name: String,
}

/// Its child, saved in the same transaction.
#[derive(Debug, Clone, Model)]
#[instant(table = children)]
struct Kid {
    id: i64,
    parent_id: Option<i64>,
    name: Option<String>,
}

/// One call of a worker: when it ran, and its error if it failed.
#[derive(Debug)]
struct Call {
    thread: usize,
    started: Instant,
    ended: Instant,
    error: Option<String>,
}

/// The parent and child of save `number` of `thread`: both are written or neither.
fn save_unit(db: &Db, thread: usize, number: usize) -> instant_runtime::Result<()> {
    db.with_deadline(DEADLINE, |connection| {
        let mut transaction = Transaction::begin_on(connection)?;
        let name = format!("unit-{thread}-{number}");
        let mut unit = Record::new(Unit {
            id: 0,
            name: name.clone(),
        });
        unit.save(&mut transaction)?;
        let mut kid = Record::new(Kid {
            id: 0,
            parent_id: Some(unit.id),
            name: Some(name),
        });
        kid.save(&mut transaction)?;
        transaction.commit()
    })
}

/// A short read: the units this thread has so far.
fn read_units(db: &Db, thread: usize) -> instant_runtime::Result<()> {
    db.with_deadline(DEADLINE, |connection| {
        Unit::query()
            .where_json(&serde_json::json!({"name__startswith": format!("unit-{thread}-")}))?
            .count(connection)
            .map(drop)
    })
}

/// Whether an error is what a restart may cause: the connection lost or refused, or the
/// server saying it is going down or not up yet. Anything else (a wrong answer, a decoding
/// error) is a failure of the test.
fn is_connection_error(error: &Error) -> bool {
    const CAUSES: &[&str] = &[
        "terminating connection due to administrator command",
        "the database system is shutting down",
        "the database system is starting up",
        "connection closed",
        "Connection refused",
        "Connection reset",
        "Broken pipe",
        "no connection to the",
    ];
    matches!(error, Error::Database(_) | Error::Connection { .. })
        && CAUSES.iter().any(|cause| error.to_string().contains(cause))
}

#[test]
fn the_pool_recovers_from_server_restarts_under_load_with_nothing_half_written() {
    let began = Instant::now();
    let cluster = PrivateCluster::start().expect("a private cluster starts");
    let mut client = instant_runtime::pg::Client::connect(&cluster.url()).expect("connects");
    let project = Project::load(Path::new(&fixture_dir("family"))).expect("the fixture loads");
    instant_runtime::migrate::apply_pending(&mut client, &project).expect("the fixture migrates");
    drop(client);
    let db = Db::builder()
        .url(cluster.url())
        .pool_size(POOL_SIZE)
        .connect_timeout(Duration::from_secs(2))
        .connect()
        .expect("a pool on the cluster");

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..THREADS)
        .map(|thread| {
            let db = db.clone();
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                let mut calls = Vec::new();
                // The saves reported as done: they must all be there at the end.
                let mut saved = Vec::new();
                let mut number = 0;
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    let result = if number % 2 == 0 {
                        save_unit(&db, thread, number).map(|()| saved.push(number))
                    } else {
                        read_units(&db, thread)
                    };
                    let ended = Instant::now();
                    let error = match result {
                        Ok(()) => None,
                        Err(error) => {
                            assert!(
                                is_connection_error(&error),
                                "thread {thread}: not a connection error: {error:?}"
                            );
                            // Not too busy a loop while the server is down.
                            thread::sleep(Duration::from_millis(20));
                            Some(error.to_string())
                        }
                    };
                    calls.push(Call {
                        thread,
                        started,
                        ended,
                        error,
                    });
                    number += 1;
                }
                (calls, saved)
            })
        })
        .collect();

    // The restarts: when each began and when the server was back.
    let mut restarts = Vec::new();
    thread::sleep(STEADY);
    for _ in 0..2 {
        let begun = Instant::now();
        cluster.restart().expect("the server restarts");
        restarts.push((begun, Instant::now()));
        thread::sleep(STEADY);
    }
    stop.store(true, Ordering::Relaxed);

    let mut calls = Vec::new();
    let mut saved = Vec::new();
    for (thread, worker) in workers.into_iter().enumerate() {
        let (thread_calls, thread_saved) = worker
            .join()
            .unwrap_or_else(|_| panic!("worker {thread} panicked"));
        calls.extend(thread_calls);
        saved.extend(thread_saved.into_iter().map(|number| (thread, number)));
    }

    // No call outlived its deadline.
    let longest = calls
        .iter()
        .map(|call| call.ended - call.started)
        .max()
        .expect("calls ran");
    assert!(
        longest < DEADLINE + Duration::from_secs(1),
        "a call took {longest:?}, beyond its deadline of {DEADLINE:?}"
    );

    for (index, (begun, back)) in restarts.iter().enumerate() {
        // The calls that ended between this restart's beginning and the next one's: a call
        // cut by the next restart counts there.
        let until = restarts
            .get(index + 1)
            .map_or_else(
                || calls.iter().map(|call| call.ended).max(),
                |next| Some(next.0),
            )
            .expect("calls ran");
        let window: Vec<&Call> = calls
            .iter()
            .filter(|call| call.ended >= *begun && call.ended < until)
            .collect();
        let mut messages: BTreeMap<&str, usize> = BTreeMap::new();
        for call in &window {
            if let Some(error) = &call.error {
                *messages.entry(error.as_str()).or_default() += 1;
            }
        }
        // Per thread: its first success among the calls begun once the server was back.
        let mut recoveries = Vec::new();
        for thread in 0..THREADS {
            let first_ok = window
                .iter()
                .filter(|call| call.thread == thread && call.started >= *back)
                .find(|call| call.error.is_none())
                .unwrap_or_else(|| {
                    panic!(
                        "thread {thread} never succeeded after restart {}",
                        index + 1
                    )
                });
            let recovery = first_ok.ended - *back;
            assert!(
                recovery < RECOVERY_BOUND,
                "thread {thread} took {recovery:?} to succeed after restart {}",
                index + 1
            );
            recoveries.push(recovery);
            // From then on, nothing fails until the next restart.
            let later_failure = window
                .iter()
                .filter(|call| call.thread == thread && call.started >= first_ok.ended)
                .find(|call| call.error.is_some());
            assert!(
                later_failure.is_none(),
                "thread {thread} failed again after recovering from restart {}: {later_failure:?}",
                index + 1
            );
        }
        // The last failure, from when the server was back (zero: none after).
        let settled = window
            .iter()
            .filter(|call| call.error.is_some())
            .map(|call| call.ended.saturating_duration_since(*back))
            .max()
            .unwrap_or_default();
        let errors: usize = messages.values().sum();
        println!(
            "restart {}: pg_ctl restart took {:?}; {} calls, {errors} errors; first success per \
             thread after the server was back: max {:?}, {:?}; last error {settled:?} after it; \
             messages: {messages:#?}",
            index + 1,
            *back - *begun,
            window.len(),
            recoveries.iter().max().expect("threads ran"),
            recoveries,
        );
    }

    // Nothing half-written: every unit has exactly its child, and every save reported as done
    // is there.
    let rows = db
        .query(
            "SELECT p.name, count(c.id) FROM parents p LEFT JOIN children c \
             ON c.parent_id = p.id AND c.name = p.name WHERE p.name LIKE 'unit-%' GROUP BY p.name",
            &[],
        )
        .expect("the check runs");
    let units: BTreeMap<String, i64> = rows
        .iter()
        .map(|row| (row.get::<_, String>(0), row.get::<_, i64>(1)))
        .collect();
    let incomplete: Vec<(&String, &i64)> = units
        .iter()
        .filter(|(_, children)| **children != 1)
        .collect();
    assert!(incomplete.is_empty(), "half-written units: {incomplete:?}");
    let orphans: i64 = db
        .query(
            "SELECT count(*) FROM children c WHERE c.name LIKE 'unit-%' AND NOT EXISTS \
             (SELECT 1 FROM parents p WHERE p.id = c.parent_id AND p.name = c.name)",
            &[],
        )
        .expect("the check runs")[0]
        .get(0);
    assert_eq!(orphans, 0, "children without their parent");
    let missing: Vec<String> = saved
        .iter()
        .map(|(thread, number)| format!("unit-{thread}-{number}"))
        .filter(|name| !units.contains_key(name))
        .collect();
    assert!(
        missing.is_empty(),
        "saves reported done but absent: {missing:?}"
    );
    let failed_saves = calls.iter().filter(|call| call.error.is_some()).count();
    println!(
        "{} calls, {} saves done, {} units in the table, {failed_saves} failed calls; whole test {:?}",
        calls.len(),
        saved.len(),
        units.len(),
        began.elapsed()
    );

    // A pool whose connections sat idle through a restart: each may fail its first call
    // (the server's goodbye is read only then), with a connection error; the calls after
    // that succeed.
    let idle = Db::builder()
        .url(cluster.url())
        .pool_size(POOL_SIZE)
        .connect_timeout(Duration::from_secs(2))
        .connect()
        .expect("a second pool");
    let held: Vec<_> = (0..POOL_SIZE)
        .map(|_| idle.connection().expect("a pooled connection"))
        .collect();
    drop(held);
    cluster.restart().expect("the server restarts");
    let select_one = || {
        idle.with_deadline(DEADLINE, |connection| {
            connection.query_one("SELECT 1", &[]).map(drop)
        })
    };
    let mut stale = Vec::new();
    for _ in 0..=POOL_SIZE {
        if let Err(error) = select_one() {
            assert!(
                is_connection_error(&error),
                "not a connection error: {error:?}"
            );
            stale.push(error.to_string());
        }
    }
    assert!(stale.len() <= POOL_SIZE as usize, "{stale:?}");
    for _ in 0..POOL_SIZE {
        select_one().expect("every call succeeds once the stale connections are gone");
    }
    println!(
        "idle pool of {POOL_SIZE} through a restart: {} of the next {} calls failed: {stale:?}",
        stale.len(),
        POOL_SIZE + 1
    );
    assert!(
        began.elapsed() < Duration::from_secs(20),
        "took {:?}",
        began.elapsed()
    );
}
