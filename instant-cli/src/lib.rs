//! The `instant` command: thin wrappers over `instant-schema`, `instant-codegen` and
//! `instant-runtime`. Every command is a call a library user could make too.
//!
//! It is a library as well as a binary so that an application can build its own `instant`
//! with its compiled models ([`App`]), whose `query` and `seed` then behave as the
//! application's models do; the plain binary is [`main_with`] given no models.

mod app;
mod cli;
mod commands;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

pub use app::App;
use cli::{Cli, Command};
pub(crate) use cli::{DatabaseArgs, ProjectDir};
use commands::db_ext::Action;

/// Runs the `instant` command on the process's arguments for `app`: the command's output on
/// stdout, and on failure one `error: …` line on stderr and a failing exit code.
pub fn main_with(app: App) -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init(args) => commands::init::run(&args),
        Command::GModel(args) => commands::generate::model::run(&args),
        Command::GMigration(args) => commands::generate::migration::run(&args),
        Command::GRelationship(args) => commands::generate::relationship::run(&args),
        Command::Kit(args) => commands::kit::run(&args),
        Command::Schema(args) => commands::schema::run(&args),
        Command::Codegen(args) => commands::codegen::run(&args),
        Command::DbMigrate { db, steps } => commands::db_migrate::run(&db, steps),
        Command::DbRollback { db, steps, to } => commands::db_rollback::run(&db, steps, to),
        Command::DbRollbackSync(db) => commands::db_rollback::run_sync(&db),
        Command::DbState(db) => commands::db_state::run(&db),
        Command::DbBootstrap {
            db,
            extensions,
            yes,
        } => commands::db_bootstrap::run(&db, &extensions, yes),
        Command::DbSeed(db) => commands::db_seed::run(&db),
        Command::DbPrepare(db) => commands::db_history::prepare(&db),
        Command::DbForget(db) => commands::db_history::forget(&db),
        Command::DbExt {
            db,
            name,
            enable,
            disable,
        } => {
            let action = match (enable, disable) {
                (true, _) => Action::Enable,
                (_, true) => Action::Disable,
                _ => Action::Show,
            };
            commands::db_ext::run(&db, name.as_deref(), action)
        }
        Command::FsFastForward(db) => commands::fs::fast_forward(&db),
        Command::FsRewind { db, steps } => commands::fs::rewind(&db, steps),
        Command::FsRewindSync(db) => commands::fs::rewind_sync(&db),
        Command::Query(args) => commands::query::run(&app, &args),
        Command::Seed(args) => commands::seed::run(&app, &args),
        Command::Sql { db, psql_args } => commands::sql::run(&db, &psql_args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            terminal::print_error(&message);
            ExitCode::FAILURE
        }
    }
}
