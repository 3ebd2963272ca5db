//! Near-valid `_instant/` documents: migrations, commands, schemas, `db.json` and `seed.json`
//! built the way a person writes them, then damaged here and there (a wrong type, a missing or
//! unknown key, an unknown command, an odd name, a huge number), so most inputs get past the
//! first check and reach the rules behind it.

use instant_schema::column_type;
use instant_schema::schema_json::{BEHAVIOR_KEYS, PROPERTY_KEYS};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;
use serde_json::{Map, Value, json};

use super::json;

/// Table names: a few that commands share (so sequences meet), and any text.
const TABLES: &[&str] = &["users", "posts", "comments", "t"];
/// Column names, the implicit ones included.
const COLUMNS: &[&str] = &[
    "id",
    "email",
    "user_id",
    "post_id",
    "c",
    "created_at",
    "updated_at",
];

/// `valid` most of the time; otherwise a hostile value of any type.
pub fn damaged(valid: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![
        150 => valid,
        1 => json::leaf(),
        1 => json::value(2, 3),
    ]
    .boxed()
}

/// A name from `pool` or, now and then, any text.
fn name_from(pool: &'static [&'static str]) -> BoxedStrategy<Value> {
    damaged(prop_oneof![
        20 => select(pool).prop_map(Value::from),
        1 => json::text().prop_map(Value::from),
    ])
}

pub fn table_name() -> BoxedStrategy<Value> {
    name_from(TABLES)
}

pub fn column_name() -> BoxedStrategy<Value> {
    name_from(COLUMNS)
}

/// A column type: every known one, and a few that are not.
pub fn column_type() -> BoxedStrategy<Value> {
    let known: Vec<&'static str> = column_type::all_types().collect();
    pick(known, &["varchar(10)", "int[]", "INT", "", "vector(3)"])
}

/// An index type: the standard ones, the vector ones with and without a distance, and odd ones.
pub fn index_type() -> BoxedStrategy<Value> {
    let mut known: Vec<&'static str> = column_type::INDEX_TYPES.to_vec();
    known.extend(["hnsw", "hnsw:cosine", "hnsw:ip", "ivfflat:l2"]);
    pick(
        known,
        &["ivfflat:manhattan", "btree:l2", "hnsw:", ":", "BTREE"],
    )
}

/// One of `valid` most of the time, one of `invalid` now and then.
fn pick(valid: Vec<&'static str>, invalid: &'static [&'static str]) -> BoxedStrategy<Value> {
    damaged(prop_oneof![
        40 => select(valid).prop_map(Value::from),
        1 => select(invalid).prop_map(Value::from),
    ])
}

/// An object of the given keys, each present or not, plus now and then an unknown key.
fn object_of_keys(keys: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let fields: Vec<_> = keys
        .into_iter()
        .map(|(key, value)| prop::option::weighted(0.6, value).prop_map(move |v| (key, v)))
        .collect();
    (
        fields,
        prop::option::weighted(0.05, (json::text(), json::leaf())),
    )
        .prop_map(|(fields, extra)| {
            let mut map = Map::new();
            for (key, value) in fields {
                if let Some(value) = value {
                    map.insert(key.to_string(), value);
                }
            }
            if let Some((key, value)) = extra {
                map.insert(key, value);
            }
            Value::Object(map)
        })
        .boxed()
}

/// A column's `properties`.
pub fn column_properties() -> BoxedStrategy<Value> {
    let length = prop_oneof![
        16 => (1i64..2000).prop_map(Value::from),
        2 => Just(Value::Null),
        1 => json::number(),
    ]
    .boxed();
    let keys = PROPERTY_KEYS
        .iter()
        .map(|key| {
            let value = match *key {
                "length" => damaged(length.clone()),
                "defaultValue" => json::leaf().boxed(),
                _ => damaged(any::<bool>().prop_map(Value::Bool)),
            };
            (*key, value)
        })
        .collect();
    damaged(object_of_keys(keys))
}

/// One column of a `createTable` or a schema table: `{"name", "type", "properties"}`.
pub fn column() -> BoxedStrategy<Value> {
    damaged(fixed_keys(
        vec![
            ("name", column_name()),
            ("type", column_type()),
            ("properties", column_properties()),
        ],
        1,
    ))
}

/// An object with all of `keys` most of the time; now and then one is left out (the last
/// `optional` ones more often) or an unknown one is added.
fn fixed_keys(
    keys: Vec<(&'static str, BoxedStrategy<Value>)>,
    optional: usize,
) -> BoxedStrategy<Value> {
    let count = keys.len();
    let values: Vec<_> = keys
        .into_iter()
        .enumerate()
        .map(|(i, (key, value))| {
            let present = if i + optional >= count { 0.7 } else { 0.995 };
            prop::option::weighted(present, value).prop_map(move |v| (key, v))
        })
        .collect();
    (
        values,
        prop::option::weighted(0.03, (json::text(), json::leaf())),
    )
        .prop_map(|(values, extra)| {
            let mut map = Map::new();
            for (key, value) in values {
                if let Some(value) = value {
                    map.insert(key.to_string(), value);
                }
            }
            if let Some((key, value)) = extra {
                map.insert(key, value);
            }
            Value::Object(map)
        })
        .boxed()
}

/// A foreign key's `behavior`.
pub fn behavior() -> BoxedStrategy<Value> {
    let keys = BEHAVIOR_KEYS
        .iter()
        .map(|key| {
            let value = match *key {
                "alias" | "parentAlias" => damaged(prop_oneof![
                    pick(vec!["author", "writings", "posts"], &["", "__", "a b"]),
                    Just(Value::Null),
                ]),
                _ => damaged(any::<bool>().prop_map(Value::Bool)),
            };
            (*key, value)
        })
        .collect();
    damaged(object_of_keys(keys))
}

/// A schema document (`schema.json`, a `setSchema` argument): tables from the shared pool with
/// columns, and indices and foreign keys that mostly refer to them.
pub fn schema() -> BoxedStrategy<Value> {
    // Each table of the pool, mostly there, so that foreign keys mostly find theirs.
    let tables: Vec<_> = TABLES
        .iter()
        .map(|name| {
            let table = (
                prop::collection::vec(column(), 0..5),
                any::<bool>(),
                prop::bool::weighted(0.05),
            )
                .prop_map(move |(mut columns, implicit, duplicates)| {
                    if implicit {
                        for (column, column_type) in [("id", "serial"), ("created_at", "datetime")]
                        {
                            columns.insert(0, json!({"name": column, "type": column_type}));
                        }
                    }
                    if !duplicates {
                        let mut seen = Vec::new();
                        columns.retain(|column| {
                            let name = column.get("name").cloned();
                            let first = !seen.contains(&name);
                            seen.push(name);
                            first
                        });
                    }
                    json!({"name": name, "columns": columns})
                });
            prop::option::weighted(0.85, damaged(table)).prop_map(move |table| (*name, table))
        })
        .collect();
    let tables = tables.prop_map(|tables| {
        Value::Object(
            tables
                .into_iter()
                .filter_map(|(name, table)| Some((name.to_string(), table?)))
                .collect::<Map<String, Value>>(),
        )
    });
    let index = fixed_keys(
        vec![
            ("table", table_name()),
            ("column", column_name()),
            ("type", index_type()),
        ],
        0,
    );
    let foreign_key = fixed_keys(
        vec![
            ("table", table_name()),
            ("column", column_name()),
            ("parentTable", table_name()),
            ("parentColumn", column_name()),
            ("behavior", behavior()),
        ],
        1,
    );
    damaged(fixed_keys(
        vec![
            (
                "migration_id",
                damaged(prop_oneof![
                    Just(Value::Null),
                    (1i64..100).prop_map(Value::from)
                ]),
            ),
            (
                "indices",
                damaged(prop::collection::vec(damaged(index), 0..3).prop_map(Value::Array)),
            ),
            (
                "foreign_keys",
                damaged(prop::collection::vec(damaged(foreign_key), 0..3).prop_map(Value::Array)),
            ),
            ("tables", damaged(tables)),
        ],
        0,
    ))
}

/// The arguments of each command, in order, valid most of the time.
fn command_arguments(name: &str) -> Vec<BoxedStrategy<Value>> {
    let columns = || damaged(prop::collection::vec(column(), 0..4).prop_map(Value::Array));
    let sql = || damaged(json::text().prop_map(Value::from));
    match name {
        "setSchema" => vec![schema()],
        "createTable" => vec![table_name(), columns()],
        "dropTable" => vec![table_name()],
        "renameTable" => vec![table_name(), table_name()],
        "alterColumn" => vec![
            table_name(),
            column_name(),
            column_type(),
            column_properties(),
        ],
        "addColumn" => vec![
            table_name(),
            column_name(),
            column_type(),
            column_properties(),
        ],
        "renameColumn" => vec![table_name(), column_name(), column_name()],
        "createIndex" => vec![table_name(), column_name(), index_type()],
        "createForeignKey" => vec![
            table_name(),
            column_name(),
            table_name(),
            column_name(),
            behavior(),
        ],
        "executeSql" => vec![
            sql(),
            damaged(prop::collection::vec(json::leaf(), 0..4).prop_map(Value::Array)),
        ],
        // dropColumn, dropIndex, dropForeignKey
        _ => vec![table_name(), column_name()],
    }
}

const COMMANDS: &[&str] = &[
    "setSchema",
    "createTable",
    "dropTable",
    "renameTable",
    "alterColumn",
    "addColumn",
    "dropColumn",
    "renameColumn",
    "createIndex",
    "dropIndex",
    "createForeignKey",
    "dropForeignKey",
    "executeSql",
];

/// One command array: a known command with its arguments (some left off, some nulled, now and
/// then one too many), an unknown command, or something that is not a command at all.
pub fn command() -> BoxedStrategy<Value> {
    // Each command's strategy is built once: building them per input costs more than running
    // the parser.
    let known = Union::new(COMMANDS.iter().map(|name| {
        let arguments = command_arguments(name);
        let count = arguments.len();
        let left_off = prop_oneof![24 => Just(0usize), 2 => Just(1usize), 1 => Just(2usize)];
        (
            arguments,
            left_off,
            prop::option::weighted(0.02, json::leaf()),
        )
            .prop_map(move |(arguments, left_off, extra)| {
                let mut items = vec![Value::from(*name)];
                // Mostly all of them; otherwise the last one or two left off (optional ones,
                // or a required one missing).
                items.extend(arguments.into_iter().take(count.saturating_sub(left_off)));
                items.extend(extra);
                Value::Array(items)
            })
            .boxed()
    }));
    prop_oneof![
        60 => known,
        1 => (json::text(), prop::collection::vec(json::leaf(), 0..3)).prop_map(|(name, args)| {
            let mut items = vec![Value::from(name)];
            items.extend(args);
            Value::Array(items)
        }),
        1 => json::leaf(),
        1 => Just(json!([])),
    ]
    .boxed()
}

/// A migration file: `{id, name, up, down}`.
pub fn migration() -> BoxedStrategy<Value> {
    let id = damaged(prop_oneof![
        40 => (1i64..1000).prop_map(Value::from),
        1 => Just(Value::from((1i64 << 53) - 1)),
        1 => Just(Value::from(1i64 << 53)),
        1 => json::number(),
        1 => Just(json!("1")),
    ]);
    let name = damaged(prop_oneof![
        30 => select(&["", "create_users", "Create-users 2_x", "a"][..]).prop_map(Value::from),
        1 => json::text().prop_map(Value::from),
    ]);
    let commands =
        |most: usize| damaged(prop::collection::vec(command(), 0..most).prop_map(Value::Array));
    fixed_keys(
        vec![
            ("id", id),
            ("name", name),
            ("up", commands(6)),
            ("down", commands(4)),
        ],
        0,
    )
}

/// A `db.json` entry: `{"connectionString"}` or the separate fields, placeholders included.
pub fn database_entry() -> BoxedStrategy<Value> {
    let placeholder = || {
        pick(
            vec!["{{ DB_HOST }}", "{{DB_HOST}}", "{{ DB_PORT }}"],
            &["{{ EMPTY }}", "{{ MISSING }}", "{{}}"],
        )
    };
    let text = || {
        damaged(prop_oneof![
            12 => pick(vec!["localhost", "127.0.0.1", "::1", "db.example", "postgres", "app"], &["", " "]),
            2 => placeholder(),
            1 => json::text().prop_map(Value::from),
        ])
    };
    let port = damaged(prop_oneof![
        12 => (1i64..65_536).prop_map(Value::from),
        1 => (-5i64..70_000).prop_map(Value::from),
        1 => pick(vec!["5432"], &["5432abc", "", "65536", "-1", "0x10", "0"]),
        1 => placeholder(),
    ]);
    let ssl = damaged(prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        select(
            &[
                "unauthorized",
                "require",
                "verify-full",
                "yes",
                "{{ DB_HOST }}"
            ][..]
        )
        .prop_map(Value::from),
        Just(json!({"rejectUnauthorized": false})),
        Just(json!({"rejectUnauthorized": "no"})),
    ]);
    let tunnel = damaged(object_of_keys(vec![
        ("user", text()),
        ("host", text()),
        (
            "port",
            damaged(prop_oneof![
                (0i64..70_000).prop_map(Value::from),
                placeholder()
            ]),
        ),
        ("private_key", text()),
    ]));
    let fields = fixed_keys(
        vec![
            ("host", text()),
            ("port", port),
            ("user", text()),
            ("database", text()),
            ("password", text()),
            ("ssl", ssl),
            ("in_vpc", damaged(any::<bool>().prop_map(Value::Bool))),
            ("tunnel", tunnel),
        ],
        4,
    );
    let url = prop_oneof![
        3 => (
            select(&["postgres://", "postgresql://", "mysql://", ""][..]),
            select(&["", "u@", "u:p@", "%41:%zz@", "{{ DB_HOST }}@"][..]),
            select(&["localhost", "[::1]", "h1,h2", "", "%2Ftmp"][..]),
            select(&["", ":5432", ":0", ":99999", ":x"][..]),
            select(&["", "/d", "/", "/a%20b"][..]),
            select(&["", "?sslmode=require", "?sslmode=nope", "?application_name=x&connect_timeout=5", "?&=", "?ssl=true"][..]),
        )
            .prop_map(|(scheme, user, host, port, db, query)| Value::from(format!("{scheme}{user}{host}{port}{db}{query}"))),
        1 => placeholder(),
        1 => json::text().prop_map(Value::from),
    ];
    damaged(prop_oneof![
        2 => fields,
        1 => damaged(url).prop_map(|url| json!({"connectionString": url})),
        1 => (damaged(select(&["x"][..]).prop_map(Value::from)), text()).prop_map(|(url, host)| json!({"connectionString": url, "host": host})),
    ])
}

/// A whole `db.json`: environments of named databases.
pub fn db_json() -> BoxedStrategy<Value> {
    let databases = prop::collection::vec(
        (select(&["main", "readonly", ""][..]), database_entry()),
        0..3,
    )
    .prop_map(|entries| {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    });
    damaged(
        prop::collection::vec(
            (
                select(&["development", "test", "production", "staging"][..]),
                damaged(databases),
            ),
            0..3,
        )
        .prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            )
        }),
    )
}

/// A `seed.json`: batches of tables of rows, with values of any type.
pub fn seed_json() -> BoxedStrategy<Value> {
    let row = damaged(
        prop::collection::vec((column_name(), json::value(2, 3)), 0..4).prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.as_str().unwrap_or("c").to_string(), value))
                    .collect(),
            )
        }),
    );
    let rows = damaged(prop::collection::vec(row, 0..4).prop_map(Value::Array));
    let batch = damaged(
        prop::collection::vec((table_name(), rows), 0..3).prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.as_str().unwrap_or("t").to_string(), value))
                    .collect(),
            )
        }),
    );
    damaged(prop::collection::vec(batch, 0..4).prop_map(Value::Array))
}
