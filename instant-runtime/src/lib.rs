//! Runs instant for Rust on PostgreSQL.

pub mod check;
pub mod connect;
pub mod db;
pub mod descriptor;
pub mod error;
pub mod limits;
pub mod migrate;
pub mod model;
pub mod query;
pub mod schema_tables;
pub mod seed;
pub mod testing;
pub mod vector;

pub use db::{Connection, Db, Executor, Transaction};
pub use error::{Error, Result};
/// `#[derive(Model)]`: the derive shares the trait's name, as serde's derives do.
pub use instant_macros::Model;
pub use model::{Hooks, Interface, Model, Record, Records, Save, ValidationErrors};
pub use query::{Condition, Query};

// The value crates generated models name, so an application depends on instant-runtime alone.
pub use chrono;
/// The driver verifications and hooks receive their transaction from.
pub use instant_pg as pg;
pub use pgvector;
pub use rust_decimal;
pub use serde_json;
pub use uuid;
