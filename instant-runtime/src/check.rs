//! What `#[derive(Model)]` checks at compile time, beyond what the generated table modules check
//! themselves.
//!
//! The derive turns each rule into a use of an item here, spanned on the user's code, so a
//! broken rule is a compiler error pointing at the field or attribute at fault:
//!
//! - a field names a column of its table: the derive names `users::<field>`, and rustc reports
//!   an unknown one with its "a struct with a similar name exists" suggestion;
//! - a field has its column's Rust type: each table module defines a `ColumnType<T>` trait,
//!   implemented once per column for the column's type, whose message names the table and the
//!   column while rustc's help names the one type it is implemented for;
//! - every `NOT NULL` column without a default has a field: each table module's
//!   `check_required` panics at compile time, naming the missing column;
//! - a `vectorizes` field is a vector column: [`VectorField`];
//! - a `validates` check takes the field's type ([`validate`]), a `verifies` function the
//!   model and the transaction ([`verify`]), a `calculates` function the model
//!   ([`calculate`]);
//! - a column passed for a model is one of its table's ([`ColumnOf`]).
//!
//! Nothing here is meant to be called by hand; the items are public because the expansion of
//! the derive lives in the user's crate.

use crate::descriptor::ColumnInfo;

/// True when `names` holds `name` (a `const` string comparison, for `check_required`).
pub const fn contains(names: &[&str], name: &str) -> bool {
    let mut index = 0;
    while index < names.len() {
        if str_eq(names[index], name) {
            return true;
        }
        index += 1;
    }
    false
}

/// `a == b` for `&str` in a `const` context.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// The position of the primary key among a model's columns (`Model::PRIMARY_KEY`).
pub const fn primary_key(columns: &[&ColumnInfo]) -> Option<usize> {
    let mut index = 0;
    while index < columns.len() {
        if columns[index].primary_key {
            return Some(index);
        }
        index += 1;
    }
    None
}

/// A field type a `vectorizes` declaration can fill: a `vector` column's type.
#[diagnostic::on_unimplemented(
    message = "`vectorizes` needs a vector column, but this field is `{Self}`",
    label = "not a `vector` column",
    note = "`vectorizes` stores an embedding, so its field must be a `vector(N)` column: `pgvector::Vector` or `Option<pgvector::Vector>`"
)]
pub trait VectorField {}

// Not listed in the error: rustc would name the type by one of its two public paths
// (`instant_runtime::pgvector::Vector`, `instant_runtime::vector::Vector`), picked differently
// from one build to another; the note above already says which types are accepted.
#[diagnostic::do_not_recommend]
impl VectorField for pgvector::Vector {}
#[diagnostic::do_not_recommend]
impl VectorField for Option<pgvector::Vector> {}

/// Compiles only when `T` is a vector column's type.
pub const fn vector_field<T: VectorField>() {}

/// Runs a `validates` check on a field of type `T`. Taking the check as `Fn(&T) -> bool`
/// gives a closure's parameter the field's type (`|email| email.contains('@')` needs no
/// annotation) and points a check written for another type at the check.
pub fn validate<T, F: Fn(&T) -> bool>(value: &T, check: F) -> bool {
    check(value)
}

/// Runs a `verifies` function: it reads the model and may query inside the save's
/// transaction. A wrong signature is reported on the function.
pub fn verify<M, F>(
    model: &M,
    transaction: &mut crate::db::Transaction<'_>,
    check: F,
) -> crate::Result<bool>
where
    F: Fn(&M, &mut crate::db::Transaction<'_>) -> crate::Result<bool>,
{
    check(model, transaction)
}

/// Runs a `calculates` function, which reads the model and returns anything serde can
/// serialize, and gives its value as JSON.
pub fn calculate<M, T: serde::Serialize, F: Fn(&M) -> T>(
    model: &M,
    calculate: F,
) -> serde_json::Value {
    crate::model::json_value(&calculate(model))
}

/// A column marker of table `T`: implemented by the generated code once per column, for its
/// own table, so passing a column of another table names both tables in the error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of the model's table `{T}`",
    label = "a column of another table",
    note = "the help below names the table this column belongs to"
)]
pub trait ColumnOf<T: crate::descriptor::Table>: crate::descriptor::Column {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_helpers() {
        const NAMES: &[&str] = &["id", "email"];
        const _: () = assert!(contains(NAMES, "email"));
        assert!(!contains(NAMES, "emai"));
        assert!(!contains(NAMES, "emails"));
        const ID: ColumnInfo = ColumnInfo::new("id", "serial", "i64").primary_key();
        const NAME: ColumnInfo = ColumnInfo::new("name", "string", "String");
        assert_eq!(primary_key(&[&NAME, &ID]), Some(1));
        assert_eq!(primary_key(&[&NAME]), None);
        assert!(validate(&"x".to_string(), |value| !value.is_empty()));
        assert_eq!(calculate(&2, |n: &i32| n * 2), serde_json::json!(4));
    }
}
