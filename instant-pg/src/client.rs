//! The client: one connection, one request at a time, each request a single write followed by
//! reading until the server is ready again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::{BufMut, BytesMut};
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::{ErrorResponseBody, Message};
use postgres_protocol::message::frontend;
use postgres_types::{Oid, ToSql, Type};

use crate::error::{DbError, Error};
use crate::row::{Batches, Discard, Receiver, Row, RowSet, SpareSlot};
use crate::statement::{Closer, Column, Statement, StatementRef, ToStatement};
use crate::transaction::Transaction;
use crate::wire::Wire;

/// A connection to PostgreSQL. Open one with [`connect`](crate::connect).
///
/// Every request is written whole and answered before the method returns: `prepare` is one
/// round trip, `query` and `execute` on a prepared statement are one, and on SQL text two
/// (prepare, then run).
pub struct Client {
    pub(crate) wire: Wire,
    /// Set when the socket failed or the server broke the protocol: nothing more is sent.
    closed: bool,
    /// The transaction status of the last ReadyForQuery: `I` idle, `T` in a transaction, `E`
    /// in a failed one.
    status: u8,
    next_statement: u64,
    closer: Closer,
    /// The buffers of the last result dropped, for the next one.
    spare: SpareSlot,
    /// Types the server defines beyond the built-in ones (extensions' `vector`, enums,
    /// domains …), looked up once.
    types: HashMap<Oid, Type>,
    parameters: Vec<(String, String)>,
    pub(crate) process_id: i32,
    pub(crate) secret_key: i32,
}

impl Client {
    pub(crate) fn new(wire: Wire) -> Client {
        Client {
            wire,
            closed: false,
            status: b'I',
            next_statement: 0,
            closer: Arc::new(Mutex::new(Vec::new())),
            spare: SpareSlot::default(),
            types: HashMap::new(),
            parameters: Vec::new(),
            process_id: 0,
            secret_key: 0,
        }
    }

    /// Connects to `url` (a libpq connection string or URL) without TLS; see
    /// [`connect`](crate::connect) for TLS.
    pub fn connect(url: &str) -> Result<Client, Error> {
        let config: postgres::Config = url
            .parse()
            .map_err(|error| Error::config(format!("{error}")))?;
        crate::connect(&config, None)
    }

    /// Prepares `sql`: the server parses it once, and every run binds the values only.
    pub fn prepare(&mut self, sql: &str) -> Result<Statement, Error> {
        self.next_statement += 1;
        let name = format!("i{}", self.next_statement);
        self.prepare_as(name, sql)
    }

    /// Runs `statement` with `params` and returns its rows.
    pub fn query<S>(
        &mut self,
        statement: &S,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, Error>
    where
        S: ToStatement + ?Sized,
    {
        let columns = self.start(statement, params)?;
        let mut rows = RowSet::new(columns, &self.spare);
        self.read_results(&mut rows)?;
        Ok(rows.into_rows())
    }

    /// Runs `statement` with `params` and calls `each` with every row, in order, a batch at a
    /// time as the rows arrive: the rows that have come are decoded while the server sends the
    /// rest, where [`query`](Client::query) reads the whole result first. Returns how many
    /// rows there were.
    ///
    /// When `each` fails, the rest of the rows are read and dropped and its error is returned.
    /// When the server fails part way (an error raised by the tenth row), `each` has seen the
    /// rows before it, and the server's error is returned.
    pub fn query_each<S, F, E>(
        &mut self,
        statement: &S,
        params: &[&(dyn ToSql + Sync)],
        each: F,
    ) -> Result<u64, E>
    where
        S: ToStatement + ?Sized,
        F: FnMut(&Row) -> Result<(), E>,
        E: From<Error>,
    {
        let columns = self.start(statement, params)?;
        let mut batches = Batches::new(columns, &self.spare, each);
        let read = self.read_results(&mut batches);
        batches.hand_over();
        match batches.failed {
            Some(error) => Err(error),
            None => Ok(read?),
        }
    }

    /// Runs `statement` and returns its only row: an error when it returns none or several.
    pub fn query_one<S>(
        &mut self,
        statement: &S,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, Error>
    where
        S: ToStatement + ?Sized,
    {
        let mut rows = self.query(statement, params)?;
        match rows.len() {
            1 => Ok(rows.remove(0)),
            _ => Err(Error::row_count()),
        }
    }

    /// Runs `statement` and returns its row, if any: an error when it returns several.
    pub fn query_opt<S>(
        &mut self,
        statement: &S,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, Error>
    where
        S: ToStatement + ?Sized,
    {
        let mut rows = self.query(statement, params)?;
        match rows.len() {
            0 => Ok(None),
            1 => Ok(Some(rows.remove(0))),
            _ => Err(Error::row_count()),
        }
    }

    /// Runs `statement` with `params` and returns how many rows it changed (rows it returns
    /// are read and dropped).
    pub fn execute<S>(
        &mut self,
        statement: &S,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, Error>
    where
        S: ToStatement + ?Sized,
    {
        self.start(statement, params)?;
        self.read_results(&mut Discard)
    }

    /// Runs `sql`, a `COPY … FROM STDIN (FORMAT binary)`, and sends it `values`: rows of
    /// `types.len()` values each, row after row, each encoded by its `ToSql` as its column's
    /// type in `types` (the table's own types: binary COPY does not convert). Returns how many
    /// rows the server copied. One statement: all the rows or, on any error, none.
    ///
    /// The rows go out in 64 KiB messages as they are encoded. A value that cannot be encoded
    /// as its type cancels the COPY (`CopyFail`), and its error is returned; the connection
    /// goes on.
    pub fn copy_in(
        &mut self,
        sql: &str,
        types: &[Type],
        values: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, Error> {
        let width = types.len();
        if width == 0 || !values.len().is_multiple_of(width) {
            return Err(Error::usage(format!(
                "copy_in takes whole rows: {} values are not rows of {width} columns",
                values.len()
            )));
        }
        self.check_open()?;
        self.write_closes();
        frontend::query(sql, &mut self.wire.out).map_err(Error::io)?;
        self.send()?;
        self.start_copy_in()?;
        let failed = self.write_copy_data(types, values);
        if let Err(error) = failed {
            frontend::copy_fail("a value could not be encoded", &mut self.wire.out)
                .map_err(Error::io)?;
            self.send()?;
            // The server answers with an error of its own (the COPY failed): ours says why.
            let _ = self.read_results(&mut Discard);
            return Err(error);
        }
        frontend::copy_done(&mut self.wire.out);
        self.send()?;
        self.read_results(&mut Discard)
    }

    /// Reads up to the server's CopyInResponse; an error (after reading up to
    /// ReadyForQuery) when the statement failed or was not a `COPY … FROM STDIN`.
    fn start_copy_in(&mut self) -> Result<(), Error> {
        let mut error = None;
        loop {
            match self
                .next_message()
                .map_err(|lost| error.take().unwrap_or(lost))?
            {
                Message::CopyInResponse(_) if error.is_none() => return Ok(()),
                Message::ReadyForQuery(body) => {
                    self.status = body.status();
                    return Err(error.unwrap_or_else(|| {
                        Error::usage(
                            "copy_in runs a COPY … FROM STDIN, and this statement is not one",
                        )
                    }));
                }
                Message::ErrorResponse(body) => {
                    let reported = self.db_error(&body);
                    error.get_or_insert(reported);
                }
                Message::RowDescription(_)
                | Message::DataRow(_)
                | Message::CommandComplete(_)
                | Message::EmptyQueryResponse => {}
                other => return Err(self.unexpected(&other)),
            }
        }
    }

    /// The binary COPY data of `values` (header, rows, trailer) in CopyData messages of about
    /// 64 KiB, each sent when full; an error for a value that cannot be encoded, with the
    /// unsent part of the data dropped.
    fn write_copy_data(
        &mut self,
        types: &[Type],
        values: &[&(dyn ToSql + Sync)],
    ) -> Result<(), Error> {
        const MESSAGE_SIZE: usize = 64 * 1024;
        let mut message = start_copy_data(&mut self.wire.out);
        self.wire.out.put_slice(b"PGCOPY\n\xff\r\n\0");
        self.wire.out.put_i32(0); // flags
        self.wire.out.put_i32(0); // header extension
        for (row, values) in values.chunks(types.len()).enumerate() {
            self.wire.out.put_i16(types.len() as i16);
            for (column, (value, type_)) in values.iter().zip(types).enumerate() {
                let at = self.wire.out.len();
                self.wire.out.put_i32(0);
                let encoded = match value.to_sql_checked(type_, &mut self.wire.out) {
                    Ok(postgres_types::IsNull::Yes) => Ok(-1),
                    Ok(postgres_types::IsNull::No) => i32::try_from(self.wire.out.len() - at - 4)
                        .map_err(|_| "a value larger than 2 GiB".into()),
                    Err(error) => Err(error),
                };
                let length = match encoded {
                    Ok(length) => length,
                    Err(error) => {
                        self.wire.out.truncate(message);
                        return Err(Error::to_sql(error, row * types.len() + column));
                    }
                };
                self.wire.out[at..at + 4].copy_from_slice(&length.to_be_bytes());
            }
            if self.wire.out.len() - message >= MESSAGE_SIZE {
                finish_copy_data(&mut self.wire.out, message);
                self.send()?;
                message = start_copy_data(&mut self.wire.out);
            }
        }
        self.wire.out.put_i16(-1);
        finish_copy_data(&mut self.wire.out, message);
        Ok(())
    }

    /// Runs `sql`, one or more statements separated by `;`, without parameters (the simple
    /// query protocol): DDL, `BEGIN`, a script. Rows they return are dropped. Statements after
    /// a failing one do not run, and outside a transaction block the server runs the whole
    /// string as one transaction, so those before it are undone too.
    pub fn batch_execute(&mut self, sql: &str) -> Result<(), Error> {
        self.check_open()?;
        self.write_closes();
        frontend::query(sql, &mut self.wire.out).map_err(Error::io)?;
        self.send()?;
        let mut error = None;
        loop {
            match self
                .next_message()
                .map_err(|lost| error.take().unwrap_or(lost))?
            {
                Message::ReadyForQuery(body) => {
                    self.status = body.status();
                    break;
                }
                Message::ErrorResponse(body) => {
                    let reported = self.db_error(&body);
                    error.get_or_insert(reported);
                }
                Message::CopyInResponse(_) => {
                    frontend::copy_fail(
                        "batch_execute sends no COPY data: use copy_in",
                        &mut self.wire.out,
                    )
                    .map_err(Error::io)?;
                    self.send()?;
                }
                Message::RowDescription(_)
                | Message::DataRow(_)
                | Message::CommandComplete(_)
                | Message::EmptyQueryResponse
                | Message::CloseComplete
                | Message::CopyOutResponse(_)
                | Message::CopyData(_)
                | Message::CopyDone => {}
                other => return Err(self.unexpected(&other)),
            }
        }
        error.map_or(Ok(()), Err)
    }

    /// Opens a transaction (`BEGIN`); it is rolled back when dropped without
    /// [`commit`](Transaction::commit).
    pub fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
        self.batch_execute("BEGIN")?;
        Ok(Transaction::new(self, 0))
    }

    /// Checks that the server answers within `timeout` (an empty query).
    pub fn is_valid(&mut self, timeout: std::time::Duration) -> Result<(), Error> {
        // A socket refuses a zero timeout: wait a microsecond instead.
        let timeout = timeout.max(std::time::Duration::from_micros(1));
        self.wire.set_read_timeout(Some(timeout))?;
        let answered = self.batch_execute("");
        self.wire.set_read_timeout(None)?;
        answered
    }

    /// Whether the connection can no longer be used (the socket failed, or the server sent
    /// what the protocol does not allow).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Whether the connection is inside a transaction block (`BEGIN` without its end), as the
    /// server last said.
    pub fn in_transaction(&self) -> bool {
        self.status != b'I'
    }

    /// A run-time parameter the server reported (`server_version`, `TimeZone`,
    /// `integer_datetimes` …).
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Parse + Describe + Sync: one round trip; the types the server names are resolved after.
    fn prepare_as(&mut self, name: String, sql: &str) -> Result<Statement, Error> {
        self.check_open()?;
        // Closes go first: after a failing Parse the server skips to Sync.
        self.write_closes();
        let out = &mut self.wire.out;
        frontend::parse(&name, sql, std::iter::empty(), out).map_err(Error::io)?;
        frontend::describe(b'S', &name, out).map_err(Error::io)?;
        frontend::sync(out);
        self.send()?;
        let mut error = None;
        let mut param_oids = Vec::new();
        let mut fields = Vec::new();
        loop {
            match self
                .next_message()
                .map_err(|lost| error.take().unwrap_or(lost))?
            {
                Message::ParseComplete | Message::NoData | Message::CloseComplete => {}
                Message::ParameterDescription(body) => {
                    param_oids = body.parameters().collect().map_err(Error::io)?;
                }
                Message::RowDescription(body) => {
                    fields = body
                        .fields()
                        .map(|field| {
                            Ok((
                                field.name().to_owned(),
                                field.type_oid(),
                                field.table_oid(),
                                field.column_id(),
                            ))
                        })
                        .collect()
                        .map_err(Error::io)?;
                }
                Message::ErrorResponse(body) => {
                    let reported = self.db_error(&body);
                    error.get_or_insert(reported);
                }
                Message::ReadyForQuery(body) => {
                    self.status = body.status();
                    break;
                }
                other => return Err(self.unexpected(&other)),
            }
        }
        if let Some(error) = error {
            return Err(error);
        }
        let mut params = Vec::with_capacity(param_oids.len());
        for oid in param_oids {
            params.push(self.type_of(oid)?);
        }
        let mut columns = Vec::with_capacity(fields.len());
        for (name, oid, table_oid, column_id) in fields {
            columns.push(Column {
                name,
                type_: self.type_of(oid)?,
                table_oid: (table_oid != 0).then_some(table_oid),
                column_id: (column_id != 0).then_some(column_id),
            });
        }
        let closer = (!name.is_empty()).then(|| Arc::clone(&self.closer));
        Ok(Statement::new(name, params, columns, closer))
    }

    /// Sends `statement` with `params` (preparing SQL text as the unnamed statement first);
    /// returns the columns its rows will have.
    fn start<S>(
        &mut self,
        statement: &S,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Arc<[Column]>, Error>
    where
        S: ToStatement + ?Sized,
    {
        let unnamed;
        let statement = match statement.to_statement() {
            StatementRef::Prepared(statement) => statement,
            StatementRef::Text(sql) => {
                unnamed = self.prepare_as(String::new(), sql)?;
                &unnamed
            }
        };
        self.run(statement, params)?;
        Ok(Arc::clone(statement.shared_columns()))
    }

    /// Bind + Execute + Sync for `statement` with `params`, all results in binary.
    fn run(&mut self, statement: &Statement, params: &[&(dyn ToSql + Sync)]) -> Result<(), Error> {
        self.check_open()?;
        let types = statement.params();
        if types.len() != params.len() {
            return Err(Error::parameters(types.len(), params.len()));
        }
        // Closes go first: after a failing Bind the server skips to Sync.
        self.write_closes();
        let before_bind = self.wire.out.len();
        let mut failed = None;
        let bound = frontend::bind(
            "",
            statement.name(),
            params
                .iter()
                .zip(types)
                .map(|(param, type_)| param.encode_format(type_) as i16),
            params.iter().zip(types).enumerate(),
            |(index, (param, type_)), out| match param.to_sql_checked(type_, out) {
                Ok(is_null) => Ok(match is_null {
                    postgres_types::IsNull::Yes => postgres_protocol::IsNull::Yes,
                    postgres_types::IsNull::No => postgres_protocol::IsNull::No,
                }),
                Err(error) => {
                    failed = Some(index);
                    Err(error)
                }
            },
            Some(1),
            &mut self.wire.out,
        );
        if let Err(error) = bound {
            // Nothing of the Bind is sent; the Closes go with the next request.
            self.wire.out.truncate(before_bind);
            return Err(match error {
                frontend::BindError::Conversion(error) => {
                    Error::to_sql(error, failed.unwrap_or_default())
                }
                frontend::BindError::Serialization(error) => Error::io(error),
            });
        }
        frontend::execute("", 0, &mut self.wire.out).map_err(Error::io)?;
        frontend::sync(&mut self.wire.out);
        self.send()
    }

    /// Reads a run's results up to ReadyForQuery: its rows into `rows`, and the number of rows
    /// the command changed.
    fn read_results(&mut self, rows: &mut impl Receiver) -> Result<u64, Error> {
        let mut changed = 0;
        let mut error = None;
        loop {
            let (tag, length) = self.frame().map_err(|lost| error.take().unwrap_or(lost))?;
            match tag {
                b'D' => {
                    if error.is_none() {
                        let pushed = rows.row(self.wire.body(length));
                        self.note(pushed)?;
                    }
                    self.wire.consume(length);
                    if !self.wire.has_message() {
                        rows.idle();
                    }
                    continue;
                }
                b'C' => changed = rows_changed(self.wire.body(length)),
                // BindComplete, CloseComplete, EmptyQueryResponse, PortalSuspended.
                b'2' | b'3' | b'I' | b's' => {}
                b'Z' => {
                    self.status = self.wire.body(length).first().copied().unwrap_or(b'I');
                    self.wire.consume(length);
                    break;
                }
                _ => {
                    match self
                        .next_message()
                        .map_err(|lost| error.take().unwrap_or(lost))?
                    {
                        Message::ErrorResponse(body) => {
                            let reported = self.db_error(&body);
                            error.get_or_insert(reported);
                        }
                        other => return Err(self.unexpected(&other)),
                    }
                    continue;
                }
            }
            self.wire.consume(length);
        }
        error.map_or(Ok(changed), Err)
    }

    /// The type with `oid`: built in, already looked up, or looked up now.
    pub(crate) fn type_of(&mut self, oid: Oid) -> Result<Type, Error> {
        if let Some(type_) = Type::from_oid(oid) {
            return Ok(type_);
        }
        if let Some(type_) = self.types.get(&oid) {
            return Ok(type_.clone());
        }
        let type_ = crate::catalog::look_up(self, oid)?;
        self.types.insert(oid, type_.clone());
        Ok(type_)
    }

    /// Close messages for the statements dropped since the last request, to go out with it.
    fn write_closes(&mut self) {
        let Ok(mut names) = self.closer.lock() else {
            return;
        };
        for name in names.drain(..) {
            // A name is `i<n>`: writing it cannot fail.
            let _ = frontend::close(b'S', &name, &mut self.wire.out);
        }
    }

    /// The server's error in `body`; a body that does not parse is a broken protocol, and the
    /// connection is closed.
    fn db_error(&mut self, body: &ErrorResponseBody) -> Error {
        match DbError::parse(&mut body.fields()) {
            Ok(error) => Error::db(error),
            Err(error) => {
                self.closed = true;
                Error::protocol(format!("an unreadable error message: {error}"))
            }
        }
    }

    fn check_open(&self) -> Result<(), Error> {
        if self.closed {
            Err(Error::closed())
        } else {
            Ok(())
        }
    }

    fn send(&mut self) -> Result<(), Error> {
        let sent = self.wire.send();
        self.note(sent)
    }

    /// The next message's frame, with notices and parameter reports handled on the way.
    fn frame(&mut self) -> Result<(u8, usize), Error> {
        loop {
            let framed = self.wire.frame();
            let (tag, length) = self.note(framed)?;
            match tag {
                b'N' | b'S' | b'A' => {
                    let message = self.wire.message();
                    let message = self.note(message)?;
                    self.asynchronous(message);
                }
                _ => return Ok((tag, length)),
            }
        }
    }

    /// The next message other than a notice or parameter report, parsed.
    pub(crate) fn next_message(&mut self) -> Result<Message, Error> {
        self.frame()?;
        let message = self.wire.message();
        self.note(message)
    }

    /// A message the server may send at any time.
    pub(crate) fn asynchronous(&mut self, message: Message) {
        match message {
            Message::NoticeResponse(body) => {
                if let Ok(notice) = DbError::parse(&mut body.fields()) {
                    tracing::info!(target: "instant::pg", "{}: {}", notice.severity(), notice.message());
                }
            }
            Message::ParameterStatus(body) => {
                if let (Ok(name), Ok(value)) = (body.name(), body.value()) {
                    match self.parameters.iter_mut().find(|(key, _)| key == name) {
                        Some(entry) => entry.1 = value.to_owned(),
                        None => self.parameters.push((name.to_owned(), value.to_owned())),
                    }
                }
            }
            // LISTEN/NOTIFY is not offered: a notification is dropped.
            _ => {}
        }
    }

    /// Marks the connection closed when `result` failed on the socket or the protocol.
    fn note<T>(&mut self, result: Result<T, Error>) -> Result<T, Error> {
        if let Err(error) = &result
            && error.is_closed()
        {
            self.closed = true;
        }
        result
    }

    /// A message out of place: the connection is out of step with the server and closed.
    pub(crate) fn unexpected(&mut self, message: &Message) -> Error {
        self.closed = true;
        Error::protocol(format!("{} at this point", message_name(message)))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if !self.closed {
            frontend::terminate(&mut self.wire.out);
            let _ = self.wire.send();
        }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("closed", &self.closed)
            .field("in_transaction", &self.in_transaction())
            .finish_non_exhaustive()
    }
}

/// The row count at the end of a command tag (`INSERT 0 5`, `UPDATE 3`, `SELECT 10`); 0 for a
/// tag without one (`CREATE TABLE`).
fn rows_changed(tag: &[u8]) -> u64 {
    let tag = tag.strip_suffix(&[0]).unwrap_or(tag);
    let last = tag.rsplit(|byte| *byte == b' ').next().unwrap_or_default();
    std::str::from_utf8(last)
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(0)
}

fn message_name(message: &Message) -> &'static str {
    match message {
        Message::AuthenticationOk
        | Message::AuthenticationCleartextPassword
        | Message::AuthenticationMd5Password(_)
        | Message::AuthenticationSasl(_)
        | Message::AuthenticationSaslContinue(_)
        | Message::AuthenticationSaslFinal(_) => "an authentication message",
        Message::BackendKeyData(_) => "BackendKeyData",
        Message::CopyInResponse(_) => "CopyInResponse",
        Message::CopyOutResponse(_) => "CopyOutResponse",
        Message::CopyData(_) => "CopyData",
        Message::DataRow(_) => "DataRow",
        Message::RowDescription(_) => "RowDescription",
        Message::ParameterDescription(_) => "ParameterDescription",
        Message::ReadyForQuery(_) => "ReadyForQuery",
        _ => "a message",
    }
}

/// Starts a CopyData message in `out`; returns where it starts, for [`finish_copy_data`].
fn start_copy_data(out: &mut BytesMut) -> usize {
    let start = out.len();
    out.put_u8(b'd');
    out.put_i32(0);
    start
}

/// Writes the length of the CopyData message that starts at `start` (it ends at `out`'s end).
fn finish_copy_data(out: &mut BytesMut, start: usize) {
    let length = (out.len() - start - 1) as i32;
    out[start + 1..start + 5].copy_from_slice(&length.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::rows_changed;

    #[test]
    fn the_row_count_is_the_tags_last_number() {
        assert_eq!(rows_changed(b"INSERT 0 5\0"), 5);
        assert_eq!(rows_changed(b"UPDATE 3\0"), 3);
        assert_eq!(rows_changed(b"SELECT 10000\0"), 10000);
        assert_eq!(rows_changed(b"CREATE TABLE\0"), 0);
    }
}
