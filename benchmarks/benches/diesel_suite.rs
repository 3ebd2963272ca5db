//! The diesel benchmark suite: the trivial query (all users, 1 / 100 / 10 000 of them), the
//! medium query (users with a hair colour LEFT JOIN posts, 1 and 10 000 users), loading
//! associations (100 users, 1 000 posts, 10 000 comments) and inserting users (1 and 100 per
//! statement). One criterion group per operation and size; in each, every implementation runs
//! in the same run on the same server and data: `raw` (the baseline), `raw_instant_pg` (the
//! baseline's code on instant's driver), `raw_suite` (the suite's own hand-written variant,
//! for associations), `instant`, `instant_dynamic`, and with the
//! `peers` feature `diesel` and `sea_orm`. Before a group is timed, every implementation's
//! result is checked against the data rules. What each side runs is in `BENCHMARKS.md`; run it
//! with `scripts/bench.sh`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use instant_benchmarks::diesel_bench::{User, posts, users};
use instant_benchmarks::diesel_suite::{
    self, INSERTED_HAIR_COLOR, RawSuite, on_instant_pg, user_name,
};
use instant_benchmarks::dynamic::{self, DynamicSuite};
use instant_benchmarks::fixture::{DIESEL_BENCH_PROJECT, Fixture};
#[cfg(feature = "peers")]
use instant_benchmarks::peers::{diesel::DieselSuite, sea_orm::SeaOrmSuite};
use instant_benchmarks::shape::{self, Loaded};
use instant_runtime::query::ColumnExt;
use instant_runtime::{Db, Model, Records};
use postgres::Client;

/// The trivial query's table sizes.
const TRIVIAL_SIZES: [usize; 3] = [1, 100, 10_000];
/// The medium query's table sizes (half the users match its filter).
const MEDIUM_SIZES: [usize; 2] = [1, 10_000];
/// Users in the associations benchmark (each with 10 posts of 10 comments).
const ASSOCIATED_USERS: usize = 100;
/// Rows per INSERT in the insert benchmark (the suite's sizes are 1, 10, 25, 50, 100).
const INSERT_SIZES: [usize; 2] = [1, 100];
/// The hair colour the medium query asks for.
const HAIR_COLOR: &str = "black";

/// A temporary database with the suite's schema, and every implementation connected to it:
/// the ORM pool, the baseline's connection with its statements prepared, the dynamic queries,
/// the peers' connections, and one more connection for setup.
struct Setup {
    fixture: Fixture,
    admin: Client,
    raw: RawSuite,
    raw_pg: on_instant_pg::RawSuite,
    dynamic: DynamicSuite,
    #[cfg(feature = "peers")]
    diesel: DieselSuite,
    #[cfg(feature = "peers")]
    sea_orm: SeaOrmSuite,
}

impl Setup {
    fn new() -> Setup {
        let fixture =
            Fixture::migrated(DIESEL_BENCH_PROJECT).expect("a database with the suite's schema");
        let admin = fixture.client().expect("a connection for setup");
        let client = fixture.client().expect("a connection for the baseline");
        let raw = RawSuite::prepare(client).expect("the baseline's statements");
        let raw_pg = instant_runtime::pg::Client::connect(fixture.url())
            .and_then(on_instant_pg::RawSuite::prepare)
            .expect("the baseline's statements on instant-pg");
        Setup {
            #[cfg(feature = "peers")]
            diesel: DieselSuite::connect(fixture.url()).expect("a Diesel connection"),
            #[cfg(feature = "peers")]
            sea_orm: SeaOrmSuite::connect(fixture.url()).expect("a SeaORM connection"),
            fixture,
            admin,
            raw,
            raw_pg,
            dynamic: DynamicSuite::new(HAIR_COLOR),
        }
    }

    fn db(&self) -> &Db {
        self.fixture.db()
    }
}

fn trivial_query(c: &mut Criterion) {
    let mut setup = Setup::new();
    for size in TRIVIAL_SIZES {
        diesel_suite::seed_users(&mut setup.admin, size, false).expect("seeded users");
        check_trivial_query(&mut setup, Loaded::new(size, 0, 0));
        let db = setup.fixture.db();
        let mut group = c.benchmark_group(format!("trivial_query_{size}"));
        group.bench_function("raw", |b| {
            b.iter(|| {
                let users = setup.raw.all_users().expect("raw select");
                assert_eq!(users.len(), size);
                users
            })
        });
        group.bench_function("raw_instant_pg", |b| {
            b.iter(|| {
                let users = setup.raw_pg.all_users().expect("raw select on instant-pg");
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
        group.bench_function("instant_dynamic", |b| {
            b.iter(|| {
                let result = setup.dynamic.all_users(db).expect("json_query");
                assert_eq!(dynamic::users(&result).len(), size);
                result
            })
        });
        #[cfg(feature = "peers")]
        {
            group.bench_function("diesel", |b| {
                b.iter(|| {
                    let users = setup.diesel.all_users().expect("Diesel load");
                    assert_eq!(users.len(), size);
                    users
                })
            });
            group.bench_function("sea_orm", |b| {
                b.iter(|| {
                    let users = setup.sea_orm.all_users().expect("SeaORM find");
                    assert_eq!(users.len(), size);
                    users
                })
            });
        }
        group.finish();
    }
}

fn medium_query(c: &mut Criterion) {
    let mut setup = Setup::new();
    for size in MEDIUM_SIZES {
        diesel_suite::seed_users(&mut setup.admin, size, true).expect("seeded users");
        let black = size.div_ceil(2);
        check_medium_query(&mut setup, Loaded::new(black, 0, 0));
        let db = setup.fixture.db();
        let mut group = c.benchmark_group(format!("medium_query_{size}"));
        group.bench_function("raw", |b| {
            b.iter(|| {
                let rows = setup.raw.users_with_posts(HAIR_COLOR).expect("raw join");
                assert_eq!(rows.len(), black);
                rows
            })
        });
        group.bench_function("raw_instant_pg", |b| {
            b.iter(|| {
                let rows = setup
                    .raw_pg
                    .users_with_posts(HAIR_COLOR)
                    .expect("raw join on instant-pg");
                assert_eq!(rows.len(), black);
                rows
            })
        });
        group.bench_function("instant", |b| {
            b.iter(|| {
                let users = User::query()
                    .filter(users::hair_color.eq(HAIR_COLOR))
                    .join(users::relations::posts)
                    .select(db)
                    .expect("select with posts");
                assert_eq!(users.len(), black);
                users
            })
        });
        group.bench_function("instant_dynamic", |b| {
            b.iter(|| {
                let result = setup.dynamic.users_with_posts(db).expect("json_query");
                assert_eq!(dynamic::users(&result).len(), black);
                result
            })
        });
        #[cfg(feature = "peers")]
        {
            group.bench_function("diesel", |b| {
                b.iter(|| {
                    let rows = setup
                        .diesel
                        .users_with_posts(HAIR_COLOR)
                        .expect("Diesel join");
                    assert_eq!(rows.len(), black);
                    rows
                })
            });
            group.bench_function("sea_orm", |b| {
                b.iter(|| {
                    let rows = setup
                        .sea_orm
                        .users_with_posts(HAIR_COLOR)
                        .expect("SeaORM find_also_related");
                    assert_eq!(rows.len(), black);
                    rows
                })
            });
        }
        group.finish();
    }
}

fn associations(c: &mut Criterion) {
    let mut setup = Setup::new();
    diesel_suite::seed_associations(&mut setup.admin, ASSOCIATED_USERS)
        .expect("seeded associations");
    check_associations(
        &mut setup,
        Loaded::new(
            ASSOCIATED_USERS,
            ASSOCIATED_USERS * 10,
            ASSOCIATED_USERS * 100,
        ),
    );
    let db = setup.fixture.db();
    let mut group = c.benchmark_group("associations");
    group.bench_function("raw", |b| {
        b.iter(|| {
            let users = setup
                .raw
                .users_with_posts_and_comments()
                .expect("raw associations");
            assert_eq!(users.len(), ASSOCIATED_USERS);
            users
        })
    });
    group.bench_function("raw_instant_pg", |b| {
        b.iter(|| {
            let users = setup
                .raw_pg
                .users_with_posts_and_comments()
                .expect("raw associations on instant-pg");
            assert_eq!(users.len(), ASSOCIATED_USERS);
            users
        })
    });
    group.bench_function("raw_suite", |b| {
        b.iter(|| {
            let users = setup
                .raw
                .users_with_posts_and_comments_in_lists()
                .expect("raw associations with IN lists");
            assert_eq!(users.len(), ASSOCIATED_USERS);
            users
        })
    });
    group.bench_function("instant", |b| {
        b.iter(|| {
            let users = instant_associations(db);
            assert_eq!(users.len(), ASSOCIATED_USERS);
            users
        })
    });
    group.bench_function("instant_dynamic", |b| {
        b.iter(|| {
            let result = setup
                .dynamic
                .users_with_posts_and_comments(db)
                .expect("json_query");
            assert_eq!(dynamic::users(&result).len(), ASSOCIATED_USERS);
            result
        })
    });
    #[cfg(feature = "peers")]
    {
        group.bench_function("diesel", |b| {
            b.iter(|| {
                let users = setup
                    .diesel
                    .users_with_posts_and_comments()
                    .expect("Diesel belonging_to");
                assert_eq!(users.len(), ASSOCIATED_USERS);
                users
            })
        });
        group.bench_function("sea_orm", |b| {
            b.iter(|| {
                let users = setup
                    .sea_orm
                    .users_with_posts_and_comments()
                    .expect("SeaORM find_with_related");
                assert_eq!(users.len(), ASSOCIATED_USERS);
                users
            })
        });
    }
    group.finish();
}

/// The insert benchmark. The suite never empties the table inside its loop; here each sample
/// starts from an empty table (truncated, untimed, through `iter_custom`), so the functions
/// measured later do not insert into a bigger table than the first. The rows are built inside
/// the timed loop by every implementation, as in the suite.
fn insert_users(c: &mut Criterion) {
    let mut setup = Setup::new();
    for size in INSERT_SIZES {
        check_insert_users(&mut setup, size);
        let db = setup.fixture.db();
        let admin = &mut setup.admin;
        let mut group = c.benchmark_group(format!("insert_users_{size}"));
        group.bench_function("raw", |b| {
            b.iter_custom(|iterations| {
                diesel_suite::truncate(admin).expect("TRUNCATE");
                let start = Instant::now();
                for _ in 0..iterations {
                    let inserted = setup.raw.insert_users(size).expect("raw insert");
                    assert_eq!(inserted, size as u64);
                }
                start.elapsed()
            })
        });
        group.bench_function("raw_instant_pg", |b| {
            b.iter_custom(|iterations| {
                diesel_suite::truncate(admin).expect("TRUNCATE");
                let start = Instant::now();
                for _ in 0..iterations {
                    let inserted = setup
                        .raw_pg
                        .insert_users(size)
                        .expect("raw insert on instant-pg");
                    assert_eq!(inserted, size as u64);
                }
                start.elapsed()
            })
        });
        group.bench_function("instant", |b| {
            b.iter_custom(|iterations| {
                diesel_suite::truncate(admin).expect("TRUNCATE");
                let start = Instant::now();
                for _ in 0..iterations {
                    let records = instant_insert(db, size);
                    assert_eq!(records.len(), size);
                    black_box(records);
                }
                start.elapsed()
            })
        });
        group.bench_function("instant_without_returning", |b| {
            b.iter_custom(|iterations| {
                diesel_suite::truncate(admin).expect("TRUNCATE");
                let start = Instant::now();
                for _ in 0..iterations {
                    let inserted = instant_insert_without_returning(db, size);
                    assert_eq!(inserted, size as u64);
                }
                start.elapsed()
            })
        });
        #[cfg(feature = "peers")]
        {
            group.bench_function("diesel", |b| {
                b.iter_custom(|iterations| {
                    diesel_suite::truncate(admin).expect("TRUNCATE");
                    let start = Instant::now();
                    for _ in 0..iterations {
                        let inserted = diesel_insert(&mut setup.diesel, size);
                        assert_eq!(inserted, size);
                    }
                    start.elapsed()
                })
            });
            group.bench_function("diesel_returning", |b| {
                b.iter_custom(|iterations| {
                    diesel_suite::truncate(admin).expect("TRUNCATE");
                    let start = Instant::now();
                    for _ in 0..iterations {
                        let inserted = diesel_insert_returning(&mut setup.diesel, size);
                        assert_eq!(inserted.len(), size);
                        black_box(inserted);
                    }
                    start.elapsed()
                })
            });
            group.bench_function("sea_orm", |b| {
                b.iter_custom(|iterations| {
                    diesel_suite::truncate(admin).expect("TRUNCATE");
                    let start = Instant::now();
                    for _ in 0..iterations {
                        setup
                            .sea_orm
                            .insert_users(size)
                            .expect("SeaORM insert_many");
                    }
                    start.elapsed()
                })
            });
        }
        group.finish();
    }
}

/// instant's associations: three statements, one per level, keys bound as arrays.
fn instant_associations(db: &Db) -> Records<User> {
    User::query()
        .join_with(users::relations::posts, |posts| {
            posts.join(posts::relations::comments)
        })
        .select(db)
        .expect("select with posts and comments")
}

/// instant's insert: `size` new users saved together (one multi-row INSERT).
fn instant_insert(db: &Db, size: usize) -> Records<User> {
    let mut records = Records::from_models((0..size).map(|i| User {
        id: 0,
        name: user_name(i),
        hair_color: Some(INSERTED_HAIR_COLOR.to_string()),
    }));
    records.save_all(db).expect("save_all");
    records
}

/// instant's insert that only counts the rows, as the suite's Diesel insert does
/// (`insert_without_returning`: one multi-row INSERT without `RETURNING`).
fn instant_insert_without_returning(db: &Db, size: usize) -> u64 {
    let users: Vec<User> = (0..size)
        .map(|i| User {
            id: 0,
            name: user_name(i),
            hair_color: Some(INSERTED_HAIR_COLOR.to_string()),
        })
        .collect();
    User::insert_without_returning(db, &users).expect("insert_without_returning")
}

/// Diesel's insert for one of [`INSERT_SIZES`] (its rows are a fixed-size array, so the
/// size is a type parameter).
#[cfg(feature = "peers")]
fn diesel_insert(diesel: &mut DieselSuite, size: usize) -> usize {
    match size {
        1 => diesel.insert_users::<1>(),
        100 => diesel.insert_users::<100>(),
        _ => panic!("no Diesel insert for {size} rows; add it next to INSERT_SIZES"),
    }
    .expect("Diesel insert_into")
}

/// Diesel's insert reading the rows back (`get_results`), for one of [`INSERT_SIZES`].
#[cfg(feature = "peers")]
fn diesel_insert_returning(
    diesel: &mut DieselSuite,
    size: usize,
) -> Vec<instant_benchmarks::peers::diesel::User> {
    match size {
        1 => diesel.insert_users_returning::<1>(),
        100 => diesel.insert_users_returning::<100>(),
        _ => panic!("no Diesel insert for {size} rows; add it next to INSERT_SIZES"),
    }
    .expect("Diesel insert_into … get_results")
}

/// Every implementation returns all the users.
fn check_trivial_query(setup: &mut Setup, expected: Loaded) {
    let db = setup.fixture.db();
    #[cfg_attr(not(feature = "peers"), allow(unused_mut))]
    let mut found = vec![
        ("raw", shape::users(&setup.raw.all_users().expect("raw"))),
        (
            "raw_instant_pg",
            shape::users(&setup.raw_pg.all_users().expect("raw_instant_pg")),
        ),
        (
            "instant",
            Loaded::new(User::query().select(db).expect("instant").len(), 0, 0),
        ),
        (
            "instant_dynamic",
            dynamic::check(&setup.dynamic.all_users(db).expect("dynamic"), None, 0)
                .expect("instant_dynamic's users"),
        ),
    ];
    #[cfg(feature = "peers")]
    {
        found.push((
            "diesel",
            shape::users(&setup.diesel.all_users().expect("diesel")),
        ));
        found.push((
            "sea_orm",
            shape::users(&setup.sea_orm.all_users().expect("sea_orm")),
        ));
    }
    assert_all(&found, expected);
}

/// Every implementation returns the users with the hair colour, each with no post.
fn check_medium_query(setup: &mut Setup, expected: Loaded) {
    let db = setup.fixture.db();
    let instant = User::query()
        .filter(users::hair_color.eq(HAIR_COLOR))
        .join(users::relations::posts)
        .select(db)
        .expect("instant");
    let raw = setup.raw.users_with_posts(HAIR_COLOR).expect("raw");
    let raw_pg = setup
        .raw_pg
        .users_with_posts(HAIR_COLOR)
        .expect("raw_instant_pg");
    let dynamic = setup.dynamic.users_with_posts(db).expect("dynamic");
    #[cfg_attr(not(feature = "peers"), allow(unused_mut))]
    let mut found = vec![
        ("raw", shape::users_with_post(&raw, HAIR_COLOR)),
        (
            "raw_instant_pg",
            shape::users_with_post(&raw_pg, HAIR_COLOR),
        ),
        (
            "instant",
            shape::instant_users_with_posts(&instant, HAIR_COLOR),
        ),
        (
            "instant_dynamic",
            dynamic::check(&dynamic, Some(HAIR_COLOR), 1),
        ),
    ];
    #[cfg(feature = "peers")]
    {
        let diesel = setup.diesel.users_with_posts(HAIR_COLOR).expect("diesel");
        found.push(("diesel", shape::users_with_post(&diesel, HAIR_COLOR)));
        let sea_orm = setup.sea_orm.users_with_posts(HAIR_COLOR).expect("sea_orm");
        found.push(("sea_orm", shape::users_with_post(&sea_orm, HAIR_COLOR)));
    }
    let found: Vec<_> = found
        .into_iter()
        .map(|(name, loaded)| (name, loaded.unwrap_or_else(|e| panic!("{name}: {e}"))))
        .collect();
    assert_all(&found, expected);
}

/// Every implementation loads every user, post and comment, each under its parent.
fn check_associations(setup: &mut Setup, expected: Loaded) {
    let db = setup.fixture.db();
    let raw = setup.raw.users_with_posts_and_comments().expect("raw");
    let raw_pg = setup
        .raw_pg
        .users_with_posts_and_comments()
        .expect("raw_instant_pg");
    let raw_suite = setup
        .raw
        .users_with_posts_and_comments_in_lists()
        .expect("raw_suite");
    let instant = instant_associations(db);
    let dynamic = setup
        .dynamic
        .users_with_posts_and_comments(db)
        .expect("dynamic");
    #[cfg_attr(not(feature = "peers"), allow(unused_mut))]
    let mut found = vec![
        ("raw", shape::users_with_posts_and_comments(&raw)),
        (
            "raw_instant_pg",
            shape::users_with_posts_and_comments(&raw_pg),
        ),
        (
            "raw_suite",
            shape::users_with_posts_and_comments(&raw_suite),
        ),
        (
            "instant",
            shape::instant_users_with_posts_and_comments(&instant),
        ),
        ("instant_dynamic", dynamic::check(&dynamic, None, 2)),
    ];
    #[cfg(feature = "peers")]
    {
        let diesel = setup
            .diesel
            .users_with_posts_and_comments()
            .expect("diesel");
        found.push(("diesel", shape::users_with_posts_and_comments(&diesel)));
        let sea_orm = setup
            .sea_orm
            .users_with_posts_and_comments()
            .expect("sea_orm");
        found.push(("sea_orm", shape::users_with_posts_and_comments(&sea_orm)));
    }
    let found: Vec<_> = found
        .into_iter()
        .map(|(name, loaded)| (name, loaded.unwrap_or_else(|e| panic!("{name}: {e}"))))
        .collect();
    assert_all(&found, expected);
}

/// One implementation's insert, run on the setup's connections.
type Inserter = Box<dyn FnMut(&mut Setup)>;

/// Every implementation, run once on an empty table, leaves `size` users named by the data
/// rule with the insert benchmark's hair colour.
fn check_insert_users(setup: &mut Setup, size: usize) {
    #[cfg_attr(not(feature = "peers"), allow(unused_mut))]
    let mut inserters: Vec<(&str, Inserter)> = vec![
        (
            "raw",
            Box::new(move |setup: &mut Setup| {
                setup.raw.insert_users(size).expect("raw");
            }),
        ),
        (
            "raw_instant_pg",
            Box::new(move |setup: &mut Setup| {
                setup.raw_pg.insert_users(size).expect("raw_instant_pg");
            }),
        ),
        (
            "instant",
            Box::new(move |setup: &mut Setup| {
                instant_insert(setup.db(), size);
            }),
        ),
        (
            "instant_without_returning",
            Box::new(move |setup: &mut Setup| {
                instant_insert_without_returning(setup.db(), size);
            }),
        ),
    ];
    #[cfg(feature = "peers")]
    {
        inserters.push((
            "diesel",
            Box::new(move |setup: &mut Setup| {
                diesel_insert(&mut setup.diesel, size);
            }),
        ));
        inserters.push((
            "diesel_returning",
            Box::new(move |setup: &mut Setup| {
                let returned = diesel_insert_returning(&mut setup.diesel, size);
                assert!(returned.iter().all(|user| user.id > 0));
            }),
        ));
        inserters.push((
            "sea_orm",
            Box::new(move |setup: &mut Setup| {
                setup.sea_orm.insert_users(size).expect("sea_orm");
            }),
        ));
    }
    for (name, insert) in &mut inserters {
        diesel_suite::truncate(&mut setup.admin).expect("TRUNCATE");
        insert(setup);
        let row = setup
            .admin
            .query_one(
                "SELECT coalesce(array_agg(name ORDER BY id), '{}'), \
                        count(*) FILTER (WHERE hair_color = $1) \
                 FROM users",
                &[&INSERTED_HAIR_COLOR],
            )
            .expect("read the inserted users back");
        let (names, coloured): (Vec<String>, i64) = (row.get(0), row.get(1));
        let expected: Vec<String> = (0..size).map(user_name).collect();
        assert_eq!(names, expected, "{name} inserted other users");
        assert_eq!(coloured, size as i64, "{name} inserted other hair colours");
    }
    diesel_suite::truncate(&mut setup.admin).expect("TRUNCATE");
}

/// Panics, naming the implementation, unless every one loaded `expected`.
fn assert_all(found: &[(&str, Loaded)], expected: Loaded) {
    for (name, loaded) in found {
        assert_eq!(*loaded, expected, "{name} loaded something else");
    }
}

criterion_group! {
    name = diesel_suite;
    config = Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_secs(2));
    targets = trivial_query, medium_query, associations, insert_users
}
criterion_main!(diesel_suite);
