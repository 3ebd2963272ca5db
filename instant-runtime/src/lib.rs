//! Runs instant for Rust on PostgreSQL.
