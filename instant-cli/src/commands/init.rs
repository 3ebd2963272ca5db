//! `instant init [--force] [--yes]`: makes a folder an instant.dev project. It writes
//! `_instant/migrations/00000000000001__initial_migration.json` (an empty schema), `db.json`
//! for `development` and `test` with `{{ MAIN_DATABASE_* }}` placeholders (and the
//! `.gitignore` lines that keep it out of git), `seed.json` (`[{}]`) and the schema cache.
//!
//! instant.dev's `init` also prompts for credentials, creates the databases and records the
//! initial migration in them; here the database is left alone (`db:bootstrap` or
//! `db:prepare` + `db:migrate` do that), so `init` runs anywhere, offline.

use std::path::{Path, PathBuf};

use clap::Args;
use instant_runtime::migrate::{lifecycle, write_cache};
use instant_schema::Schema;
use instant_schema::db_config::{DEFAULT_DATABASE, DbConfigWriter};
use instant_schema::generate::{initial_migration, initial_migration_text};
use instant_schema::seed::Seed;
use serde_json::json;

use super::confirm::confirm;
use super::one_line;
use crate::ProjectDir;
use crate::terminal::outln;

/// `init`'s arguments.
#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub project: ProjectDir,
    /// Start an existing `_instant/` over: its migrations and schema cache are deleted
    /// (db.json, seed.json, models and plugins are kept).
    #[arg(long)]
    pub force: bool,
    /// Do not ask before deleting migrations with --force (required when stdin is not a
    /// terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// The environments `init` configures, as instant.dev's `init` does.
const ENVIRONMENTS: [&str; 2] = ["development", "test"];

pub fn run(args: &InitArgs) -> Result<(), String> {
    let instant_dir = lifecycle::instant_dir(&args.project.dir);
    let root = instant_dir
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let shown = |path: &Path| {
        path.strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let migrations_dir = instant_dir.join("migrations");
    if instant_dir.exists() {
        if !args.force {
            return Err(format!(
                "{} already exists: pass --force to start its migrations over (db.json and seed.json are kept)",
                instant_dir.display()
            ));
        }
        let count = migration_count(&migrations_dir)?;
        if count > 0 {
            confirm(
                &format!(
                    "init --force deletes the {count} migration file(s) in {}",
                    migrations_dir.display()
                ),
                args.yes,
            )?;
        }
        remove(&migrations_dir)?;
        remove(&instant_dir.join("cache"))?;
    }

    let migration = initial_migration(&Schema::empty());
    std::fs::create_dir_all(&migrations_dir)
        .map_err(|error| format!("{}: {error}", migrations_dir.display()))?;
    let path = migrations_dir.join(migration.filename());
    std::fs::write(&path, initial_migration_text(&migration))
        .map_err(|error| format!("{}: {error}", path.display()))?;
    outln!("wrote {}", shown(&path));

    let mut schema = Schema::empty();
    schema.migration_id = Some(migration.id);
    write_cache(&instant_dir, &schema).map_err(one_line)?;

    let db_config = DbConfigWriter::new(&root);
    if db_config.exists() {
        outln!("kept {}", shown(&db_config.path()));
    } else {
        for env in ENVIRONMENTS {
            db_config
                .write(env, DEFAULT_DATABASE, placeholders())
                .map_err(one_line)?;
        }
        outln!(
            "wrote {} ({}: {{{{ MAIN_DATABASE_* }}}} placeholders)",
            shown(&db_config.path()),
            ENVIRONMENTS.join(", ")
        );
    }

    let seed = instant_dir.join("seed.json");
    if seed.exists() {
        outln!("kept {}", shown(&seed));
    } else {
        std::fs::write(&seed, Seed::default_content())
            .map_err(|error| format!("{}: {error}", seed.display()))?;
        outln!("wrote {}", shown(&seed));
    }

    outln!(
        "Next: set MAIN_DATABASE_HOST, MAIN_DATABASE_PORT, MAIN_DATABASE_USER, \
         MAIN_DATABASE_PASSWORD and MAIN_DATABASE_DATABASE (or DATABASE_URL), then run \
         `instant db:bootstrap` for a new database, and `instant g:model` to add tables."
    );
    Ok(())
}

/// A database entry whose every value comes from the environment, named as instant.dev's
/// `init` names them.
fn placeholders() -> serde_json::Value {
    json!({
        "host": "{{ MAIN_DATABASE_HOST }}",
        "port": "{{ MAIN_DATABASE_PORT }}",
        "user": "{{ MAIN_DATABASE_USER }}",
        "password": "{{ MAIN_DATABASE_PASSWORD }}",
        "database": "{{ MAIN_DATABASE_DATABASE }}",
    })
}

fn migration_count(dir: &Path) -> Result<usize, String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => Ok(entries.filter_map(Result::ok).count()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(error) => Err(format!("{}: {error}", dir.display())),
    }
}

fn remove(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(format!("{}: {error}", dir.display())),
    }
}
