//! One file per command (or family of commands). Each `run` returns the message to print on
//! failure.

pub mod codegen;
pub mod confirm;
pub mod db_bootstrap;
pub mod db_ext;
pub mod db_history;
pub mod db_migrate;
pub mod db_rollback;
pub mod db_seed;
pub mod db_state;
pub mod fs;
pub mod generate;
pub mod init;
pub mod json_input;
pub mod json_output;
pub mod kit;
pub mod progress;
pub mod query;
pub mod schema;
pub mod seed;
pub mod sql;
pub mod style;

use instant_runtime::Db;
use instant_runtime::connect::{self, Source};
use instant_runtime::pg::Client;
use instant_schema::Project;

use crate::DatabaseArgs;
use crate::cli::NamedDatabaseArgs;

/// The project and a connection to its database. The folder is read first, so a folder that
/// does not replay is reported before any connection is made.
pub fn open(args: &DatabaseArgs) -> Result<(Project, Client, Source), String> {
    let project = load(args)?;
    let (client, source) = connect_only(args)?;
    Ok((project, client, source))
}

/// The project, every migration file parsed and replayed.
pub fn load(args: &DatabaseArgs) -> Result<Project, String> {
    let project = Project::load(&args.project.dir).map_err(|error| error.to_string())?;
    project.schema().map_err(|error| error.to_string())?;
    Ok(project)
}

/// A connection to the project's database (`DATABASE_URL`, else `_instant/db.json`).
pub fn connect_only(args: &DatabaseArgs) -> Result<(Client, Source), String> {
    let connector = connect::connector(
        &args.project.dir,
        args.env.as_deref(),
        connect::MAIN_DATABASE,
    )
    .map_err(|e| e.to_string())?;
    let client = connector.connect().map_err(one_line)?;
    Ok((client, connector.source().clone()))
}

/// A pool of one connection to the named database (`DATABASE_URL_<NAME>`, else
/// `_instant/db.json`); the database named `readonly` refuses writes.
pub fn pool(args: &NamedDatabaseArgs) -> Result<Db, String> {
    let mut builder = Db::builder()
        .project_dir(&args.db.project.dir)
        .database(&args.name)
        .pool_size(1);
    if let Some(env) = &args.db.env {
        builder = builder.env(env);
    }
    builder.connect().map_err(one_line)
}

/// A runtime error as one line (instant.dev's messages span several).
pub fn one_line(error: impl std::fmt::Display) -> String {
    error
        .to_string()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
