//! The generators, `g:model`, `g:migration` and `g:relationship`: each reads the folder's
//! migrations (those not applied yet included, so generated migrations stack before
//! `db:migrate`), builds one migration with `instant_schema::generate`, and writes it with the
//! next id. Nothing is migrated: the database is not even opened.
//!
//! Every answer instant.dev prompts for is an argument or a flag, and every check runs before
//! the first file is written, so a bad argument leaves the project as it was.

pub mod migration;
pub mod model;
pub mod model_file;
pub mod relationship;

use std::path::{Path, PathBuf};

use instant_runtime::migrate::filesystem;
use instant_schema::{Migration, Project, Schema};

use crate::terminal::outln;

/// A project opened for generating: its folder, its migrations and the schema they give.
pub struct Target {
    /// The project's root: the folder holding `_instant/`, `Cargo.toml` and `src/`.
    pub root: PathBuf,
    pub project: Project,
    pub schema: Schema,
}

impl Target {
    /// Opens the project in `dir` (its root, or its `_instant/` folder).
    pub fn open(dir: &Path) -> Result<Target, String> {
        let project = Project::load(dir)
            .map_err(|error| format!("{error}; run `instant init` to create one"))?;
        let schema = project.schema().map_err(|error| error.to_string())?;
        let root = project
            .dir
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(Target {
            root,
            project,
            schema,
        })
    }

    /// The id for the next migration: now, or after the folder's last one.
    pub fn next_id(&self) -> i64 {
        instant_schema::generate::next_id(&self.project.migration_list())
    }

    /// Writes `migration` to `_instant/migrations/` and says so.
    pub fn write_migration(&self, migration: &Migration) -> Result<PathBuf, String> {
        let path = filesystem::write(&self.project, migration).map_err(super::one_line)?;
        outln!("wrote {}", self.shown(&path));
        Ok(path)
    }

    /// `path` relative to the project root, as the user thinks of it.
    pub fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// What to run after generating: instant.dev prints the migration state and this advice.
pub fn suggest_migrate() {
    outln!("Run `instant db:migrate` to apply it.");
}
