//! instant against the raw `postgres` driver on the diesel benchmark suite's read benchmarks:
//! the trivial query (all users, 1 / 100 / 10 000 of them), the medium query (users with a
//! hair colour LEFT JOIN posts, 1 and 10 000 users) and loading associations (100 users,
//! 1 000 posts, 10 000 comments). One criterion group per operation and size, `raw` and
//! `instant` in the same run on the same server. What each side runs is in `BENCHMARKS.md`;
//! run it with `scripts/bench.sh`.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use instant_benchmarks::diesel_bench::{User, posts, users};
use instant_benchmarks::diesel_suite::{self, RawSuite};
use instant_benchmarks::fixture::{DIESEL_BENCH_PROJECT, Fixture};
use instant_runtime::query::ColumnExt;
use instant_runtime::{Db, Model};

/// The trivial query's table sizes.
const TRIVIAL_SIZES: [usize; 3] = [1, 100, 10_000];
/// The medium query's table sizes (half the users match its filter).
const MEDIUM_SIZES: [usize; 2] = [1, 10_000];
/// Users in the associations benchmark (each with 10 posts of 10 comments).
const ASSOCIATED_USERS: usize = 100;

/// A temporary database with the suite's schema, the ORM pool on it, and the baseline's
/// connection with its statements prepared.
struct Setup {
    fixture: Fixture,
    raw: RawSuite,
}

impl Setup {
    fn new() -> Setup {
        let fixture =
            Fixture::migrated(DIESEL_BENCH_PROJECT).expect("a database with the suite's schema");
        let client = fixture.client().expect("a connection for the baseline");
        let raw = RawSuite::prepare(client).expect("the baseline's statements");
        Setup { fixture, raw }
    }

    /// A connection for setup, outside the measured ones.
    fn seed(&self, seed: impl FnOnce(&mut instant_runtime::postgres::Client)) {
        let mut client = self.fixture.client().expect("a connection for setup");
        seed(&mut client);
    }
}

fn trivial_query(c: &mut Criterion) {
    let mut setup = Setup::new();
    for size in TRIVIAL_SIZES {
        setup.seed(|client| {
            diesel_suite::seed_users(client, size, false).expect("seeded users");
        });
        let db = setup.fixture.db();
        let raw = &mut setup.raw;
        let mut group = c.benchmark_group(format!("trivial_query_{size}"));
        group.bench_function("raw", |b| {
            b.iter(|| {
                let users = raw.all_users().expect("raw select");
                assert_eq!(users.len(), size);
                users
            })
        });
        group.bench_function("instant", |b| {
            b.iter(|| {
                let users = User::query().select(db).expect("select");
                assert_eq!(users.len(), size);
                users
            })
        });
        group.finish();
    }
}

fn medium_query(c: &mut Criterion) {
    let mut setup = Setup::new();
    for size in MEDIUM_SIZES {
        setup.seed(|client| {
            diesel_suite::seed_users(client, size, true).expect("seeded users");
        });
        let black = size.div_ceil(2);
        let db = setup.fixture.db();
        let raw = &mut setup.raw;
        let mut group = c.benchmark_group(format!("medium_query_{size}"));
        group.bench_function("raw", |b| {
            b.iter(|| {
                let rows = raw.users_with_posts("black").expect("raw join");
                assert_eq!(rows.len(), black);
                rows
            })
        });
        group.bench_function("instant", |b| {
            b.iter(|| {
                let users = User::query()
                    .filter(users::hair_color.eq("black"))
                    .join(users::relations::posts)
                    .select(db)
                    .expect("select with posts");
                assert_eq!(users.len(), black);
                users
            })
        });
        group.finish();
    }
}

fn associations(c: &mut Criterion) {
    let mut setup = Setup::new();
    setup.seed(|client| {
        diesel_suite::seed_associations(client, ASSOCIATED_USERS).expect("seeded associations");
    });
    let db = setup.fixture.db();
    let raw = &mut setup.raw;
    check_associations(raw, db);
    let mut group = c.benchmark_group("associations");
    group.bench_function("raw", |b| {
        b.iter(|| {
            let users = raw
                .users_with_posts_and_comments()
                .expect("raw associations");
            assert_eq!(users.len(), ASSOCIATED_USERS);
            users
        })
    });
    group.bench_function("instant", |b| {
        b.iter(|| {
            let users = User::query()
                .join_with(users::relations::posts, |posts| {
                    posts.join(posts::relations::comments)
                })
                .select(db)
                .expect("select with posts and comments");
            assert_eq!(users.len(), ASSOCIATED_USERS);
            users
        })
    });
    group.finish();
}

/// Both sides load every post and comment before either is timed (a join that silently
/// loaded nothing would be fast for the wrong reason).
fn check_associations(raw: &mut RawSuite, db: &Db) {
    let raw_comments: usize = raw
        .users_with_posts_and_comments()
        .expect("raw associations")
        .iter()
        .flat_map(|(_, posts)| posts)
        .map(|(_, comments)| comments.len())
        .sum();
    let users = User::query()
        .join_with(users::relations::posts, |posts| {
            posts.join(posts::relations::comments)
        })
        .select(db)
        .expect("select with posts and comments");
    let instant_comments: usize = users
        .iter()
        .filter_map(|user| user.joined(users::relations::posts))
        .flat_map(|posts| posts.iter())
        .filter_map(|post| post.joined(posts::relations::comments))
        .map(|comments| comments.len())
        .sum();
    let expected = ASSOCIATED_USERS * 100;
    assert_eq!((raw_comments, instant_comments), (expected, expected));
}

criterion_group! {
    name = diesel_suite;
    config = Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_secs(2));
    targets = trivial_query, medium_query, associations
}
criterion_main!(diesel_suite);
