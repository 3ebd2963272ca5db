//! A whole `_instant/` folder read from disk.
//!
//! instant.dev reads every file in `migrations/` in name order and only checks that ids
//! increase. We also check each file name against its content (`{id:014}__{name}.json`), so a
//! renamed or copied file is caught before it reorders history.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::json_path::JsonPath;
use crate::migration::Migration;
use crate::replay::apply_in_place;
use crate::schema::Schema;

/// An `_instant/` folder: its migrations in id order and the cached schema, if any.
#[derive(Debug, Clone)]
pub struct Project {
    /// The `_instant/` folder itself.
    pub dir: PathBuf,
    /// Each migration with the file it came from, in id order.
    pub migrations: Vec<(PathBuf, Migration)>,
    /// `_instant/cache/schema.json`, when present.
    pub cached_schema: Option<Schema>,
}

impl Project {
    /// Reads the `_instant/` folder inside `project_dir` (or `project_dir` itself when it is
    /// named `_instant`): every migration file, checked and parsed, and `cache/schema.json`.
    pub fn load(project_dir: impl AsRef<Path>) -> Result<Project> {
        let dir = Self::find_dir(project_dir.as_ref())?;
        let migrations = read_migrations(&dir.join("migrations"))?;
        let schema_path = dir.join("cache").join("schema.json");
        let cached_schema = if schema_path.is_file() {
            let value = read_json(&schema_path)?;
            Some(Schema::from_json(&value).map_err(|error| error.in_file(&schema_path))?)
        } else {
            None
        };
        Ok(Project {
            dir,
            migrations,
            cached_schema,
        })
    }

    /// The `_instant/` folder for `project_dir`: `project_dir/_instant`, or `project_dir`
    /// itself when it is named `_instant`.
    pub fn find_dir(project_dir: &Path) -> Result<PathBuf> {
        let dir = if project_dir
            .file_name()
            .is_some_and(|name| name == "_instant")
        {
            project_dir.to_path_buf()
        } else {
            project_dir.join("_instant")
        };
        if dir.is_dir() {
            Ok(dir)
        } else {
            Err(Error::Invalid {
                file: Some(dir),
                at: JsonPath::root(),
                message: "no `_instant` folder: expected an instant.dev project (a folder holding `_instant/migrations/`)".to_string(),
            })
        }
    }

    /// `_instant/migrations`.
    pub fn migrations_dir(&self) -> PathBuf {
        self.dir.join("migrations")
    }

    /// `_instant/cache/schema.json`, where instant.dev caches the current schema.
    pub fn schema_path(&self) -> PathBuf {
        self.dir.join("cache").join("schema.json")
    }

    /// The project's schema: the migrations replayed, or the cached `schema.json` when there
    /// are no migrations (an empty schema when there is neither).
    pub fn schema(&self) -> Result<Schema> {
        if self.migrations.is_empty() {
            return Ok(self.cached_schema.clone().unwrap_or_else(Schema::empty));
        }
        let mut schema = Schema::empty();
        for (path, migration) in &self.migrations {
            apply_in_place(&mut schema, migration).map_err(|error| error.in_file(path))?;
        }
        Ok(schema)
    }

    /// The migrations alone, in id order.
    pub fn migration_list(&self) -> Vec<Migration> {
        self.migrations.iter().map(|(_, m)| m.clone()).collect()
    }
}

/// Every `*.json` file of `dir` in name order (hidden files skipped), parsed, with its name
/// checked against its content and ids strictly increasing. A missing folder has none.
fn read_migrations(dir: &Path) -> Result<Vec<(PathBuf, Migration)>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::io(dir, source))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::io(dir, source))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        paths.push(entry.path());
    }
    paths.sort();

    let mut migrations: Vec<(PathBuf, Migration)> = Vec::new();
    for path in paths {
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !file_name.ends_with(".json") || !path.is_file() {
            return Err(in_file(
                &path,
                "expected only migration files named `{id:014}__{name}.json` in `_instant/migrations/`",
            ));
        }
        let value = read_json(&path)?;
        let migration = Migration::from_json(&value).map_err(|error| error.in_file(&path))?;
        let expected = migration.filename();
        if file_name != expected {
            return Err(in_file(
                &path,
                format!(
                    "the file name does not match the migration's id {} and name {:?}: expected `{expected}`",
                    migration.id, migration.name
                ),
            ));
        }
        if let Some((previous_path, previous)) = migrations.last()
            && previous.id >= migration.id
        {
            let previous_name = previous_path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            return Err(in_file(
                &path,
                format!(
                    "Filesystem migrations out of order: (id={}) located after (id={}) in `{previous_name}`; ids must strictly increase in file-name order",
                    migration.id, previous.id
                ),
            ));
        }
        migrations.push((path, migration));
    }
    Ok(migrations)
}

fn read_json(path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::io(path, source))?;
    serde_json::from_str(&text).map_err(|error| Error::json(path, &error))
}

fn in_file(path: &Path, message: impl Into<String>) -> Error {
    Error::Invalid {
        file: Some(path.to_path_buf()),
        at: JsonPath::root(),
        message: message.into(),
    }
}
