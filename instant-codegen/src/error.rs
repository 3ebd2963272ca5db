//! Why code generation failed, in words a `build.rs` can print as they are.

use std::path::PathBuf;

/// What stopped code generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The `_instant/` folder could not be read or its migrations do not replay.
    #[error("{0}")]
    Schema(#[from] instant_schema::Error),
    /// Two tables would get the same model struct.
    #[error(
        "tables `{first}` and `{second}` both become the model struct `{model}`; \
         rename one of the tables"
    )]
    DuplicateModel {
        model: String,
        first: String,
        second: String,
    },
    /// A table, column or relationship name has no letter or digit to build an identifier from.
    #[error(
        "{kind} `{name}` of table `{table}` cannot be made a Rust identifier: \
         it has no ASCII letter or digit"
    )]
    InvalidName {
        /// `column`, `table` or `relationship`.
        kind: &'static str,
        table: String,
        name: String,
    },
    /// Two names end up with the same Rust identifier.
    #[error(
        "{kind}s `{first}` and `{second}` of table `{table}` both become the identifier `{ident}`"
    )]
    DuplicateIdentifier {
        /// `column` or `relationship`.
        kind: &'static str,
        table: String,
        first: String,
        second: String,
        ident: String,
    },
    /// A table's module would have the same name as a model struct or another table's module.
    #[error(
        "the module of table `{table}` would be named `{ident}`, like the {item} of \
         table `{other}`; rename one of the tables"
    )]
    ModuleClash {
        table: String,
        /// `model struct` or `module`.
        item: &'static str,
        other: String,
        ident: String,
    },
    /// A column's `length` does not fit a type modifier.
    #[error(
        "column `{column}` of table `{table}` has length {length}: expected 1 to {}",
        u32::MAX
    )]
    InvalidLength {
        table: String,
        column: String,
        length: i64,
    },
    /// `runtime_path` is not a Rust path without generic arguments.
    #[error("runtime path `{0}` is not a Rust path such as `::instant_runtime`")]
    InvalidRuntimePath(String),
    /// An environment variable Cargo sets for build scripts is missing.
    #[error("environment variable {0} is not set; call Builder from build.rs or set it explicitly")]
    MissingEnv(&'static str),
    /// The output file could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
