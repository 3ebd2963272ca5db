//! `_instant/seed.json`: the rows that `db:bootstrap` and `db:seed` insert.
//!
//! The file is an array of batches; each batch maps table names to arrays of rows. instant.dev
//! seeds the batches one after another and the tables of one batch concurrently, so a batch is
//! the unit of ordering (rows that reference others go in a later batch). Rows stay JSON objects
//! with their keys in file order, because each goes through the model (defaults, validations,
//! callbacks) like any other insert.
//!
//! [`Seed::check`] goes further than instant.dev, which reports an unknown table only when
//! seeding reaches it and silently drops row keys that are not columns: here both are errors
//! that name the location in the file, before anything is inserted.
//!
//! ```
//! use instant_schema::seed::Seed;
//! let seed = Seed::parse("_instant/seed.json", r#"[{"users": [{"email": "a@b.c"}]}]"#)?;
//! assert_eq!(seed.batches[0].tables["users"][0]["email"], "a@b.c");
//! # Ok::<(), instant_schema::Error>(())
//! ```

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::{Error, Result, describe};
use crate::json_path::JsonPath;
use crate::schema::Schema;

/// One row to insert: column name → value, in file order.
pub type SeedRow = Map<String, Value>;

/// A whole `seed.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    /// The file it was read from, for messages.
    pub path: Option<PathBuf>,
    /// Seeded in order, one after another.
    pub batches: Vec<SeedBatch>,
}

/// One element of the seed array: tables seeded together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedBatch {
    /// Table name → rows, in file order.
    pub tables: IndexMap<String, Vec<SeedRow>>,
}

impl Seed {
    /// What `instant` writes for a new project: one empty batch, `[{}]` (instant.dev writes it
    /// with two-space indentation and no trailing newline).
    pub fn default_content() -> &'static str {
        "[\n  {}\n]"
    }

    /// Reads `path`; `None` when there is no such file (nothing to seed).
    pub fn load(path: impl AsRef<Path>) -> Result<Option<Seed>> {
        let path = path.as_ref();
        match std::fs::read_to_string(path) {
            Ok(text) => Seed::parse(path, &text).map(Some),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(Error::io(path, error)),
        }
    }

    /// Parses `text` as the contents of `path`; `path` is only used in messages.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Seed> {
        let path = path.as_ref();
        let json: Value = serde_json::from_str(text).map_err(|e| Error::json(path, &e))?;
        let mut seed = Seed::from_json(&json).map_err(|e| e.in_file(path))?;
        seed.path = Some(path.to_path_buf());
        Ok(seed)
    }

    /// Reads a seed from JSON with instant.dev's structural rules (`validateSeed`).
    pub fn from_json(json: &Value) -> Result<Seed> {
        let root = JsonPath::root();
        let Value::Array(items) = json else {
            return Err(Error::invalid(
                &root,
                format!(
                    "Invalid seed: top-level must be an Array of objects mapping table names to \
                     rows, found {}",
                    describe(json)
                ),
            ));
        };
        let mut batches = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = root.index(i);
            let Value::Object(tables) = item else {
                return Err(Error::invalid(
                    &at,
                    format!(
                        "must be an Object mapping table names to arrays of rows, found {}",
                        describe(item)
                    ),
                ));
            };
            let mut batch = SeedBatch::default();
            for (table, rows) in tables {
                let table_at = at.key(table);
                let Value::Array(rows) = rows else {
                    return Err(Error::invalid(
                        &table_at,
                        format!("must be an Array of rows, found {}", describe(rows)),
                    ));
                };
                let rows = rows
                    .iter()
                    .enumerate()
                    .map(|(j, row)| match row {
                        Value::Object(row) => Ok(row.clone()),
                        other => Err(Error::invalid(
                            &table_at.index(j),
                            format!(
                                "must be an Object mapping column names to values, found {}",
                                describe(other)
                            ),
                        )),
                    })
                    .collect::<Result<Vec<_>>>()?;
                batch.tables.insert(table.clone(), rows);
            }
            batches.push(batch);
        }
        Ok(Seed {
            path: None,
            batches,
        })
    }

    /// The seed as JSON, in the file's shape.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.batches
                .iter()
                .map(|batch| {
                    Value::Object(
                        batch
                            .tables
                            .iter()
                            .map(|(table, rows)| {
                                let rows = rows.iter().cloned().map(Value::Object).collect();
                                (table.clone(), Value::Array(rows))
                            })
                            .collect(),
                    )
                })
                .collect(),
        )
    }

    /// The number of rows in all batches.
    pub fn row_count(&self) -> usize {
        self.batches
            .iter()
            .flat_map(|batch| batch.tables.values())
            .map(Vec::len)
            .sum()
    }

    /// Checks that every table exists in `schema` and that every row key is one of its columns.
    pub fn check(&self, schema: &Schema) -> Result<()> {
        let error = |at: JsonPath, message: String| {
            let error = Error::invalid(&at, message);
            match &self.path {
                Some(path) => error.in_file(path),
                None => error,
            }
        };
        for (i, batch) in self.batches.iter().enumerate() {
            for (name, rows) in &batch.tables {
                let at = JsonPath::root().index(i).key(name);
                let Some(table) = schema.table(name) else {
                    let tables: Vec<&str> = schema.tables.keys().map(String::as_str).collect();
                    return Err(error(
                        at,
                        format!(
                            "No such table: \"{name}\" (tables: {}); seed.json uses table \
                             names, not model names",
                            quoted(&tables)
                        ),
                    ));
                };
                for (j, row) in rows.iter().enumerate() {
                    if let Some(key) = row.keys().find(|key| table.column(key).is_none()) {
                        let columns: Vec<&str> =
                            table.columns.iter().map(|c| c.name.as_str()).collect();
                        return Err(error(
                            at.index(j).key(key),
                            format!(
                                "No such column: \"{key}\" in table \"{name}\" (columns: {})",
                                quoted(&columns)
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

fn quoted(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        format!("\"{}\"", names.join("\", \""))
    }
}
