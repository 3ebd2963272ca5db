//! The application's compiled models, by table: seed rows go through them, and rows loaded
//! without them (the nested JSON queries of the `instant` command) are presented as they
//! serialize them.

use std::collections::HashMap;

use instant_schema::seed::SeedRow;
use serde_json::{Map, Value};

use crate::db::Transaction;
use crate::descriptor::{Table, TableInfo};
use crate::error::{Error, Result};
use crate::model::{Model, Record, save};

/// Saves one table's seed rows through a model, returning their primary keys.
pub type SeedRows = fn(&[SeedRow], &mut Transaction<'_>) -> Result<Vec<Value>>;

/// Turns one row as the database writes it (`to_json(row)`: every column, keys and timestamps included) into
/// its model's `to_json`: hidden fields dropped, calculated fields added.
pub type PresentRow = fn(&Map<String, Value>) -> Result<Value>;

/// The models seed rows go through, and loaded rows are presented by, by table. A table
/// without one is seeded from the schema alone and its rows are shown as stored. The
/// generated code offers `seed_models()` with every generated model; `.with::<MyUser>()`
/// puts a hand-written model in its table's place.
#[derive(Debug, Clone, Default)]
pub struct Models {
    by_table: HashMap<&'static str, Registered>,
}

/// What a registered model does for its table.
#[derive(Debug, Clone, Copy)]
struct Registered {
    seed: SeedRows,
    present: PresentRow,
}

impl Models {
    /// No models: every table is seeded from the schema.
    pub fn new() -> Self {
        Models::default()
    }

    /// Seeds and presents `M`'s table through `M` (replacing the model registered for it, if
    /// any).
    pub fn with<M: Model>(mut self) -> Self {
        self.by_table.insert(
            <M::Table as Table>::INFO.name,
            Registered {
                seed: save_rows::<M>,
                present: present_row::<M>,
            },
        );
        self
    }

    /// The seeding of the model registered for `table`.
    pub fn get(&self, table: &str) -> Option<SeedRows> {
        self.by_table.get(table).map(|registered| registered.seed)
    }

    /// `row`, a row of `table` as the database writes it, as the table's model serializes it
    /// (`Record::to_json`); unchanged when no model is registered for the table.
    pub fn present(&self, table: &str, row: Map<String, Value>) -> Result<Value> {
        match self.by_table.get(table) {
            Some(registered) => (registered.present)(&row),
            None => Ok(Value::Object(row)),
        }
    }

    /// The result of a nested JSON query ([`json_query`](crate::query::json_query)) with every
    /// row presented by its table's model ([`present`](Models::present)), the rows of the
    /// relationships `query` loaded included, under their relationship's name after the
    /// model's fields.
    pub fn present_query(
        &self,
        schema: &[&'static TableInfo],
        query: &Value,
        result: Value,
    ) -> Result<Value> {
        let Value::Object(namespaces) = result else {
            return Ok(result);
        };
        let mut presented = Map::new();
        for (name, rows) in namespaces {
            let value = match (table_named(schema, &name), query.get(&name)) {
                (Some(table), Some(node)) => self.present_rows(schema, table, node, rows)?,
                _ => rows,
            };
            presented.insert(name, value);
        }
        Ok(Value::Object(presented))
    }

    /// Rows of `table` (an array, one object, or `null`) loaded for the query node `node`.
    fn present_rows(
        &self,
        schema: &[&'static TableInfo],
        table: &TableInfo,
        node: &Value,
        rows: Value,
    ) -> Result<Value> {
        match rows {
            Value::Array(rows) => rows
                .into_iter()
                .map(|row| self.present_rows(schema, table, node, row))
                .collect::<Result<Vec<_>>>()
                .map(Value::Array),
            Value::Object(mut row) => {
                let mut joined = Vec::new();
                for (name, child) in node.as_object().into_iter().flatten() {
                    let target = table
                        .relation(name)
                        .and_then(|relation| table_named(schema, relation.to_table));
                    if let (Some(target), Some(rows)) = (target, row.remove(name)) {
                        joined.push((name, self.present_rows(schema, target, child, rows)?));
                    }
                }
                let mut json = self.present(table.name, row)?;
                if let Value::Object(map) = &mut json {
                    for (name, rows) in joined {
                        map.insert(name.clone(), rows);
                    }
                }
                Ok(json)
            }
            other => Ok(other),
        }
    }
}

fn table_named(schema: &[&'static TableInfo], name: &str) -> Option<&'static TableInfo> {
    schema.iter().copied().find(|table| table.name == name)
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

/// Reads a stored row as an `M` ([`Model::from_json`], which keeps the ids and timestamps it
/// is given) and serializes it as a loaded record does.
fn present_row<M: Model>(row: &Map<String, Value>) -> Result<Value> {
    let info = <M::Table as Table>::INFO;
    let model = M::from_json(&as_field_values(info, row)).map_err(|errors| Error::Input {
        message: format!(
            "a row of `{}` does not read as {}: {}",
            info.name,
            std::any::type_name::<M>(),
            errors.to_json()
        ),
    })?;
    Ok(Record::loaded(model).to_json())
}

/// `to_json` writes two kinds of column differently from the JSON fields are read from: a
/// JSON column holding a string holds it as is (fields read a string as JSON text), and
/// `bytea` is `\x…` hex (fields read a string as its UTF-8 bytes). Those values are rewritten
/// the way fields read them; the rest is left as it is.
fn as_field_values(table: &TableInfo, row: &Map<String, Value>) -> Map<String, Value> {
    let mut values = row.clone();
    for column in table.columns {
        let rewrite: fn(&Value) -> Option<Value> = match column.sql_type {
            "json" | "jsonb" => |value| match value {
                Value::String(_) => Some(Value::String(value.to_string())),
                _ => None,
            },
            "bytea" => |value| {
                let hex = value.as_str()?.strip_prefix("\\x")?;
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|at| {
                        let pair = hex.get(at..at + 2)?;
                        u8::from_str_radix(pair, 16).ok().map(Value::from)
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Value::Array(bytes))
            },
            _ => continue,
        };
        let Some(value) = values.get_mut(column.name) else {
            continue;
        };
        if column.array {
            if let Value::Array(items) = value {
                for item in items {
                    if let Some(rewritten) = rewrite(item) {
                        *item = rewritten;
                    }
                }
            }
        } else if let Some(rewritten) = rewrite(value) {
            *value = rewritten;
        }
    }
    values
}
