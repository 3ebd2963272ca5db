//! The `instant` command: thin wrappers over `instant-schema`, `instant-codegen` and
//! `instant-runtime`. Every command is a call a library user could make too.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Schema, code generation and migrations for instant.dev projects, in Rust.
#[derive(Debug, Parser)]
#[command(name = "instant", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the project is: the directory holding `_instant/`.
#[derive(Debug, Clone, Args)]
pub struct ProjectDir {
    /// The project directory (the one that holds `_instant/`); defaults to the current one.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// Which database to talk to.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    #[command(flatten)]
    pub project: ProjectDir,
    /// The environment in `_instant/db.json` (default: $INSTANT_ENV, else $NODE_ENV, else
    /// `development`).
    /// `DATABASE_URL`, when set, overrides `db.json`.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the schema JSON that replaying `_instant/migrations` gives.
    Schema(ProjectDir),
    /// Print the Rust code generated from `_instant/`.
    Codegen(ProjectDir),
    /// Apply every pending migration in `_instant/migrations` to the database.
    #[command(name = "db:migrate")]
    DbMigrate(DatabaseArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Schema(args) => commands::schema::run(&args),
        Command::Codegen(args) => commands::codegen::run(&args),
        Command::DbMigrate(args) => commands::db_migrate::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
