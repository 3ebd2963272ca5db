//! Seeding (`_instant/seed.json`): rows inserted element by element, through the models'
//! save pipeline where the application registered a model for the table (validations,
//! verifications, hooks with `is_seeding()`, timestamps), and by the schema alone otherwise
//! (timestamps maintained, values converted by PostgreSQL from JSON).
//!
//! Each element of the seed array is one transaction: a bad row leaves nothing of its
//! element behind (instant.dev commits table by table).
//!
//! ```no_run
//! use instant_runtime::{Db, seed};
//! use instant_schema::Project;
//!
//! # fn demo(db: &Db) -> instant_runtime::Result<()> {
//! let project = Project::load(".")?;
//! // `seed::Models::new().with::<User>()…`, or the generated `seed_models()`.
//! let report = seed::seed_project(db, &project, &seed::Models::new())?;
//! println!("{report}");
//! # Ok(()) }
//! ```

mod dynamic;
mod models;

use std::fmt;

use indexmap::IndexMap;
use instant_schema::Project;
use instant_schema::schema::Schema;
use instant_schema::seed::Seed;
use serde_json::Value;

pub use models::Models;

use crate::db::Executor;
use crate::error::{Error, Result};

/// What a seed inserted: the primary keys of the new rows, by table, in insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedReport {
    pub tables: IndexMap<String, Vec<Value>>,
}

impl SeedReport {
    /// How many rows were inserted in all.
    pub fn row_count(&self) -> usize {
        self.tables.values().map(Vec::len).sum()
    }
}

/// instant.dev's summary: `Seeded 3 entries:` then ` + "users" (x2)` per table.
impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Seeded {} entries:", self.row_count())?;
        for (table, ids) in &self.tables {
            write!(f, "\n + \"{table}\" (x{})", ids.len())?;
        }
        Ok(())
    }
}

/// Seeds the project's `_instant/seed.json` (nothing when there is none) against the schema
/// its migrations give.
pub fn seed_project(
    executor: impl Executor,
    project: &Project,
    models: &Models,
) -> Result<SeedReport> {
    let path = project.dir.join("seed.json");
    match Seed::load(&path)? {
        Some(seed) => seed_with(executor, &project.schema()?, &seed, models),
        None => Ok(SeedReport::default()),
    }
}

/// Inserts `seed`'s rows: every table and column is checked against `schema` first; then
/// each element in order, in one transaction (tables in file order, rows in array order).
pub fn seed_with(
    mut executor: impl Executor,
    schema: &Schema,
    seed: &Seed,
    models: &Models,
) -> Result<SeedReport> {
    seed.check(schema)?;
    let mut report = SeedReport::default();
    for (index, batch) in seed.batches.iter().enumerate() {
        let inserted = executor.with_transaction(|transaction| {
            let mut inserted = Vec::new();
            for (table, rows) in &batch.tables {
                let at = || format!("seed[{index}][\"{table}\"]");
                let ids = match models.get(table) {
                    Some(save) => save(rows, transaction),
                    None => match schema.tables.get(table) {
                        Some(info) => dynamic::insert(transaction, info, rows),
                        None => Err(Error::Input {
                            message: format!("No such table: \"{table}\""),
                        }),
                    },
                }
                .map_err(|error| match error {
                    Error::Seed { at: row, source } => Error::Seed {
                        at: format!("{}{row}", at()),
                        source,
                    },
                    other => Error::Seed {
                        at: at(),
                        source: Box::new(other),
                    },
                })?;
                inserted.push((table.clone(), ids));
            }
            Ok(inserted)
        })?;
        for (table, ids) in inserted {
            report.tables.entry(table).or_default().extend(ids);
        }
    }
    Ok(report)
}
