//! Inserting in bulk without reading the rows back ([`Model::insert_without_returning`]): the
//! count, not the models, for loading data. Validations run, hooks do not; large batches go
//! in one binary `COPY` when the table's columns allow it, the rest in multi-row INSERTs.

use instant_pg::types::Type;

use super::Model;
use super::save::{MAX_PARAMETERS, insert_sql, rows_values, validate};
use super::statements::{self, Statements};
use crate::db::{Connection, Executor};
use crate::error::Result;
use crate::query::shape::{Kind, Shape};

/// Inserts `models` as new rows without reading them back (see
/// [`Model::insert_without_returning`]): every validation first, then one binary `COPY` from
/// [`COPY_FROM_ROWS`] rows on (when the table allows it), else one INSERT per
/// [`MAX_PARAMETERS`] values, in a transaction when there are several.
pub(crate) fn insert_without_returning<M: Model>(
    models: &[M],
    executor: &mut impl Executor,
) -> Result<u64> {
    for model in models {
        validate(model)?;
    }
    let statements = statements::of::<M>();
    if models.len() >= COPY_FROM_ROWS
        && let Some(copied) =
            executor.with_write(|connection| copy_rows(models, statements, connection))?
    {
        return Ok(copied);
    }
    let chunk = (MAX_PARAMETERS / statements.insert_slots.len().max(1)).max(1);
    let one_statement =
        models.len() <= chunk && (!statements.insert_slots.is_empty() || models.len() <= 1);
    if one_statement {
        executor.with_write(|connection| insert_rows(models, statements, connection))
    } else {
        executor.with_transaction(|transaction| {
            let mut inserted = 0;
            for part in models.chunks(chunk) {
                inserted += insert_rows(part, statements, transaction)?;
            }
            Ok(inserted)
        })
    }
}

/// From this many rows on, [`insert_without_returning`] sends the rows with one binary `COPY`
/// (when the table's columns allow it) instead of multi-row INSERTs: one statement whatever
/// the count, and about a quarter less time (9 990 rows of the benchmarks' users: 41 ms
/// against 56 ms in INSERTs of 999 rows).
const COPY_FROM_ROWS: usize = 1_000;

/// `models` written with `COPY … FROM STDIN (FORMAT binary)`, one statement; `None` (nothing
/// done) when a column cannot be sent that way: a value written through a text cast
/// (`money`, `inet` …) or a type an extension or the schema defines (`vector`, enums), whose
/// binary form the ORM's values are not guaranteed to match.
fn copy_rows<M: Model>(
    models: &[M],
    statements: &'static Statements,
    connection: &mut Connection,
) -> Result<Option<u64>> {
    if statements.insert_slots.is_empty()
        || statements.insert_casts.iter().any(|cast| !cast.is_empty())
    {
        return Ok(None);
    }
    // The columns' own types (binary COPY does not convert), from a statement that selects
    // them, prepared once per connection.
    let columns = statements
        .insert_columns
        .trim_start_matches('(')
        .trim_end_matches(')');
    let describe = connection.statement(&format!(
        "SELECT {columns} FROM {} LIMIT 0",
        statements.table
    ))?;
    let types: Vec<Type> = describe
        .columns()
        .iter()
        .map(|column| column.type_().clone())
        .collect();
    if types
        .iter()
        .any(|type_| Type::from_oid(type_.oid()).is_none())
    {
        return Ok(None);
    }
    let values = rows_values(models.iter(), statements);
    let sql = format!(
        "COPY {} {} FROM STDIN (FORMAT binary)",
        statements.table, statements.insert_columns
    );
    connection
        .copy_in(&sql, &types, &values.as_params())
        .map(Some)
}

/// One INSERT of `models`, without `RETURNING`; the statement for this many rows is written
/// once per connection.
fn insert_rows<M: Model>(
    models: &[M],
    statements: &'static Statements,
    connection: &mut Connection,
) -> Result<u64> {
    if models.is_empty() {
        return Ok(0);
    }
    if statements.insert_slots.is_empty() {
        // Nothing to write but defaults: `DEFAULT VALUES` has no multi-row form.
        let sql = format!("INSERT INTO {} DEFAULT VALUES", statements.table);
        let mut inserted = 0;
        for _ in models {
            inserted += connection.execute(&sql, &[])?;
        }
        return Ok(inserted);
    }
    let values = rows_values(models.iter(), statements);
    let mut shape = Shape::new(Kind::InsertWithoutReturning);
    shape.item(statements);
    shape.word(models.len() as u64);
    connection.execute_written(shape, &values.as_params(), || {
        insert_sql(statements, models.len(), false)
    })
}
