//! The client: one connection, one request at a time, each request a single write followed by
//! reading until the server is ready again.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::{BufMut, BytesMut};
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::{ErrorResponseBody, Message};
use postgres_protocol::message::frontend;
use postgres_types::{Oid, ToSql, Type};

use crate::cancel::{CancelToken, Target};
use crate::encode;
use crate::error::{Error, ServerError, duration};
use crate::row::{Batches, Discard, Receiver, Row, RowSet, SpareSlot};
use crate::statement::{Closer, Column, Sql, Statement};
use crate::transaction::Transaction;
use crate::wire::Wire;

/// How long the server has, after a cancel request, to end the statement and be ready again
/// before the connection is given up.
const CANCEL_GRACE: Duration = Duration::from_secs(5);

/// A connection to PostgreSQL. Open one with [`connect`](crate::connect).
///
/// Every request is written whole and answered before the method returns: `prepare` is one
/// round trip, `query` and `execute` on a prepared statement are one, and on SQL text two
/// (prepare, then run).
///
/// A call that fails leaves the connection in step with the server (every answer read up to
/// ReadyForQuery) or closed ([`is_closed`](Client::is_closed)), never in between: a request
/// that cannot be encoded is refused before anything is written, and a call that stops
/// reading part way closes the connection.
pub struct Client {
    pub(crate) wire: Wire,
    /// Set when the socket failed or the server broke the protocol: nothing more is sent.
    closed: bool,
    /// A request was sent and its ReadyForQuery not read yet. Still set when a call returns,
    /// it means the call stopped part way: the connection is closed.
    pending: bool,
    /// Whether the last call failed (a pool checks such a connection before handing it out).
    failed: bool,
    /// A cancel request was sent during the current call (its deadline passed).
    cancelled: bool,
    /// The caller's deadline and the timeout it was set from (for messages).
    deadline: Option<(Instant, Duration)>,
    /// Where cancel requests go; `None` until connected.
    pub(crate) cancel_target: Option<Target>,
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
            pending: false,
            failed: false,
            cancelled: false,
            deadline: None,
            cancel_target: None,
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
        let prepared = self.prepare_as(name, sql);
        self.finish(prepared)
    }

    /// Runs `statement` with `params` and returns its rows.
    pub fn query<'s>(
        &mut self,
        statement: impl Into<Sql<'s>>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, Error> {
        let read = self.start(statement.into(), params).and_then(|columns| {
            let mut rows = RowSet::new(columns, &self.spare);
            self.read_results(&mut rows)?;
            Ok(rows.into_rows())
        });
        self.finish(read)
    }

    /// Runs `statement` with `params` and calls `each` with every row, in order, a batch at a
    /// time as the rows arrive: the rows that have come are decoded while the server sends the
    /// rest, where [`query`](Client::query) reads the whole result first. Returns how many
    /// rows there were.
    ///
    /// When `each` fails, the rest of the rows are read and dropped and its error is returned.
    /// When the server fails part way (an error raised by the tenth row), `each` has seen the
    /// rows before it, and the server's error is returned.
    pub fn query_each<'s, F, E>(
        &mut self,
        statement: impl Into<Sql<'s>>,
        params: &[&(dyn ToSql + Sync)],
        each: F,
    ) -> Result<u64, E>
    where
        F: FnMut(&Row) -> Result<(), E>,
        E: From<Error>,
    {
        let columns = match self.start(statement.into(), params) {
            Ok(columns) => columns,
            Err(error) => return Err(self.fail(error).into()),
        };
        let mut batches = Batches::new(columns, &self.spare, each);
        let read = self.read_results(&mut batches);
        let read = self.finish(read);
        batches.hand_over();
        match batches.failed {
            Some(error) => Err(error),
            None => Ok(read?),
        }
    }

    /// Runs `statement` and returns its only row: an error when it returns none or several.
    pub fn query_one<'s>(
        &mut self,
        statement: impl Into<Sql<'s>>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, Error> {
        let mut rows = self.query(statement, params)?;
        match rows.len() {
            1 => Ok(rows.remove(0)),
            returned => Err(Error::row_count("exactly one", returned)),
        }
    }

    /// Runs `statement` and returns its row, if any: an error when it returns several.
    pub fn query_opt<'s>(
        &mut self,
        statement: impl Into<Sql<'s>>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, Error> {
        let mut rows = self.query(statement, params)?;
        match rows.len() {
            0 => Ok(None),
            1 => Ok(Some(rows.remove(0))),
            returned => Err(Error::row_count("at most one", returned)),
        }
    }

    /// Runs `statement` with `params` and returns how many rows it changed (rows it returns
    /// are read and dropped).
    pub fn execute<'s>(
        &mut self,
        statement: impl Into<Sql<'s>>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, Error> {
        let run = self
            .start(statement.into(), params)
            .and_then(|_| self.read_results(&mut Discard));
        self.finish(run)
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
        let copied = self.copy_in_whole(sql, types, values);
        self.finish(copied)
    }

    fn copy_in_whole(
        &mut self,
        sql: &str,
        types: &[Type],
        values: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, Error> {
        self.check_open()?;
        // Closes go first; a query that cannot be encoded leaves them for the next request.
        self.write_closes();
        encode::query(sql, &mut self.wire.out)?;
        self.send()?;
        self.start_copy_in()?;
        let failed = self.write_copy_data(types, values);
        if let Err(error) = failed {
            frontend::copy_fail("a value could not be encoded", &mut self.wire.out)
                .map_err(Error::io)?;
            self.send()?;
            // The server answers with an error of its own (the COPY failed): ours says why.
            let ended = self.read_results(&mut Discard);
            if let Err(lost) = ended
                && lost.is_closed()
            {
                return Err(lost);
            }
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
                    self.ready(body.status());
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
                let encoded = match encode::encode_value(*value, type_, &mut self.wire.out) {
                    Ok(postgres_types::IsNull::Yes) => Ok(-1),
                    Ok(postgres_types::IsNull::No) => i32::try_from(self.wire.out.len() - at - 4)
                        .map_err(|_| encode::Refused::Error("a value larger than 2 GiB".into())),
                    Err(refused) => Err(refused),
                };
                let length = match encoded {
                    Ok(length) => length,
                    Err(refused) => {
                        self.wire.unwrite(message);
                        let place = format!("row {}, column {}", row + 1, column + 1);
                        return Err(refused.describe(&place, type_));
                    }
                };
                self.wire.out[at..at + 4].copy_from_slice(&length.to_be_bytes());
            }
            if self.wire.out.len() - message > encode::MAX_REQUEST {
                let length = self.wire.out.len() - message;
                self.wire.unwrite(message);
                return Err(encode::too_large(length));
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
        let run = self.run_batch(sql);
        self.finish(run)
    }

    fn run_batch(&mut self, sql: &str) -> Result<(), Error> {
        self.check_open()?;
        self.write_closes();
        encode::query(sql, &mut self.wire.out)?;
        self.send()?;
        let mut error = None;
        loop {
            match self
                .next_message()
                .map_err(|lost| error.take().unwrap_or(lost))?
            {
                Message::ReadyForQuery(body) => {
                    self.ready(body.status());
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

    /// Checks that the server answers within `timeout` (an empty query); a connection that
    /// does not is closed.
    pub fn is_valid(&mut self, timeout: Duration) -> Result<(), Error> {
        let kept = self.wire.read_timeout();
        self.wire.set_read_timeout(Some(timeout))?;
        let answered = self.batch_execute("");
        self.wire.set_read_timeout(kept)?;
        answered
    }

    /// Whether the connection can no longer be used (the socket failed, the server sent
    /// what the protocol does not allow, or a call stopped before the server was ready
    /// again, a panic that unwound through it included).
    pub fn is_closed(&self) -> bool {
        // `pending` between calls: one was unwound by a panic part way (see `check_open`).
        self.closed | self.pending
    }

    /// Whether the last call on this connection failed. The connection is in step with the
    /// server all the same (or [closed](Client::is_closed)); a pool may still check it with
    /// [`is_valid`](Client::is_valid) before handing it out again.
    pub fn last_call_failed(&self) -> bool {
        self.failed
    }

    /// Sets a deadline `timeout` from now for every call until it is lifted (`None`): a call
    /// still waiting on the server when it passes sends a cancel request (see
    /// [`cancel_token`](Client::cancel_token)), reads the server's answer up to
    /// ReadyForQuery, and fails with a timeout error ([`Error::is_timeout`]); the connection
    /// stays usable. When the server does not end the statement within 5 s of the cancel,
    /// the connection is closed. A call made after the deadline fails before sending
    /// anything.
    ///
    /// The deadline is checked only when a read would wait, so it costs nothing while the
    /// server answers in time.
    ///
    /// ```no_run
    /// # let mut client = instant_pg::Client::connect("host=localhost user=app")?;
    /// use std::time::Duration;
    /// client.set_deadline(Some(Duration::from_secs(1)));
    /// let slow = client.query("SELECT pg_sleep(30)", &[]);
    /// client.set_deadline(None);
    /// assert!(slow.unwrap_err().is_timeout());
    /// # Ok::<(), instant_pg::Error>(())
    /// ```
    pub fn set_deadline(&mut self, timeout: Option<Duration>) {
        self.set_deadline_at(timeout.map(|timeout| (Instant::now() + timeout, timeout)));
    }

    /// [`set_deadline`](Client::set_deadline) at an instant: `(when, the timeout it came
    /// from)`, the timeout being what messages name. For a deadline shared by several calls
    /// or carried from elsewhere (a request's).
    pub fn set_deadline_at(&mut self, deadline: Option<(Instant, Duration)>) {
        self.deadline = deadline;
        if let Err(error) = self.wire.set_deadline(deadline.map(|(at, _)| at)) {
            tracing::warn!(target: "instant::pg", %error, "setting the socket's read timeout failed");
            self.closed = true;
        }
    }

    /// The deadline in force, with the timeout it came from.
    pub fn deadline(&self) -> Option<(Instant, Duration)> {
        self.deadline
    }

    /// How long one read from the server may wait (`None`, the default: for ever) when no
    /// deadline is set. A read that waits longer closes the connection: prefer
    /// [`set_deadline`](Client::set_deadline) or `statement_timeout` for slow statements, and
    /// keep this for servers that stop answering.
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        self.wire.set_read_timeout(timeout)
    }

    /// How long one write to the server may wait (`None`, the default: for ever); a write
    /// that waits longer closes the connection.
    pub fn set_write_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        self.wire.set_write_timeout(timeout)
    }

    /// The largest message accepted from the server, in bytes (default 1 GiB, the most a
    /// server sends). A message announced longer fails the call and closes the connection;
    /// memory for a message is taken only as its bytes arrive.
    pub fn set_max_message_size(&mut self, bytes: usize) {
        self.wire.max_message = bytes.max(5);
    }

    /// The TCP keepalive settings the operating system reports for the socket: idle time
    /// before the first probe, time between probes, probes before giving up. `None` for a
    /// Unix socket or with keepalives off.
    pub fn tcp_keepalive(&self) -> Option<(Duration, Duration, u32)> {
        let socket = socket2::SockRef::from(self.wire.stream().tcp_socket()?);
        if !socket.keepalive().ok()? {
            return None;
        }
        Some((
            socket.tcp_keepalive_time().ok()?,
            socket.tcp_keepalive_interval().ok()?,
            socket.tcp_keepalive_retries().ok()?,
        ))
    }

    /// What cancels this connection's running statement from another thread.
    pub fn cancel_token(&self) -> CancelToken {
        CancelToken {
            target: self.cancel_target.clone(),
            process_id: self.process_id,
            secret_key: self.secret_key,
        }
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
        encode::parse(&name, sql, &mut self.wire.out)?;
        let out = &mut self.wire.out;
        frontend::describe(b'S', &name, out).map_err(Error::io)?;
        frontend::sync(out);
        self.send()?;
        let mut error = None;
        let mut parsed = false;
        let mut param_oids = Vec::new();
        let mut fields = Vec::new();
        loop {
            let (tag, length) = self.frame().map_err(|lost| error.take().unwrap_or(lost))?;
            if tag == b't' {
                // Read in place: its count is 16 bits, and a server given more parameters
                // than that sends them all under a count that wrapped.
                match parameter_types(self.wire.body(length)) {
                    Ok(oids) => param_oids = oids,
                    Err(refused) => {
                        self.closed |= refused.is_closed();
                        error.get_or_insert(refused);
                    }
                }
                self.wire.consume(length);
                continue;
            }
            match self
                .next_message()
                .map_err(|lost| error.take().unwrap_or(lost))?
            {
                Message::ParseComplete => parsed = true,
                Message::NoData | Message::CloseComplete => {}
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
                    self.ready(body.status());
                    break;
                }
                other => return Err(self.unexpected(&other)),
            }
        }
        if let Some(error) = error {
            if parsed && !name.is_empty() {
                // The server keeps what it parsed: close it with the next request.
                if let Ok(mut names) = self.closer.lock() {
                    names.push(name);
                }
            }
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
    fn start(
        &mut self,
        statement: Sql<'_>,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Arc<[Column]>, Error> {
        let unnamed;
        let statement = match statement {
            Sql::Prepared(statement) => statement,
            Sql::Text(sql) => {
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
            return Err(Error::parameter_count(types.len(), params.len()));
        }
        // Closes go first: after a failing Bind the server skips to Sync. A Bind that cannot
        // be encoded leaves them for the next request.
        self.write_closes();
        if let Err(error) = encode::bind(statement.name(), params, types, &mut self.wire.out) {
            self.wire.trim_out();
            return Err(error);
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
                    let status = self.wire.body(length).first().copied().unwrap_or(b'I');
                    self.ready(status);
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
        match ServerError::from_fields(body.fields()) {
            Ok(error) => Error::server(error),
            Err(error) => {
                self.closed = true;
                Error::protocol(format!("an unreadable error message: {error}"))
            }
        }
    }

    #[inline]
    fn check_open(&mut self) -> Result<(), Error> {
        if self.closed | self.pending | self.deadline.is_some() {
            return self.check_open_slow();
        }
        Ok(())
    }

    #[cold]
    fn check_open_slow(&mut self) -> Result<(), Error> {
        if self.pending {
            // A call sent its request and never read the answer to its end: it was unwound
            // by a panic (in a `query_each` callback, say). The answers still coming would
            // be taken for the next request's.
            self.pending = false;
            self.closed = true;
        }
        if self.closed {
            return Err(Error::closed());
        }
        if let Some((at, timeout)) = self.deadline
            && Instant::now() >= at
        {
            return Err(Error::timeout(
                format!(
                    "the deadline of {} passed before the statement was sent",
                    duration(timeout)
                ),
                false,
            ));
        }
        Ok(())
    }

    #[inline]
    fn send(&mut self) -> Result<(), Error> {
        self.pending = true;
        let sent = self.wire.send();
        if let Err(error) = sent {
            self.closed = true;
            return Err(if error.is_socket_timeout() {
                Error::timeout(
                    "the server did not take the request within the write timeout; the \
                     connection is closed",
                    true,
                )
            } else {
                error
            });
        }
        Ok(())
    }

    /// The server is ready for the next request, its transaction status `status`.
    pub(crate) fn ready(&mut self, status: u8) {
        self.status = status;
        self.pending = false;
    }

    /// The end of a public call: records whether it failed, turns the server's cancellation
    /// of a statement that ran past its deadline into a timeout, and closes a connection the
    /// call left waiting for answers it did not read.
    #[inline]
    fn finish<T>(&mut self, result: Result<T, Error>) -> Result<T, Error> {
        if self.pending | self.cancelled {
            return self.finish_slow(result);
        }
        self.failed = result.is_err();
        result
    }

    #[cold]
    fn finish_slow<T>(&mut self, result: Result<T, Error>) -> Result<T, Error> {
        let result = match result {
            Ok(value) => Ok(value),
            Err(error) => Err(self.failure(error)),
        };
        self.failed = result.is_err();
        self.settle();
        result
    }

    /// [`finish`](Client::finish) for a call that failed with `error`.
    fn fail(&mut self, error: Error) -> Error {
        match self.finish::<Infallible>(Err(error)) {
            Ok(never) => match never {},
            Err(error) => error,
        }
    }

    fn failure(&mut self, error: Error) -> Error {
        match self.deadline {
            Some((_, timeout))
                if self.cancelled && error.code() == Some(&crate::SqlState::QUERY_CANCELED) =>
            {
                Error::timeout(
                    format!(
                        "the statement ran past its deadline of {} and was cancelled",
                        duration(timeout)
                    ),
                    false,
                )
                .with_cancellation(error)
            }
            _ => error,
        }
    }

    fn settle(&mut self) {
        if self.pending {
            self.pending = false;
            self.closed = true;
        }
        if self.cancelled {
            self.cancelled = false;
            // Back from the grace period to the caller's own deadline.
            let deadline = self.deadline.map(|(at, _)| at);
            if self.wire.set_deadline(deadline).is_err() {
                self.closed = true;
            }
        }
    }

    /// The caller's deadline passed while waiting for the server: sends a cancel request and
    /// gives the server [`CANCEL_GRACE`] to end the statement. A second time (the grace ran
    /// out), or without a cancel key, the connection is given up.
    #[cold]
    fn cancel_at_deadline(&mut self) -> Result<(), Error> {
        let timeout = self.deadline.map(|(_, timeout)| timeout);
        if self.cancelled || self.cancel_target.is_none() || timeout.is_none() {
            self.closed = true;
            let message = match (self.cancelled, timeout) {
                (true, Some(timeout)) => format!(
                    "the statement ran past its deadline of {} and the server did not end it \
                     within {} of the cancel request; the connection is closed",
                    duration(timeout),
                    duration(CANCEL_GRACE)
                ),
                (_, Some(timeout)) => format!(
                    "the statement ran past its deadline of {}; the connection is closed",
                    duration(timeout)
                ),
                (_, None) => return Err(Error::deadline_passed()),
            };
            return Err(Error::timeout(message, true));
        }
        self.cancelled = true;
        if let Err(error) = self.cancel_token().cancel_within(CANCEL_GRACE) {
            // The grace period decides: the statement may still end by itself.
            tracing::warn!(target: "instant::pg", %error, "sending a cancel request failed");
        }
        let grace = Instant::now() + CANCEL_GRACE;
        let set = self.wire.set_deadline(Some(grace));
        self.note(set)
    }

    /// The next message's frame, with notices and parameter reports handled on the way.
    fn frame(&mut self) -> Result<(u8, usize), Error> {
        loop {
            let (tag, length) = match self.wire.frame() {
                Ok(framed) => framed,
                Err(error) => {
                    self.frame_failed(error)?;
                    continue;
                }
            };
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
                if let Ok(notice) = ServerError::from_fields(body.fields()) {
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

    /// Reading a frame failed: past the caller's deadline, the statement is cancelled and
    /// reading goes on (`Ok`); otherwise the connection is lost.
    #[cold]
    fn frame_failed(&mut self, error: Error) -> Result<(), Error> {
        if error.is_deadline_passed() {
            self.cancel_at_deadline()
        } else {
            Err(self.lost(error))
        }
    }

    /// Reading failed: the connection is closed, and a read timeout says so in words.
    fn lost(&mut self, error: Error) -> Error {
        if error.is_closed() {
            self.closed = true;
        }
        match self.wire.read_timeout() {
            Some(timeout) if error.is_socket_timeout() => Error::timeout(
                format!(
                    "no answer from the server within {} (the read timeout); the connection \
                     is closed",
                    duration(timeout)
                ),
                true,
            ),
            _ => error,
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

/// The parameter types of a ParameterDescription body: its count, then one type OID per
/// parameter. The count is 16 bits, so the OIDs that follow are what is counted: more than
/// [`encode::MAX_PARAMETERS`] of them is refused (the server wrapped the count).
fn parameter_types(body: &[u8]) -> Result<Vec<Oid>, Error> {
    let oids = body
        .get(2..)
        .filter(|oids| oids.len().is_multiple_of(4))
        .ok_or_else(|| Error::protocol("a malformed ParameterDescription"))?;
    let count = oids.len() / 4;
    if count > encode::MAX_PARAMETERS {
        return Err(encode::too_many_parameters(count));
    }
    Ok(oids
        .chunks_exact(4)
        .map(|oid| u32::from_be_bytes([oid[0], oid[1], oid[2], oid[3]]))
        .collect())
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
