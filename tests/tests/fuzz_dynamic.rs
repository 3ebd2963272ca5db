//! Fuzzing the dynamic query API, the part served to untrusted callers: where-objects
//! (`where_json`, `safe_where`) built into SQL against the generated descriptors, and nested
//! JSON queries (`explain_json_query`, `json_query`). Nothing panics; every refusal is an error
//! with a message; graph query text (instant.dev's legacy `users(id: 1) { id, posts { body } }`)
//! parses or is refused; built SQL binds exactly the values it numbers; and, on a real database,
//! what was built runs or fails with an error.
//!
//! Inputs stay within sane sizes (a few alternatives and keys, paths of at most three hops,
//! nested queries at most four levels deep): the limits for huge documents have tests of their
//! own. `PROPTEST_CASES` sets the number of inputs per target; the targets that run SQL share
//! one temporary database per test function.

#[path = "../../instant-schema/tests/fuzz_support/mod.rs"]
mod fuzz_support;

use fuzz_support::{Outcome, campaign, json, outcome};
use instant_runtime::descriptor::{Table, TableInfo};
use instant_runtime::query::{GraphNode, Query, explain_json_query, graph_query, json_query};
use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Model};
use instant_tests::family::{self, Parent};
use instant_tests::setup;
use instant_tests::types::Sample;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Map, Value};

/// Words a caller may put where a comparator goes: every real one, and a few that are not.
fn comparators() -> Vec<&'static str> {
    let mut all = instant_runtime::query::COMPARATORS.to_vec();
    all.extend(["equals", "", "IS"]);
    all
}

/// A key as a caller writes it: relationships walked from `table` (up to three hops), a
/// column, maybe a comparator; now and then a name that is not there. Any comparator goes on
/// any column, also where it does not apply (`details__array_contains` on a `json` column,
/// which once panicked the driver): the query layer refuses those before anything is sent.
fn key(
    schema: &'static [&'static TableInfo],
    table: &'static TableInfo,
) -> impl Strategy<Value = String> {
    let hops = prop::collection::vec(any::<Index>(), 0..=3);
    let comparator = prop::option::weighted(0.7, select(comparators()));
    let odd = prop::option::weighted(0.05, (any::<Index>(), json::text()));
    (hops, any::<Index>(), comparator, odd).prop_map(move |(hops, column, comparator, odd)| {
        let mut segments: Vec<String> = Vec::new();
        let mut at = table;
        for hop in hops {
            if at.relations.is_empty() {
                break;
            }
            let relation = &at.relations[hop.index(at.relations.len())];
            segments.push(relation.name.to_string());
            match schema.iter().find(|info| info.name == relation.to_table) {
                Some(next) => at = next,
                None => break,
            }
        }
        let column = &at.columns[column.index(at.columns.len())];
        segments.push(column.name.to_string());
        if let Some(comparator) = comparator {
            segments.push(comparator.to_string());
        }
        if let Some((place, text)) = odd {
            let place = place.index(segments.len() + 1);
            segments.insert(place, text);
        }
        segments.join("__")
    })
}

/// A condition's value: hostile leaves, values of the column types of the fixtures, small
/// arrays and objects.
fn condition_value() -> BoxedStrategy<Value> {
    let typed = select(
        &[
            "2024-02-29",
            "2024-02-30",
            "2024-01-01T10:00:00Z",
            "10:00",
            "123e4567-e89b-12d3-a456-426614174000",
            "not-a-uuid",
            "192.168.0.1",
            "1.5",
            "[1,2,3]",
            "\\x00ff",
            "Cat",
            "a%b_c",
        ][..],
    )
    .prop_map(Value::from);
    let leaves = prop_oneof![4 => json::leaf(), 2 => typed].boxed();
    json::value_with(leaves, 2, 4)
}

/// `__order`, `__offset` or `__count`, with values right and wrong.
fn directive(table: &'static TableInfo) -> impl Strategy<Value = (String, Value)> {
    let column = any::<Index>().prop_map(move |i| table.columns[i.index(table.columns.len())].name);
    let order = (
        column,
        select(
            &[
                "",
                " ASC",
                " DESC",
                " desc",
                " DESC NULLS FIRST",
                " ASC NULLS LAST",
                " SIDEWAYS",
                " ASC DESC",
            ][..],
        ),
    )
        .prop_map(|(column, direction)| Value::from(format!("{column}{direction}")));
    prop_oneof![
        (
            Just("__order"),
            prop_oneof![
                order.clone(),
                prop::collection::vec(order, 0..3).prop_map(Value::Array),
                json::leaf()
            ]
            .boxed()
        ),
        (Just("__offset"), json::number().boxed()),
        (Just("__count"), json::number().boxed()),
    ]
    .prop_map(|(key, value)| (key.to_string(), value))
}

/// One where-object: a few conditions and maybe a directive.
fn where_object(
    schema: &'static [&'static TableInfo],
    table: &'static TableInfo,
) -> BoxedStrategy<Value> {
    (
        prop::collection::vec((key(schema, table), condition_value()), 0..5),
        prop::option::weighted(0.3, directive(table)),
    )
        .prop_map(|(conditions, directive)| {
            let mut object: Map<String, Value> = conditions.into_iter().collect();
            if let Some((key, value)) = directive {
                object.insert(key, value);
            }
            Value::Object(object)
        })
        .boxed()
}

/// A where argument: one object, an array of them (ORed), or something else entirely.
fn where_argument(
    schema: &'static [&'static TableInfo],
    table: &'static TableInfo,
) -> BoxedStrategy<Value> {
    prop_oneof![
        6 => where_object(schema, table),
        3 => prop::collection::vec(where_object(schema, table), 0..5).prop_map(Value::Array),
        1 => json::value(3, 3),
    ]
    .boxed()
}

/// The where argument of `M`'s table.
fn where_of<M: Model>() -> BoxedStrategy<Value> {
    where_argument(<M::Table as Table>::SCHEMA, <M::Table as Table>::INFO)
}

/// The query built from `argument`, then its SQL: every `$n` it numbers is bound, and no more.
fn build<M: Model>(
    argument: &Value,
    safe: bool,
) -> Result<(Outcome, Option<Query<M>>), TestCaseError> {
    let built = if safe {
        M::query().safe_where(argument)
    } else {
        M::query().where_json(argument)
    };
    let result = outcome(&built)?;
    let Ok(query) = built else {
        return Ok((result, None));
    };
    let (sql, values) = query.to_sql();
    let numbered = sql
        .split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0);
    prop_assert_eq!(numbered, values.0.len(), "placeholders of {}", sql);
    Ok((result, Some(query)))
}

/// Where-objects on `parents` (relationships to every other family table) and `samples` (every
/// column type, arrays, JSON, vectors), through `where_json` and `safe_where`.
#[test]
fn where_objects_build_sql() {
    let inputs = || {
        prop_oneof![
            where_of::<Parent>().prop_map(|w| (true, w)),
            where_of::<Sample>().prop_map(|w| (false, w)),
        ]
    };
    campaign(
        "dynamic_where_build",
        2_000,
        inputs,
        |(on_parents, argument)| {
            if on_parents {
                build::<Parent>(&argument, true)?;
                Ok(build::<Parent>(&argument, false)?.0)
            } else {
                build::<Sample>(&argument, true)?;
                Ok(build::<Sample>(&argument, false)?.0)
            }
        },
    );
}

/// What [`where_objects_build_sql`] builds, run: the rows come back or the error says why.
fn run_where<M: Model>(name: &'static str, default_cases: u32, db: Db) {
    campaign(
        name,
        default_cases,
        || where_of::<M>(),
        move |argument| {
            let (result, query) = build::<M>(&argument, false)?;
            match query {
                Some(query) => in_step(&query.select(&db)),
                None => Ok(result),
            }
        },
    );
}

#[test]
fn where_objects_run_on_family() {
    let (_temp, db) = setup::family();
    run_where::<Parent>("dynamic_where_run_family", 200, db);
}

#[test]
fn where_objects_run_on_every_column_type() {
    // The `samples` table has a `vector` column: pgvector first.
    let temp = TempDb::with_vector().expect("a temporary database with pgvector");
    temp.migrate_fixture(setup::fixture_dir("types"))
        .expect("the types fixture migrates");
    let db = temp.db().expect("a pool on the temporary database");
    run_where::<Sample>("dynamic_where_run_types", 200, db);
}

/// A nested query node for `table`: its options and up to two relationships, `depth` more
/// levels at most.
fn node(
    schema: &'static [&'static TableInfo],
    table: &'static TableInfo,
    depth: u32,
) -> BoxedStrategy<Value> {
    let options = (
        prop::option::weighted(0.5, where_argument(schema, table)),
        prop::option::weighted(0.3, directive(table).prop_map(|(_, value)| value)),
        prop::option::weighted(
            0.3,
            prop_oneof![3 => (0i64..5).prop_map(Value::from), 1 => json::number()],
        ),
        prop::option::weighted(0.2, json::number()),
        prop::option::weighted(0.05, (json::text(), json::leaf())),
    )
        .prop_map(|(conditions, order, limit, offset, odd)| {
            let mut options = Map::new();
            for (key, value) in [
                ("where", conditions),
                ("order", order),
                ("limit", limit),
                ("offset", offset),
            ] {
                if let Some(value) = value {
                    options.insert(key.to_string(), value);
                }
            }
            if let Some((key, value)) = odd {
                options.insert(key, value);
            }
            Value::Object(options)
        });
    let children: BoxedStrategy<Vec<(String, Value)>> = if depth == 0 || table.relations.is_empty()
    {
        Just(Vec::new()).boxed()
    } else {
        let relation = select(table.relations).prop_flat_map(move |relation| {
            let target = schema
                .iter()
                .copied()
                .find(|info| info.name == relation.to_table);
            match target {
                Some(target) => node(schema, target, depth - 1)
                    .prop_map(move |child| (relation.name.to_string(), child))
                    .boxed(),
                None => Just((relation.name.to_string(), Value::Object(Map::new()))).boxed(),
            }
        });
        prop::collection::vec(relation, 0..=2).boxed()
    };
    (
        prop::option::weighted(0.7, options),
        children,
        prop::option::weighted(0.05, json::text()),
    )
        .prop_map(|(options, children, odd)| {
            let mut node = Map::new();
            if let Some(options) = options {
                node.insert("$".to_string(), options);
            }
            node.extend(children);
            if let Some(name) = odd {
                node.insert(name, Value::Object(Map::new()));
            }
            Value::Object(node)
        })
        .boxed()
}

/// A nested query: one or two namespaces of the family fixture, or anything else.
fn nested_query(depth: u32) -> BoxedStrategy<Value> {
    let namespace = select(family::TABLES).prop_flat_map(move |table| {
        node(family::TABLES, table, depth).prop_map(move |node| (table.name.to_string(), node))
    });
    prop_oneof![
        8 => prop::collection::vec(namespace, 1..=2).prop_map(|namespaces| Value::Object(namespaces.into_iter().collect())),
        1 => json::value(3, 3),
    ]
    .boxed()
}

/// The outcome of a statement sent to the database, which must never find its connection out
/// of step because of an earlier input.
fn in_step<T>(result: &instant_runtime::Result<T>) -> Result<Outcome, TestCaseError> {
    if let Err(error) = result {
        let message = error.to_string();
        prop_assert!(
            !message.contains("connection closed"),
            "an earlier input left the connection out of step: {}",
            message
        );
    }
    outcome(result)
}

/// Nested queries up to four levels deep, explained without a database.
#[test]
fn nested_queries_explain() {
    campaign(
        "dynamic_nested_explain",
        1_000,
        || nested_query(4),
        |query| outcome(&explain_json_query(family::TABLES, &query)),
    );
}

/// Nested queries up to three levels deep, run on the seeded family fixture.
#[test]
fn nested_queries_run() {
    let (_temp, db) = setup::family();
    campaign(
        "dynamic_nested_run",
        100,
        || nested_query(3),
        move |query| in_step(&json_query(&db, family::TABLES, &query)),
    );
}

/// The pieces of a graph query, right and wrong.
const GRAPH_TOKENS: &[&str] = &[
    "(",
    ")",
    "{",
    "}",
    ":",
    ",",
    " ",
    "\n",
    "\"x\"",
    "\"\\\"\"",
    "\"\\u00e9\"",
    "\"\\",
    "\"",
    "1",
    "-1.5e3",
    "1e999",
    "+1",
    "0x10",
    "null",
    "true",
    "false",
    "é",
    "\u{0}",
    "name__icontains",
    "__order",
];

/// A graph query for `table`: a name, maybe arguments, maybe fields (columns and, `depth`
/// more levels at most, relationships), as tokens.
fn graph_node(table: &'static TableInfo, name: String, depth: u32) -> BoxedStrategy<Vec<String>> {
    let argument = (
        key(family::TABLES, table),
        prop_oneof![
            json::leaf().prop_map(|value| value.to_string()),
            select(GRAPH_TOKENS).prop_map(str::to_string),
        ],
    )
        .prop_map(|(key, value)| format!("{key}: {value}"));
    let arguments = prop::option::weighted(0.4, prop::collection::vec(argument, 0..3));
    let column = select(table.columns).prop_map(|column| vec![column.name.to_string()]);
    let field = if depth == 0 || table.relations.is_empty() {
        column.boxed()
    } else {
        let relation = select(table.relations).prop_flat_map(move |relation| match family::TABLES
            .iter()
            .copied()
            .find(|info| info.name == relation.to_table)
        {
            Some(target) => graph_node(target, relation.name.to_string(), depth - 1),
            None => Just(vec![relation.name.to_string()]).boxed(),
        });
        prop_oneof![3 => column, 1 => relation].boxed()
    };
    let fields = prop::option::weighted(0.9, prop::collection::vec(field, 0..4));
    (arguments, fields)
        .prop_map(move |(arguments, fields)| {
            let mut tokens = vec![name.clone()];
            if let Some(arguments) = arguments {
                tokens.push(format!("({})", arguments.join(", ")));
            }
            if let Some(fields) = fields {
                tokens.push("{".to_string());
                let fields: Vec<String> = fields.into_iter().map(|field| field.join(" ")).collect();
                tokens.push(fields.join(", "));
                tokens.push("}".to_string());
            }
            tokens
        })
        .boxed()
}

/// Graph query text: a query built from the family fixture's names, now and then with a token
/// dropped or added, or a soup of tokens.
fn graph_text() -> BoxedStrategy<String> {
    let built = select(family::TABLES)
        .prop_flat_map(|table| graph_node(table, table.name.to_string(), 2))
        .prop_map(|tokens| tokens.join(" "));
    let edit = prop::option::weighted(
        0.3,
        (any::<Index>(), prop::option::of(select(GRAPH_TOKENS))),
    );
    let edited = (built, edit).prop_map(|(text, edit)| {
        let Some((at, insert)) = edit else {
            return text;
        };
        let mut chars: Vec<char> = text.chars().collect();
        let at = at.index(chars.len() + 1);
        match insert {
            Some(token) => chars.splice(at..at, token.chars()).for_each(drop),
            None if at < chars.len() => drop(chars.remove(at)),
            None => {}
        }
        chars.into_iter().collect()
    });
    let soup = prop::collection::vec(
        prop_oneof![select(GRAPH_TOKENS).prop_map(str::to_string), json::text()],
        0..12,
    )
    .prop_map(|tokens| tokens.concat());
    prop_oneof![4 => edited, 1 => soup].boxed()
}

/// Graph query text parsed: a query or an error saying where.
#[test]
fn graph_queries_parse() {
    campaign("dynamic_graph_parse", 2_000, graph_text, |text| {
        outcome(&GraphNode::parse(&text))
    });
}

/// Graph queries run on the seeded family fixture.
#[test]
fn graph_queries_run() {
    let (_temp, db) = setup::family();
    campaign("dynamic_graph_run", 100, graph_text, move |text| {
        in_step(&graph_query(&db, family::TABLES, &text))
    });
}
