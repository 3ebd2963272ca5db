//! The `Model` trait that `#[derive(Model)]` implements, and what a model declares beyond its
//! columns: validations, verifications, calculated fields, hidden fields, vectorized fields and
//! lifecycle hooks.
//!
//! A model is plain data: one public field per column (a subset of its table's columns for a
//! hand-written struct). Change tracking lives outside it, in [`Record`], which keeps a snapshot
//! of the values last loaded from or written to the database.

mod bulk;
mod cascade;
mod crud;
mod errors;
mod factory;
mod from_json;
mod hooks;
mod interface;
mod items;
mod joined;
mod record;
mod records;
pub(crate) mod save;
pub(crate) mod statements;
mod value;
mod vectorize;

pub use errors::{FieldError, ValidationErrors};
pub use factory::Factory;
pub use from_json::{FromJson, convert, field_from_json};
pub use hooks::{Hooks, Save};
pub use interface::Interface;
pub use items::Items;
pub use joined::{AnyJoined, Joined};
pub use record::Record;
pub use records::Records;
/// The value type [`Model::value`] returns: sea-query's, re-exported so derived code needs
/// no direct sea-query dependency.
pub use sea_query::Value as SqlValue;
pub use value::{ToValue, json_value};

use serde_json::{Map, Value};

use crate::check::ColumnOf;
use crate::db::{Executor, Transaction};
use crate::descriptor::{self, Table};

/// A struct whose fields are columns of one table. Implemented by `#[derive(Model)]`; the
/// derive checks at compile time that every field is a column of `Table` with the column's
/// Rust type.
pub trait Model: Hooks + Clone + Send + Sync + Sized + 'static {
    /// The table marker from the generated schema (`users::Table`).
    type Table: descriptor::Table;

    /// The column behind each field, in field order: the order `SELECT` lists them and
    /// [`from_row`](Model::from_row) reads them.
    const COLUMNS: &'static [&'static descriptor::ColumnInfo];

    /// The position in [`COLUMNS`](Model::COLUMNS) of the primary key, when the model has it.
    const PRIMARY_KEY: Option<usize>;

    /// Fields never serialized and ignored by "safe" (untrusted-input) filters (`hides`).
    const HIDDEN: &'static [&'static str] = &[];

    /// Virtual fields computed from the model (`calculates`), in declaration order.
    const CALCULATED: &'static [&'static str] = &[];

    /// Vector fields computed from a text function of the model (`vectorizes`).
    const VECTORIZED: &'static [Vectorized] = &[];

    /// Whether a save runs more than its one INSERT or UPDATE on the database (hooks,
    /// verifications, vectorizing): it then needs a transaction of its own. A save of a
    /// model without them is a single statement, atomic by itself, with no BEGIN/COMMIT
    /// round trips.
    const SAVES_IN_STEPS: bool = true;

    /// Decodes a row whose first `COLUMNS.len()` columns are `COLUMNS`, in order, by index.
    fn from_row(row: &instant_pg::Row) -> Result<Self, instant_pg::Error> {
        Self::from_row_at(row, 0)
    }

    /// Decodes the `COLUMNS.len()` columns of `row` that start at column `first` (a model
    /// beside another in one row: a join loaded in the same statement).
    fn from_row_at(row: &instant_pg::Row, first: usize) -> Result<Self, instant_pg::Error>;

    /// The value of field `index` (in `COLUMNS` order), ready to bind.
    ///
    /// # Panics
    ///
    /// When `index` is not below `COLUMNS.len()` (a bug in the caller, like a slice index).
    fn value(&self, index: usize) -> SqlValue;

    /// Whether field `index` is equal in `self` and `other` (change tracking).
    fn field_eq(&self, other: &Self, index: usize) -> bool;

    /// Copies field `index` from `other`.
    fn set_from(&mut self, other: &Self, index: usize);

    /// A model from a JSON object of fields (instant.dev's `new Model(data)`): values
    /// converted as instant.dev converts them, unknown keys ignored, a missing field that
    /// the database does not fill in reported under its name.
    fn from_json(data: &Map<String, Value>) -> Result<Self, ValidationErrors>;

    /// Sets the fields present in `data` (instant.dev's `read`); what cannot be converted is
    /// added to `errors` and left as it was.
    fn read_json(&mut self, data: &Map<String, Value>, errors: &mut ValidationErrors);

    /// Runs every `validates` check; each failure is added to `errors` under its field. All
    /// checks run, none stops the others.
    fn validate(&self, errors: &mut ValidationErrors) {
        let _ = errors;
    }

    /// Runs the `verifies` checks inside the save's transaction, in declaration order. A failed
    /// field-bound check adds its message under the field and stops the rest; a failed
    /// model-wide check returns [`crate::Error::Verification`].
    fn verify(
        &self,
        transaction: &mut Transaction<'_>,
        errors: &mut ValidationErrors,
    ) -> crate::Result<()> {
        let _ = (transaction, errors);
        Ok(())
    }

    /// The value of calculated field `name`, `None` for a name that is not one.
    fn calculate(&self, name: &str) -> Option<serde_json::Value> {
        let _ = name;
        None
    }

    /// The text a `vectorizes` declaration embeds for vector field `field`.
    fn vectorize_text(&self, field: &str) -> Option<String> {
        let _ = field;
        None
    }

    /// The model as instant.dev's `toJSON()` writes it: every column field except the hidden
    /// ones, then the calculated fields.
    fn to_json(&self) -> serde_json::Value;

    /// A query over this model's table: `User::query().filter(users::email.eq("a@b.c"))`.
    fn query() -> crate::query::Query<Self> {
        crate::query::Query::new()
    }

    /// The row with primary key `id`; [`Error::NotFound`](crate::Error::NotFound)
    /// (`Could not find User with id "7".`) when there is none.
    fn find(
        mut executor: impl Executor,
        id: <Self::Table as Table>::PrimaryKey,
    ) -> crate::Result<Record<Self>> {
        crud::find(&mut executor, id.to_value(), || json_value(&id))
    }

    /// The first row whose `column` equals `value`:
    /// `User::find_by(&db, users::email, "a@b.c".to_string())`.
    fn find_by<C>(
        mut executor: impl Executor,
        column: C,
        value: C::Value,
    ) -> crate::Result<Record<Self>>
    where
        C: ColumnOf<Self::Table>,
        C::Value: ToValue + serde::Serialize,
    {
        let _ = column;
        crud::find_by(&mut executor, C::NAME, value.to_value(), || {
            json_value(&value)
        })
    }

    /// Inserts `model` through the save pipeline (instant.dev's `create`).
    fn create(executor: impl Executor, model: Self) -> crate::Result<Record<Self>> {
        let mut record = Record::new(model);
        record.save(executor)?;
        Ok(record)
    }

    /// Inserts `models` as new rows and returns how many, without reading them back: no ids,
    /// no records, only the count (what Diesel's `insert_into(…).values(…).execute` does).
    /// For loading data in bulk; [`create`](Model::create) and
    /// [`Records::save_all`](crate::Records::save_all) are the save pipeline.
    ///
    /// Validations run, every one before anything is written; hooks, verifications and
    /// vectorizing do not (as for bulk updates); `created_at` and `updated_at` are set. From
    /// 1 000 rows on the rows go in one binary `COPY` when the table's columns allow it (no
    /// text casts, no extension or enum types); otherwise one multi-row INSERT per 60 000
    /// values, several in one transaction. All or nothing; refused on a readonly database.
    fn insert_without_returning(
        mut executor: impl Executor,
        models: &[Self],
    ) -> crate::Result<u64> {
        bulk::insert_without_returning(models, &mut executor)
    }

    /// Inserts a model read from a JSON object of fields (see [`from_json`](Model::from_json)).
    fn create_from_json(executor: impl Executor, data: &Value) -> crate::Result<Record<Self>> {
        let model = Self::from_json(crud::object(data)?).map_err(crate::Error::Validation)?;
        Self::create(executor, model)
    }

    /// Finds the row with primary key `id`, applies `change` and saves it (instant.dev's
    /// `update`).
    fn update(
        mut executor: impl Executor,
        id: <Self::Table as Table>::PrimaryKey,
        change: impl FnOnce(&mut Self),
    ) -> crate::Result<Record<Self>> {
        let mut record = Self::find(&mut executor, id)?;
        change(&mut record);
        record.save(executor)?;
        Ok(record)
    }

    /// Finds the row with primary key `id`, sets the fields present in `data` and saves it.
    fn update_from_json(
        mut executor: impl Executor,
        id: <Self::Table as Table>::PrimaryKey,
        data: &Value,
    ) -> crate::Result<Record<Self>> {
        let mut record = Self::find(&mut executor, id)?;
        crud::read_json(&mut record, data)?;
        record.save(executor)?;
        Ok(record)
    }

    /// Updates the row whose `column` has `model`'s value with `model`'s fields, or creates
    /// `model` when there is none (instant.dev's `updateOrCreateBy`).
    fn update_or_create_by<C: ColumnOf<Self::Table>>(
        executor: impl Executor,
        column: C,
        model: Self,
    ) -> crate::Result<Record<Self>> {
        let _ = column;
        crud::update_or_create_by(executor, C::NAME, model)
    }

    /// Finds the row with primary key `id` and destroys it, hooks included (instant.dev's
    /// `destroy`); the returned record is no longer in storage.
    fn destroy(
        mut executor: impl Executor,
        id: <Self::Table as Table>::PrimaryKey,
    ) -> crate::Result<Record<Self>> {
        let mut record = Self::find(&mut executor, id)?;
        record.destroy(executor)?;
        Ok(record)
    }
}

/// A `vectorizes` declaration: the vector field and the fields its text is computed from
/// (a change to one of them re-embeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vectorized {
    pub field: &'static str,
    pub sources: &'static [&'static str],
}
