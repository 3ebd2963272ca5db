//! The synchronous PostgreSQL client instant runs on.
//!
//! A [`Client`] is one connection and a blocking socket: each request is written whole, and the
//! answer read until the server is ready again, with no runtime or task in between. Data rows
//! are copied into one buffer per query as they arrive and decoded in place: a [`Row`] is a
//! position in it. Values go through `postgres-types`' [`ToSql`](types::ToSql) and
//! [`FromSql`](types::FromSql), so every type that works with the `postgres` crate (chrono,
//! uuid, serde_json, rust_decimal, pgvector, sea-query's values) works here, and messages and
//! authentication are `postgres-protocol`'s, the code tokio-postgres runs on.
//!
//! What a call runs is an [`Sql`] (text or a prepared [`Statement`]), a row's column is
//! picked by a [`ColumnRef`] (position or exact name), and a failure is an [`Error`] whose
//! [`Cause`] says which of the driver's failures it was ([`ServerError`] for the server's own);
//! each module says why it is shaped so.
//!
//! The calls are the part of the `postgres` crate's API that the ORM uses, under the same names:
//! [`Client::prepare`], [`query`](Client::query), [`query_one`](Client::query_one),
//! [`execute`](Client::execute), [`batch_execute`](Client::batch_execute),
//! [`transaction`](Client::transaction); settings are a [`postgres::Config`]. One more:
//! [`query_each`](Client::query_each) hands rows over a batch at a time as they arrive, so a
//! large result is decoded while the server is still sending it (the ORM reads every select
//! and join this way).
//!
//! [`copy_in`](Client::copy_in) runs `COPY … FROM STDIN` in binary format (the ORM's bulk
//! inserts of 1 000 rows and more). Not offered: `COPY … TO STDOUT`, LISTEN/NOTIFY, channel
//! binding.
//!
//! A connection is never left out of step with the server: a request that cannot be encoded
//! (a NUL byte in SQL text or in a text value, more than 65 535 parameters, a message over
//! PostgreSQL's 1 GiB) is refused before anything is written, every call reads the server's
//! answers up to ReadyForQuery, and a call that cannot closes the connection
//! ([`Client::is_closed`]), which a pool then drops. A value whose `ToSql` refuses the
//! server's type, or panics on it, is an error naming the parameter and the type, with
//! nothing sent; a panic that unwinds through a call after its request went out (a
//! `query_each` callback's) leaves the connection closed. Incoming messages are capped
//! ([`Client::set_max_message_size`]) and buffered only as their bytes arrive. Timeouts:
//! `connect_timeout` covers the whole connection (TCP, TLS, startup); reads and writes may have
//! their own ([`Client::set_read_timeout`]); TCP keepalives follow the settings; and a
//! [deadline](Client::set_deadline) cancels the running statement with a CancelRequest
//! ([`CancelToken`]) and reads the server's answer, so the connection stays usable.
//!
//! Why not the `postgres` crate: it is tokio-postgres driven by a runtime it blocks on, so
//! each round trip goes through the runtime, a channel to the connection task and `epoll`
//! (about 13 000 client instructions before a row is decoded, measured with callgrind), and
//! each row carries its own allocated list of value ranges. An ORM call is mostly round trips
//! and rows; `BENCHMARKS.md` measures both drivers running the same code.
//!
//! ```no_run
//! let config: postgres::Config = "host=localhost user=app dbname=app".parse()?;
//! let mut client = instant_pg::connect(&config, None)?;
//! let statement = client.prepare("SELECT id, name FROM users WHERE id = $1")?;
//! for row in client.query(&statement, &[&1_i64])? {
//!     let name: &str = row.get(1);
//!     println!("{name}");
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cancel;
mod catalog;
mod client;
mod connect;
mod encode;
mod error;
mod row;
mod statement;
mod stream;
mod transaction;
mod wire;

pub use cancel::CancelToken;
pub use client::Client;
pub use connect::connect;
/// For the runtime's messages, so limits read the same in every layer; not part of the API.
#[doc(hidden)]
pub use error::grouped;
pub use error::{Cause, Error, ServerError};
pub use postgres::Config;
pub use postgres::error::SqlState;
pub use row::{ColumnRef, Row};
pub use statement::{Column, Sql, Statement};
pub use transaction::Transaction;

/// `postgres-types`: [`ToSql`](types::ToSql), [`FromSql`](types::FromSql), [`Type`](types::Type).
pub use postgres_types as types;
