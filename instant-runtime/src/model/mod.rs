//! The `Model` trait that `#[derive(Model)]` implements, and what a model declares beyond its
//! columns: validations, verifications, calculated fields, hidden fields, vectorized fields and
//! lifecycle hooks.
//!
//! A model is plain data: one public field per column (a subset of its table's columns for a
//! hand-written struct). Change tracking lives outside it, in [`Record`], which keeps a snapshot
//! of the values last loaded from or written to the database.

mod errors;
mod hooks;
mod record;
mod value;

pub use errors::{FieldError, ValidationErrors};
pub use hooks::Hooks;
pub use record::Record;
/// The value type [`Model::value`] returns: sea-query's, re-exported so derived code needs
/// no direct sea-query dependency.
pub use sea_query::Value as SqlValue;
pub use value::{ToValue, json_value};

use crate::descriptor;

/// A struct whose fields are columns of one table. Implemented by `#[derive(Model)]`; the
/// derive checks at compile time that every field is a column of `Table` with the column's
/// Rust type.
pub trait Model: Hooks + Clone + Sized + 'static {
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

    /// Decodes a row whose first `COLUMNS.len()` columns are `COLUMNS`, in order, by index.
    fn from_row(row: &postgres::Row) -> Result<Self, postgres::Error>;

    /// The value of field `index` (in `COLUMNS` order), ready to bind.
    ///
    /// # Panics
    ///
    /// When `index` is not below `COLUMNS.len()` (a bug in the caller, like a slice index).
    fn value(&self, index: usize) -> SqlValue;

    /// Whether field `index` is equal in `self` and `other` (change tracking).
    fn field_eq(&self, other: &Self, index: usize) -> bool;

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
        transaction: &mut postgres::Transaction<'_>,
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
}

/// A `vectorizes` declaration: the vector field and the fields its text is computed from
/// (a change to one of them re-embeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vectorized {
    pub field: &'static str,
    pub sources: &'static [&'static str],
}
