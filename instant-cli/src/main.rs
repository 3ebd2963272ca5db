//! The `instant` command: thin wrappers over `instant-schema`, `instant-codegen` and
//! `instant-runtime`. Every command is a call a library user could make too.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args, Parser, Subcommand};

use commands::db_ext::Action;

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
    /// Create `_instant/`: the initial migration, db.json with `{{ ENV }}` placeholders, seed.json.
    Init(commands::init::InitArgs),
    /// Generate a model: a `createTable` migration and `src/models/<name>.rs`.
    #[command(name = "g:model")]
    GModel(commands::generate::model::ModelArgs),
    /// Generate an empty migration to fill in by hand.
    #[command(name = "g:migration")]
    GMigration(commands::generate::migration::MigrationArgs),
    /// Generate a migration relating two tables: the child's reference column and foreign key.
    #[command(name = "g:relationship")]
    GRelationship(commands::generate::relationship::RelationshipArgs),
    /// Install a kit's migration and models (`auth`: users and access tokens).
    Kit(commands::kit::KitArgs),
    /// Print the schema JSON that replaying `_instant/migrations` gives.
    Schema(ProjectDir),
    /// Print the Rust code generated from `_instant/`.
    Codegen(ProjectDir),
    /// Apply the pending migrations of `_instant/migrations` (all, or the first N).
    #[command(name = "db:migrate")]
    DbMigrate {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Apply only the first N pending migrations.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        steps: Option<u32>,
    },
    /// Undo the database's last migration (or N of them, or back to a migration id).
    #[command(name = "db:rollback", group(ArgGroup::new("how").args(["steps", "to"])))]
    DbRollback {
        #[command(flatten)]
        db: DatabaseArgs,
        /// How many migrations to undo (default 1).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        steps: Option<u32>,
        /// Undo every migration after this id.
        #[arg(long, value_name = "ID")]
        to: Option<i64>,
    },
    /// Roll the database back to the last migration it shares with `_instant/migrations`.
    #[command(name = "db:rollbackSync")]
    DbRollbackSync(DatabaseArgs),
    /// Show whether the folder and the database are in sync, with the migration diff.
    #[command(name = "db:state")]
    DbState(DatabaseArgs),
    /// Destroy everything in the database, enable extensions and apply every migration.
    #[command(name = "db:bootstrap")]
    DbBootstrap {
        #[command(flatten)]
        db: DatabaseArgs,
        /// An extension to enable before migrating (repeatable), e.g. `--ext vector`.
        #[arg(long = "ext", value_name = "NAME")]
        extensions: Vec<String>,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Load `_instant/seed.json` into the database (each element in one transaction).
    #[command(name = "db:seed")]
    DbSeed(DatabaseArgs),
    /// Re-create the empty `_instant_migrations` table.
    #[command(name = "db:prepare")]
    DbPrepare(DatabaseArgs),
    /// Drop the `_instant_migrations` table (the tables stay).
    #[command(name = "db:forget")]
    DbForget(DatabaseArgs),
    /// List the server's extensions, or show, enable or disable one.
    #[command(name = "db:ext", group(ArgGroup::new("action").args(["enable", "disable"])))]
    DbExt {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The extension (`vector` for pgvector); all of them are listed without it.
        name: Option<String>,
        /// Install it in the database.
        #[arg(long)]
        enable: bool,
        /// Drop it from the database (fails while something uses it).
        #[arg(long)]
        disable: bool,
    },
    /// Write the migrations only the database has to `_instant/migrations`.
    #[command(name = "fs:fastForward")]
    FsFastForward(DatabaseArgs),
    /// Delete the last migration file (or N of them).
    #[command(name = "fs:rewind")]
    FsRewind {
        #[command(flatten)]
        db: DatabaseArgs,
        /// How many files to delete (default 1).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        steps: Option<u32>,
    },
    /// Delete migration files back to the last migration the database also has.
    #[command(name = "fs:rewindSync")]
    FsRewindSync(DatabaseArgs),
    /// Open psql on the project's database (arguments after `--` go to psql).
    Sql {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(last = true, value_name = "PSQL_ARGS")]
        psql_args: Vec<String>,
    },
}

fn main() -> ExitCode {
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
        Command::Sql { db, psql_args } => commands::sql::run(&db, &psql_args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
