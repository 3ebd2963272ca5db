//! Vectorizing on save (instant.dev's `__vectorize__`): after `before_save`, each
//! `vectorizes` field whose sources changed gets the vector of its text, or NULL when the
//! text is empty. The texts of every record of a save go to the engine together.

use serde_json::{Map, Value};

use super::{Model, Record, ValidationErrors};
use crate::db::Connection;
use crate::error::{Error, Result};

/// Sets the vector fields of `records` whose sources changed (every one of a new record).
/// Nothing reaches the engine when no text needs a vector.
pub(crate) fn vectorize<M: Model>(
    records: &mut [Record<M>],
    connection: &Connection,
) -> Result<()> {
    if M::VECTORIZED.is_empty() {
        return Ok(());
    }
    // (record, field, text): the fields to set, with the text to embed (empty → NULL).
    let mut pending: Vec<(usize, &'static str, String)> = Vec::new();
    for (position, record) in records.iter().enumerate() {
        for declaration in M::VECTORIZED {
            let changed = declaration.sources.iter().any(|source| {
                M::COLUMNS
                    .iter()
                    .position(|column| column.name == *source)
                    .is_some_and(|index| record.field_changed(index))
            });
            if changed {
                let text = record.vectorize_text(declaration.field).unwrap_or_default();
                pending.push((position, declaration.field, text.trim().to_owned()));
            }
        }
    }
    let texts: Vec<String> = pending
        .iter()
        .filter(|(_, _, text)| !text.is_empty())
        .map(|(_, _, text)| text.clone())
        .collect();
    let mut vectors = if texts.is_empty() {
        Vec::new()
    } else {
        connection.vectors().batch_create(&texts)
    }
    .into_iter();
    for (position, field, text) in pending {
        let value = if text.is_empty() {
            Value::Null
        } else {
            let vector = vectors.next().unwrap_or_else(|| {
                Err(Error::Vector {
                    message: format!(
                        "Could not vectorize: vector engine did not return a valid vector for input \"{text}\""
                    ),
                })
            })?;
            Value::from(vector.to_vec())
        };
        set(&mut records[position], field, value)?;
    }
    Ok(())
}

/// Sets vector field `field` from its JSON form (an array of numbers, or null).
fn set<M: Model>(record: &mut Record<M>, field: &'static str, value: Value) -> Result<()> {
    let mut data = Map::with_capacity(1);
    data.insert(field.to_owned(), value);
    let mut errors = ValidationErrors::new();
    record.model.read_json(&data, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Vector {
            message: format!("Could not vectorize: \"{field}\" is not a valid vector field"),
        })
    }
}
