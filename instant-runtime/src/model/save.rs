//! The save pipeline, in instant.dev's order, and destroying a record.

use sea_query_postgres::{PostgresValue, PostgresValues};

use super::hooks::Save;
use super::record::Stored;
use super::statements::{self, Slot, Statements};
use super::{Model, Record, SqlValue, ValidationErrors};
use crate::db::{Connection, Executor, Transaction};
use crate::error::{Error, Result};
use crate::query::shape::{Kind, Shape};

impl<M: Model> Record<M> {
    /// Inserts the model (not in storage) or updates its changed fields (in storage), and
    /// loads back the row the database returned.
    ///
    /// The steps, as instant.dev runs them: `before_validate`; the validations (errors are
    /// returned before any SQL); a transaction of the ORM's own when `executor` is not a
    /// transaction; the verifications; `before_save`; vectorizing (the `vectorizes` fields
    /// whose sources changed, through the database's engine); the INSERT or UPDATE
    /// (`updated_at` set to now, `created_at` too on insert); `after_save`. On an error, the ORM's own
    /// transaction is rolled back and the record is as it was before the save (not in
    /// storage, if it was not).
    pub fn save(&mut self, mut executor: impl Executor) -> Result<&mut Self> {
        let creating = !self.in_storage();
        self.touch();
        self.model.before_validate();
        validate(&self.model)?;
        if !M::SAVES_IN_STEPS {
            executor.with_write(|connection| self.write(connection, creating))?;
            self.mark_stored();
            return Ok(self);
        }
        let stored = self.stored.clone();
        let result = executor.with_transaction(|transaction| {
            self.save_in(
                transaction,
                Save {
                    creating,
                    seeding: false,
                },
            )
        });
        if result.is_err() {
            self.stored = stored;
        }
        result.map(|()| self)
    }

    /// The steps of a save after the validations, inside `transaction`.
    pub(crate) fn save_in(&mut self, transaction: &mut Transaction<'_>, save: Save) -> Result<()> {
        verify(&self.model, transaction)?;
        self.model.before_save(transaction, save)?;
        super::vectorize::vectorize(std::slice::from_mut(self), transaction)?;
        self.write(transaction, save.creating)?;
        self.model.after_save(transaction, save)?;
        self.mark_stored();
        Ok(())
    }

    fn write(&mut self, connection: &mut Connection, creating: bool) -> Result<()> {
        let statements = statements::of::<M>();
        let row = if creating {
            let values = insert_values(&self.model, statements, now());
            Some(query_one(connection, &statements.insert, values)?)
        } else {
            self.update(connection, statements)?
        };
        if let Some(row) = row {
            self.model = M::from_row(&row)?;
        }
        Ok(())
    }

    /// `UPDATE … SET <changed fields>, updated_at = now WHERE <key> = … RETURNING …`;
    /// nothing when nothing changed and the table has no `updated_at` (instant.dev sends
    /// an invalid `SET ()` then).
    fn update(
        &mut self,
        connection: &mut Connection,
        statements: &Statements,
    ) -> Result<Option<instant_pg::Row>> {
        let key_index = key_index::<M>("update")?;
        let Some(key_column) = &statements.primary_key else {
            return Err(no_key::<M>("update"));
        };
        let mut sql = format!("UPDATE {} SET ", statements.table);
        let mut values = Vec::new();
        for index in self.changed_fields() {
            let column = M::COLUMNS[index];
            if index == key_index || Some(column.name) == statements.updated_at.map(|c| c.name) {
                continue;
            }
            if !values.is_empty() {
                sql.push_str(", ");
            }
            values.push(self.model.value(index));
            sql.push_str(&format!(
                "{} = ${}{}",
                statements::quote(column.name),
                values.len(),
                statements::cast(column)
            ));
        }
        if let Some(updated_at) = statements.updated_at {
            if !values.is_empty() {
                sql.push_str(", ");
            }
            values.push(now());
            sql.push_str(&format!(
                "{} = ${}",
                statements::quote(updated_at.name),
                values.len()
            ));
        }
        if values.is_empty() {
            return Ok(None);
        }
        let key = match self.stored_model() {
            Some(stored) => stored.value(key_index),
            None => self.model.value(key_index),
        };
        values.push(key);
        sql.push_str(&format!(
            " WHERE {key_column} = ${} RETURNING {}",
            values.len(),
            statements.columns
        ));
        Ok(Some(query_one(connection, &sql, values)?))
    }

    /// Deletes the row (instant.dev's `destroy`): `before_destroy`, the DELETE,
    /// `after_destroy`, in one transaction (the ORM's own unless `executor` is a transaction;
    /// instant.dev opens none). The record is then no longer in storage.
    pub fn destroy(&mut self, mut executor: impl Executor) -> Result<&mut Self> {
        let key = self.key_for("destroy")?;
        executor.with_transaction(|transaction| {
            self.model.before_destroy(transaction)?;
            let statements = statements::of::<M>();
            let params = PostgresValues(vec![PostgresValue(key)]);
            transaction.execute(&statements.delete, &params.as_params())?;
            self.model.after_destroy(transaction)
        })?;
        self.stored = Stored::Not;
        Ok(self)
    }

    /// Deletes the row and every row that depends on it through foreign keys, deepest first,
    /// in one transaction, without hooks (instant.dev's `destroyCascade`).
    pub fn destroy_cascade(&mut self, mut executor: impl Executor) -> Result<&mut Self> {
        let key = self.key_for("destroy")?;
        executor
            .with_transaction(|transaction| super::cascade::destroy::<M>(transaction, vec![key]))?;
        self.stored = Stored::Not;
        Ok(self)
    }

    /// The stored primary key, for a destroy.
    pub(crate) fn key_for(&self, action: &str) -> Result<SqlValue> {
        let index = key_index::<M>(action)?;
        match self.stored_model() {
            Some(stored) => Ok(stored.value(index)),
            None => Err(Error::Input {
                message: "Model has not been saved".to_string(),
            }),
        }
    }
}

/// The validations: every failing `validates` check, before any SQL.
pub(crate) fn validate<M: Model>(model: &M) -> Result<()> {
    let mut errors = ValidationErrors::new();
    model.validate(&mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// The verifications, inside the save's transaction.
pub(crate) fn verify<M: Model>(model: &M, transaction: &mut Transaction<'_>) -> Result<()> {
    let mut errors = ValidationErrors::new();
    model.verify(transaction, &mut errors)?;
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// The parameters of the model's INSERT, in the statement's order.
pub(crate) fn insert_values<M: Model>(
    model: &M,
    statements: &Statements,
    now: SqlValue,
) -> impl Iterator<Item = SqlValue> {
    statements.insert_slots.iter().map(move |slot| match slot {
        Slot::Field(index) => model.value(*index),
        Slot::Now => now.clone(),
    })
}

/// The parameters of a multi-row INSERT (or COPY) of `models`, row after row, with one time
/// for every timestamp.
pub(crate) fn rows_values<'m, M: Model + 'm>(
    models: impl ExactSizeIterator<Item = &'m M>,
    statements: &Statements,
) -> PostgresValues {
    let now = now();
    let mut values = Vec::with_capacity(models.len() * statements.insert_slots.len());
    for model in models {
        values.extend(insert_values(model, statements, now.clone()).map(PostgresValue));
    }
    PostgresValues(values)
}

/// Runs `sql`, which returns exactly one row.
fn query_one(
    connection: &mut Connection,
    sql: &str,
    values: impl IntoIterator<Item = SqlValue>,
) -> Result<instant_pg::Row> {
    let values = PostgresValues(values.into_iter().map(PostgresValue).collect());
    let mut rows = connection.query(sql, &values.as_params())?;
    match rows.len() {
        1 => Ok(rows.remove(0)),
        count => Err(Error::Input {
            message: format!("the write returned {count} rows instead of one: {sql}"),
        }),
    }
}

/// The time written to `created_at` and `updated_at`: local time, as instant.dev writes it
/// into a `timestamp without time zone` column.
pub(crate) fn now() -> SqlValue {
    SqlValue::ChronoDateTime(Some(chrono::Local::now().naive_local()))
}

/// The position of the primary key among the model's fields.
pub(crate) fn key_index<M: Model>(action: &str) -> Result<usize> {
    M::PRIMARY_KEY.ok_or_else(|| no_key::<M>(action))
}

fn no_key<M: Model>(action: &str) -> Error {
    let table = <M::Table as crate::descriptor::Table>::INFO;
    Error::Input {
        message: match table.primary_key {
            Some(key) => format!(
                "cannot {action} a {} without its primary key: the model has no `{key}` field",
                table.model
            ),
            None => format!(
                "cannot {action} a {}: table `{}` has no primary key",
                table.model, table.name
            ),
        },
    }
}

/// Most parameters in one statement (PostgreSQL's limit is 65 535).
pub(crate) const MAX_PARAMETERS: usize = 60_000;

/// Saves `records` in `transaction` as instant.dev's `saveAll` does, with the inserts of new
/// records batched into multi-row INSERTs: every verification and `before_save` in order,
/// then the writes (in order), then every `after_save`.
pub(crate) fn save_batch<M: Model>(
    records: &mut [Record<M>],
    transaction: &mut Transaction<'_>,
    seeding: bool,
) -> Result<()> {
    let saves: Vec<Save> = records
        .iter()
        .map(|record| Save {
            creating: !record.in_storage(),
            seeding,
        })
        .collect();
    for (record, save) in records.iter_mut().zip(&saves) {
        verify(&record.model, transaction)?;
        record.model.before_save(transaction, *save)?;
    }
    super::vectorize::vectorize(records, transaction)?;
    let statements = statements::of::<M>();
    let per_row = statements.insert_slots.len().max(1);
    let chunk = (MAX_PARAMETERS / per_row).max(1);
    let new: Vec<usize> = (0..records.len()).filter(|&i| saves[i].creating).collect();
    for indexes in new.chunks(chunk) {
        insert_many(records, indexes, statements, transaction)?;
    }
    for (index, record) in records.iter_mut().enumerate() {
        if !saves[index].creating
            && let Some(row) = record.update(transaction, statements)?
        {
            record.model = M::from_row(&row)?;
        }
    }
    for (record, save) in records.iter_mut().zip(&saves) {
        record.model.after_save(transaction, *save)?;
        record.mark_stored();
    }
    Ok(())
}

/// Inserts new records of a model whose save is its write alone (no hooks, verifications
/// or vectorizing) as one multi-row INSERT, atomic by itself, when they fit in one
/// statement; `false` (nothing done) otherwise.
pub(crate) fn insert_in_one_statement<M: Model>(
    records: &mut [Record<M>],
    connection: &mut Connection,
) -> Result<bool> {
    let statements = statements::of::<M>();
    let fits = records.len() * statements.insert_slots.len().max(1) <= MAX_PARAMETERS;
    if M::SAVES_IN_STEPS || !fits || records.iter().any(Record::in_storage) {
        return Ok(false);
    }
    let indexes: Vec<usize> = (0..records.len()).collect();
    insert_many(records, &indexes, statements, connection)?;
    for record in records.iter_mut() {
        record.mark_stored();
    }
    Ok(true)
}

/// `INSERT INTO <table> (<columns>) VALUES (…), … [RETURNING <columns>]` for `rows` rows.
pub(crate) fn insert_sql(statements: &Statements, rows: usize, returning: bool) -> String {
    let per_row = statements.insert_slots.len();
    let mut sql = format!(
        "INSERT INTO {} {} VALUES ",
        statements.table, statements.insert_columns
    );
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        statements::push_values_row(&mut sql, &statements.insert_casts, row * per_row + 1);
    }
    if returning {
        sql.push_str(" RETURNING ");
        sql.push_str(&statements.columns);
    }
    sql
}

/// One INSERT for the records at `indexes`; the rows come back in VALUES order (what
/// PostgreSQL does for `INSERT … VALUES … RETURNING`) and are loaded into the records.
fn insert_many<M: Model>(
    records: &mut [Record<M>],
    indexes: &[usize],
    statements: &'static Statements,
    connection: &mut Connection,
) -> Result<()> {
    if indexes.len() == 1 || statements.insert_slots.is_empty() {
        for &index in indexes {
            let values = insert_values(&records[index].model, statements, now());
            let row = query_one(connection, &statements.insert, values)?;
            records[index].model = M::from_row(&row)?;
        }
        return Ok(());
    }
    let values = rows_values(
        indexes.iter().map(|&index| &records[index].model),
        statements,
    );
    // The statement for this many rows is written once per connection.
    let mut shape = Shape::new(Kind::Insert);
    shape.item(statements);
    shape.word(indexes.len() as u64);
    let write = || insert_sql(statements, indexes.len(), true);
    let rows = connection.query_written(shape, &values.as_params(), write)?;
    if rows.len() != indexes.len() {
        return Err(Error::Input {
            message: format!(
                "the insert returned {} rows for {} models",
                rows.len(),
                indexes.len()
            ),
        });
    }
    for (row, &index) in rows.iter().zip(indexes) {
        records[index].model = M::from_row(row)?;
    }
    Ok(())
}
