//! Creating many rows at once (instant.dev's `ModelFactory`): from typed models or from JSON
//! rows, all saved in one transaction.

use std::marker::PhantomData;

use serde_json::Value;

use super::{Model, Records, ValidationErrors};
use crate::db::Executor;
use crate::error::{Error, Result};

/// Creates rows of model `M`: `Factory::<Parent>::new().create_from_json(&db, &rows)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Factory<M> {
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Factory<M> {
    /// A factory for `M`.
    pub fn new() -> Self {
        Factory { model: PhantomData }
    }

    /// Saves `models` as new rows in one transaction (the save pipeline for each, inserts
    /// batched); all or nothing.
    pub fn create(
        &self,
        executor: impl Executor,
        models: impl IntoIterator<Item = M>,
    ) -> Result<Records<M>> {
        let mut records = Records::from_models(models);
        records.save_all(executor)?;
        Ok(records)
    }

    /// Reads every row of a JSON array with [`Model::from_json`], then saves them as
    /// [`create`](Factory::create) does. A row that cannot be read fails the whole call
    /// before any SQL, its errors reported under `rows[<index>].<field>`.
    pub fn create_from_json(&self, executor: impl Executor, rows: &Value) -> Result<Records<M>> {
        let models = Self::read_rows(rows)?;
        self.create(executor, models)
    }

    /// The models of a JSON array of rows (or of a single object).
    pub fn read_rows(rows: &Value) -> Result<Vec<M>> {
        let rows: Vec<&Value> = match rows {
            Value::Array(rows) => rows.iter().collect(),
            Value::Object(_) => vec![rows],
            other => {
                return Err(Error::Input {
                    message: format!("expected an array of rows, found {other}"),
                });
            }
        };
        let mut errors = ValidationErrors::new();
        let mut models = Vec::with_capacity(rows.len());
        for (index, row) in rows.iter().enumerate() {
            let Some(object) = row.as_object() else {
                errors.add(&format!("rows[{index}]"), "must be an object of fields");
                continue;
            };
            match M::from_json(object) {
                Ok(model) => models.push(model),
                Err(row_errors) => {
                    for (field, error) in row_errors.iter() {
                        let key = format!("rows[{index}].{field}");
                        errors.add(&key, error.message.clone());
                        for message in &error.additional {
                            errors.add(&key, message.clone());
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(models)
        } else {
            Err(Error::Validation(errors))
        }
    }
}
