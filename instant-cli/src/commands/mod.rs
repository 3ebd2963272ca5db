//! One file per command. Each `run` returns the message to print on failure.

pub mod codegen;
pub mod db_migrate;
pub mod schema;
