//! A whole `_instant/` folder read from disk.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::json_path::JsonPath;
use crate::migration::Migration;
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
    /// named `_instant`).
    pub fn load(project_dir: impl AsRef<Path>) -> Result<Project> {
        let _ = project_dir;
        Err(Error::invalid(&JsonPath::root(), "project: in progress"))
    }
}
