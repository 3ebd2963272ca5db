//! The command line, as clap reads it: every command and its arguments.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand};

use crate::commands;

/// Schema, code generation and migrations for instant.dev projects, in Rust.
#[derive(Debug, Parser)]
#[command(name = "instant", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the project is: the directory holding `_instant/`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ProjectDir {
    /// The project directory (the one that holds `_instant/`); defaults to the current one.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// Which database to talk to.
#[derive(Debug, Clone, Args)]
pub(crate) struct DatabaseArgs {
    #[command(flatten)]
    pub project: ProjectDir,
    /// The environment in `_instant/db.json` (default: $INSTANT_ENV, else $NODE_ENV, else
    /// `development`).
    /// `DATABASE_URL`, when set, overrides `db.json`.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
}

/// Which database to talk to, by its name in `_instant/db.json`.
#[derive(Debug, Clone, Args)]
pub(crate) struct NamedDatabaseArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The database's name in `_instant/db.json`: `readonly` is instant.dev's replica slot,
    /// on which writes are refused. `DATABASE_URL_<NAME>` (e.g. `DATABASE_URL_READONLY`)
    /// overrides db.json for it, as `DATABASE_URL` does for `main`.
    #[arg(long = "db", value_name = "NAME", default_value = "main")]
    pub name: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
    /// Run a nested JSON query (InstantDB's shape, instant.dev's where-objects) and print the
    /// rows as JSON; `--explain` prints the SQL instead.
    Query(commands::query::QueryArgs),
    /// Insert rows given in seed.json's format, all in one transaction, and print their ids.
    Seed(commands::seed::SeedArgs),
    /// Open psql on the project's database (arguments after `--` go to psql).
    Sql {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(last = true, value_name = "PSQL_ARGS")]
        psql_args: Vec<String>,
    },
}
