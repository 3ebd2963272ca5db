//! The one error type of the runtime.
//!
//! Every variant says what the user can act on: the `_instant/` file and JSON location for bad
//! input, the server's own message for database errors, and for a failed migration the
//! migration file and the index of the command that failed. `contract` gives every error
//! instant.dev's JSON shape and an HTTP status.

mod contract;

use std::fmt;

pub use contract::DbErrorKind;
use std::path::PathBuf;

/// What went wrong in the runtime.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bad `_instant/` data: a migration, the schema, `db.json`.
    #[error(transparent)]
    Schema(#[from] instant_schema::Error),

    /// The database connection cannot be configured: no `DATABASE_URL` and no usable `db.json`
    /// entry, a malformed URL, a missing environment.
    #[error("database configuration: {message}")]
    Config { message: String },

    /// The server (or the connection to it) reported an error; `Display` gives the server's
    /// message, the original error stays available as the source.
    #[error("{}", DatabaseMessage(.0))]
    Database(#[source] instant_pg::Error),

    /// A migration could not be applied; nothing of it remains in the database.
    #[error("{}", MigrationMessage(self))]
    Migration {
        /// The migration's file name (`00000000000002__create_posts.json`).
        file: String,
        /// The migration id.
        id: i64,
        /// Which `up` command failed, with its name (`up[1] executeSql`); `None` when the
        /// failure is not tied to one command (writing the history row, committing).
        command: Option<(usize, &'static str)>,
        /// Why.
        #[source]
        source: Box<Error>,
    },

    /// Rolling a migration back failed; that step left nothing behind (earlier steps of the
    /// same rollback stay rolled back).
    #[error("{}", RollbackMessage(self))]
    Rollback {
        /// The migration's file name.
        file: String,
        /// The migration id.
        id: i64,
        /// Which `down` command failed, with its name; `None` for the history row or commit.
        command: Option<(usize, &'static str)>,
        /// Why.
        #[source]
        source: Box<Error>,
    },

    /// The database's migration history does not match the `_instant/migrations` folder, so
    /// the operation asked for would be unsafe. The message is instant.dev's: it starts with
    /// the state in quotes (`"mismatch"`, `"database_ahead"`, `"unsynced"`,
    /// `"filesystem_ahead"`) and names the migrations involved as `(id=…)`.
    #[error("{message}")]
    OutOfSync { message: String },

    /// A migration lifecycle operation (initialize, rollback to an id, rewind, enable an
    /// extension …) cannot be done as asked; the message is instant.dev's where it has one.
    #[error("{message}")]
    Lifecycle { message: String },

    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A model failed its `validates` checks or a field-bound `verifies` check; nothing was
    /// written. Serializes as instant.dev's `{field: {message, invalid, additional?}}`.
    #[error("Validation error")]
    Validation(crate::model::ValidationErrors),

    /// A model-wide `verifies` check failed (instant.dev's generic verification error, 400).
    #[error("{0}")]
    Verification(String),

    /// A query that must return a row returned none (instant.dev's 404, `first()`:
    /// `No records for <Model> found in your query`).
    #[error("{message}")]
    NotFound { message: String },

    /// A write through the ORM on a readonly database (instant.dev's replica slot).
    #[error("the readonly database refuses writes")]
    ReadOnly,

    /// No connection could be had: the pool timed out, or the server is unreachable.
    #[error("{message}")]
    Connection { message: String },

    /// A value given as JSON (a factory row, a dynamic query) is not what the schema expects.
    #[error("{message}")]
    Input { message: String },

    /// A seed row could not be inserted; `at` says where (`seed[0]["users"][2]`). Nothing of
    /// its seed element was kept.
    #[error("{at}: {}", ValidationMessage(source))]
    Seed {
        at: String,
        #[source]
        source: Box<Error>,
    },

    /// Text could not be turned into a vector: no engine is set, the engine failed (its
    /// message), or it returned no valid vector for an input. The message is instant.dev's
    /// (`Could not vectorize: …`).
    #[error("{message}")]
    Vector { message: String },

    /// A temporary database or private cluster could not be set up.
    #[error("temporary database: {message}")]
    TempDb { message: String },
}

/// `Result` with the runtime [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<instant_pg::Error> for Error {
    fn from(error: instant_pg::Error) -> Self {
        Error::Database(error)
    }
}

impl Error {
    /// A configuration error with `message`.
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// A lifecycle error with `message`.
    pub fn lifecycle(message: impl Into<String>) -> Self {
        Error::Lifecycle {
            message: message.into(),
        }
    }

    /// A failed read or write of `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The server's error, when this error (or the error a migration failed with) came from
    /// the server: its SQLSTATE code, message, detail.
    pub fn db_error(&self) -> Option<&instant_pg::ServerError> {
        match self {
            Error::Database(error) => error.server_error(),
            Error::Migration { source, .. } | Error::Rollback { source, .. } => source.db_error(),
            _ => None,
        }
    }
}

/// The server's message (`ERROR: relation "x" does not exist`) rather than the client's
/// generic "server error: …" with the SQLSTATE.
struct DatabaseMessage<'a>(&'a instant_pg::Error);

impl fmt::Display for DatabaseMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.server_error() {
            Some(db) => {
                write!(f, "database error: {}", db.message())?;
                if let Some(detail) = db.detail() {
                    write!(f, " ({detail})")?;
                }
                Ok(())
            }
            // The driver's message already ends with its cause (`…: connection refused`).
            None => write!(f, "database error: {}", self.0),
        }
    }
}

struct MigrationMessage<'a>(&'a Error);

impl fmt::Display for MigrationMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Migration {
                file,
                id,
                command,
                source,
            } => write_step(f, "migration", "up", file, *id, command, source),
            _ => Ok(()),
        }
    }
}

struct RollbackMessage<'a>(&'a Error);

impl fmt::Display for RollbackMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Rollback {
                file,
                id,
                command,
                source,
            } => write_step(
                f,
                "rollback of migration",
                "down",
                file,
                *id,
                command,
                source,
            ),
            _ => Ok(()),
        }
    }
}

/// An error with its validation details spelled out (`{"name": {"message": …}}`), which
/// `Validation error` alone does not say.
struct ValidationMessage<'a>(&'a Error);

impl fmt::Display for ValidationMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Validation(errors) => write!(f, "Validation error {}", errors.to_json()),
            other => write!(f, "{other}"),
        }
    }
}

/// `<what> <file> (id=<id>)[, <list>[<index>] <command>]: <source>`.
fn write_step(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    list: &str,
    file: &str,
    id: i64,
    command: &Option<(usize, &'static str)>,
    source: &Error,
) -> fmt::Result {
    write!(f, "{what} {file} (id={id})")?;
    if let Some((index, name)) = command {
        write!(f, ", {list}[{index}] {name}")?;
    }
    write!(f, ": {source}")
}
