//! Limits on what the dynamic API reads (issue 17): every document of any size ends in a
//! result or a clean error naming the limit, never a stack overflow, a hang or memory
//! exhausted. The large cases run on a 2 MiB thread (a server's worker stack), in this debug
//! build, whose frames are larger than a release build's.

use std::time::{Duration, Instant};

use instant_runtime::limits::Limits;
use instant_runtime::query::{GraphNode, explain_json_query, json_query, json_query_with};
use instant_runtime::{Db, Model};
use instant_tests::family::{self, Child, Parent};
use instant_tests::setup::family;
use serde_json::{Map, Value, json};

/// Runs `f` on a thread with a 2 MiB stack and returns what it returns; a stack overflow
/// would abort the whole test process.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("a thread")
        .join()
        .expect("the thread finishes")
}

/// Peak resident memory of this process (each test runs in its own under nextest), in MiB.
fn peak_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// `{"id": n}` for each id: an OR of where-objects.
fn or_of_ids(ids: impl Iterator<Item = i64>) -> Value {
    Value::Array(ids.map(|id| json!({"id": id})).collect())
}

fn child_ids(db: &Db, query: &instant_runtime::Query<Child>) -> Vec<i64> {
    let mut ids: Vec<i64> = query
        .select(db)
        .unwrap()
        .iter()
        .map(|child| child.id)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn an_or_of_50_000_where_objects_is_refused_by_default_and_runs_flat_when_allowed() {
    let (_temp, db) = family();
    let started = Instant::now();
    let (refused, rows) = on_small_stack(move || {
        // 50 000 ids, of which 51..=100 are children.
        let conditions = or_of_ids(51..50_051);
        let refused = Child::query().where_json(&conditions).unwrap_err();
        let allowed = Limits {
            max_where_terms: 50_000,
            ..Limits::default()
        };
        let query = Child::query()
            .where_json_with(&conditions, &allowed)
            .unwrap();
        (refused.to_string(), child_ids(&db, &query))
    });
    assert_eq!(
        refused,
        "where: OR list has 50 000 where-objects; the limit is 10 000 (Limits::max_where_terms)"
    );
    assert_eq!(rows, (51..=100).collect::<Vec<i64>>());
    println!(
        "50 000-term OR on a 2 MiB thread: {:?}, peak {} MiB",
        started.elapsed(),
        peak_mib()
    );
}

#[test]
fn an_array_of_50_000_values_is_refused_by_default_and_runs_flat_when_allowed() {
    let (_temp, db) = family();
    let expected: Vec<i64> = {
        let mut ids: Vec<i64> = db
            .query("SELECT id FROM children WHERE name ILIKE '%a%'", &[])
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        ids.sort_unstable();
        ids
    };
    assert!(!expected.is_empty());
    let (refused, in_refused, rows) = on_small_stack(move || {
        let values = Value::Array(vec![json!("a"); 50_000]);
        let refused = Child::query()
            .where_json(&json!({"name__icontains": values}))
            .unwrap_err();
        let in_refused = Child::query()
            .where_json(&json!({"id__in": (0..10_001).collect::<Vec<i64>>()}))
            .unwrap_err();
        let allowed = Limits {
            max_array_values: 50_000,
            ..Limits::default()
        };
        let query = Child::query()
            .where_json_with(&json!({"name__icontains": values}), &allowed)
            .unwrap();
        (
            refused.to_string(),
            in_refused.to_string(),
            child_ids(&db, &query),
        )
    });
    assert_eq!(
        refused,
        "where.name__icontains: array has 50 000 values; the limit is 10 000 (Limits::max_array_values)"
    );
    assert_eq!(
        in_refused,
        "where.id__in: array has 10 001 values; the limit is 10 000 (Limits::max_array_values)"
    );
    assert_eq!(rows, expected);
}

/// `parent__children__parent__children…` walking `hops` relationships, then `column`.
fn path(hops: usize, column: &str) -> String {
    let mut key = String::new();
    for hop in 0..hops {
        key.push_str(if hop % 2 == 0 {
            "parent__"
        } else {
            "children__"
        });
    }
    key.push_str(column);
    key
}

#[test]
fn a_path_of_thousands_of_hops_is_refused_and_the_longest_allowed_runs() {
    let (_temp, db) = family();
    let (refused, rows) = on_small_stack(move || {
        let refused = Child::query()
            .where_json(&json!({path(5_000, "id"): 1}))
            .unwrap_err();
        // 16 hops, the default limit: back at a child of the same parent as child 1.
        let query = Child::query()
            .where_json(&json!({path(16, "id"): 1}))
            .unwrap();
        (refused.to_string(), child_ids(&db, &query))
    });
    // The location shows the key's first 64 characters.
    assert_eq!(
        refused,
        format!(
            "where.{}…: path walks 5 000 relationships; the limit is 16 (Limits::max_path_hops)",
            &path(5_000, "id")[..64]
        )
    );
    // Child 1's parent has children 1..=10.
    assert_eq!(rows, (1..=10).collect::<Vec<i64>>());

    let joined = Child::query().join_named(path(5_000, "").trim_end_matches("__"));
    assert_eq!(
        joined.unwrap_err().to_string(),
        "join: path walks 5 000 relationships; the limit is 16 (Limits::max_path_hops)"
    );
}

#[test]
fn an_order_or_a_json_object_with_too_many_terms_is_refused() {
    let order: Vec<&str> = vec!["id"; 10_001];
    let error = Parent::query()
        .where_json(&json!({"__order": order}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "where.__order: order has 10 001 terms; the limit is 10 000 (Limits::max_where_terms)"
    );
    let error = explain_json_query(family::TABLES, &json!({"parents": {"$": {"order": order}}}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "parents.$.order: order has 10 001 terms; the limit is 10 000 (Limits::max_where_terms)"
    );
    let keys: Map<String, Value> = (0..10_001)
        .map(|index| (format!("key{index}"), json!(index)))
        .collect();
    let error = family::Pet::query()
        .where_json(&json!({"details__json": keys}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "where.details__json: object has 10 001 keys; the limit is 10 000 (Limits::max_where_terms)"
    );
}

#[test]
fn a_where_object_with_too_many_terms_is_refused() {
    let mut object = Map::new();
    for index in 0..10_001 {
        object.insert(format!("name__not_{index}"), json!("x"));
    }
    let error = Parent::query()
        .where_json(&json!([{"id": 1}, Value::Object(object)]))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "where[1]: where-object has 10 001 terms; the limit is 10 000 (Limits::max_where_terms)"
    );
}

/// `{"parents": {"children": {"parent": {"children": …}}}}`, `levels` deep.
fn nested(levels: usize) -> Value {
    let mut node = json!({});
    for level in (1..levels).rev() {
        let name = if level % 2 == 1 { "children" } else { "parent" };
        node = json!({ name: node });
    }
    json!({"parents": node})
}

/// `parents.children.parent…`, the location of level `levels`.
fn nested_at(levels: usize) -> String {
    let mut at = "parents".to_string();
    for level in 1..levels {
        at.push_str(if level % 2 == 1 {
            ".children"
        } else {
            ".parent"
        });
    }
    at
}

#[test]
fn a_nested_query_120_levels_deep_is_refused_quickly_with_bounded_memory() {
    let (_temp, db) = family();
    let started = Instant::now();
    let (json_deep, level_deep, explained) = on_small_stack(move || {
        let json_deep = json_query(&db, family::TABLES, &nested(120)).unwrap_err();
        // Within the JSON depth, past the levels.
        let level_deep = json_query(&db, family::TABLES, &nested(40)).unwrap_err();
        let explained = explain_json_query(family::TABLES, &nested(17)).unwrap_err();
        (
            json_deep.to_string(),
            level_deep.to_string(),
            explained.to_string(),
        )
    });
    let elapsed = started.elapsed();
    assert_eq!(
        json_deep,
        "query: nests arrays and objects 65 deep; the limit is 64 (Limits::max_json_depth)"
    );
    assert_eq!(
        level_deep,
        format!(
            "{}: the query is 17 levels deep here; the limit is 16 (Limits::max_query_depth)",
            nested_at(17)
        )
    );
    assert_eq!(explained, level_deep);
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    let peak = peak_mib();
    assert!(peak < 256, "peak {peak} MiB");
    println!("120- and 40-level nested queries refused in {elapsed:?}, peak {peak} MiB");
}

#[test]
fn a_deep_nested_query_allowed_by_its_levels_stops_at_the_row_limit() {
    let (_temp, db) = family();
    let started = Instant::now();
    let error = on_small_stack(move || {
        let deep = Limits {
            max_query_depth: 40,
            ..Limits::default()
        };
        json_query_with(&db, family::TABLES, &nested(40), &deep).unwrap_err()
    });
    let elapsed = started.elapsed();
    // Each parent is copied to its ten children at every other level: the result would grow
    // tenfold per two levels.
    let message = error.to_string();
    assert!(
        message.ends_with(
            ": the query returns more than 100 000 rows; the limit is 100 000 (Limits::max_query_rows)"
        ),
        "{message}"
    );
    assert!(message.starts_with("parents.children.parent"), "{message}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    let peak = peak_mib();
    assert!(peak < 512, "peak {peak} MiB");
    println!("40-level nested query refused in {elapsed:?}, peak {peak} MiB");
}

#[test]
fn a_120_level_query_allowed_by_every_depth_limit_still_ends_cleanly_on_a_small_stack() {
    let (_temp, db) = family();
    let started = Instant::now();
    let error = on_small_stack(move || {
        let deep = Limits {
            max_query_depth: 120,
            max_json_depth: 128,
            ..Limits::default()
        };
        json_query_with(&db, family::TABLES, &nested(120), &deep).unwrap_err()
    });
    let elapsed = started.elapsed();
    let message = error.to_string();
    assert!(
        message.ends_with(
            ": the query returns more than 100 000 rows; the limit is 100 000 (Limits::max_query_rows)"
        ),
        "{message}"
    );
    let peak = peak_mib();
    assert!(peak < 512, "peak {peak} MiB");
    println!(
        "120-level nested query with raised depth limits refused in {elapsed:?}, peak {peak} MiB"
    );
}

/// How many row objects a nested query's result holds, at every level.
fn row_count(value: &Value) -> usize {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(rows) => pending.extend(rows),
            Value::Object(row) => {
                if row.contains_key("id") {
                    count += 1;
                }
                pending.extend(row.values().filter(|v| v.is_array() || v.is_object()));
            }
            _ => {}
        }
    }
    count
}

#[test]
fn the_row_limit_counts_every_copy_of_a_related_row() {
    let (_temp, db) = family();
    let query = nested(4);
    // 10 parents, their 100 children, each child's parent (100 copies of 10 rows), and
    // those parents' children: 10 + 100 + 100 + 1 000.
    let exact = Limits {
        max_query_rows: 1_210,
        ..Limits::default()
    };
    let result = json_query_with(&db, family::TABLES, &query, &exact).unwrap();
    assert_eq!(row_count(&result), 1_210);
    let one_less = Limits {
        max_query_rows: 1_209,
        ..Limits::default()
    };
    let error = json_query_with(&db, family::TABLES, &query, &one_less).unwrap_err();
    assert_eq!(
        error.to_string(),
        "parents.children.parent: the query returns more than 1 209 rows; the limit is 1 209 \
         (Limits::max_query_rows)"
    );
    let few = Limits {
        max_query_rows: 50,
        ..Limits::default()
    };
    let error = json_query_with(&db, family::TABLES, &json!({"children": {}}), &few).unwrap_err();
    assert_eq!(
        error.to_string(),
        "children: the query returns more than 50 rows; the limit is 50 (Limits::max_query_rows)"
    );
    // The connection that stopped reading mid-result serves the next query.
    assert_eq!(Child::query().count(&db).unwrap(), 100);
}

#[test]
fn a_db_applies_its_own_limits() {
    let temp = instant_runtime::testing::TempDb::new().unwrap();
    temp.migrate_fixture(instant_tests::setup::fixture_dir("family"))
        .unwrap();
    let strict = Limits {
        max_query_depth: 1,
        ..Limits::default()
    };
    let db = Db::builder()
        .url(temp.url())
        .limits(strict)
        .connect()
        .unwrap();
    assert_eq!(db.limits(), &strict);
    let error = json_query(&db, family::TABLES, &json!({"parents": {"children": {}}})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "parents.children: the query is 2 levels deep here; the limit is 1 (Limits::max_query_depth)"
    );
    assert_eq!(
        json_query(&db, family::TABLES, &json!({"parents": {}})).unwrap(),
        json!({"parents": []})
    );
}

#[test]
fn a_graph_query_deeper_than_the_limit_is_refused_while_parsing() {
    let mut text = String::new();
    for _ in 0..10_000 {
        text.push_str("users { ");
    }
    let error = on_small_stack(move || GraphNode::parse(&text).unwrap_err().to_string());
    assert_eq!(
        error,
        "graph query, at character 128: the query is 17 levels deep here; the limit is 16 \
         (Limits::max_query_depth)"
    );
}

#[test]
fn a_where_value_nested_past_the_json_depth_is_refused_before_it_is_read() {
    let mut value = json!(1);
    for _ in 0..1_000 {
        value = json!([value]);
    }
    let error = Parent::query()
        .where_json(&json!({"id__in": value}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "where: nests arrays and objects 65 deep; the limit is 64 (Limits::max_json_depth)"
    );
}
