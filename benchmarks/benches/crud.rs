//! instant against the raw `postgres` driver on the four basic operations: find by id, insert
//! one, insert 100, select 100. One criterion group per operation; `raw` and `instant` are
//! measured in the same run on the same server, so their ratio is meaningful. What each does
//! and why is in `BENCHMARKS.md`; run it with `scripts/bench.sh`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use instant_benchmarks::blog::User;
use instant_benchmarks::fixture::{Fixture, Users};
use instant_benchmarks::raw::RawUsers;
use instant_runtime::{Model, Records};

/// Users in the table for the read benchmarks.
const SEEDED: usize = 1_000;
/// Rows per multi-row insert, and per select.
const BATCH: usize = 100;

/// Everything one group needs: its own temporary database, the ORM pool on it, the baseline's
/// connection with its statements prepared, and a factory of unique users.
struct Setup {
    fixture: Fixture,
    raw: RawUsers,
    users: Users,
}

impl Setup {
    fn new() -> Setup {
        let fixture = Fixture::new().expect("a temporary database with the blog schema");
        let client = fixture.client().expect("a connection for the baseline");
        let raw = RawUsers::prepare(client, BATCH).expect("the baseline's statements");
        Setup {
            fixture,
            raw,
            users: Users::new(),
        }
    }

    /// Fills `users` with [`SEEDED`] rows; their ids.
    fn seeded(&mut self) -> Vec<i64> {
        self.fixture
            .seed_users(&mut self.users, SEEDED)
            .expect("seeded users")
    }

    /// Empties `users` before a sample's timed loop, so every sample of every function
    /// inserts into a table that starts empty (see BENCHMARKS.md).
    fn truncate(&mut self) {
        Fixture::truncate_users(self.raw.client()).expect("TRUNCATE users");
    }
}

fn find_by_id(c: &mut Criterion) {
    let mut setup = Setup::new();
    let ids = setup.seeded();
    let db = setup.fixture.db();
    let mut group = c.benchmark_group("find_by_id");
    let mut n = 0;
    group.bench_function("raw", |b| {
        b.iter(|| {
            n += 1;
            setup.raw.find(ids[n % ids.len()]).expect("raw find")
        })
    });
    group.bench_function("instant", |b| {
        b.iter(|| {
            n += 1;
            User::find(db, ids[n % ids.len()]).expect("User::find")
        })
    });
    group.finish();
}

fn insert_one(c: &mut Criterion) {
    let mut setup = Setup::new();
    let mut group = c.benchmark_group("insert_one");
    group.bench_function("raw", |b| {
        b.iter_custom(|iterations| {
            let users = setup.users.take(iterations as usize);
            setup.truncate();
            let start = Instant::now();
            for user in &users {
                black_box(setup.raw.insert(user).expect("raw insert"));
            }
            start.elapsed()
        })
    });
    group.bench_function("instant", |b| {
        b.iter_custom(|iterations| {
            let users = setup.users.take(iterations as usize);
            setup.truncate();
            let db = setup.fixture.db();
            let start = Instant::now();
            for user in users {
                black_box(User::create(db, user).expect("User::create"));
            }
            start.elapsed()
        })
    });
    group.finish();
}

fn insert_100(c: &mut Criterion) {
    let mut setup = Setup::new();
    let mut group = c.benchmark_group("insert_100");
    group.bench_function("raw", |b| {
        b.iter_custom(|iterations| {
            let batches = batches(&mut setup.users, iterations);
            setup.truncate();
            let start = Instant::now();
            for batch in &batches {
                black_box(setup.raw.insert_batch(batch).expect("raw insert"));
            }
            start.elapsed()
        })
    });
    group.bench_function("instant", |b| {
        b.iter_custom(|iterations| {
            let batches = batches(&mut setup.users, iterations);
            setup.truncate();
            let db = setup.fixture.db();
            let start = Instant::now();
            for batch in batches {
                let mut records = Records::from_models(batch);
                records.save_all(db).expect("save_all");
                black_box(records);
            }
            start.elapsed()
        })
    });
    group.finish();
}

fn select_100(c: &mut Criterion) {
    let mut setup = Setup::new();
    setup.seeded();
    let db = setup.fixture.db();
    let limit = BATCH as i64;
    let mut group = c.benchmark_group("select_100");
    group.bench_function("raw", |b| {
        b.iter(|| {
            let users = setup.raw.select_limited(limit).expect("raw select");
            assert_eq!(users.len(), BATCH);
            users
        })
    });
    group.bench_function("instant", |b| {
        b.iter(|| {
            let users = User::query()
                .limit(BATCH as u64)
                .select(db)
                .expect("select");
            assert_eq!(users.len(), BATCH);
            users
        })
    });
    group.finish();
}

/// `iterations` batches of [`BATCH`] new users.
fn batches(users: &mut Users, iterations: u64) -> Vec<Vec<User>> {
    (0..iterations).map(|_| users.take(BATCH)).collect()
}

criterion_group! {
    name = crud;
    config = Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_secs(2));
    targets = find_by_id, insert_one, insert_100, select_100
}
criterion_main!(crud);
