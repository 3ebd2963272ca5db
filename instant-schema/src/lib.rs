//! The instant.dev `_instant/` folder as data.
//!
//! Everything here is pure: it reads files and JSON values and returns typed data, never touching
//! a database or generating code. The shapes are instant.dev's, so a folder written by the
//! JavaScript tooling reads unchanged and what we write reads back there.
//!
//! - [`Schema`] — `_instant/cache/schema.json` and the `schema` column of `_instant_migrations`.
//! - [`Migration`] and [`Command`] — one `_instant/migrations/*.json` file and its 13 commands.
//! - [`replay`] — migrations applied one after another to a schema.
//! - [`Project`] — a whole `_instant/` folder read from disk.
//! - [`index_path`] — JSON-path index columns (`body->>'lang'`), read and quoted.
//! - [`index_type`] — index types, including our pgvector extension (`hnsw:cosine`, `ivfflat:l2`).
//! - [`seed`], [`db_config`] — `seed.json` and `db.json`.
//! - [`sql_script`] — an `executeSql` entry cut into statements, transaction control found.
//! - [`inflection`] — Rails-style pluralize/singularize/classify, as instant.dev uses them.
//! - [`relationships`] — the relationship graph derived from foreign keys.
//! - [`rust_type`] — the one Rust type of each column type, shared by generated models and
//!   run-time descriptors.

pub mod builder;
pub mod column_type;
pub mod command;
pub mod command_json;
pub mod db_config;
pub mod error;
pub mod generate;
pub mod index_path;
pub mod index_type;
pub mod inflection;
pub mod json_path;
pub mod migration;
pub mod migration_json;
pub mod project;
pub mod relationships;
pub mod replay;
pub mod rust_type;
pub mod schema;
pub mod schema_json;
pub mod seed;
pub mod sql_script;

pub use builder::MigrationBuilder;
pub use command::Command;
pub use error::{Error, Result};
pub use migration::Migration;
pub use project::Project;
pub use replay::{ApplyError, apply, apply_migration, replay};
pub use schema::{Column, ColumnProperties, ForeignKey, ForeignKeyBehavior, Index, Schema, Table};
