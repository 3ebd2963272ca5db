//! Client instructions per operation of the diesel suite, for callgrind: times on this shared
//! 2-core machine move with whatever else runs, instruction counts do not.
//!
//! ```sh
//! scripts/with-postgres.sh valgrind --tool=callgrind --toggle-collect='instructions::measured' \
//!   target/release/examples/instructions medium instant 1000
//! ```
//!
//! `<benchmark>` is `trivial_1`, `trivial_100`, `trivial_10000`, `medium_1`, `medium_10000`,
//! `associations`, `insert_1` or `insert_100`; `<side>` is `raw`, `raw_instant_pg` (the same
//! code on instant's driver), `instant` or (for the reads) `instant_dynamic`. The data are the suite's; the operation
//! runs once untimed (statements prepared, caches warm), then `<runs>` times inside
//! [`measured`], the only function callgrind counts with `--toggle-collect`: divide its
//! instructions by the runs. `scripts/instructions.sh` does all of it for every benchmark.

use std::hint::black_box;
use std::process::ExitCode;

use instant_benchmarks::diesel_bench::{User, posts, users};
use instant_benchmarks::diesel_suite::{
    self, INSERTED_HAIR_COLOR, RawSuite, on_instant_pg, user_name,
};
use instant_benchmarks::dynamic::{self, DynamicSuite};
use instant_benchmarks::fixture::{DIESEL_BENCH_PROJECT, Fixture};
use instant_runtime::query::ColumnExt;
use instant_runtime::{Db, Model, Records};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [benchmark, side, runs] = args.as_slice() else {
        eprintln!("usage: instructions <benchmark> <raw|raw_instant_pg|instant> <runs>");
        return ExitCode::FAILURE;
    };
    let Ok(runs) = runs.parse::<usize>() else {
        eprintln!("runs must be a number, not {runs:?}");
        return ExitCode::FAILURE;
    };
    match run(benchmark, side, runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

type Operation<'a> = Box<dyn FnMut() -> usize + 'a>;

fn run(benchmark: &str, side: &str, runs: usize) -> Result<(), Box<dyn std::error::Error>> {
    let fixture = Fixture::migrated(DIESEL_BENCH_PROJECT)?;
    let mut admin = fixture.client()?;
    match benchmark {
        "trivial_1" => diesel_suite::seed_users(&mut admin, 1, false)?,
        "trivial_100" => diesel_suite::seed_users(&mut admin, 100, false)?,
        "trivial_10000" => diesel_suite::seed_users(&mut admin, 10_000, false)?,
        "medium_1" => diesel_suite::seed_users(&mut admin, 1, true)?,
        "medium_10000" => diesel_suite::seed_users(&mut admin, 10_000, true)?,
        "associations" => diesel_suite::seed_associations(&mut admin, 100)?,
        "insert_1" | "insert_100" => {}
        other => return Err(format!("unknown benchmark {other:?}").into()),
    }
    let db = fixture.db();
    let mut raw = RawSuite::prepare(fixture.client()?)?;
    let mut raw_pg =
        on_instant_pg::RawSuite::prepare(instant_runtime::pg::Client::connect(fixture.url())?)?;
    let dynamic = &DynamicSuite::new("black");
    let operation: Operation<'_> = match (benchmark.split('_').next(), side) {
        (Some("trivial"), "raw") => {
            Box::new(|| raw.all_users().map(|rows| rows.len()).unwrap_or(0))
        }
        (Some("trivial"), "raw_instant_pg") => {
            Box::new(|| raw_pg.all_users().map(|rows| rows.len()).unwrap_or(0))
        }
        (Some("trivial"), "instant") => Box::new(|| trivial(db)),
        (Some("medium"), "raw") => Box::new(|| {
            raw.users_with_posts("black")
                .map(|rows| rows.len())
                .unwrap_or(0)
        }),
        (Some("medium"), "raw_instant_pg") => Box::new(|| {
            raw_pg
                .users_with_posts("black")
                .map(|rows| rows.len())
                .unwrap_or(0)
        }),
        (Some("medium"), "instant") => Box::new(|| medium(db)),
        (Some("associations"), "raw") => Box::new(|| {
            raw.users_with_posts_and_comments()
                .map(|rows| rows.len())
                .unwrap_or(0)
        }),
        (Some("associations"), "raw_instant_pg") => Box::new(|| {
            raw_pg
                .users_with_posts_and_comments()
                .map(|rows| rows.len())
                .unwrap_or(0)
        }),
        (Some("associations"), "instant") => Box::new(|| associations(db)),
        (Some("trivial"), "instant_dynamic") => {
            Box::new(move || dynamic_users(dynamic.all_users(db)))
        }
        (Some("medium"), "instant_dynamic") => {
            Box::new(move || dynamic_users(dynamic.users_with_posts(db)))
        }
        (Some("associations"), "instant_dynamic") => {
            Box::new(move || dynamic_users(dynamic.users_with_posts_and_comments(db)))
        }
        (Some("insert"), "raw") => {
            let size = insert_size(benchmark);
            Box::new(move || raw.insert_users(size).map_or(0, |rows| rows as usize))
        }
        (Some("insert"), "raw_instant_pg") => {
            let size = insert_size(benchmark);
            Box::new(move || raw_pg.insert_users(size).map_or(0, |rows| rows as usize))
        }
        (Some("insert"), "instant") => {
            let size = insert_size(benchmark);
            Box::new(move || insert(db, size))
        }
        _ => return Err(format!("unknown side {side:?}").into()),
    };
    let mut operation = operation;
    let expected = operation();
    if expected == 0 {
        return Err("the operation returned no rows".into());
    }
    let returned = measured(&mut operation, runs);
    if returned != expected * runs {
        return Err(format!("expected {expected} rows per run, got {returned} in all").into());
    }
    Ok(())
}

/// Runs `operation` `runs` times: the function callgrind counts.
#[inline(never)]
fn measured(operation: &mut Operation<'_>, runs: usize) -> usize {
    (0..runs).map(|_| black_box(operation())).sum()
}

/// How many users a dynamic query's result holds.
fn dynamic_users(result: instant_runtime::Result<serde_json::Value>) -> usize {
    result.map_or(0, |result| dynamic::users(&result).len())
}

fn insert_size(benchmark: &str) -> usize {
    if benchmark == "insert_100" { 100 } else { 1 }
}

fn trivial(db: &Db) -> usize {
    User::query().select(db).map(|rows| rows.len()).unwrap_or(0)
}

fn medium(db: &Db) -> usize {
    User::query()
        .filter(users::hair_color.eq("black"))
        .join(users::relations::posts)
        .select(db)
        .map(|rows| rows.len())
        .unwrap_or(0)
}

fn associations(db: &Db) -> usize {
    User::query()
        .join_with(users::relations::posts, |posts| {
            posts.join(posts::relations::comments)
        })
        .select(db)
        .map(|rows| rows.len())
        .unwrap_or(0)
}

fn insert(db: &Db, size: usize) -> usize {
    let mut records = Records::from_models((0..size).map(|i| User {
        id: 0,
        name: user_name(i),
        hair_color: Some(INSERTED_HAIR_COLOR.to_string()),
    }));
    records.save_all(db).map_or(0, |saved| saved.len())
}
