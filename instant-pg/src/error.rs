//! Why a call failed, as the cause it really was.
//!
//! [`Cause`] lists the ways this driver fails, one variant each: the server's error, the
//! socket, a connection already closed, a request refused before sending, a value that does
//! not decode, a column or row count that is not what the caller asked for, a deadline, a
//! limit, a server that broke the protocol, a setting. Callers that care match on it
//! ([`Error::cause`]); most ask the questions a pool and the ORM ask
//! ([`is_closed`](Error::is_closed), [`is_timeout`](Error::is_timeout),
//! [`server_error`](Error::server_error), [`code`](Error::code)).
//!
//! [`Error`] holds its cause behind one box so that `Result<Row, Error>` and the other
//! results of the hot path stay one pointer wider than their value, whatever the largest
//! cause.
//!
//! Messages say what happened in words and end with what the lower layer said, so a log
//! line is enough to act on; the server's own message stays whole in [`ServerError`].

use std::error::Error as StdError;
use std::fmt;
use std::io;

use fallible_iterator::FallibleIterator;
use postgres::error::SqlState;
use postgres_protocol::message::backend::ErrorFields;

/// An error from the server or from this side of the connection; see [`Cause`].
pub struct Error {
    cause: Box<Cause>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum Cause {
    /// The server reported an error (a failed statement, a refused login, a FATAL that ends
    /// the session).
    Server(ServerError),
    /// Reading or writing the socket failed (TLS included).
    Io(io::Error),
    /// The connection was already closed by an earlier failure (see
    /// [`Client::is_closed`](crate::Client::is_closed)): nothing was sent.
    Closed,
    /// The server closed the connection (it ended the session, went down, or was never
    /// PostgreSQL).
    HungUp,
    /// A connection setting is missing or not usable.
    Config(String),
    /// The login could not be completed on this side (no password, an unsupported method,
    /// a server proof that does not check out).
    Authentication(String),
    /// A request refused before anything was written: a NUL byte in SQL text or in a text
    /// value, too many parameters, a message over PostgreSQL's 1 GiB, a value its `ToSql`
    /// refused (or panicked on) for the parameter's type.
    Encode(String),
    /// A column's value could not be read as the Rust type asked for.
    Decode {
        /// The column's position.
        column: usize,
        /// The column's name.
        name: String,
        /// What the `FromSql` implementation said.
        reason: Box<dyn StdError + Sync + Send>,
    },
    /// A row was asked for a column it does not have.
    NoSuchColumn {
        /// The position or name asked for, as written in messages.
        asked: String,
        /// The row's column names, in order.
        columns: Vec<String>,
    },
    /// The statement takes `expected` parameters and `given` were passed.
    ParameterCount { expected: usize, given: usize },
    /// `query_one` or `query_opt` got a number of rows it does not return.
    RowCount {
        /// What the method returns: `"exactly one"` or `"at most one"`.
        expected: &'static str,
        /// How many rows the statement returned.
        returned: usize,
    },
    /// A deadline, the read or write timeout, or the connect timeout ran out.
    Timeout {
        /// What ran out, and what became of the statement and the connection.
        message: String,
        /// Whether the connection was given up.
        closed: bool,
        /// The server's answer to the cancel request, when the statement was cancelled.
        cancelled: Option<ServerError>,
    },
    /// A read waited on the socket past the caller's deadline with no cancel key to end the
    /// statement (within a call, the client cancels and reports [`Cause::Timeout`]).
    DeadlinePassed,
    /// The server announced a message over the client's cap
    /// ([`Client::set_max_message_size`](crate::Client::set_max_message_size)).
    Limit(String),
    /// The server sent what the protocol does not allow at that point.
    Protocol(String),
    /// A method called for what it does not do (`copy_in` with a statement that is not a
    /// `COPY … FROM STDIN`, a cancel over a Unix socket).
    Usage(String),
}

impl Error {
    fn from_cause(cause: Cause) -> Error {
        Error {
            cause: Box::new(cause),
        }
    }

    pub(crate) fn server(error: ServerError) -> Error {
        Error::from_cause(Cause::Server(error))
    }

    pub(crate) fn io(error: io::Error) -> Error {
        Error::from_cause(Cause::Io(error))
    }

    pub(crate) fn closed() -> Error {
        Error::from_cause(Cause::Closed)
    }

    pub(crate) fn hung_up() -> Error {
        Error::from_cause(Cause::HungUp)
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::from_cause(Cause::Config(message.into()))
    }

    pub(crate) fn authentication(message: impl Into<String>) -> Error {
        Error::from_cause(Cause::Authentication(message.into()))
    }

    pub(crate) fn protocol(message: impl Into<String>) -> Error {
        Error::from_cause(Cause::Protocol(message.into()))
    }

    pub(crate) fn limit(message: impl Into<String>) -> Error {
        Error::from_cause(Cause::Limit(message.into()))
    }

    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::from_cause(Cause::Usage(message.into()))
    }

    pub(crate) fn encode(message: impl Into<String>) -> Error {
        Error::from_cause(Cause::Encode(message.into()))
    }

    /// A value that cannot be sent as the server's type: `place` is `$n` or a COPY row and
    /// column, `why` what its `ToSql` said.
    pub(crate) fn encode_value(
        place: &str,
        type_name: &str,
        why: Box<dyn StdError + Sync + Send>,
    ) -> Error {
        Error::encode(format!("{place} cannot be sent as {type_name}: {why}"))
    }

    pub(crate) fn decode(
        column: usize,
        name: &str,
        reason: Box<dyn StdError + Sync + Send>,
    ) -> Error {
        Error::from_cause(Cause::Decode {
            column,
            name: name.to_owned(),
            reason,
        })
    }

    pub(crate) fn no_such_column(asked: String, columns: Vec<String>) -> Error {
        Error::from_cause(Cause::NoSuchColumn { asked, columns })
    }

    pub(crate) fn parameter_count(expected: usize, given: usize) -> Error {
        Error::from_cause(Cause::ParameterCount { expected, given })
    }

    pub(crate) fn row_count(expected: &'static str, returned: usize) -> Error {
        Error::from_cause(Cause::RowCount { expected, returned })
    }

    pub(crate) fn timeout(message: impl Into<String>, closed: bool) -> Error {
        Error::from_cause(Cause::Timeout {
            message: message.into(),
            closed,
            cancelled: None,
        })
    }

    pub(crate) fn deadline_passed() -> Error {
        Error::from_cause(Cause::DeadlinePassed)
    }

    /// A timeout whose statement the server cancelled: `answer` is the server's error, kept
    /// as the timeout's source. Any other error comes back unchanged.
    pub(crate) fn with_cancellation(mut self, answer: Error) -> Error {
        if let (Cause::Timeout { cancelled, .. }, Cause::Server(server)) =
            (self.cause.as_mut(), *answer.cause)
        {
            *cancelled = Some(server);
        }
        self
    }

    pub(crate) fn is_deadline_passed(&self) -> bool {
        matches!(*self.cause, Cause::DeadlinePassed)
    }

    /// Whether the socket gave up waiting (its read or write timeout, or a connect timeout)
    /// rather than failing.
    pub(crate) fn is_socket_timeout(&self) -> bool {
        matches!(
            &*self.cause,
            Cause::Io(error)
                if matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
        )
    }

    /// What went wrong.
    pub fn cause(&self) -> &Cause {
        &self.cause
    }

    /// The server's error, when the server reported this one.
    pub fn server_error(&self) -> Option<&ServerError> {
        match &*self.cause {
            Cause::Server(error) => Some(error),
            _ => None,
        }
    }

    /// The server's SQLSTATE code, when the server reported this error.
    pub fn code(&self) -> Option<&SqlState> {
        self.server_error().map(ServerError::code)
    }

    /// Whether a deadline, a timeout or the socket's read timeout ran out (see
    /// [`Client::set_deadline`](crate::Client::set_deadline)), or the server cancelled the
    /// statement at its `statement_timeout` or `lock_timeout` (SQLSTATE 57014, 55P03).
    pub fn is_timeout(&self) -> bool {
        match &*self.cause {
            Cause::Timeout { .. } | Cause::DeadlinePassed => true,
            Cause::Server(error) => {
                *error.code() == SqlState::QUERY_CANCELED
                    || *error.code() == SqlState::LOCK_NOT_AVAILABLE
            }
            _ => self.is_socket_timeout(),
        }
    }

    /// Whether the connection is unusable after this error (the socket failed, the server
    /// sent what the protocol does not allow or more than the client takes, or ended the
    /// session): a pool should drop it.
    pub fn is_closed(&self) -> bool {
        match &*self.cause {
            Cause::Io(_)
            | Cause::Closed
            | Cause::HungUp
            | Cause::Protocol(_)
            | Cause::Limit(_)
            | Cause::DeadlinePassed => true,
            Cause::Timeout { closed, .. } => *closed,
            Cause::Server(error) => error.ends_session(),
            _ => false,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.cause, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.cause {
            Cause::Server(error) => write!(f, "server error: {error}"),
            Cause::Io(error) => write!(f, "talking to the server failed: {error}"),
            Cause::Closed => f.write_str(
                "connection closed: an earlier call on it failed on the socket or the \
                 protocol, or stopped part way",
            ),
            Cause::HungUp => f.write_str("connection closed by the server"),
            Cause::Config(message) => write!(f, "connection settings: {message}"),
            Cause::Authentication(message) => write!(f, "logging in failed: {message}"),
            Cause::Encode(message)
            | Cause::Usage(message)
            | Cause::Limit(message)
            | Cause::Timeout { message, .. } => f.write_str(message),
            Cause::Decode {
                column,
                name,
                reason,
            } => write!(f, "column {column} (`{name}`) cannot be read: {reason}"),
            Cause::NoSuchColumn { asked, columns } => {
                write!(f, "the row has no column {asked} (its columns: ")?;
                if columns.is_empty() {
                    f.write_str("none")?;
                }
                for (position, name) in columns.iter().enumerate() {
                    let comma = if position == 0 { "" } else { ", " };
                    write!(f, "{comma}{position} `{name}`")?;
                }
                f.write_str(")")
            }
            Cause::ParameterCount { expected, given } => write!(
                f,
                "the statement takes {expected} parameter{}, {given} given",
                if *expected == 1 { "" } else { "s" }
            ),
            Cause::RowCount { expected, returned } => write!(
                f,
                "expected {expected} row, the statement returned {returned}"
            ),
            Cause::DeadlinePassed => {
                f.write_str("the deadline passed while waiting for the server")
            }
            Cause::Protocol(message) => {
                write!(f, "the server broke the protocol: {message}")
            }
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &*self.cause {
            Cause::Io(error) => Some(error),
            Cause::Decode { reason, .. } => Some(reason.as_ref()),
            Cause::Timeout {
                cancelled: Some(server),
                ..
            } => Some(server),
            _ => None,
        }
    }
}

/// `n` with its thousands apart (`65 535`, `1 073 741 824`), as limits are written in
/// messages.
pub fn grouped(n: u64) -> String {
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

/// An error (or notice) the server sent: its SQLSTATE code and the fields of its
/// ErrorResponse, kept as sent.
///
/// The fields are kept as the list the server sent (a field type byte and its text), and
/// each accessor looks its own up: a message carries a handful of fields, most of the
/// eighteen PostgreSQL defines are absent from any one, and a new one is available through
/// [`field`](ServerError::field) without a change here. Only the code is parsed up front,
/// since the ORM branches on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    code: SqlState,
    fields: Vec<(u8, Box<str>)>,
}

/// Field types of ErrorResponse and NoticeResponse (PostgreSQL's protocol, "Error and
/// Notice Message Fields").
mod field {
    pub const SEVERITY_LOCALIZED: u8 = b'S';
    pub const SEVERITY: u8 = b'V';
    pub const CODE: u8 = b'C';
    pub const MESSAGE: u8 = b'M';
    pub const DETAIL: u8 = b'D';
    pub const HINT: u8 = b'H';
    pub const POSITION: u8 = b'P';
    pub const CONTEXT: u8 = b'W';
    pub const SCHEMA: u8 = b's';
    pub const TABLE: u8 = b't';
    pub const COLUMN: u8 = b'c';
    pub const DATA_TYPE: u8 = b'd';
    pub const CONSTRAINT: u8 = b'n';
    pub const ROUTINE: u8 = b'R';
}

impl ServerError {
    /// The fields of an ErrorResponse or NoticeResponse body; an error when the body is
    /// malformed. Text that is not UTF-8 (a server in another encoding) is kept with its
    /// invalid bytes replaced.
    pub(crate) fn from_fields(fields: ErrorFields<'_>) -> io::Result<ServerError> {
        let fields: Vec<(u8, Box<str>)> = fields
            .map(|field| {
                let text = String::from_utf8_lossy(field.value_bytes());
                Ok((field.type_(), text.into()))
            })
            .collect()?;
        let code = fields
            .iter()
            .find(|(kind, _)| *kind == field::CODE)
            .map_or(SqlState::INTERNAL_ERROR, |(_, code)| {
                SqlState::from_code(code)
            });
        Ok(ServerError { code, fields })
    }

    /// The text of the field of type `kind` (a byte of PostgreSQL's list: `b'M'` the
    /// message, `b'q'` an internal query …), when the server sent one.
    pub fn field(&self, kind: u8) -> Option<&str> {
        self.fields
            .iter()
            .find(|(each, _)| *each == kind)
            .map(|(_, text)| &**text)
    }

    /// `ERROR`, `FATAL`, `PANIC` (or for a notice `WARNING`, `NOTICE`, …): the untranslated
    /// severity servers since 9.6 send, else the one in the server's language.
    pub fn severity(&self) -> &str {
        self.field(field::SEVERITY)
            .or_else(|| self.field(field::SEVERITY_LOCALIZED))
            .unwrap_or("ERROR")
    }

    /// Whether the server ends the session after this error.
    fn ends_session(&self) -> bool {
        matches!(self.severity(), "FATAL" | "PANIC")
    }

    /// The SQLSTATE code (`XX000`, internal error, when the server sent none).
    pub fn code(&self) -> &SqlState {
        &self.code
    }

    /// The primary message.
    pub fn message(&self) -> &str {
        self.field(field::MESSAGE).unwrap_or_default()
    }

    /// The detail, when the server gave one.
    pub fn detail(&self) -> Option<&str> {
        self.field(field::DETAIL)
    }

    /// A suggestion of what to do, when the server gave one.
    pub fn hint(&self) -> Option<&str> {
        self.field(field::HINT)
    }

    /// Where in the statement text the error is (1-based, in characters).
    pub fn position(&self) -> Option<u32> {
        self.field(field::POSITION)?.parse().ok()
    }

    /// The context: the call stack of functions, for an error raised inside one.
    pub fn context(&self) -> Option<&str> {
        self.field(field::CONTEXT)
    }

    /// The schema of the object involved.
    pub fn schema(&self) -> Option<&str> {
        self.field(field::SCHEMA)
    }

    /// The table involved.
    pub fn table(&self) -> Option<&str> {
        self.field(field::TABLE)
    }

    /// The column involved.
    pub fn column(&self) -> Option<&str> {
        self.field(field::COLUMN)
    }

    /// The data type involved.
    pub fn datatype(&self) -> Option<&str> {
        self.field(field::DATA_TYPE)
    }

    /// The constraint involved.
    pub fn constraint(&self) -> Option<&str> {
        self.field(field::CONSTRAINT)
    }

    /// The server routine that reported the error.
    pub fn routine(&self) -> Option<&str> {
        self.field(field::ROUTINE)
    }
}

/// `message (SQLSTATE code, severity)`, then the detail and the hint when there are.
impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (SQLSTATE {}, {})",
            self.message(),
            self.code.code(),
            self.severity()
        )?;
        if let Some(detail) = self.detail() {
            write!(f, "; detail: {detail}")?;
        }
        if let Some(hint) = self.hint() {
            write!(f, "; hint: {hint}")?;
        }
        Ok(())
    }
}

impl StdError for ServerError {}

#[cfg(test)]
mod tests {
    use super::*;
    use postgres_protocol::message::backend::Message;

    /// An ErrorResponse message with `fields`.
    fn error_response(fields: &[(u8, &str)]) -> ServerError {
        let mut body = Vec::new();
        for (kind, text) in fields {
            body.push(*kind);
            body.extend_from_slice(text.as_bytes());
            body.push(0);
        }
        body.push(0);
        let mut message = vec![b'E'];
        message.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        message.extend_from_slice(&body);
        let mut buffer = bytes::BytesMut::from(&message[..]);
        match Message::parse(&mut buffer) {
            Ok(Some(Message::ErrorResponse(body))) => {
                ServerError::from_fields(body.fields()).expect("well formed")
            }
            _ => panic!("not an ErrorResponse"),
        }
    }

    #[test]
    fn fields_are_read_from_the_error_response() {
        let error = error_response(&[
            (b'S', "ERREUR"),
            (b'V', "ERROR"),
            (b'C', "23505"),
            (
                b'M',
                "duplicate key value violates unique constraint \"users_email\"",
            ),
            (b'D', "Key (email)=(a@b.c) already exists."),
            (b'n', "users_email"),
            (b'P', "15"),
        ]);
        assert_eq!(*error.code(), SqlState::UNIQUE_VIOLATION);
        assert_eq!(error.severity(), "ERROR");
        assert_eq!(error.constraint(), Some("users_email"));
        assert_eq!(error.position(), Some(15));
        assert_eq!(error.hint(), None);
        assert_eq!(
            error.to_string(),
            "duplicate key value violates unique constraint \"users_email\" (SQLSTATE 23505, \
             ERROR); detail: Key (email)=(a@b.c) already exists."
        );
        let error = Error::server(error);
        assert!(!error.is_closed());
        assert!(error.to_string().starts_with("server error: duplicate key"));
    }

    #[test]
    fn a_fatal_error_ends_the_session() {
        let error = error_response(&[(b'S', "FATAL"), (b'C', "57P01"), (b'M', "terminating")]);
        assert_eq!(error.severity(), "FATAL");
        assert!(Error::server(error).is_closed());
    }

    #[test]
    fn the_missing_column_message_lists_the_rows_columns() {
        let error = Error::no_such_column("`Name`".into(), vec!["id".into(), "name".into()]);
        assert_eq!(
            error.to_string(),
            "the row has no column `Name` (its columns: 0 `id`, 1 `name`)"
        );
    }
}
