//! Errors as an API answers them: instant.dev's JSON (`message`, `details` keyed by field with
//! `_query` for the database's own message, `notFound`) and an HTTP status.
//!
//! ```
//! use instant_runtime::{Error, ValidationErrors};
//!
//! let mut errors = ValidationErrors::new();
//! errors.add("email", "must be valid");
//! let error = Error::Validation(errors);
//! assert_eq!(error.status(), 400);
//! assert_eq!(
//!     error.to_json(),
//!     serde_json::json!({
//!         "message": "Validation error",
//!         "statusCode": 400,
//!         "details": {"email": {"message": "must be valid", "invalid": true}}
//!     })
//! );
//! ```

use instant_pg::SqlState;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Error;
use crate::model::ValidationErrors;

/// What kind of constraint or condition the server reported, from its SQLSTATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DbErrorKind {
    /// `23505`: a unique index or constraint already holds the value.
    UniqueViolation,
    /// `23503`: a foreign key points at a missing row, or a row still referenced was deleted.
    ForeignKeyViolation,
    /// `23502`: NULL in a NOT NULL column.
    NotNullViolation,
    /// `23514`: a CHECK constraint failed.
    CheckViolation,
    /// Class `22`: a value the column cannot hold (too long, out of range, malformed).
    InvalidData,
    /// `25006`: a write in a read-only transaction (a replica).
    ReadOnly,
    /// Anything else the server reported.
    Other,
}

impl DbErrorKind {
    fn of(db: &instant_pg::ServerError) -> DbErrorKind {
        let code = db.code();
        if *code == SqlState::UNIQUE_VIOLATION {
            DbErrorKind::UniqueViolation
        } else if *code == SqlState::FOREIGN_KEY_VIOLATION {
            DbErrorKind::ForeignKeyViolation
        } else if *code == SqlState::NOT_NULL_VIOLATION {
            DbErrorKind::NotNullViolation
        } else if *code == SqlState::CHECK_VIOLATION {
            DbErrorKind::CheckViolation
        } else if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
            DbErrorKind::ReadOnly
        } else if code.code().starts_with("22") {
            DbErrorKind::InvalidData
        } else {
            DbErrorKind::Other
        }
    }
}

impl Error {
    /// The kind of server error behind this error, when the server reported one.
    pub fn db_error_kind(&self) -> Option<DbErrorKind> {
        self.db_error().map(DbErrorKind::of)
    }

    /// True for a lookup that found nothing (instant.dev's `notFound`): `find`, `find_by`,
    /// `first`.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// The HTTP status an API would answer with: 400 for invalid input (validations,
    /// verifications, NOT NULL, CHECK and bad values), 404 when nothing was found, 409 for
    /// a conflict with stored data (unique and foreign-key violations, a readonly database),
    /// 500 for everything else.
    pub fn status(&self) -> u16 {
        match self {
            Error::Validation(_) | Error::Verification(_) | Error::Input { .. } => 400,
            Error::NotFound { .. } => 404,
            Error::ReadOnly => 409,
            _ => match self.db_error_kind() {
                Some(DbErrorKind::UniqueViolation)
                | Some(DbErrorKind::ForeignKeyViolation)
                | Some(DbErrorKind::ReadOnly) => 409,
                Some(DbErrorKind::NotNullViolation)
                | Some(DbErrorKind::CheckViolation)
                | Some(DbErrorKind::InvalidData) => 400,
                _ => 500,
            },
        }
    }

    /// The failures by field, instant.dev's `details`: the validation errors, or the
    /// server's message under `_query`.
    pub fn details(&self) -> Option<ValidationErrors> {
        match self {
            Error::Validation(errors) => Some(errors.clone()),
            _ => {
                let db = self.db_error()?;
                let mut errors = ValidationErrors::new();
                errors.add("_query", db.message());
                Some(errors)
            }
        }
    }

    /// The message instant.dev puts first: the server's own message for a database error
    /// (`duplicate key value violates unique constraint "…"`), else this error's.
    pub fn message(&self) -> String {
        match self.db_error() {
            Some(db) => db.message().to_string(),
            None => self.to_string(),
        }
    }

    /// The error as an API returns it: `{"message", "statusCode", "details"?,
    /// "identifier"?, "notFound"?}` in instant.dev's shape.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        let message = self.message();
        map.serialize_entry("message", &message)?;
        map.serialize_entry("statusCode", &self.status())?;
        if let Some(details) = self.details() {
            map.serialize_entry("details", &details)?;
        }
        if self.db_error().is_some() {
            map.serialize_entry("identifier", &message)?;
        }
        if self.is_not_found() {
            map.serialize_entry("notFound", &true)?;
        }
        map.end()
    }
}
