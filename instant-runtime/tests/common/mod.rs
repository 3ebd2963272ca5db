//! Helpers shared by the database tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// `fixtures/<name>` (the folder holding `_instant/` and `expected/`).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures")).join(name)
}

/// A JSON file of a fixture, parsed.
pub fn read_json(path: impl AsRef<Path>) -> Value {
    let text = std::fs::read_to_string(path.as_ref()).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The output of `fixtures/catalog.sql` on the database behind `client`.
pub fn catalog(client: &mut instant_runtime::pg::Client) -> Value {
    let sql = std::fs::read_to_string(fixture("catalog.sql")).unwrap();
    client.query_one(sql.as_str(), &[]).unwrap().get(0)
}

/// `_instant_migrations` as `{id, name, commands, schema}` rows by id (the shape of
/// `expected/instant_migrations.json`).
pub fn history(client: &mut instant_runtime::pg::Client) -> Value {
    let rows = client
        .query(
            "SELECT id, name, commands, schema FROM _instant_migrations ORDER BY id",
            &[],
        )
        .unwrap();
    Value::Array(
        rows.iter()
            .map(|row| {
                serde_json::json!({
                    "id": row.get::<_, i64>(0),
                    "name": row.get::<_, Option<String>>(1),
                    "commands": row.get::<_, Option<Value>>(2),
                    "schema": row.get::<_, Option<Value>>(3),
                })
            })
            .collect(),
    )
}

/// Copies the directory tree `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every place where `actual` and `expected` differ, as `path: actual != expected` lines.
pub fn differences(actual: &Value, expected: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff(actual, expected, String::new(), &mut out);
    out
}

fn diff(actual: &Value, expected: &Value, path: String, out: &mut Vec<String>) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let at = format!("{path}.{key}");
                match a.get(key) {
                    Some(actual) => diff(actual, value, at, out),
                    None => out.push(format!("{at}: missing, expected {value}")),
                }
            }
            for key in a.keys().filter(|key| !e.contains_key(*key)) {
                out.push(format!("{path}.{key}: unexpected {}", a[key]));
            }
        }
        (Value::Array(a), Value::Array(e)) if a.len() == e.len() => {
            for (index, (actual, expected)) in a.iter().zip(e).enumerate() {
                diff(actual, expected, format!("{path}[{index}]"), out);
            }
        }
        _ if actual != expected => out.push(format!("{path}: {actual} != {expected}")),
        _ => {}
    }
}
