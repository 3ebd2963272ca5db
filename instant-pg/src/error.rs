//! The client's error: what the server reported ([`DbError`]), or what went wrong on this side
//! (the socket, TLS, a value that cannot be encoded or decoded, a setting).

use std::fmt;
use std::io;

use postgres::error::SqlState;
use postgres_protocol::message::backend::ErrorFields;

/// An error from the server or the client.
pub struct Error(Box<Inner>);

struct Inner {
    kind: Kind,
    source: Option<Box<dyn std::error::Error + Sync + Send>>,
}

#[derive(Debug)]
enum Kind {
    Db(Box<DbError>),
    Io,
    Closed,
    Config(String),
    Authentication(String),
    Protocol(String),
    FromSql(usize),
    ColumnNotFound(String),
    Parameters {
        expected: usize,
        given: usize,
    },
    RowCount,
    /// A method called for a statement it does not run.
    Usage(String),
    /// A request that cannot be sent as asked (a NUL byte in SQL text, too many parameters, a
    /// message over PostgreSQL's size limit): refused before anything was written.
    Encode(String),
    /// A deadline, timeout or read timeout ran out; `closed` when the connection could not
    /// be brought back in step with the server afterwards.
    Timeout {
        message: String,
        closed: bool,
    },
    /// A read blocked on the socket past the client's deadline (handled inside the client,
    /// which cancels the statement).
    DeadlinePassed,
}

impl Error {
    fn new(kind: Kind, source: Option<Box<dyn std::error::Error + Sync + Send>>) -> Error {
        Error(Box::new(Inner { kind, source }))
    }

    pub(crate) fn db(error: DbError) -> Error {
        Error::new(Kind::Db(Box::new(error)), None)
    }

    pub(crate) fn io(error: io::Error) -> Error {
        Error::new(Kind::Io, Some(Box::new(error)))
    }

    pub(crate) fn closed() -> Error {
        Error::new(Kind::Closed, None)
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::new(Kind::Config(message.into()), None)
    }

    pub(crate) fn authentication(message: impl Into<String>) -> Error {
        Error::new(Kind::Authentication(message.into()), None)
    }

    pub(crate) fn protocol(message: impl Into<String>) -> Error {
        Error::new(Kind::Protocol(message.into()), None)
    }

    pub(crate) fn from_sql(error: Box<dyn std::error::Error + Sync + Send>, index: usize) -> Error {
        Error::new(Kind::FromSql(index), Some(error))
    }

    pub(crate) fn column(name: impl Into<String>) -> Error {
        Error::new(Kind::ColumnNotFound(name.into()), None)
    }

    pub(crate) fn parameters(expected: usize, given: usize) -> Error {
        Error::new(Kind::Parameters { expected, given }, None)
    }

    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::new(Kind::Usage(message.into()), None)
    }

    /// A value that cannot be sent as the server's type: `place` is `$n` or a COPY row and
    /// column, `why` what its `ToSql` said.
    pub(crate) fn encode_value(
        place: &str,
        type_name: &str,
        why: Box<dyn std::error::Error + Sync + Send>,
    ) -> Error {
        Error::encode(format!("{place} cannot be sent as {type_name}: {why}"))
    }

    pub(crate) fn encode(message: impl Into<String>) -> Error {
        Error::new(Kind::Encode(message.into()), None)
    }

    pub(crate) fn timeout(message: impl Into<String>, closed: bool) -> Error {
        Error::new(
            Kind::Timeout {
                message: message.into(),
                closed,
            },
            None,
        )
    }

    pub(crate) fn deadline_passed() -> Error {
        Error::new(Kind::DeadlinePassed, None)
    }

    /// This error with `source` as its cause (the server's cancellation behind a timeout).
    pub(crate) fn caused_by(mut self, source: Error) -> Error {
        self.0.source = Some(Box::new(source));
        self
    }

    pub(crate) fn is_deadline_passed(&self) -> bool {
        matches!(self.0.kind, Kind::DeadlinePassed)
    }

    /// Whether the socket gave up waiting (its read or write timeout, or a connect timeout)
    /// rather than failing.
    pub(crate) fn is_socket_timeout(&self) -> bool {
        matches!(self.0.kind, Kind::Io)
            && self
                .0
                .source
                .as_deref()
                .and_then(|source| source.downcast_ref::<io::Error>())
                .is_some_and(|error| {
                    matches!(
                        error.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    )
                })
    }

    pub(crate) fn row_count() -> Error {
        Error::new(Kind::RowCount, None)
    }

    /// The server's error, when the server reported this one.
    pub fn as_db_error(&self) -> Option<&DbError> {
        match &self.0.kind {
            Kind::Db(error) => Some(error.as_ref()),
            _ => None,
        }
    }

    /// The server's SQLSTATE code, when the server reported this error.
    pub fn code(&self) -> Option<&SqlState> {
        self.as_db_error().map(DbError::code)
    }

    /// Whether a deadline, a timeout or the socket's read timeout ran out (see
    /// [`Client::set_deadline`](crate::Client::set_deadline)), or the server cancelled the
    /// statement at its `statement_timeout` or `lock_timeout` (SQLSTATE 57014, 55P03).
    pub fn is_timeout(&self) -> bool {
        match &self.0.kind {
            Kind::Timeout { .. } | Kind::DeadlinePassed => true,
            Kind::Db(error) => {
                *error.code() == SqlState::QUERY_CANCELED
                    || *error.code() == SqlState::LOCK_NOT_AVAILABLE
            }
            _ => self.is_socket_timeout(),
        }
    }

    /// Whether the connection is unusable after this error (the socket failed or the server
    /// sent what the protocol does not allow): a pool should drop it.
    pub fn is_closed(&self) -> bool {
        match &self.0.kind {
            Kind::Io | Kind::Closed | Kind::Protocol(_) | Kind::DeadlinePassed => true,
            Kind::Timeout { closed, .. } => *closed,
            // The server ends the session after a FATAL or PANIC error.
            Kind::Db(error) => matches!(error.severity(), "FATAL" | "PANIC"),
            _ => false,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("source", &self.0.source)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.kind {
            Kind::Db(error) => write!(f, "db error: {error}"),
            Kind::Io => f.write_str("error communicating with the server"),
            Kind::Closed => f.write_str("connection closed"),
            Kind::Config(message) => write!(f, "invalid configuration: {message}"),
            Kind::Authentication(message) => write!(f, "authentication failed: {message}"),
            Kind::Protocol(message) => write!(f, "unexpected message from the server: {message}"),
            Kind::FromSql(index) => write!(f, "error deserializing column {index}"),
            Kind::ColumnNotFound(name) => write!(f, "invalid column `{name}`"),
            Kind::Parameters { expected, given } => write!(
                f,
                "the statement takes {expected} parameter{}, {given} given",
                if *expected == 1 { "" } else { "s" }
            ),
            Kind::RowCount => f.write_str("query returned an unexpected number of rows"),
            Kind::Usage(message) | Kind::Encode(message) => f.write_str(message),
            Kind::Timeout { message, .. } => f.write_str(message),
            Kind::DeadlinePassed => f.write_str("the deadline passed while waiting for the server"),
        }?;
        // A timeout's message says it all; the server's cancellation stays the source.
        if let Some(source) = &self.0.source
            && !matches!(self.0.kind, Kind::Timeout { .. })
        {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

/// `n` with its thousands apart (`65 535`, `1 073 741 824`), as limits are written in
/// messages.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

/// A timeout as a person writes it: `1 s`, `1.5 s`, `250 ms`.
pub(crate) fn duration(timeout: std::time::Duration) -> String {
    let millis = timeout.as_millis();
    if millis < 1000 {
        format!("{millis} ms")
    } else if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{:.1} s", timeout.as_secs_f64())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            Kind::Db(error) => Some(error.as_ref()),
            _ => self.0.source.as_deref().map(|source| source as _),
        }
    }
}

/// An error the server reported: its SQLSTATE code, message and the fields PostgreSQL adds
/// (detail, hint, the constraint, table and column involved …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    severity: String,
    code: SqlState,
    message: String,
    detail: Option<String>,
    hint: Option<String>,
    position: Option<u32>,
    where_: Option<String>,
    schema: Option<String>,
    table: Option<String>,
    column: Option<String>,
    datatype: Option<String>,
    constraint: Option<String>,
    routine: Option<String>,
}

impl DbError {
    pub(crate) fn parse(fields: &mut ErrorFields<'_>) -> io::Result<DbError> {
        use fallible_iterator::FallibleIterator;
        let mut error = DbError {
            severity: String::new(),
            code: SqlState::INTERNAL_ERROR,
            message: String::new(),
            detail: None,
            hint: None,
            position: None,
            where_: None,
            schema: None,
            table: None,
            column: None,
            datatype: None,
            constraint: None,
            routine: None,
        };
        while let Some(field) = fields.next()? {
            let value = String::from_utf8_lossy(field.value_bytes()).into_owned();
            match field.type_() {
                b'S' if error.severity.is_empty() => error.severity = value,
                b'V' => error.severity = value,
                b'C' => error.code = SqlState::from_code(&value),
                b'M' => error.message = value,
                b'D' => error.detail = Some(value),
                b'H' => error.hint = Some(value),
                b'P' => error.position = value.parse().ok(),
                b'W' => error.where_ = Some(value),
                b's' => error.schema = Some(value),
                b't' => error.table = Some(value),
                b'c' => error.column = Some(value),
                b'd' => error.datatype = Some(value),
                b'n' => error.constraint = Some(value),
                b'R' => error.routine = Some(value),
                _ => {}
            }
        }
        Ok(error)
    }

    /// `ERROR`, `FATAL`, `PANIC` (or for a notice `WARNING`, `NOTICE`, …).
    pub fn severity(&self) -> &str {
        &self.severity
    }

    /// The SQLSTATE code.
    pub fn code(&self) -> &SqlState {
        &self.code
    }

    /// The primary message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The detail, when the server gave one.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// A suggestion of what to do, when the server gave one.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// Where in the statement text the error is (1-based, in characters).
    pub fn position(&self) -> Option<u32> {
        self.position
    }

    /// The context (a call stack of functions, for errors inside them).
    pub fn where_(&self) -> Option<&str> {
        self.where_.as_deref()
    }

    /// The schema of the object involved.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// The table involved.
    pub fn table(&self) -> Option<&str> {
        self.table.as_deref()
    }

    /// The column involved.
    pub fn column(&self) -> Option<&str> {
        self.column.as_deref()
    }

    /// The data type involved.
    pub fn datatype(&self) -> Option<&str> {
        self.datatype.as_deref()
    }

    /// The constraint involved.
    pub fn constraint(&self) -> Option<&str> {
        self.constraint.as_deref()
    }

    /// The server routine that reported the error.
    pub fn routine(&self) -> Option<&str> {
        self.routine.as_deref()
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.message)?;
        if let Some(detail) = &self.detail {
            write!(f, "\nDETAIL: {detail}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nHINT: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DbError {}
