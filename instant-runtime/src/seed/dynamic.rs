//! Seeding a table that has no model: PostgreSQL converts the row's JSON to the column types
//! (`json_populate_record`), timestamps are set as a model save sets them, and an explicit
//! value for an auto-increment primary key is ignored, as instant.dev ignores it.
//!
//! Every value is first checked against its column's shape, as a model's fields would read
//! it: PostgreSQL alone would store a JSON array into a `string` column as the text `["a"]`,
//! a 3-dimensional array into a `text[]` column, and round `1.9` for an integer column.

use std::borrow::Cow;

use instant_schema::rust_type::Scalar;
use instant_schema::schema::{Column, Table};
use instant_schema::seed::SeedRow;
use serde_json::Value;

use crate::db::Transaction;
use crate::error::{Error, Result};
use crate::model::FromJson;
use crate::model::statements::quote;

/// Inserts `rows` into `table`, one statement per row (rows may name different columns;
/// columns a row leaves out get their defaults), returning each new row's primary key.
pub(crate) fn insert(
    transaction: &mut Transaction<'_>,
    table: &Table,
    rows: &[SeedRow],
) -> Result<Vec<Value>> {
    let key = table
        .columns
        .iter()
        .find(|column| column.properties.primary_key == Some(true) || column.name == "id")
        .map(|column| column.name.as_str());
    let is_timestamp = |name: &str| {
        (name == "created_at" || name == "updated_at")
            && table
                .columns
                .iter()
                .any(|column| column.name == name && column.column_type == "datetime")
    };
    let now = chrono::Local::now().naive_local();
    // Every row checked before the first is written.
    let rows = rows
        .iter()
        .enumerate()
        .map(|(index, row)| shaped(table, row, index))
        .collect::<Result<Vec<_>>>()?;
    let mut ids = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut columns: Vec<&str> = row
            .keys()
            .map(String::as_str)
            .filter(|name| Some(*name) != key && !is_timestamp(name))
            .collect();
        let mut values: Vec<String> = columns.iter().map(|name| quote(name)).collect();
        for name in ["created_at", "updated_at"] {
            if is_timestamp(name) {
                columns.push(name);
                values.push("$2".to_string());
            }
        }
        let list: Vec<String> = columns.iter().map(|name| quote(name)).collect();
        let returning = key.map_or("NULL".to_string(), quote);
        let sql = if columns.is_empty() {
            format!(
                "INSERT INTO {} DEFAULT VALUES RETURNING to_jsonb({returning})",
                quote(&table.name)
            )
        } else {
            format!(
                "INSERT INTO {table} ({list}) SELECT {values} \
                 FROM json_populate_record(NULL::{table}, $1::text::json) RETURNING to_jsonb({returning})",
                table = quote(&table.name),
                list = list.join(", "),
                values = values.join(", "),
            )
        };
        let json = Value::Object(row.clone().into_owned()).to_string();
        let inserted = if columns.is_empty() {
            transaction.query_one(&sql, &[])?
        } else if values.iter().any(|value| value == "$2") {
            transaction.query_one(&sql, &[&json, &now])?
        } else {
            transaction.query_one(&sql, &[&json])?
        };
        ids.push(inserted.try_get::<_, Value>(0)?);
    }
    Ok(ids)
}

/// `row` with each value checked against its column's shape: a lone value for an array
/// column wrapped, JSON text for a JSON column parsed (as a model's fields read them). A
/// value of another shape is an [`Error::Seed`] at `[index].column`.
fn shaped<'r>(table: &Table, row: &'r SeedRow, index: usize) -> Result<Cow<'r, SeedRow>> {
    let mut row = Cow::Borrowed(row);
    for column in &table.columns {
        let Some(value) = row.get(&column.name) else {
            continue;
        };
        let reshaped = shape(column, value).map_err(|message| Error::Seed {
            at: format!("[{index}].{}", column.name),
            source: Box::new(Error::Input {
                message: format!("column `{}` ({}) {message}", column.name, described(column)),
            }),
        })?;
        if let Some(reshaped) = reshaped {
            row.to_mut().insert(column.name.clone(), reshaped);
        }
    }
    Ok(row)
}

/// `string`, `string[]`.
fn described(column: &Column) -> String {
    if column.properties.array == Some(true) {
        format!("{}[]", column.column_type)
    } else {
        column.column_type.clone()
    }
}

/// Whether `value` has a shape `column` takes; `Some` with the value to write instead when
/// it is written otherwise than given.
fn shape(column: &Column, value: &Value) -> std::result::Result<Option<Value>, String> {
    let scalar = Scalar::of(&column.column_type);
    if value.is_null() {
        return Ok(None);
    }
    if column.properties.array != Some(true) {
        return element(scalar, value)
            .map_err(|expected| format!("takes {expected}, found {}", found(value)));
    }
    let Value::Array(items) = value else {
        // A lone value for an array column is an array of one (instant.dev).
        return match element(scalar, value) {
            Ok(reshaped) => Ok(Some(Value::Array(vec![
                reshaped.unwrap_or_else(|| value.clone()),
            ]))),
            Err(expected) => Err(format!(
                "takes an array (one dimension) whose values are each {expected}, found {}",
                found(value)
            )),
        };
    };
    let mut reshaped_items: Option<Vec<Value>> = None;
    for (at, item) in items.iter().enumerate() {
        if scalar != Scalar::Json && item.is_array() {
            return Err(format!(
                "takes an array of one dimension, found a {}-dimensional array",
                dimensions(value)
            ));
        }
        match element(scalar, item) {
            Ok(Some(reshaped)) => {
                reshaped_items.get_or_insert_with(|| items.clone())[at] = reshaped;
            }
            Ok(None) => {}
            Err(expected) => {
                return Err(format!(
                    "takes an array (one dimension) whose values are each {expected}; [{at}] is {}",
                    found(item)
                ));
            }
        }
    }
    Ok(reshaped_items.map(Value::Array))
}

/// Whether `value` is one value of `scalar`: what is expected when it is not, and the value
/// to write instead when it is written otherwise than given.
fn element(scalar: Scalar, value: &Value) -> std::result::Result<Option<Value>, &'static str> {
    match scalar {
        // JSON text is parsed, as a model's JSON field reads it.
        Scalar::Json => match value {
            Value::String(_) => Value::from_json(value).map(Some),
            _ => Ok(None),
        },
        Scalar::I16 => i16::from_json(value).map(|_| None),
        Scalar::I32 => i32::from_json(value).map(|_| None),
        Scalar::I64 => i64::from_json(value).map(|_| None),
        Scalar::F32 => f32::from_json(value).map(|_| None),
        Scalar::F64 => f64::from_json(value).map(|_| None),
        // pgvector reads `[1,2,3]` text; an array of numbers is written as that.
        Scalar::Vector => pgvector::Vector::from_json(value).map(|_| match value {
            Value::Array(_) => Some(Value::String(value.to_string())),
            _ => None,
        }),
        _ => match value {
            Value::Array(_) | Value::Object(_) => Err("one value (not an array or an object)"),
            _ => Ok(None),
        },
    }
}

/// How many arrays `value` nests, first elements first: `[[["a"]]]` has 3.
fn dimensions(value: &Value) -> usize {
    let mut dimensions = 0;
    let mut current = value;
    while let Value::Array(items) = current {
        dimensions += 1;
        match items.first() {
            Some(first) => current = first,
            None => break,
        }
    }
    dimensions
}

/// A value as an error shows it: its kind for an array or object, else its JSON.
fn found(value: &Value) -> String {
    match value {
        Value::Array(_) if dimensions(value) > 1 => {
            format!("a {}-dimensional array", dimensions(value))
        }
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
        other => other.to_string(),
    }
}
