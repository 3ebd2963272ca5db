//! Writing `_instant/db.json`: instant.dev's `ConfigManager.write`, `exists` and `destroy`.
//!
//! Each entry is validated before anything touches the disk, with its `{{ NAME }}`
//! placeholders left in place, so a rejected entry leaves no file, folder or `.gitignore`
//! line behind. The file is replaced in one rename, so a crash never leaves half a file.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::gitignore::{IGNORED, ensure_ignored};
use super::validate::check_written;
use super::{DbConfigFile, not_a_database_map};
use crate::error::{Error, Result};
use crate::json_path::JsonPath;

/// The `_instant/db.json` of one project on disk, for commands that create or remove it
/// (`instant init`, `instant db:add`): instant.dev's `Instant.Config`.
///
/// ```
/// use instant_schema::db_config::DbConfigWriter;
/// use serde_json::json;
///
/// let project = tempfile::tempdir()?;
/// let writer = DbConfigWriter::new(project.path());
/// writer.write(
///     "development",
///     "main",
///     json!({"host": "localhost", "port": "{{ DB_PORT }}", "user": "postgres",
///            "password": "{{ DB_PASSWORD }}", "database": "app"}),
/// )?;
/// assert!(writer.exists());
///
/// let vars = |name: &str| match name {
///     "DB_PORT" => Some("5433".to_string()),
///     "DB_PASSWORD" => Some("s3cret".to_string()),
///     _ => None,
/// };
/// let config = writer.load()?.read("development", "main", vars)?;
/// assert_eq!(config.port, 5433);
///
/// // The credentials stay out of git.
/// let gitignore = std::fs::read_to_string(project.path().join(".gitignore"))?;
/// assert_eq!(gitignore, "_instant/db.json\n_instant/cache/schema.json\n");
///
/// writer.destroy()?;
/// assert!(!writer.exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbConfigWriter {
    project_dir: PathBuf,
}

impl DbConfigWriter {
    /// The writer for the project in `project_dir`: the folder that holds (or will hold)
    /// `_instant/` and `.gitignore`.
    pub fn new(project_dir: impl Into<PathBuf>) -> Self {
        DbConfigWriter {
            project_dir: project_dir.into(),
        }
    }

    /// `_instant/db.json` of the project.
    pub fn path(&self) -> PathBuf {
        self.project_dir.join("_instant").join("db.json")
    }

    /// Whether the project has a `db.json` yet.
    pub fn exists(&self) -> bool {
        self.path().exists()
    }

    /// Reads the project's `db.json`; an error when there is none.
    pub fn load(&self) -> Result<DbConfigFile> {
        DbConfigFile::load(self.path())
    }

    /// Sets the database `name` of `env` to `entry` and saves the file: instant.dev's
    /// `Config.write(env, name, cfg)`. The entry is validated first, placeholders allowed (see
    /// [`DbConfigFile::insert`]); other environments and databases keep their values and
    /// order. Creates `_instant/` and `db.json` when missing, and lists `_instant/db.json` and
    /// `_instant/cache/schema.json` in the project's `.gitignore` before any credentials are
    /// written.
    pub fn write(&self, env: &str, name: &str, entry: Value) -> Result<()> {
        let path = self.path();
        let mut file = if path.exists() {
            self.load()?
        } else {
            DbConfigFile::new(&path)
        };
        file.insert(env, name, entry)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        ensure_ignored(&self.project_dir, &IGNORED)?;
        replace_file(&path, &file.to_json_string())
    }

    /// Removes `db.json` if there is one: instant.dev's `Config.destroy()`. The `_instant/`
    /// folder and `.gitignore` are left as they are.
    pub fn destroy(&self) -> Result<()> {
        let path = self.path();
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(Error::io(&path, error)),
        }
    }
}

impl DbConfigFile {
    /// A `db.json` with no environments, to be saved at `path`.
    pub fn new(path: impl AsRef<Path>) -> Self {
        DbConfigFile {
            path: path.as_ref().to_path_buf(),
            environments: Map::new(),
        }
    }

    /// Validates `entry` and sets it as the database `name` of `env`, keeping every other
    /// entry, the order of environments and databases, and the position of an entry being
    /// replaced.
    ///
    /// The entry is checked with the rules [`DbConfigFile::read`] applies, before its
    /// `{{ NAME }}` placeholders are resolved: a placeholder passes wherever its variable's
    /// value could (`host`, `password`, `port`, `connectionString`, …) and fails where no
    /// string may stand (`ssl`, `in_vpc`).
    ///
    /// ```
    /// use instant_schema::db_config::DbConfigFile;
    /// use serde_json::json;
    ///
    /// let mut file = DbConfigFile::new("_instant/db.json");
    /// file.insert("production", "main", json!({"connectionString": "{{ DATABASE_URL }}"}))?;
    /// assert_eq!(
    ///     file.to_json_string(),
    ///     "{\n  \"production\": {\n    \"main\": {\n      \"connectionString\": \"{{ DATABASE_URL }}\"\n    }\n  }\n}\n"
    /// );
    ///
    /// let error = file.insert("test", "main", json!({"host": "localhost"})).unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "_instant/db.json at test.main.port: \"port\" must be a number between 1 and 65535, but it is missing"
    /// );
    /// # Ok::<(), instant_schema::Error>(())
    /// ```
    pub fn insert(&mut self, env: &str, name: &str, entry: Value) -> Result<()> {
        let root = JsonPath::root();
        if env.is_empty() || name.is_empty() {
            return Err(Error::invalid(
                &root,
                format!(
                    "env and name must be valid strings: expected a non-empty environment and \
                     database name, found {env:?} and {name:?}"
                ),
            )
            .in_file(&self.path));
        }
        let env_at = root.key(env);
        check_written(&entry, &env_at.key(name)).map_err(|e| e.in_file(&self.path))?;
        let databases = self
            .environments
            .entry(env)
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(databases) = databases else {
            return Err(not_a_database_map(&env_at, databases).in_file(&self.path));
        };
        databases.insert(name.to_string(), entry);
        Ok(())
    }

    /// The file as written: pretty JSON with 2-space indentation, as instant.dev writes it,
    /// and a final newline.
    pub fn to_json_string(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.environments)
            .expect("a JSON object with string keys always serializes");
        text.push('\n');
        text
    }
}

/// Writes `text` to a sibling temporary file, then renames it over `path`.
fn replace_file(path: &Path, text: &str) -> Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(path, error)
    })
}
