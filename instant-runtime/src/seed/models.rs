//! Which model seeds which table.

use std::collections::HashMap;

use instant_schema::seed::SeedRow;
use serde_json::Value;

use crate::db::Transaction;
use crate::descriptor::Table;
use crate::error::{Error, Result};
use crate::model::{Model, Record, save};

/// Saves one table's seed rows through a model, returning their primary keys.
pub type SeedRows = fn(&[SeedRow], &mut Transaction<'_>) -> Result<Vec<Value>>;

/// The models seed rows go through, by table. A table without one is seeded from the
/// schema alone. The generated code offers `seed_models()` with every generated model;
/// `.with::<MyUser>()` puts a hand-written model in its table's place.
#[derive(Debug, Clone, Default)]
pub struct Models {
    by_table: HashMap<&'static str, SeedRows>,
}

impl Models {
    /// No models: every table is seeded from the schema.
    pub fn new() -> Self {
        Models::default()
    }

    /// Seeds `M`'s table through `M` (replacing the model registered for it, if any).
    pub fn with<M: Model>(mut self) -> Self {
        self.by_table
            .insert(<M::Table as Table>::INFO.name, save_rows::<M>);
        self
    }

    /// The model registered for `table`.
    pub fn get(&self, table: &str) -> Option<SeedRows> {
        self.by_table.get(table).copied()
    }
}

/// Reads the rows as `M`s and saves them together, with `is_seeding()` true in the hooks.
fn save_rows<M: Model>(rows: &[SeedRow], transaction: &mut Transaction<'_>) -> Result<Vec<Value>> {
    let mut records = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let model = M::from_json(row).map_err(|errors| Error::Seed {
            at: format!("[{index}]"),
            source: Box::new(Error::Validation(errors)),
        })?;
        records.push(Record::new(model));
    }
    for (index, record) in records.iter_mut().enumerate() {
        record.before_validate();
        save::validate(&**record).map_err(|error| Error::Seed {
            at: format!("[{index}]"),
            source: Box::new(error),
        })?;
    }
    save::save_batch(&mut records, transaction, true)?;
    let key = <M::Table as Table>::INFO.primary_key;
    Ok(records
        .iter()
        .map(|record| match key {
            Some(key) => record.to_json().get(key).cloned().unwrap_or(Value::Null),
            None => Value::Null,
        })
        .collect())
}
