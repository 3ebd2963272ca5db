//! Runs instant for Rust on PostgreSQL.

pub mod connect;
pub mod descriptor;
pub mod error;
pub mod migrate;
pub mod model;
pub mod query;
pub mod testing;

pub use error::{Error, Result};
pub use model::{Hooks, Model, Record, ValidationErrors};
pub use query::{Condition, Query};

// The value crates generated models name, so an application depends on instant-runtime alone.
pub use chrono;
pub use pgvector;
pub use rust_decimal;
pub use serde_json;
pub use uuid;
