//! Turns an instant.dev schema into Rust source: model structs, typed column descriptors,
//! relation descriptors and table metadata. Use [`Builder`] from `build.rs`:
//!
//! ```no_run
//! // in build.rs's `main`
//! instant_codegen::Builder::new().run();
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/instant_models.rs"));
//! ```
//!
//! For every table, in schema order, the generated file holds:
//!
//! - the model struct, named as instant.dev names the class (`children` → `Child`), one public
//!   field per column with exactly one Rust type per PostgreSQL type;
//! - a module named after the table (`children`) with the `Table` marker, `INFO` (the table's
//!   metadata), a unit struct per column and a `relations` module with a unit struct per
//!   relationship, implementing the traits of `instant_runtime::descriptor`;
//!
//! and finally `TABLES`, every table's metadata. Names that are not Rust identifiers are
//! sanitized as [`ident`] describes.

mod builder;
mod column_types;
mod docs;
mod emitter;
mod error;
mod generate;
pub mod ident;
mod literal;
mod model;
mod plan;
mod relations;
mod runtime;
mod rust_type;
mod table_module;
mod ty;

pub use builder::Builder;
pub use error::Error;
pub use generate::{Options, generate, generate_project};
