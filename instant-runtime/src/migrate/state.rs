//! Where the `_instant/migrations` folder and the database's `_instant_migrations` stand
//! relative to each other (instant.dev's `getMigrationState` and `getTextDiffs`).
//!
//! The two lists are merged by id: a migration in both places matches when its JSON is the
//! same (both sides parsed and normalized, so key order and `1` vs `1.0` do not count). The
//! first migration that is missing from the folder or differs decides the state; before it,
//! the folder may only run ahead of the database.

use std::fmt;

use instant_pg::Client;
use instant_schema::{Migration, Project};
use serde_json::Value;

use super::history::{self, HistoryRow};
use crate::error::{Error, Result};

/// The five states of instant.dev's state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every migration is in both places, unchanged.
    Synced,
    /// The folder has migrations the database has not applied yet (`db:migrate` applies them).
    FilesystemAhead,
    /// The database has applied migrations the folder lacks, after every file it has
    /// (`fs:fastForward` writes them, `db:rollbackSync` undoes them).
    DatabaseAhead,
    /// A migration only the database has is followed by others.
    Unsynced,
    /// A migration in both places differs.
    Mismatch,
}

impl Status {
    /// instant.dev's name for the state (`filesystem_ahead`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Synced => "synced",
            Status::FilesystemAhead => "filesystem_ahead",
            Status::DatabaseAhead => "database_ahead",
            Status::Unsynced => "unsynced",
            Status::Mismatch => "mismatch",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One migration of the merged list.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffEntry {
    pub id: i64,
    pub name: String,
    /// The migration: the file's when it has one, else the database's.
    pub json: Value,
    /// In `_instant/migrations`.
    pub filesystem: bool,
    /// In `_instant_migrations`.
    pub database: bool,
    /// In both, but different.
    pub mismatch: bool,
}

impl DiffEntry {
    /// The migration's file name (`00000000000100__create_posts.json`).
    pub fn filename(&self) -> String {
        filename(self.id, &self.name)
    }

    /// The two-character prefix of its line in the text diff: `? `, two spaces, `+ ` or `- `.
    pub fn prefix(&self) -> &'static str {
        if self.mismatch {
            "? "
        } else if self.filesystem && self.database {
            "  "
        } else if self.filesystem {
            "+ "
        } else {
            "- "
        }
    }
}

/// What [`state`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationState {
    pub status: Status,
    /// The last migration stored in both places before anything goes wrong; `None` when there
    /// is none (instant.dev's `-1`).
    pub last_migration_id: Option<i64>,
    /// The first migration that is out of place: the first pending one when the folder is
    /// ahead, the first mismatched or database-only one otherwise; `None` when synced.
    pub mismatch_migration_id: Option<i64>,
    /// The folder's pending migrations (filesystem_ahead only).
    pub pending: Vec<Migration>,
    /// The migrations from the first problem on (mismatch, database_ahead, unsynced), as
    /// JSON: the database's copy for database-only ones.
    pub database_migrations: Vec<Value>,
    /// The merged list, in id order.
    pub diffs: Vec<DiffEntry>,
}

impl MigrationState {
    /// instant.dev's text diff: one `<prefix><filename>` line per migration.
    pub fn text_diff(&self) -> String {
        text_diff(&self.diffs)
    }

    /// ` (id=N).` or `.`: how instant.dev ends a sentence that may name the last common id.
    pub(crate) fn last_id_suffix(&self) -> String {
        match self.last_migration_id {
            Some(id) => format!(" (id={id})."),
            None => ".".to_string(),
        }
    }

    /// The mismatched, database-ahead or unsynced state as instant.dev's `migrate` reports it.
    pub(crate) fn migrate_error(&self) -> Option<Error> {
        let id = self.mismatch_migration_id.unwrap_or(-1);
        let advice = format!(
            "Before migrating, please first run rollbackSync to rollback database state to last \
             matching filesystem state{}",
            self.last_id_suffix()
        );
        let message = match self.status {
            Status::Mismatch => format!(
                "\"mismatch\"\nMigration (id={id}) stored in database does not match filesystem \
                 migration.\n{advice}"
            ),
            Status::DatabaseAhead => format!(
                "\"database_ahead\"\nMigration (id={id}) stored in database does not exist in \
                 filesystem migrations.\n{advice}\nAlternatively, you can filesystem.fastForward \
                 to pull the database state to the filesystem state."
            ),
            Status::Unsynced => format!(
                "\"unsynced\"\nOne or more migrations stored in database are out of sync with \
                 filesystem migrations.\n{advice}"
            ),
            Status::FilesystemAhead => {
                // instant.dev would apply everything after the first pending file, including
                // migrations the database already has; we refuse a pending file that is older
                // than an applied one.
                let first = self
                    .diffs
                    .iter()
                    .position(|d| d.filesystem && !d.database)?;
                let later = self.diffs[first..].iter().find(|d| d.database)?;
                // The database's newest migration, not `last_migration_id` (the last one
                // before the first gap, which is older than `later`).
                let last_applied = self.diffs.iter().rev().find(|d| d.database)?;
                format!(
                    "\"filesystem_ahead\"\nMigration (id={}) was never applied, but the \
                     database already has the later migration (id={}).\nGive it an id after \
                     the last applied migration (id={}).",
                    self.diffs[first].id, later.id, last_applied.id
                )
            }
            Status::Synced => return None,
        };
        Some(Error::OutOfSync { message })
    }
}

/// The text diff of `diffs`, lines joined by `\n`.
pub fn text_diff(diffs: &[DiffEntry]) -> String {
    diffs
        .iter()
        .map(|diff| format!("{}{}", diff.prefix(), diff.filename()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The state of `project` against the database. Fails when `_instant/migrations` or
/// `_instant_migrations` is missing.
pub fn state(client: &mut Client, project: &Project) -> Result<MigrationState> {
    if !project.migrations_dir().is_dir() {
        return Err(Error::lifecycle(format!(
            "Could not get filesystem migrations: filesystem migrations not initialized (no \
             \"{}\"); run `instant db:migrate` after creating it, or initialize the project",
            project.migrations_dir().display()
        )));
    }
    let rows = database_rows(client)?;
    Ok(compare(&project.migration_list(), &rows))
}

/// Every row of `_instant_migrations`, by id; instant.dev's message when the table is missing.
pub fn database_rows(client: &mut Client) -> Result<Vec<HistoryRow>> {
    if !history::exists(client)? {
        return Err(Error::lifecycle(format!(
            "Could not get database migrations: relation \"{}\" does not exist. Your database \
             does not yet have migrations enabled; run `instant db:prepare` (or db:bootstrap)",
            history::TABLE
        )));
    }
    history::rows(client)
}

/// The database's copy of a migration, parsed; a row that does not parse is named by its id.
pub fn parse_row(row: &HistoryRow) -> Result<Migration> {
    let commands = row.commands.as_ref().ok_or_else(|| {
        Error::lifecycle(format!(
            "\"{}\" row (id={}) has no commands",
            history::TABLE,
            row.id
        ))
    })?;
    Migration::from_json(commands).map_err(|error| {
        Error::lifecycle(format!(
            "\"{}\" row (id={}) holds an invalid migration: {error}",
            history::TABLE,
            row.id
        ))
    })
}

/// The state of the folder's migrations `filesystem` against the database's `rows` (pure).
pub fn compare(filesystem: &[Migration], rows: &[HistoryRow]) -> MigrationState {
    let diffs = merge(filesystem, rows);
    let problem = diffs
        .iter()
        .position(|diff| !diff.filesystem || diff.mismatch);
    let before = &diffs[..problem.unwrap_or(diffs.len())];
    // The last migration stored in both places before the first one only the folder has.
    let stored = match before.iter().position(|d| d.filesystem && !d.database) {
        Some(0) => None,
        Some(unstored) => before.get(unstored - 1),
        None => before.last(),
    };
    let last_migration_id = stored.map(|diff| diff.id);
    let mut state = MigrationState {
        status: Status::Synced,
        last_migration_id,
        mismatch_migration_id: None,
        pending: Vec::new(),
        database_migrations: Vec::new(),
        diffs: Vec::new(),
    };
    if let Some(index) = problem {
        let end = &diffs[index..];
        state.mismatch_migration_id = Some(diffs[index].id);
        state.database_migrations = end.iter().map(|diff| diff.json.clone()).collect();
        state.status = if diffs[index].mismatch {
            Status::Mismatch
        } else if end
            .iter()
            .all(|d| !d.filesystem && d.database && !d.mismatch)
        {
            Status::DatabaseAhead
        } else {
            Status::Unsynced
        };
    } else if filesystem.last().map(|m| m.id) != last_migration_id {
        // Empty folder and empty database: synced (instant.dev would fail on the empty list).
        let pending: Vec<Migration> = filesystem
            .iter()
            .filter(|m| diffs.iter().any(|d| d.id == m.id && !d.database))
            .cloned()
            .collect();
        state.status = Status::FilesystemAhead;
        state.mismatch_migration_id = pending.first().map(|m| m.id);
        state.pending = pending;
    }
    state.diffs = diffs;
    state
}

/// The folder's migrations and the database's merged by id (database-only ones inserted before
/// the first file with a greater id).
fn merge(filesystem: &[Migration], rows: &[HistoryRow]) -> Vec<DiffEntry> {
    let mut diffs: Vec<DiffEntry> = filesystem
        .iter()
        .map(|migration| DiffEntry {
            id: migration.id,
            name: migration.name.clone(),
            json: migration.to_json(),
            filesystem: true,
            database: false,
            mismatch: false,
        })
        .collect();
    for row in rows {
        if let Some(diff) = diffs.iter_mut().find(|d| d.id == row.id && d.filesystem) {
            diff.database = true;
            diff.mismatch = normalized(row) != Some(diff.json.clone());
            continue;
        }
        let json = row.commands.clone().unwrap_or(Value::Null);
        let name = row.name.clone().unwrap_or_else(|| {
            json.get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        });
        let entry = DiffEntry {
            id: row.id,
            name,
            json,
            filesystem: false,
            database: true,
            mismatch: false,
        };
        match diffs.iter().position(|d| d.id > row.id) {
            Some(next) => diffs.insert(next, entry),
            None => diffs.push(entry),
        }
    }
    diffs
}

/// A row's migration JSON as our own parser normalizes it (`None` when it does not parse).
fn normalized(row: &HistoryRow) -> Option<Value> {
    parse_row(row).ok().map(|migration| migration.to_json())
}

/// instant.dev's `Migration.generateFilename`.
pub fn filename(id: i64, name: &str) -> String {
    if name.is_empty() {
        format!("{id:014}.json")
    } else {
        format!("{id:014}__{name}.json")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn migration(id: i64, name: &str, table: &str) -> Migration {
        Migration::from_json(&json!({"id": id, "name": name,
            "up": [["createTable", table, [{"name": "title", "type": "string"}]]],
            "down": [["dropTable", table]]}))
        .unwrap()
    }

    fn row(migration: &Migration) -> HistoryRow {
        HistoryRow {
            id: migration.id,
            name: Some(migration.name.clone()),
            commands: Some(migration.to_json()),
            schema: None,
        }
    }

    fn abc() -> [Migration; 3] {
        [
            migration(100, "create_blog_posts", "blog_posts"),
            migration(200, "create_users", "users"),
            migration(300, "create_uploads", "uploads"),
        ]
    }

    #[test]
    fn each_state_with_instant_dev_ids() {
        let [a, b, c] = abc();
        let all = [row(&a), row(&b), row(&c)];

        let synced = compare(&[a.clone(), b.clone(), c.clone()], &all);
        assert_eq!(synced.status, Status::Synced);
        assert_eq!(synced.last_migration_id, Some(300));

        let ahead = compare(&[a.clone(), b.clone(), c.clone()], &all[..1]);
        assert_eq!(ahead.status, Status::FilesystemAhead);
        assert_eq!(
            (ahead.last_migration_id, ahead.mismatch_migration_id),
            (Some(100), Some(200))
        );
        assert_eq!(ahead.pending.len(), 2);
        assert_eq!(
            ahead.text_diff(),
            "  00000000000100__create_blog_posts.json\n+ 00000000000200__create_users.json\n\
             + 00000000000300__create_uploads.json"
        );

        let db_ahead = compare(std::slice::from_ref(&a), &all[..2]);
        assert_eq!(db_ahead.status, Status::DatabaseAhead);
        assert_eq!(
            (db_ahead.last_migration_id, db_ahead.mismatch_migration_id),
            (Some(100), Some(200))
        );

        let unsynced = compare(&[a.clone(), c.clone()], &all);
        assert_eq!(unsynced.status, Status::Unsynced);
        assert_eq!(unsynced.last_migration_id, Some(100));
        assert_eq!(
            unsynced.text_diff(),
            [
                "  00000000000100__create_blog_posts.json",
                "- 00000000000200__create_users.json",
                "  00000000000300__create_uploads.json"
            ]
            .join("\n")
        );

        let edited = migration(100, "create_blog_posts", "posts");
        let mismatch = compare(&[edited, b.clone()], &all[..2]);
        assert_eq!(mismatch.status, Status::Mismatch);
        assert_eq!(
            (mismatch.last_migration_id, mismatch.mismatch_migration_id),
            (None, Some(100))
        );
        assert!(mismatch.text_diff().starts_with("? 00000000000100"));

        // A file slipped in before applied ones: the error names the database's newest.
        let late = migration(150, "late", "late");
        let slipped = compare(&[a.clone(), late, b.clone(), c.clone()], &all);
        assert_eq!(slipped.status, Status::FilesystemAhead);
        assert_eq!(
            slipped.migrate_error().map(|error| error.to_string()),
            Some(
                "\"filesystem_ahead\"\nMigration (id=150) was never applied, but the database \
                 already has the later migration (id=200).\nGive it an id after the last applied \
                 migration (id=300)."
                    .to_string()
            )
        );

        let empty = compare(&[], &[]);
        assert_eq!(empty.status, Status::Synced);
        assert_eq!(empty.text_diff(), "");
    }
}
