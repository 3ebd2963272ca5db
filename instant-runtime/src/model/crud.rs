//! instant.dev's static model methods (`find`, `findBy`, `create`, `update`,
//! `updateOrCreateBy`, `destroy`), on which [`Model`]'s provided methods delegate.

use sea_query_postgres::{PostgresValue, PostgresValues};
use serde_json::Value;

use super::statements::{self, quote};
use super::{Model, Record, SqlValue, ValidationErrors};
use crate::db::Executor;
use crate::descriptor::Table;
use crate::error::{Error, Result};

/// The row whose primary key is `key`, or instant.dev's not-found error.
pub(crate) fn find<M: Model>(
    executor: &mut impl Executor,
    key: SqlValue,
    shown: impl FnOnce() -> Value,
) -> Result<Record<M>> {
    let info = <M::Table as Table>::INFO;
    let Some(key_name) = info.primary_key else {
        return Err(Error::Input {
            message: format!("{} has no primary key to find by", info.model),
        });
    };
    let statements = statements::of::<M>();
    let row = executor.with_connection(|connection| {
        let params = PostgresValues(vec![PostgresValue(key)]);
        connection.query_opt(&statements.find, &params.as_params())
    })?;
    match row {
        Some(row) => Ok(Record::loaded(M::from_row(&row)?)),
        None => Err(not_found::<M>(key_name, &shown())),
    }
}

/// The first row whose `column` equals `value` (IS NULL for null), or the not-found error.
pub(crate) fn find_by<M: Model>(
    executor: &mut impl Executor,
    column: &str,
    value: SqlValue,
    shown: impl FnOnce() -> Value,
) -> Result<Record<M>> {
    let statements = statements::of::<M>();
    let info = <M::Table as Table>::INFO;
    let cast = info
        .column(column)
        .map(statements::cast)
        .unwrap_or_default();
    let (condition, params) = if value.is_some() {
        (
            format!("{} = $1{cast}", quote(column)),
            PostgresValues(vec![PostgresValue(value)]),
        )
    } else {
        (format!("{} IS NULL", quote(column)), PostgresValues(vec![]))
    };
    let sql = format!(
        "SELECT {} FROM {} WHERE {condition} LIMIT 1",
        statements.columns, statements.table
    );
    let row =
        executor.with_connection(|connection| connection.query_opt(&sql, &params.as_params()))?;
    match row {
        Some(row) => Ok(Record::loaded(M::from_row(&row)?)),
        None => Err(not_found::<M>(column, &shown())),
    }
}

/// `Could not find <Model> with <field> "<value>".`
fn not_found<M: Model>(field: &str, shown: &Value) -> Error {
    let value = match shown {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    Error::NotFound {
        message: format!(
            "Could not find {} with {field} \"{value}\".",
            <M::Table as Table>::INFO.model
        ),
    }
}

/// instant.dev's `updateOrCreateBy`: the row whose `column` has `model`'s value gets
/// `model`'s other fields (its primary key and `created_at` are kept); none found, `model`
/// is created.
pub(crate) fn update_or_create_by<M: Model>(
    mut executor: impl Executor,
    column: &str,
    model: M,
) -> Result<Record<M>> {
    let Some(index) = M::COLUMNS.iter().position(|info| info.name == column) else {
        return Err(Error::Input {
            message: format!(
                "{} has no field for column `{column}` to find by",
                <M::Table as Table>::INFO.model
            ),
        });
    };
    match find_by::<M>(&mut executor, column, model.value(index), || Value::Null) {
        Ok(mut record) => {
            let found = record.model.clone();
            record.model = model;
            record.stored = super::record::Stored::Was(Box::new(found.clone()));
            for (index, info) in M::COLUMNS.iter().enumerate() {
                if info.primary_key || info.name == "created_at" {
                    record.model.set_from(&found, index);
                }
            }
            record.save(executor)?;
            Ok(record)
        }
        Err(error) if error.is_not_found() => {
            let mut record = Record::new(model);
            record.save(executor)?;
            Ok(record)
        }
        Err(error) => Err(error),
    }
}

/// The object of a JSON data argument, or an input error naming what was given.
pub(crate) fn object(data: &Value) -> Result<&serde_json::Map<String, Value>> {
    data.as_object().ok_or_else(|| Error::Input {
        message: format!("expected a JSON object of fields, found {data}"),
    })
}

/// Sets the fields present in `data` (instant.dev's `read`), all or none.
pub(crate) fn read_json<M: Model>(record: &mut Record<M>, data: &Value) -> Result<()> {
    let data = object(data)?;
    let mut errors = ValidationErrors::new();
    let mut model = record.model.clone();
    model.read_json(data, &mut errors);
    if errors.is_empty() {
        record.touch();
        record.model = model;
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}
