//! Statements kept per query shape: a query built again the same way runs the statement its
//! connection kept for that shape with the new values, and gives what building it again gives.
//! The oracle is a pool without the statement cache, which builds every statement anew.

use instant_runtime::query::prelude::*;
use instant_runtime::testing::TempDb;
use instant_runtime::{Connection, Db, Model, Records};
use instant_tests::family::{Child, Parent, children, parents};
use instant_tests::setup::family;

/// A pool on the same database that builds every statement anew.
fn uncached(temp: &TempDb) -> Db {
    Db::builder()
        .url(temp.url())
        .pool_size(1)
        .statement_cache(false)
        .connect()
        .unwrap()
}

/// Each parent's id, name and joined children's ids, for comparing results.
fn summary(parents: &Records<Parent>) -> Vec<(i64, String, Vec<i64>)> {
    parents
        .iter()
        .map(|parent| {
            let kids: Option<&Records<Child>> = parent.joined(parents::relations::children);
            let ids = kids.map(|kids| kids.iter().map(|kid| kid.id).collect());
            (parent.id, parent.name.clone(), ids.unwrap_or_default())
        })
        .collect()
}

/// `query` run on `connection`, which keeps statements, after checking it gives what the
/// oracle gives.
fn checked(query: &Query<Parent>, connection: &mut Connection, oracle: &Db) -> Records<Parent> {
    let found = query.select(&mut *connection).unwrap();
    let expected = query.select(oracle).unwrap();
    assert_eq!(summary(&found), summary(&expected));
    found
}

#[test]
fn a_query_built_again_runs_its_kept_statement_with_the_new_values() {
    let (_temp, db) = family();
    let mut connection = db.connection().unwrap();
    // Seeding the fixture kept its INSERTs' shapes on whichever connection it used.
    let seeded = connection.kept_shapes();
    for name in ["Albert", "Zoolander", "Albert", "Nobody"] {
        let found = Parent::query()
            .filter(parents::name.eq(name))
            .select(&mut *connection)
            .unwrap();
        let names: Vec<&str> = found.iter().map(|parent| parent.name.as_str()).collect();
        let expected: &[&str] = if name == "Nobody" { &[] } else { &[name] };
        assert_eq!(names, expected);
    }
    assert_eq!(
        connection.kept_shapes() - seeded,
        1,
        "one shape, built once"
    );
}

#[test]
fn limits_offsets_and_orders_bind_their_values_each_run() {
    let (temp, db) = family();
    let oracle = uncached(&temp);
    let mut connection = db.connection().unwrap();
    // Seeding the fixture kept its INSERTs' shapes on whichever connection it used.
    let seeded = connection.kept_shapes();
    for (limit, offset, near) in [(3, 0, 5_i64), (2, 4, 1), (5, 1, 9), (3, 0, 2)] {
        let query = Parent::query()
            .filter(parents::id.gte(2))
            .order_by(Order::sql("abs(id - $1)", [near]))
            .order_by(parents::id.asc())
            .limit(limit)
            .offset(offset);
        let found = checked(&query, &mut connection, &oracle);
        assert_eq!(found.len() as u64, limit.min(9 - offset));
    }
    assert_eq!(connection.kept_shapes() - seeded, 1);
}

#[test]
fn joins_bind_the_root_and_join_values_each_run() {
    let (temp, db) = family();
    let oracle = uncached(&temp);
    let mut connection = db.connection().unwrap();
    // Seeding the fixture kept its INSERTs' shapes on whichever connection it used.
    let seeded = connection.kept_shapes();
    for (last_parent, min_age) in [(3_i64, 10_i64), (7, 2), (10, 15), (3, 10), (5, 30)] {
        let query = Parent::query()
            .filter(parents::id.lte(last_parent))
            .order_by(parents::id.asc())
            .join_with(parents::relations::children, |kids| {
                kids.filter(children::age.gte(min_age))
                    .order_by(children::id.asc())
            });
        for query in [query.clone(), query.split_joins(), query.limit(2).offset(1)] {
            let found = checked(&query, &mut connection, &oracle);
            let kids = found.iter().flat_map(|parent| {
                parent
                    .joined(parents::relations::children)
                    .into_iter()
                    .flat_map(|kids| kids.iter())
            });
            assert!(kids.into_iter().all(|kid| kid.age >= Some(min_age)));
        }
    }
    assert_eq!(
        connection.kept_shapes() - seeded,
        4,
        "the joined statement with and without a subquery, the split root and its join level"
    );
}

#[test]
fn values_that_could_be_bound_either_way_round_are_not_kept() {
    let (temp, db) = family();
    let oracle = uncached(&temp);
    let mut connection = db.connection().unwrap();
    // Seeding the fixture kept its INSERTs' shapes on whichever connection it used.
    let seeded = connection.kept_shapes();
    for (low, high) in [(4_i64, 4_i64), (2, 6), (6, 2)] {
        let query = Parent::query()
            .filter(parents::id.gte(low))
            .filter(parents::id.lte(high))
            .order_by(parents::id.asc());
        let found = checked(&query, &mut connection, &oracle);
        assert_eq!(found.len() as i64, (high - low + 1).max(0));
    }
    assert_eq!(
        connection.kept_shapes() - seeded,
        1,
        "kept from the second run on, whose values tell the order apart"
    );
}

fn new_parent(name: String) -> Parent {
    Parent {
        id: 0,
        name,
        shirt: Some("striped".into()),
        hidden: None,
        pantaloons: None,
        created_at: None,
        updated_at: None,
    }
}

#[test]
fn batch_inserts_of_one_size_reuse_their_statement() {
    let (_temp, db) = family();
    let mut connection = db.connection().unwrap();
    let seeded = connection.kept_shapes();
    let mut ids = Vec::new();
    for batch in 0..3 {
        let mut parents =
            Records::from_models((0..4).map(|n| new_parent(format!("batch {batch}/{n}"))));
        parents.save_all(&mut *connection).unwrap();
        for (n, parent) in parents.iter().enumerate() {
            assert_eq!(parent.name, format!("batch {batch}/{n}"));
            let stored = Parent::find(&mut *connection, parent.id).unwrap();
            assert_eq!(stored.name, parent.name, "each record got its own row's id");
            ids.push(parent.id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 12);
    assert!(
        connection.kept_shapes() - seeded >= 1,
        "the 4-row INSERT was kept"
    );
}
