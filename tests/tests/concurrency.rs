//! One `Db` shared by several threads: saves through the pool at the same time all land, with
//! distinct ids, even when there are more threads than connections.

use std::collections::HashSet;
use std::thread;

use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Model, Records, Transaction};
use instant_tests::models::{self, parents};

const THREADS: usize = 8;
const SAVES_PER_THREAD: usize = 5;

fn age_is_positive(parent: &Parent, _: &mut Transaction<'_>) -> instant_runtime::Result<bool> {
    Ok(parent.age.is_some_and(|age| age > 0))
}

/// A parent saved in steps (a verification inside a transaction of its own).
#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = parents)]
#[verifies("age must be greater than 0", age_is_positive)]
struct Parent {
    id: i64,
    name: Option<String>,
    age: Option<i64>,
}

fn plain_parent(name: String) -> models::Parent {
    models::Parent {
        id: 0,
        name: Some(name),
        age: Some(1),
        secret: None,
        content: None,
        created_at: None,
        updated_at: None,
    }
}

fn migrated() -> TempDb {
    let temp = TempDb::new().unwrap();
    temp.migrate_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/models"))
        .unwrap();
    temp
}

fn pool(temp: &TempDb, size: u32) -> Db {
    Db::builder()
        .url(temp.url())
        .pool_size(size)
        .connect()
        .unwrap()
}

/// Runs `work(db, thread)` on `THREADS` threads at once and gathers the ids they saved.
fn on_threads(db: &Db, work: fn(&Db, usize) -> Vec<i64>) -> Vec<i64> {
    thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|thread| scope.spawn(move || work(db, thread)))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap())
            .collect()
    })
}

/// Each thread creates its parents one by one, one statement or a transaction each.
fn create_one_by_one(db: &Db, thread: usize) -> Vec<i64> {
    (0..SAVES_PER_THREAD)
        .flat_map(|n| {
            let plain =
                models::Parent::create(db, plain_parent(format!("plain {thread}/{n}"))).unwrap();
            let stepped = Parent::create(
                db,
                Parent {
                    id: 0,
                    name: Some(format!("stepped {thread}/{n}")),
                    age: Some(2),
                },
            )
            .unwrap();
            [plain.id, stepped.id]
        })
        .collect()
}

/// Each thread saves a collection, then creates more inside a transaction of its own.
fn create_in_batches(db: &Db, thread: usize) -> Vec<i64> {
    let mut batch = Records::from_models(
        (0..SAVES_PER_THREAD).map(|n| plain_parent(format!("batch {thread}/{n}"))),
    );
    batch.save_all(db).unwrap();
    let mut ids: Vec<i64> = batch.iter().map(|parent| parent.id).collect();

    let mut transaction = db.transaction().unwrap();
    for n in 0..SAVES_PER_THREAD {
        let parent =
            models::Parent::create(&mut transaction, plain_parent(format!("txn {thread}/{n}")))
                .unwrap();
        ids.push(parent.id);
    }
    transaction.commit().unwrap();
    ids
}

fn assert_all_saved(db: &Db, ids: &[i64], expected: usize) {
    assert_eq!(ids.len(), expected);
    let distinct: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), expected, "ids are not distinct: {ids:?}");
    let stored = models::Parent::query().count(db).unwrap();
    assert_eq!(stored, expected as i64);
    let names: HashSet<String> = models::Parent::query()
        .select(db)
        .unwrap()
        .into_iter()
        .filter_map(|parent| parent.into_inner().name)
        .collect();
    assert_eq!(names.len(), expected);
}

#[test]
fn threads_saving_through_one_pool_all_land_with_distinct_ids() {
    let temp = migrated();
    let db = pool(&temp, 8);
    let ids = on_threads(&db, create_one_by_one);
    assert_all_saved(&db, &ids, THREADS * SAVES_PER_THREAD * 2);
}

#[test]
fn more_threads_than_connections_still_complete() {
    let temp = migrated();
    let db = pool(&temp, 2);
    let ids = on_threads(&db, create_one_by_one);
    assert_all_saved(&db, &ids, THREADS * SAVES_PER_THREAD * 2);
}

#[test]
fn batches_and_caller_transactions_on_a_small_pool_all_land() {
    let temp = migrated();
    let db = pool(&temp, 2);
    let ids = on_threads(&db, create_in_batches);
    assert_all_saved(&db, &ids, THREADS * SAVES_PER_THREAD * 2);
}
