//! Faults at the connection level, against the real server and against fake servers on
//! 127.0.0.1: requests that cannot be encoded are refused before anything is sent and leave
//! the connection in step; a message header announcing gigabytes allocates nothing; connect,
//! read and deadline timeouts end in words, and a statement past its deadline is cancelled on
//! the server; TCP keepalives reach the socket; the server's timeouts are set from the
//! builder or per call; the pool never hands out a connection that is broken, in a
//! transaction, or (after an error) not answering.
//!
//! Each test against the real server gets its own temporary database.

use std::error::Error as StdError;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use instant_runtime::Db;
use instant_runtime::connect::Connector;
use instant_runtime::pg::types::ToSql;
use instant_runtime::pg::{Client, SqlState};
use instant_runtime::testing::TempDb;

#[path = "common/driver.rs"]
mod driver_support;
use driver_support::{TestResult, assert_in_step, fresh};

/// `url` with `param` (`key=value`) added to its query string.
fn with_param(url: &str, param: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{param}")
}

/// The backend process of `client`.
fn backend_pid(client: &mut Client) -> i32 {
    client
        .query_one("SELECT pg_backend_pid()", &[])
        .expect("pg_backend_pid")
        .get(0)
}

// ---------------------------------------------------------------------------------------------
// Requests that cannot be encoded
// ---------------------------------------------------------------------------------------------

/// A NUL byte in SQL text, whichever call carries it (prepare, query, execute, a batch, a
/// COPY), is refused with its offset before anything is written; the connection stays in step
/// (before, the partial message went out with the next query, which then failed with
/// "connection closed").
#[test]
fn a_nul_in_sql_is_refused_before_anything_is_sent() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let nul = "SELECT 'a\0b'";
    let expected = "the SQL text contains a NUL byte at offset 9: PostgreSQL cannot receive one";
    let error = client.query(nul, &[]).expect_err("a NUL in the SQL");
    assert_eq!(error.to_string(), expected);
    assert!(
        !error.is_closed() && error.server_error().is_none(),
        "{error:?}"
    );
    assert_in_step(&mut client);
    assert_eq!(client.prepare(nul).unwrap_err().to_string(), expected);
    assert_in_step(&mut client);
    assert_eq!(client.execute(nul, &[]).unwrap_err().to_string(), expected);
    assert_in_step(&mut client);
    // A NUL in an identifier (a migration's table name) reads as what it is.
    let error = client
        .batch_execute("CREATE TABLE \"a\0b\" ()")
        .expect_err("a NUL in an identifier");
    assert_eq!(
        error.to_string(),
        "the SQL text contains a NUL byte at offset 15: PostgreSQL cannot receive one"
    );
    assert_in_step(&mut client);
    let error = client
        .copy_in(
            "COPY t FROM STDIN\0",
            &[instant_runtime::pg::types::Type::INT4],
            &[&1_i32],
        )
        .expect_err("a NUL in the COPY");
    assert!(error.to_string().contains("offset 17"), "{error}");
    assert_in_step(&mut client);
    Ok(())
}

/// The same through the pool: the one pooled connection serves the next query.
#[test]
fn a_nul_in_sql_leaves_the_pooled_connection_usable() -> TestResult {
    let temp = TempDb::new()?;
    let db = Db::builder().url(temp.url()).pool_size(1).connect()?;
    let pid: i32 = db.query("SELECT pg_backend_pid()", &[])?[0].get(0);
    let error = db.query("SELECT '\0'", &[]).expect_err("a NUL in the SQL");
    assert_eq!(
        error.to_string(),
        "database error: the SQL text contains a NUL byte at offset 8: PostgreSQL cannot \
         receive one"
    );
    let error = db.transact("CREATE TABLE \"x\0\" ()").expect_err("a NUL");
    assert!(error.to_string().contains("offset 15"), "{error}");
    let rows = db.query("SELECT pg_backend_pid(), 7", &[])?;
    assert_eq!(rows[0].get::<_, i32>(0), pid, "the same connection");
    assert_eq!(rows[0].get::<_, i32>(1), 7);
    Ok(())
}

/// A NUL byte in a text value is refused naming the parameter, before anything is sent: a
/// transaction around it is not failed by it.
#[test]
fn a_nul_in_a_text_value_is_refused_before_anything_is_sent() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let error = client
        .query("SELECT $1::int4, $2::text", &[&1_i32, &"a\0b"])
        .expect_err("a NUL in text");
    assert_eq!(
        error.to_string(),
        "the value of $2 (text) contains a NUL byte at offset 1: PostgreSQL's text cannot hold \
         one"
    );
    assert!(!error.is_closed());
    assert_in_step(&mut client);
    let mut transaction = client.transaction()?;
    assert!(transaction.execute("SELECT $1::varchar", &[&"\0"]).is_err());
    assert_eq!(transaction.query_one("SELECT 5", &[])?.get::<_, i32>(0), 5);
    transaction.commit()?;
    // bytea holds any byte.
    let row = client.query_one("SELECT length($1::bytea)", &[&&b"a\0b"[..]])?;
    assert_eq!(row.get::<_, i32>(0), 3);
    Ok(())
}

/// `SELECT ARRAY[$1::int4, …, $n::int4]`.
fn array_of_parameters(count: usize) -> String {
    let mut sql = String::from("SELECT cardinality(ARRAY[");
    for n in 1..=count {
        if n > 1 {
            sql.push(',');
        }
        sql.push_str(&format!("${n}::int4"));
    }
    sql.push_str("])");
    sql
}

/// A statement with more than 65 535 parameters (the server sends them under a count that
/// wrapped) fails with the limit named, whether prepared or run as text, and the connection
/// answers the next queries with their own answers (before, each got the previous one's).
/// 65 535 parameters work, bound with a 16-bit count.
#[test]
fn more_than_65535_parameters_fail_and_the_connection_stays_in_step() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let too_many = array_of_parameters(65_536);
    let expected = "the statement has 65 536 parameters: PostgreSQL's limit is 65 535";
    let error = client.prepare(&too_many).expect_err("too many parameters");
    assert_eq!(error.to_string(), expected);
    assert!(!error.is_closed());
    assert_in_step(&mut client);
    // The statement the server parsed is closed with the next request.
    let prepared: i64 = client
        .query_one("SELECT count(*) FROM pg_prepared_statements", &[])?
        .get(0);
    assert_eq!(prepared, 0);
    let error = client
        .query(&too_many, &[])
        .expect_err("too many parameters");
    assert_eq!(error.to_string(), expected);
    assert_in_step(&mut client);

    let values: Vec<i32> = (0..65_535).collect();
    let params: Vec<&(dyn ToSql + Sync)> = values
        .iter()
        .map(|value| value as &(dyn ToSql + Sync))
        .collect();
    let row = client.query_one(&array_of_parameters(65_535), &params)?;
    assert_eq!(row.get::<_, i32>(0), 65_535);
    assert_in_step(&mut client);
    Ok(())
}

/// A Rust type the server's type does not take is refused by `to_sql_checked` with both types
/// named, before anything is sent.
#[test]
fn a_value_of_the_wrong_type_is_refused_naming_both_types() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let tags = vec!["a".to_owned()];
    let error = client
        .query("SELECT $1::int4, $2::jsonb", &[&1_i32, &tags])
        .expect_err("a Vec<String> as jsonb");
    assert_eq!(
        error.to_string(),
        "$2 cannot be sent as jsonb: cannot convert between the Rust type \
         `alloc::vec::Vec<alloc::string::String>` and the Postgres type `jsonb`"
    );
    assert!(
        !error.is_closed() && error.server_error().is_none(),
        "{error:?}"
    );
    assert_in_step(&mut client);
    Ok(())
}

/// sea-query-postgres's `PostgresValue` (every value the ORM binds) accepts every type and
/// panics inside postgres-types when an array is bound to a `jsonb` parameter (the server
/// infers one for `details @> $1`). The panic is caught while encoding: an error naming the
/// parameter and the server's type, nothing sent, and the connection answers the next
/// queries with their own answers (before, the partial Bind went out with the next query,
/// which failed with "connection closed").
#[test]
fn a_panic_while_encoding_a_value_is_an_error_and_the_connection_stays_in_step() -> TestResult {
    use sea_query::{ArrayType, Value};
    use sea_query_postgres::PostgresValue;
    let (_temp, mut client) = fresh()?;
    let empty = PostgresValue(Value::Array(ArrayType::String, Some(Box::new(Vec::new()))));
    let error = client
        .query("SELECT $1::jsonb", &[&empty])
        .expect_err("an array as jsonb");
    assert_eq!(
        error.to_string(),
        "$1 cannot be sent as jsonb: its ToSql implementation panicked (expected array type); \
         it does not check the type it is asked for, so the value's Rust type is probably not \
         one jsonb takes"
    );
    assert!(
        !error.is_closed() && error.server_error().is_none(),
        "{error:?}"
    );
    assert_in_step(&mut client);
    // The same inside a transaction: nothing reached the server, the transaction goes on.
    let mut transaction = client.transaction()?;
    assert!(transaction.execute("SELECT $1::jsonb", &[&empty]).is_err());
    assert_eq!(transaction.query_one("SELECT 5", &[])?.get::<_, i32>(0), 5);
    transaction.commit()?;
    // And in a COPY: the row and column are named, the COPY is cancelled.
    client.batch_execute("CREATE TABLE docs (details jsonb)")?;
    let error = client
        .copy_in(
            "COPY docs FROM STDIN (FORMAT binary)",
            &[instant_runtime::pg::types::Type::JSONB],
            &[&empty],
        )
        .expect_err("an array as jsonb");
    assert!(
        error.to_string().starts_with(
            "row 1, column 1 cannot be sent as jsonb: its ToSql implementation panicked"
        ),
        "{error}"
    );
    assert_in_step(&mut client);
    Ok(())
}

/// A user's own `ToSql` that panics: the panic is an error like any refusal.
#[derive(Debug)]
struct Panicking;

impl ToSql for Panicking {
    fn to_sql(
        &self,
        _: &instant_runtime::pg::types::Type,
        out: &mut instant_runtime::pg::types::private::BytesMut,
    ) -> Result<instant_runtime::pg::types::IsNull, Box<dyn StdError + Sync + Send>> {
        out.extend_from_slice(b"half a value");
        panic!("a bug in the user's ToSql")
    }

    fn accepts(_: &instant_runtime::pg::types::Type) -> bool {
        true
    }

    instant_runtime::pg::types::to_sql_checked!();
}

#[test]
fn a_panic_in_a_users_to_sql_is_an_error() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let error = client
        .query("SELECT $1::int4, $2::text", &[&1_i32, &Panicking])
        .expect_err("a panicking ToSql");
    assert!(
        error.to_string().starts_with(
            "$2 cannot be sent as text: its ToSql implementation panicked (a bug in the \
             user's ToSql)"
        ),
        "{error}"
    );
    assert_in_step(&mut client);
    Ok(())
}

/// A panic that unwinds through a call after its request was sent (here from a `query_each`
/// callback) leaves answers unread: the connection calls itself closed and refuses the next
/// call, rather than take the old answers for the new request's; the pool drops it.
#[test]
fn a_panic_part_way_through_a_call_closes_the_connection() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = client.query_each(
            "SELECT generate_series(1, 100000)",
            &[],
            |_| -> Result<(), instant_runtime::pg::Error> { panic!("a bug in the callback") },
        );
    }));
    assert!(unwound.is_err());
    assert!(client.is_closed());
    let error = client.query("SELECT 1", &[]).expect_err("closed");
    assert!(error.is_closed(), "{error:?}");

    let temp = TempDb::new()?;
    let db = Db::builder().url(temp.url()).pool_size(1).connect()?;
    let pid: i32 = db.query("SELECT pg_backend_pid()", &[])?[0].get(0);
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Ok(mut connection) = db.connection() else {
            return;
        };
        let _ = connection.client().query_each(
            "SELECT generate_series(1, 100000)",
            &[],
            |_| -> Result<(), instant_runtime::pg::Error> { panic!("a bug in the callback") },
        );
    }));
    assert!(unwound.is_err());
    let rows = db.query("SELECT pg_backend_pid(), 7", &[])?;
    assert_ne!(rows[0].get::<_, i32>(0), pid, "a new connection");
    assert_eq!(rows[0].get::<_, i32>(1), 7);
    Ok(())
}

/// Through the pool and the ORM: the smallest input the fuzzer found
/// (`{"details__array_contains": []}` on a `jsonb` column) fails with an error and the one
/// pooled connection serves the next query.
#[test]
fn an_array_bound_to_jsonb_leaves_the_pooled_connection_usable() -> TestResult {
    use instant_runtime::Model;
    use instant_tests::family::Pet;
    use sea_query::{ArrayType, Value};
    use sea_query_postgres::PostgresValue;
    let (_temp, db) = instant_tests::setup::family();
    let pid: i32 = db.query("SELECT pg_backend_pid()", &[])?[0].get(0);
    let empty = PostgresValue(Value::Array(ArrayType::String, Some(Box::new(Vec::new()))));
    let error = db
        .query("SELECT $1::jsonb", &[&empty])
        .expect_err("an array as jsonb");
    assert!(
        error
            .to_string()
            .starts_with("database error: $1 cannot be sent as jsonb: its ToSql implementation"),
        "{error}"
    );
    let found = Pet::query()
        .where_json(&serde_json::json!({"details__array_contains": []}))
        .and_then(|query| query.select(&db));
    assert!(found.is_err(), "{found:?}");
    let rows = db.query("SELECT pg_backend_pid(), 7", &[])?;
    assert_eq!(rows[0].get::<_, i32>(0), pid, "the same connection");
    assert_eq!(rows[0].get::<_, i32>(1), 7);
    assert_eq!(
        Pet::query().select(&db)?.len(),
        Pet::query().count(&db)? as usize
    );
    Ok(())
}

/// A statement over `MAX_CACHED_STATEMENT_BYTES` (64 KiB of SQL: here a where-object of
/// 5 000 terms) runs, and runs again, without being kept: not in the connection's
/// caches, not prepared on the server. A short one next to it is kept as before.
#[test]
fn a_huge_statement_runs_and_is_not_kept_prepared() -> TestResult {
    use instant_runtime::Model;
    use instant_runtime::db::MAX_CACHED_STATEMENT_BYTES;
    use instant_tests::family::Parent;
    let (_temp, db) = instant_tests::setup::family();
    let mut connection = db.connection()?;
    let prepared = |connection: &mut instant_runtime::Connection| -> i64 {
        connection
            .client()
            .query_one("SELECT count(*) FROM pg_prepared_statements", &[])
            .expect("pg_prepared_statements")
            .get(0)
    };
    let all = Parent::query().count(&mut *connection)?;
    let before = prepared(&mut connection);
    let bytes_before = connection.cached_sql_bytes();
    let shapes_before = connection.kept_shapes();
    let terms: Vec<serde_json::Value> = (1..=5_000)
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    let query = Parent::query().where_json(&serde_json::Value::Array(terms))?;
    let (sql, _) = query.to_sql();
    assert!(
        sql.len() > MAX_CACHED_STATEMENT_BYTES,
        "{} bytes",
        sql.len()
    );
    for _ in 0..2 {
        let found = query.select(&mut *connection)?;
        assert_eq!(found.len() as i64, all.min(5_000));
    }
    assert_eq!(connection.kept_shapes(), shapes_before);
    assert_eq!(connection.cached_sql_bytes(), bytes_before);
    assert_eq!(prepared(&mut connection), before);
    // Raw SQL text of the same size: run, not kept.
    let long = format!(
        "SELECT $1::int4 /* {} */",
        "x".repeat(MAX_CACHED_STATEMENT_BYTES)
    );
    assert_eq!(connection.query_one(&long, &[&3_i32])?.get::<_, i32>(0), 3);
    assert_eq!(connection.cached_sql_bytes(), bytes_before);
    assert_eq!(prepared(&mut connection), before);
    // A short statement is kept.
    connection.query("SELECT $1::int4", &[&4_i32])?;
    assert_eq!(
        connection.cached_sql_bytes(),
        bytes_before + "SELECT $1::int4".len()
    );
    assert_eq!(prepared(&mut connection), before + 1);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Fake servers
// ---------------------------------------------------------------------------------------------

/// A server on 127.0.0.1 that hands each connection to `serve` on a thread of its own; its
/// port.
fn fake_server(serve: impl Fn(TcpStream) + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
    let port = listener.local_addr().expect("the port").port();
    let serve = std::sync::Arc::new(serve);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let serve = std::sync::Arc::clone(&serve);
            std::thread::spawn(move || serve(stream));
        }
    });
    port
}

/// Reads one length-prefixed message without a tag (the startup, an SSL request).
fn read_untagged(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut length = [0_u8; 4];
    stream.read_exact(&mut length)?;
    let mut body = vec![0_u8; (u32::from_be_bytes(length) as usize).saturating_sub(4)];
    stream.read_exact(&mut body)?;
    Ok(body)
}

/// Reads the client's startup message, refusing TLS first when it asks.
fn read_startup(stream: &mut TcpStream) -> std::io::Result<()> {
    loop {
        let body = read_untagged(stream)?;
        if body.get(..4) == Some(&80_877_103_u32.to_be_bytes()[..]) {
            stream.write_all(b"N")?;
            continue;
        }
        return Ok(());
    }
}

/// AuthenticationOk, BackendKeyData, ReadyForQuery: a session, as far as the client knows.
fn open_session(stream: &mut TcpStream) -> std::io::Result<()> {
    let mut answer = Vec::new();
    answer.extend_from_slice(b"R\0\0\0\x08\0\0\0\0");
    answer.extend_from_slice(b"K\0\0\0\x0c\0\0\0\x01\0\0\0\x02");
    answer.extend_from_slice(b"Z\0\0\0\x05I");
    stream.write_all(&answer)
}

fn url_for(port: u16) -> String {
    format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=disable")
}

/// The most memory this process has held (`VmHWM`), in bytes.
fn peak_memory() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .map_or(0, |kib: u64| kib * 1024)
}

/// A header announcing a 4 GiB message (over the 1 GiB default) is refused at once, naming
/// the limit, instead of waiting for (or allocating) the bytes.
#[test]
fn a_message_over_the_size_limit_is_refused() -> TestResult {
    let port = fake_server(|mut stream| {
        let _ = read_startup(&mut stream);
        let _ = stream.write_all(b"R\xff\xff\xff\xf0");
        std::thread::sleep(Duration::from_secs(5));
    });
    let started = Instant::now();
    let error = Db::from_url(&url_for(port)).expect_err("an oversized message");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        error.to_string(),
        format!(
            "could not connect to 127.0.0.1:{port} (settings from the connection URL): the \
             server announced a message of 4 294 967 280 bytes, over the limit of \
             1 073 741 824 (max_message_size)"
        )
    );
    Ok(())
}

/// A header announcing 900 MB (under the limit) followed by a few bytes and the end of the
/// connection: memory grows with the bytes that came, not with the header.
#[test]
fn memory_for_a_message_is_taken_as_its_bytes_arrive() -> TestResult {
    let port = fake_server(|mut stream| {
        let _ = read_startup(&mut stream);
        let mut message = b"R\x35\xa4\xe9\x00".to_vec();
        message.extend_from_slice(&[0_u8; 100_000]);
        let _ = stream.write_all(&message);
    });
    let before = peak_memory();
    let error = Client::connect(&url_for(port)).expect_err("the server hung up");
    let grown = peak_memory().saturating_sub(before);
    assert_eq!(error.to_string(), "connection closed by the server");
    assert!(
        grown < 64 * 1024 * 1024,
        "peak memory grew by {grown} bytes"
    );
    Ok(())
}

/// A lower limit set on the client applies to results: the call fails naming it, and the
/// connection (out of step, the rest of the message unread) is closed.
#[test]
fn a_lower_message_limit_closes_the_connection() -> TestResult {
    let port = fake_server(|mut stream| {
        let _ = read_startup(&mut stream);
        let _ = open_session(&mut stream);
        let mut request = [0_u8; 1024];
        let _ = stream.read(&mut request);
        let _ = stream.write_all(b"1\0\0\0\x04T\0\x20\0\x04");
        std::thread::sleep(Duration::from_secs(5));
    });
    let mut client = Client::connect(&url_for(port))?;
    client.set_max_message_size(1024 * 1024);
    let error = client.query("SELECT 1", &[]).expect_err("over the limit");
    assert_eq!(
        error.to_string(),
        "the server announced a message of 2 097 156 \
         bytes, over the limit of 1 048 576 (max_message_size)"
    );
    assert!(error.is_closed() && client.is_closed());
    Ok(())
}

/// A server that accepts TCP and never answers: connecting fails within its connect timeout
/// (1 s, from the URL or the builder), in words, whether TLS is tried first or not.
#[test]
fn connect_times_out_on_a_server_that_never_answers() -> TestResult {
    let silent = || {
        fake_server(|stream| {
            std::thread::sleep(Duration::from_secs(10));
            drop(stream);
        })
    };
    let port = silent();
    let started = Instant::now();
    let error = Db::from_url(&format!(
        "postgres://postgres@127.0.0.1:{port}/postgres?connect_timeout=1"
    ))
    .expect_err("a silent server");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(2),
        "{took:?}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "timed out connecting to 127.0.0.1:{port} after 1 s (settings from the connection \
             URL)"
        )
    );

    let port = silent();
    let started = Instant::now();
    let error = Db::builder()
        .url(url_for(port))
        .connect_timeout(Duration::from_secs(1))
        .connect()
        .expect_err("a silent server");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        error.to_string(),
        format!(
            "timed out connecting to 127.0.0.1:{port} after 1 s (settings from the connection URL)"
        )
    );
    Ok(())
}

/// A server that stops answering once connected: with a read timeout the call fails in
/// words and the connection is closed (its answer may still come, out of step).
#[test]
fn a_read_timeout_gives_up_on_a_server_that_stops_answering() -> TestResult {
    let port = fake_server(|mut stream| {
        let _ = read_startup(&mut stream);
        let _ = open_session(&mut stream);
        std::thread::sleep(Duration::from_secs(10));
    });
    let mut client = Client::connect(&url_for(port))?;
    client.set_read_timeout(Some(Duration::from_millis(500)))?;
    let started = Instant::now();
    let error = client.query("SELECT 1", &[]).expect_err("no answer");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(
        error.to_string(),
        "no answer from the server within 500 ms (the read timeout); the connection is closed"
    );
    assert!(error.is_timeout() && error.is_closed() && client.is_closed());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Keepalives
// ---------------------------------------------------------------------------------------------

/// `keepalives_idle`, `keepalives_interval` and `keepalives_retries` in the URL reach the
/// socket (they were parsed and ignored); `keepalives=0` turns them off.
#[test]
fn keepalives_from_the_url_reach_the_socket() -> TestResult {
    let temp = TempDb::new()?;
    let url = with_param(
        temp.url(),
        "keepalives_idle=7&keepalives_interval=3&keepalives_retries=4&sslmode=disable",
    );
    let client = Connector::from_url(&url)?.connect()?;
    assert_eq!(
        client.tcp_keepalive(),
        Some((Duration::from_secs(7), Duration::from_secs(3), 4))
    );
    let off = Connector::from_url(&with_param(temp.url(), "keepalives=0"))?.connect()?;
    assert_eq!(off.tcp_keepalive(), None);
    Ok(())
}

/// The same parameters in a `db.json` connection string reach the driver's settings (they
/// were logged as ignored), and a value that is not a number is named.
#[test]
fn keepalives_from_db_json_reach_the_settings() -> TestResult {
    let project = tempfile::tempdir()?;
    std::fs::create_dir(project.path().join("_instant"))?;
    let write = |query: &str| {
        std::fs::write(
            project.path().join("_instant/db.json"),
            format!(
                r#"{{"development": {{"faults": {{"connectionString":
                    "postgres://app@db.example.com/app?{query}"}}}}}}"#
            ),
        )
    };
    write("keepalives_idle=11&keepalives_interval=5&keepalives_retries=2")?;
    let connector =
        instant_runtime::connect::connector(project.path(), Some("development"), "faults")?;
    let config = connector.config();
    assert!(config.get_keepalives());
    assert_eq!(config.get_keepalives_idle(), Duration::from_secs(11));
    assert_eq!(
        config.get_keepalives_interval(),
        Some(Duration::from_secs(5))
    );
    assert_eq!(config.get_keepalives_retries(), Some(2));
    write("keepalives=0")?;
    let connector =
        instant_runtime::connect::connector(project.path(), Some("development"), "faults")?;
    assert!(!connector.config().get_keepalives());
    write("keepalives_idle=soon")?;
    let error = instant_runtime::connect::connector(project.path(), Some("development"), "faults")
        .expect_err("not a number");
    assert_eq!(
        error.to_string(),
        "database configuration: _instant/db.json [development.faults]: keepalives_idle must be \
         a whole number, found \"soon\""
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Deadlines and the server's timeouts
// ---------------------------------------------------------------------------------------------

/// `SELECT pg_sleep(30)` with a 1 s deadline fails within 2 s as a timeout, the server shows
/// the backend idle (the statement cancelled, not still running), and the connection goes on.
#[test]
fn a_statement_past_its_deadline_is_cancelled_on_the_server() -> TestResult {
    let (temp, mut client) = fresh()?;
    let pid = backend_pid(&mut client);
    client.set_deadline(Some(Duration::from_secs(1)));
    let started = Instant::now();
    let error = client
        .query("SELECT pg_sleep(30)", &[])
        .expect_err("past the deadline");
    let took = started.elapsed();
    client.set_deadline(None);
    assert!(
        took >= Duration::from_millis(950) && took < Duration::from_secs(2),
        "{took:?}"
    );
    assert_eq!(
        error.to_string(),
        "the statement ran past its deadline of 1 s and was cancelled"
    );
    assert!(error.is_timeout() && !error.is_closed(), "{error:?}");
    let mut observer = temp.connect()?;
    let row = observer.query_one(
        "SELECT state, query FROM pg_stat_activity WHERE pid = $1",
        &[&pid],
    )?;
    assert_eq!(row.get::<_, &str>(0), "idle");
    assert_eq!(row.get::<_, &str>(1), "SELECT pg_sleep(30)");
    assert_in_step(&mut client);
    assert_eq!(backend_pid(&mut client), pid);
    Ok(())
}

/// A cancel token used from another thread cancels the running statement (the server's
/// 57014), and the connection goes on; a cancel while the connection is idle does nothing.
#[test]
fn a_cancel_token_cancels_from_another_thread() -> TestResult {
    let (_temp, mut client) = fresh()?;
    let token = client.cancel_token();
    token.cancel()?;
    assert_in_step(&mut client);
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        token.cancel()
    });
    let started = Instant::now();
    let error = client
        .query("SELECT pg_sleep(30)", &[])
        .expect_err("cancelled");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(error.code(), Some(&SqlState::QUERY_CANCELED));
    assert!(!error.is_closed());
    canceller.join().expect("the cancelling thread")?;
    assert_in_step(&mut client);
    Ok(())
}

/// A call made once the deadline has passed fails before sending anything.
#[test]
fn a_call_after_the_deadline_fails_before_sending() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.set_deadline(Some(Duration::ZERO));
    let error = client
        .query("SELECT 1", &[])
        .expect_err("the deadline passed");
    assert_eq!(
        error.to_string(),
        "the deadline of 0 ms passed before the statement was sent"
    );
    assert!(error.is_timeout() && !error.is_closed());
    client.set_deadline(None);
    assert_in_step(&mut client);
    Ok(())
}

/// A transaction whose statement ran past the deadline is rolled back when dropped, and one
/// whose commit comes after the deadline is rolled back by the failed commit: the deadline
/// does not keep the cleanup from running, and the client ends outside any transaction.
#[test]
fn a_transaction_past_its_deadline_is_rolled_back() -> TestResult {
    let (_temp, mut client) = fresh()?;
    client.batch_execute("CREATE TABLE log (n int4)")?;
    client.set_deadline(Some(Duration::from_millis(500)));
    {
        let mut transaction = client.transaction()?;
        transaction.execute("INSERT INTO log VALUES (1)", &[])?;
        let error = transaction
            .query("SELECT pg_sleep(5)", &[])
            .expect_err("past the deadline");
        assert!(error.is_timeout(), "{error:?}");
    }
    assert!(!client.in_transaction());
    client.set_deadline(Some(Duration::from_millis(300)));
    let mut transaction = client.transaction()?;
    transaction.execute("INSERT INTO log VALUES (2)", &[])?;
    std::thread::sleep(Duration::from_millis(400));
    let error = transaction.commit().expect_err("the deadline passed");
    assert_eq!(
        error.to_string(),
        "the deadline of 300 ms passed before the statement was sent"
    );
    assert!(!client.in_transaction());
    client.set_deadline(None);
    let count: i64 = client.query_one("SELECT count(*) FROM log", &[])?.get(0);
    assert_eq!(count, 0);
    assert_in_step(&mut client);
    Ok(())
}

/// The runtime's transaction past the connection's deadline: dropped, rolled back explicitly
/// or failing to commit, it is rolled back (before, its ROLLBACK failed before sending, and
/// the connection was marked broken and dropped), so the pool hands the same backend out
/// again, outside any transaction, with nothing of the transaction's work kept.
#[test]
fn a_runtime_transaction_past_its_deadline_is_rolled_back_and_the_connection_kept() -> TestResult {
    use instant_runtime::Transaction;
    let temp = TempDb::new()?;
    let db = Db::builder().url(temp.url()).pool_size(1).connect()?;
    db.execute("CREATE TABLE log (n int4)", &[])?;
    let pid: i32 = db.query("SELECT pg_backend_pid()", &[])?[0].get(0);
    let count = |db: &Db| -> Result<i64, Box<dyn StdError>> {
        Ok(db.query("SELECT count(*) FROM log", &[])?[0].get(0))
    };

    // Dropped after a statement ran past the deadline.
    let error = db
        .with_deadline(Duration::from_millis(500), |connection| {
            let mut transaction = Transaction::begin_on(connection)?;
            transaction.execute("INSERT INTO log VALUES (1)", &[])?;
            transaction.query("SELECT pg_sleep(5)", &[])
        })
        .expect_err("past the deadline");
    assert!(
        error
            .to_string()
            .contains("ran past its deadline of 500 ms"),
        "{error}"
    );
    let rows = db.query("SELECT pg_backend_pid(), 7", &[])?;
    assert_eq!(rows[0].get::<_, i32>(0), pid, "the same connection");
    assert_eq!(count(&db)?, 0);

    // Rolled back explicitly after the deadline.
    db.with_deadline(Duration::from_millis(200), |connection| {
        let mut transaction = Transaction::begin_on(connection)?;
        transaction.execute("INSERT INTO log VALUES (2)", &[])?;
        std::thread::sleep(Duration::from_millis(300));
        transaction.rollback()?;
        assert!(!connection.client().in_transaction());
        Ok(())
    })?;
    assert_eq!(
        db.query("SELECT pg_backend_pid()", &[])?[0].get::<_, i32>(0),
        pid
    );
    assert_eq!(count(&db)?, 0);

    // Committed after the deadline: COMMIT is never sent, the transaction is rolled back.
    let error = db
        .with_deadline(Duration::from_millis(200), |connection| {
            let mut transaction = Transaction::begin_on(connection)?;
            transaction.execute("INSERT INTO log VALUES (3)", &[])?;
            std::thread::sleep(Duration::from_millis(300));
            let committed = transaction.commit();
            assert!(!connection.client().in_transaction());
            committed
        })
        .expect_err("the deadline passed");
    assert_eq!(
        error.to_string(),
        "database error: the deadline of 200 ms passed before the statement was sent"
    );
    assert_eq!(
        db.query("SELECT pg_backend_pid()", &[])?[0].get::<_, i32>(0),
        pid
    );
    assert_eq!(count(&db)?, 0);
    Ok(())
}

/// `Db::with_deadline` bounds everything run in it, the ORM's calls included; the pooled
/// connection is kept (the same backend) and serves the next call.
#[test]
fn db_with_deadline_cancels_and_keeps_the_connection() -> TestResult {
    let temp = TempDb::new()?;
    let db = Db::builder().url(temp.url()).pool_size(1).connect()?;
    let pid: i32 = db.query("SELECT pg_backend_pid()", &[])?[0].get(0);
    let started = Instant::now();
    let error = db
        .with_deadline(Duration::from_millis(500), |connection| {
            connection.query("SELECT 1", &[])?;
            connection.query("SELECT pg_sleep(30)", &[])
        })
        .expect_err("past the deadline");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(
        error.to_string(),
        "database error: the statement ran past its deadline of 500 ms and was cancelled"
    );
    let rows = db.query("SELECT pg_backend_pid(), pg_sleep(0.6)::text", &[])?;
    assert_eq!(
        rows[0].get::<_, i32>(0),
        pid,
        "the same connection, no deadline left"
    );
    Ok(())
}

/// `statement_timeout` and `lock_timeout` from the builder are the session's: `SHOW` reads
/// them, a lock wait and a long statement end with the server's errors, and the connection
/// goes on.
#[test]
fn the_builders_server_timeouts_reach_every_connection() -> TestResult {
    let temp = TempDb::new()?;
    let db = Db::builder()
        .url(temp.url())
        .pool_size(1)
        .statement_timeout(Duration::from_millis(1500))
        .lock_timeout(Duration::from_millis(200))
        .connect()?;
    let show = |name: &str| -> Result<String, Box<dyn StdError>> {
        Ok(db.query(&format!("SHOW {name}"), &[])?[0].get(0))
    };
    assert_eq!(show("statement_timeout")?, "1500ms");
    assert_eq!(show("lock_timeout")?, "200ms");

    db.execute("CREATE TABLE locked (id int)", &[])?;
    let mut holder = temp.connect()?;
    holder.batch_execute("BEGIN; LOCK TABLE locked")?;
    let started = Instant::now();
    let error = db
        .query("SELECT * FROM locked", &[])
        .expect_err("a lock wait");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        error.db_error().map(|db| db.code()),
        Some(&SqlState::LOCK_NOT_AVAILABLE)
    );
    assert_eq!(
        error.to_string(),
        "database error: canceling statement due to lock timeout"
    );
    holder.batch_execute("ROLLBACK")?;

    let error = db
        .query("SELECT pg_sleep(5)", &[])
        .expect_err("a long statement");
    assert_eq!(
        error.to_string(),
        "database error: canceling statement due to statement timeout"
    );
    assert_eq!(db.query("SELECT 3", &[])?[0].get::<_, i32>(0), 3);
    Ok(())
}

/// `with_server_timeouts` sets the server's timeouts for one call and resets them to the
/// connection's defaults after, failed call or not.
#[test]
fn server_timeouts_per_call_are_reset_after_the_call() -> TestResult {
    let temp = TempDb::new()?;
    let db = Db::builder()
        .url(temp.url())
        .pool_size(1)
        .statement_timeout(Duration::from_secs(20))
        .connect()?;
    let mut connection = db.connection()?;
    let error = connection
        .with_server_timeouts(Some(Duration::from_millis(300)), None, |connection| {
            connection.query("SELECT pg_sleep(3)", &[])
        })
        .expect_err("the call's statement_timeout");
    assert_eq!(
        error.db_error().map(|db| db.code()),
        Some(&SqlState::QUERY_CANCELED)
    );
    let timeout: String = connection.query_one("SHOW statement_timeout", &[])?.get(0);
    assert_eq!(timeout, "20s");
    let lock: String =
        connection.with_server_timeouts(None, Some(Duration::from_millis(1234)), |connection| {
            Ok(connection.query_one("SHOW lock_timeout", &[])?.get(0))
        })?;
    assert_eq!(lock, "1234ms");
    let lock: String = connection.query_one("SHOW lock_timeout", &[])?.get(0);
    assert_eq!(lock, "0");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The pool
// ---------------------------------------------------------------------------------------------

/// A connection whose backend was terminated fails its call, is dropped when it comes back,
/// and the pool's next connection is a new, working one.
#[test]
fn a_broken_connection_is_not_handed_out_again() -> TestResult {
    let temp = TempDb::new()?;
    let db = Db::builder().url(temp.url()).pool_size(1).connect()?;
    let mut killer = temp.connect()?;
    let mut connection = db.connection()?;
    let pid: i32 = connection.query_one("SELECT pg_backend_pid()", &[])?.get(0);
    killer.query_one("SELECT pg_terminate_backend($1, 5000)", &[&pid])?;
    assert!(connection.query("SELECT 1", &[]).is_err());
    drop(connection);
    let rows = db.query("SELECT pg_backend_pid()", &[])?;
    assert_ne!(rows[0].get::<_, i32>(0), pid);
    Ok(())
}

/// After a failed call, the connection is checked (an empty query) before it is handed out
/// again: one whose server went away meanwhile is replaced, and the caller never sees it.
#[test]
fn a_connection_whose_last_call_failed_is_checked_on_checkout() -> TestResult {
    let temp = TempDb::new()?;
    let db = Db::builder().url(temp.url()).pool_size(1).connect()?;
    let mut killer = temp.connect()?;
    let pid = {
        let mut connection = db.connection()?;
        let pid: i32 = connection.query_one("SELECT pg_backend_pid()", &[])?.get(0);
        let error = connection.query("SELECT 1 / 0", &[]).expect_err("division");
        assert_eq!(
            error.db_error().map(|db| db.code()),
            Some(&SqlState::DIVISION_BY_ZERO)
        );
        assert!(connection.client().last_call_failed());
        pid
    };
    killer.query_one("SELECT pg_terminate_backend($1, 5000)", &[&pid])?;
    let rows = db.query("SELECT pg_backend_pid(), 1", &[])?;
    assert_ne!(rows[0].get::<_, i32>(0), pid);
    // A connection that succeeded is handed out without a check: the same backend.
    let again: i32 = db.query("SELECT pg_backend_pid()", &[])?[0].get(0);
    assert_eq!(again, rows[0].get::<_, i32>(0));
    Ok(())
}

/// A connection given back inside a transaction (a `BEGIN` on the raw client) is dropped, so
/// its transaction cannot reach the next caller.
#[test]
fn a_connection_left_in_a_transaction_is_not_reused() -> TestResult {
    let temp = TempDb::new()?;
    let db = Db::builder().url(temp.url()).pool_size(1).connect()?;
    let pid = {
        let mut connection = db.connection()?;
        connection.client().batch_execute("BEGIN")?;
        connection
            .query_one("SELECT pg_backend_pid()", &[])?
            .get::<_, i32>(0)
    };
    let mut connection = db.connection()?;
    assert!(!connection.client().in_transaction());
    let now: i32 = connection.query_one("SELECT pg_backend_pid()", &[])?.get(0);
    assert_ne!(now, pid);
    Ok(())
}

/// `max_lifetime`, `idle_timeout` and the check on checkout reach the pool; a zero lifetime
/// is refused naming the setting.
#[test]
fn pool_settings_reach_the_pool() -> TestResult {
    let temp = TempDb::new()?;
    let db = Db::builder()
        .url(temp.url())
        .pool_size(3)
        .max_lifetime(Some(Duration::from_secs(90)))
        .idle_timeout(None)
        .connect()?;
    let pool = db.pool();
    assert_eq!(pool.max_size(), 3);
    assert_eq!(pool.max_lifetime(), Some(Duration::from_secs(90)));
    assert_eq!(pool.idle_timeout(), None);
    assert!(pool.test_on_check_out());
    let defaults = Db::builder().url(temp.url()).connect()?;
    assert_eq!(
        defaults.pool().max_lifetime(),
        Some(Duration::from_secs(30 * 60))
    );
    assert_eq!(
        defaults.pool().idle_timeout(),
        Some(Duration::from_secs(10 * 60))
    );
    let error = Db::builder()
        .url(temp.url())
        .max_lifetime(Some(Duration::ZERO))
        .connect()
        .expect_err("a zero lifetime");
    assert_eq!(
        error.to_string(),
        "database configuration: the pool's max_lifetime must be more than 0 (use None for no \
         limit)"
    );
    Ok(())
}

/// Socket settings from the builder reach every connection: a read timeout gives up on a
/// server that stops answering, and the connection is not handed out again.
#[test]
fn the_builders_read_timeout_reaches_the_connections() -> TestResult {
    let port = fake_server(|mut stream| {
        let _ = read_startup(&mut stream);
        let _ = open_session(&mut stream);
        std::thread::sleep(Duration::from_secs(10));
    });
    let db = Db::builder()
        .url(url_for(port))
        .pool_size(1)
        .read_timeout(Some(Duration::from_millis(300)))
        .connect()?;
    let started = Instant::now();
    let error = db.query("SELECT 1", &[]).expect_err("no answer");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        error.to_string(),
        "database error: no answer from the server within 300 ms (the read timeout); the \
         connection is closed"
    );
    assert_eq!(
        db.pool().state().connections,
        0,
        "the connection was dropped"
    );
    Ok(())
}
