//! The migration lifecycle: applying `_instant/migrations` to a database, rolling back, and
//! keeping the folder and the database's `_instant_migrations` history in step
//! (instant.dev's `Migrator.Dangerous`).
//!
//! Each migration runs in one transaction together with its `_instant_migrations` row, and each
//! rollback step in one transaction with the `DELETE` of its row, so a migration is either
//! fully applied and recorded or not there at all. The schema stored with each row is the
//! schema after that migration, computed by replaying the commands with `instant_schema`,
//! exactly as instant.dev stores it. Operations that change the database hold an advisory lock
//! ([`lock`]), so concurrent `db:migrate` runs apply each migration once.
//!
//! - [`state`](mod@state): where the folder and the database stand (`synced`,
//!   `filesystem_ahead`, …).
//! - [`lifecycle`]: migrate, rollback, prepare, annihilate, forget, initialize, bootstrap.
//! - [`filesystem`]: fast-forward and rewind the folder.
//! - [`introspect`]: the schema a database really has.
//! - [`extensions`]: PostgreSQL extensions (pgvector).
//! - [`schema_access`]: the owner and grants `public` keeps across bootstrap.

pub mod ddl;
pub mod extensions;
pub mod filesystem;
pub mod history;
pub mod introspect;
pub mod lifecycle;
pub mod lock;
pub mod params;
pub mod schema_access;
pub mod state;

use std::path::Path;

use instant_pg::{Client, Transaction};
use instant_schema::json_path::JsonPath;
use instant_schema::{Command, Migration, Project, Schema, replay};

use crate::error::{Error, Result};
use ddl::Statement;
use params::TextParam;

pub use lifecycle::{
    annihilate, bootstrap, forget, initialize, migrate_steps, prepare, rollback, rollback_sync,
    rollback_to,
};
pub use state::{MigrationState, Status, state};

/// What a migrate run did.
#[derive(Debug, Clone, PartialEq)]
pub struct Migrated {
    /// The ids of the migrations applied, in order (empty when the database was up to date).
    pub applied: Vec<i64>,
    /// The schema after the last migration (the database's current schema).
    pub schema: Schema,
}

/// Applies every pending migration of `project` and, when any was applied, writes
/// `_instant/cache/schema.json`. Returns the ids applied.
pub fn migrate(client: &mut Client, project: &Project) -> Result<Vec<i64>> {
    migrate_reporting(client, project, |_| {})
}

/// [`migrate`], calling `on_applied` as soon as each migration is committed (so a caller can
/// report progress even when a later migration fails).
pub fn migrate_reporting(
    client: &mut Client,
    project: &Project,
    on_applied: impl FnMut(&Migration),
) -> Result<Vec<i64>> {
    Ok(lifecycle::migrate_steps(client, project, None, on_applied)?.applied)
}

/// Applies every pending migration of `project`, leaving the `_instant/` folder untouched.
/// Creates `_instant_migrations` when it is missing.
pub fn apply_pending(client: &mut Client, project: &Project) -> Result<Migrated> {
    let progress = lock::with_lock(client, |client| {
        lifecycle::apply_pending_unlocked(client, project, None, &mut |_| {})
    })?;
    progress.into_result()
}

/// Runs one migration's statements and history row inside `transaction`; returns the schema
/// after it.
pub(crate) fn apply(
    transaction: &mut Transaction<'_>,
    path: &Path,
    migration: &Migration,
    schema: &Schema,
) -> Result<Schema> {
    // The whole migration first, with instant-schema's checks (a command that cannot apply,
    // a foreign key left pointing at a dropped table): nothing reaches the database then.
    let mut next = schema.clone();
    replay::apply_migration(&mut next, migration).map_err(|error| error.in_file(path))?;
    // Then command by command, each command's SQL generated from the schema before it.
    let mut step = schema.clone();
    for (index, command) in migration.up.iter().enumerate() {
        let before = step.clone();
        let at = JsonPath::root().key("up").index(index);
        replay::apply(&mut step, command)
            .map_err(|error| Error::Schema(error.located(&at).in_file(path)))?;
        for statement in ddl::statements(&before, command) {
            execute(transaction, &statement)
                .map_err(|error| failed(path, migration, Some((index, command)), error))?;
        }
    }
    history::insert(transaction, migration, &next)
        .map_err(|error| failed(path, migration, None, error))?;
    Ok(next)
}

/// Runs one statement through the extended protocol, which runs exactly one statement per
/// message (the simple protocol would run a `COMMIT` hidden in an `executeSql` string), with
/// its parameters bound in text format.
///
/// Every migration statement runs inside a transaction block; validation has refused
/// transaction control in `executeSql`, and as a second guard a statement after which the
/// server no longer reports a transaction block (a `COMMIT` inside some routine it called)
/// fails the migration, whose transaction the server has then already ended.
pub(crate) fn execute(client: &mut Client, statement: &Statement) -> Result<()> {
    let params: Vec<TextParam> = statement.params.iter().map(TextParam::from_json).collect();
    let refs: Vec<&(dyn instant_pg::types::ToSql + Sync)> = params
        .iter()
        .map(|param| param as &(dyn instant_pg::types::ToSql + Sync))
        .collect();
    let in_block = client.in_transaction();
    client.execute(statement.sql.as_str(), &refs)?;
    if in_block && !client.in_transaction() {
        return Err(Error::lifecycle(format!(
            "the statement ended the migration's transaction: \"{}\"",
            statement.sql
        )));
    }
    Ok(())
}

/// Writes `_instant/cache/schema.json` as instant.dev does (two-space indentation, no trailing
/// newline), through a temporary file so a reader never sees half a file.
pub fn write_cache(instant_dir: &Path, schema: &Schema) -> Result<()> {
    let dir = instant_dir.join("cache");
    std::fs::create_dir_all(&dir).map_err(|source| Error::io(&dir, source))?;
    let path = dir.join("schema.json");
    let temporary = dir.join(format!(".schema.json.{}", std::process::id()));
    std::fs::write(&temporary, schema.to_pretty_json())
        .map_err(|source| Error::io(&temporary, source))?;
    std::fs::rename(&temporary, &path).map_err(|source| Error::io(&path, source))?;
    Ok(())
}

pub(crate) fn failed(
    path: &Path,
    migration: &Migration,
    command: Option<(usize, &Command)>,
    error: Error,
) -> Error {
    Error::Migration {
        file: file_name(path, migration),
        id: migration.id,
        command: command.map(|(index, command)| (index, command.name())),
        source: Box::new(error),
    }
}

fn file_name(path: &Path, migration: &Migration) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| migration.filename())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempDb;

    /// The second guard: were a statement to end the transaction (validation refuses every
    /// form we know of), the migration fails instead of going on outside it.
    #[test]
    fn a_statement_that_ends_the_transaction_fails_the_migration() {
        let db = TempDb::new().unwrap();
        let mut client = db.connect().unwrap();
        let mut transaction = client.transaction().unwrap();
        let create = Statement {
            sql: "CREATE TABLE t (id int)".into(),
            params: Vec::new(),
        };
        execute(&mut transaction, &create).unwrap();
        let commit = Statement {
            sql: "COMMIT".into(),
            params: Vec::new(),
        };
        let error = execute(&mut transaction, &commit).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the statement ended the migration's transaction: \"COMMIT\""
        );
    }
}
