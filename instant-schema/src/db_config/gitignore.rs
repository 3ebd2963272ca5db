//! Keeping credentials out of git: writing `db.json` makes sure the project's `.gitignore`
//! lists it (and the cached schema), as instant.dev does.
//!
//! instant.dev rewrites the whole `.gitignore` with blank lines and indentation stripped; we
//! only append, so the user's file is otherwise left byte for byte.

use std::path::Path;

use crate::error::{Error, Result};

/// The paths, relative to the project, that instant.dev adds to `.gitignore`.
pub(crate) const IGNORED: [&str; 2] = ["_instant/db.json", "_instant/cache/schema.json"];

/// Appends to `project_dir/.gitignore` (creating it if needed) each of `paths` it does not list
/// yet.
pub(crate) fn ensure_ignored(project_dir: &Path, paths: &[&str]) -> Result<()> {
    let gitignore = project_dir.join(".gitignore");
    let text = match std::fs::read_to_string(&gitignore) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(Error::io(&gitignore, error)),
    };
    match with_paths(&text, paths) {
        Some(updated) => std::fs::write(&gitignore, updated).map_err(|e| Error::io(&gitignore, e)),
        None => Ok(()),
    }
}

/// `text` with a line for each of `paths` it does not list, or `None` when it lists them all.
/// A path counts as listed when a line is exactly it, or it anchored with a leading `/`.
fn with_paths(text: &str, paths: &[&str]) -> Option<String> {
    let listed = |path: &str| {
        text.lines()
            .map(str::trim)
            .any(|line| line == path || line.strip_prefix('/') == Some(path))
    };
    let missing: Vec<&str> = paths.iter().copied().filter(|path| !listed(path)).collect();
    if missing.is_empty() {
        return None;
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut updated = text.to_string();
    if !updated.is_empty() && !updated.ends_with('\n') {
        updated.push_str(newline);
    }
    for path in missing {
        updated.push_str(path);
        updated.push_str(newline);
    }
    Some(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_only_what_is_missing() {
        assert_eq!(
            with_paths("", &IGNORED).as_deref(),
            Some("_instant/db.json\n_instant/cache/schema.json\n")
        );
        assert_eq!(
            with_paths("node_modules\n\n  /_instant/db.json", &IGNORED).as_deref(),
            Some("node_modules\n\n  /_instant/db.json\n_instant/cache/schema.json\n")
        );
        assert_eq!(
            with_paths("target\r\n", &["_instant/db.json"]).as_deref(),
            Some("target\r\n_instant/db.json\r\n")
        );
        assert_eq!(
            with_paths("_instant/cache/schema.json\n_instant/db.json\n", &IGNORED),
            None
        );
    }
}
