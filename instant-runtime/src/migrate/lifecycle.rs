//! The database side of the lifecycle: migrate, rollback, prepare, annihilate, forget,
//! initialize and bootstrap (instant.dev's `Migrator.Dangerous`).
//!
//! Every operation that changes the database holds the migration lock ([`super::lock`]) and
//! reads the history only once it has it. A migration or rollback step is one transaction;
//! when a later step fails, the schema cache is still written for the steps that committed,
//! so `_instant/cache/schema.json` always describes the database.

use std::path::{Path, PathBuf};

use instant_pg::Client;
use instant_schema::json_path::JsonPath;
use instant_schema::{Command, Migration, Project, Schema, generate, replay};
use serde_json::Value;

use super::history::{self, HistoryRow};
use super::schema_access::SchemaAccess;
use super::state::{self, Status};
use super::{Migrated, ddl, execute, extensions, introspect, lock, write_cache};
use crate::error::{Error, Result};

/// The initial migration's name (`00000000000001__initial_migration.json`).
pub const INITIAL_MIGRATION: &str = "initial_migration";

/// What a run of pending migrations did, including a failure after some committed.
#[derive(Debug)]
pub(crate) struct Progress {
    pub applied: Vec<i64>,
    pub schema: Schema,
    pub error: Option<Error>,
}

impl Progress {
    pub(crate) fn into_result(self) -> Result<Migrated> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(Migrated {
                applied: self.applied,
                schema: self.schema,
            }),
        }
    }
}

/// Applies the folder's pending migrations, all of them or the first `steps`, each in its own
/// transaction, then writes the schema cache (when any was applied). Creates
/// `_instant_migrations` when it is missing.
///
/// Fails with instant.dev's messages when the database is `mismatch`, `database_ahead` or
/// `unsynced` (`"mismatch"\nMigration (id=…) …`), before anything runs. Unlike instant.dev
/// (which returns the whole pending list), the result lists only the migrations applied.
pub fn migrate_steps(
    client: &mut Client,
    project: &Project,
    steps: Option<u32>,
    mut on_applied: impl FnMut(&Migration),
) -> Result<Migrated> {
    let progress = lock::with_lock(client, |client| {
        apply_pending_unlocked(client, project, steps, &mut on_applied)
    })?;
    if !progress.applied.is_empty() {
        write_cache(&project.dir, &progress.schema)?;
    }
    progress.into_result()
}

/// [`migrate_steps`] without the lock and the cache.
pub(crate) fn apply_pending_unlocked(
    client: &mut Client,
    project: &Project,
    steps: Option<u32>,
    on_applied: &mut dyn FnMut(&Migration),
) -> Result<Progress> {
    if steps == Some(0) {
        return Err(Error::lifecycle("steps must be a number >= 1"));
    }
    // Every file must replay before anything is applied: a bad migration later in the folder
    // stops the run before it starts, not halfway through.
    project.schema()?;
    history::create_if_missing(client)?;
    let rows = history::rows(client)?;
    let found = state::compare(&project.migration_list(), &rows);
    if let Some(error) = found.migrate_error() {
        return Err(error);
    }
    let mut schema = Schema::empty();
    let applied_before = project
        .migrations
        .iter()
        .take_while(|(_, m)| found.last_migration_id.is_some_and(|last| m.id <= last));
    for (path, migration) in applied_before {
        replay::apply_migration(&mut schema, migration).map_err(|error| error.in_file(path))?;
    }
    let mut progress = Progress {
        applied: Vec::new(),
        schema,
        error: None,
    };
    if found.status == Status::Synced {
        return Ok(progress);
    }
    let limit = steps.map_or(usize::MAX, |steps| steps as usize);
    let pending = project
        .migrations
        .iter()
        .filter(|(_, m)| found.pending.iter().any(|p| p.id == m.id))
        .take(limit);
    for (path, migration) in pending {
        match apply_one(client, path, migration, &progress.schema) {
            Ok(next) => {
                tracing::info!(id = migration.id, name = %migration.name, "applied migration");
                progress.schema = next;
                progress.applied.push(migration.id);
                on_applied(migration);
            }
            Err(error) => {
                progress.error = Some(error);
                break;
            }
        }
    }
    Ok(progress)
}

fn apply_one(
    client: &mut Client,
    path: &Path,
    migration: &Migration,
    schema: &Schema,
) -> Result<Schema> {
    let mut transaction = client.transaction()?;
    let next = super::apply(&mut transaction, path, migration, schema)?;
    transaction
        .commit()
        .map_err(|error| super::failed(path, migration, None, error.into()))?;
    Ok(next)
}

/// What a rollback did.
#[derive(Debug, Clone, PartialEq)]
pub struct RolledBack {
    /// The migrations undone, last first.
    pub migrations: Vec<Migration>,
    /// The schema afterwards (written to the cache).
    pub schema: Schema,
}

/// Undoes the database's last `steps` migrations (fewer when it has fewer), newest first,
/// with the `down` commands stored in `_instant_migrations` (not the files'): each step one
/// transaction with the `DELETE` of its row. Writes the schema cache at the end.
pub fn rollback(client: &mut Client, project: &Project, steps: u32) -> Result<RolledBack> {
    lock::with_lock(client, |client| rollback_unlocked(client, project, steps))
}

fn rollback_unlocked(client: &mut Client, project: &Project, steps: u32) -> Result<RolledBack> {
    if steps == 0 {
        return Err(Error::lifecycle("steps must be a number >= 1"));
    }
    let rows = state::database_rows(client)?;
    let migrations = rows
        .iter()
        .map(state::parse_row)
        .collect::<Result<Vec<_>>>()?;
    let mut schema = Schema::empty();
    for migration in &migrations {
        replay::apply_migration(&mut schema, migration).map_err(|error| {
            Error::lifecycle(format!(
                "\"{}\" migration (id={}) does not replay: {error}",
                history::TABLE,
                migration.id
            ))
        })?;
    }
    let count = (steps as usize).min(migrations.len());
    let mut done = RolledBack {
        migrations: Vec::new(),
        schema,
    };
    for position in (migrations.len() - count..migrations.len()).rev() {
        let migration = &migrations[position];
        let previous = position.checked_sub(1).map(|p| migrations[p].id);
        match roll_back_one(client, migration, &done.schema, previous) {
            Ok(next) => {
                tracing::info!(id = migration.id, name = %migration.name, "rolled back migration");
                done.schema = next;
                done.migrations.push(migration.clone());
            }
            Err(error) => {
                if !done.migrations.is_empty() {
                    write_cache(&project.dir, &done.schema)?;
                }
                return Err(error);
            }
        }
    }
    write_cache(&project.dir, &done.schema)?;
    Ok(done)
}

/// One rollback step in one transaction; returns the schema after it.
fn roll_back_one(
    client: &mut Client,
    migration: &Migration,
    schema: &Schema,
    previous: Option<i64>,
) -> Result<Schema> {
    let failed = |command: Option<(usize, &Command)>, error: Error| Error::Rollback {
        file: migration.filename(),
        id: migration.id,
        command: command.map(|(index, command)| (index, command.name())),
        source: Box::new(error),
    };
    let mut transaction = client.transaction()?;
    let mut step = schema.clone();
    for (index, command) in migration.down.iter().enumerate() {
        let before = step.clone();
        replay::apply(&mut step, command).map_err(|error| {
            let at = JsonPath::root().key("down").index(index);
            failed(Some((index, command)), Error::Schema(error.located(&at)))
        })?;
        for statement in ddl::statements(&before, command) {
            execute(&mut transaction, &statement)
                .map_err(|error| failed(Some((index, command)), error))?;
        }
    }
    transaction
        .execute(
            &format!(
                "DELETE FROM \"{}\" WHERE (\"id\") = ($1) RETURNING *",
                history::TABLE
            ),
            &[&migration.id],
        )
        .map_err(|error| failed(None, error.into()))?;
    transaction
        .commit()
        .map_err(|error| failed(None, error.into()))?;
    step.migration_id = previous;
    Ok(step)
}

/// Rolls back until migration `id` is the database's last; `false` when it already is.
pub fn rollback_to(client: &mut Client, project: &Project, id: i64) -> Result<bool> {
    lock::with_lock(client, |client| rollback_to_unlocked(client, project, id))
}

fn rollback_to_unlocked(client: &mut Client, project: &Project, id: i64) -> Result<bool> {
    let rows = state::database_rows(client)?;
    let Some(found) = rows.iter().position(|row| row.id == id) else {
        return Err(Error::lifecycle(format!(
            "Could not rollback to migration(id={id}): not found in database."
        )));
    };
    if found == rows.len() - 1 {
        tracing::info!(id, "Could not rollback: already there");
        return Ok(false);
    }
    let steps = u32::try_from(rows.len() - 1 - found).unwrap_or(u32::MAX);
    rollback_unlocked(client, project, steps)?;
    Ok(true)
}

/// Rolls the database back to the last migration it shares with the folder; `false` when
/// nothing needed undoing.
pub fn rollback_sync(client: &mut Client, project: &Project) -> Result<bool> {
    lock::with_lock(client, |client| {
        let found = state::state(client, project)?;
        let Some(id) = found.last_migration_id else {
            return Err(Error::lifecycle(
                "Could not rollbackSync: no valid matching migrationId between filesystem and \
                 database",
            ));
        };
        rollback_to_unlocked(client, project, id)
    })
}

/// Drops `public` with everything in it (tables, sequences, and extensions installed there)
/// and creates it again empty, with the owner and grants it had ([`SchemaAccess`]), in one
/// transaction.
pub fn annihilate(client: &mut Client) -> Result<()> {
    let mut transaction = client.transaction()?;
    let access = SchemaAccess::read(&mut transaction, "public")?;
    transaction.batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")?;
    if let Some(access) = access {
        access.restore(&mut transaction)?;
    }
    transaction.commit()?;
    Ok(())
}

/// Re-creates `_instant_migrations` empty (instant.dev's `prepare`).
pub fn prepare(client: &mut Client) -> Result<()> {
    let mut transaction = client.transaction()?;
    transaction.batch_execute(&format!("DROP TABLE IF EXISTS \"{}\"", history::TABLE))?;
    transaction.batch_execute(&ddl::create_history_table(history::TABLE).sql)?;
    transaction.commit()?;
    Ok(())
}

/// Drops `_instant_migrations` (`db:forget`): the tables stay, the history goes.
pub fn forget(client: &mut Client) -> Result<()> {
    client.batch_execute(&format!("DROP TABLE IF EXISTS \"{}\"", history::TABLE))?;
    Ok(())
}

/// `_instant/` for a project directory (or the folder itself when it is `_instant`), whether
/// or not it exists yet.
pub fn instant_dir(project_dir: &Path) -> PathBuf {
    if project_dir
        .file_name()
        .is_some_and(|name| name == "_instant")
    {
        project_dir.to_path_buf()
    } else {
        project_dir.join("_instant")
    }
}

/// Records the database's current schema as the first migration: writes
/// `_instant/migrations/00000000000001__initial_migration.json` (`setSchema` up, the previous
/// schema down), stores its `_instant_migrations` row and writes the schema cache.
///
/// With no `schema`, the schema is introspected and no SQL runs (the tables exist); with one,
/// its tables and indices are created. Refuses, with instant.dev's messages, when
/// `_instant_migrations` has rows or `_instant/migrations` exists.
pub fn initialize(
    client: &mut Client,
    project_dir: &Path,
    schema: Option<Schema>,
) -> Result<Migration> {
    lock::with_lock(client, |client| {
        initialize_unlocked(client, project_dir, schema)
    })
}

fn initialize_unlocked(
    client: &mut Client,
    project_dir: &Path,
    schema: Option<Schema>,
) -> Result<Migration> {
    let rows = state::database_rows(client)?;
    if !rows.is_empty() {
        return Err(Error::lifecycle(format!(
            "Could not initialize: non-empty migration table \"{}\" ({} entries)",
            history::TABLE,
            rows.len()
        )));
    }
    let (old, apply_sql) = match schema {
        Some(schema) => (schema, true),
        None => (introspect::introspect(client)?, false),
    };
    let instant_dir = instant_dir(project_dir);
    let migrations_dir = instant_dir.join("migrations");
    if migrations_dir.exists() {
        return Err(Error::lifecycle(format!(
            "Could not initialize: \"{}\" already exists.\nPlease run filesystem.clear and try \
             again.",
            migrations_dir.display()
        )));
    }
    let migration = generate::initial_migration(&old);
    let mut new = old;
    new.migration_id = Some(migration.id);
    let mut transaction = client.transaction()?;
    if apply_sql {
        for statement in ddl::statements(&Schema::empty(), &migration.up[0]) {
            execute(&mut transaction, &statement)?;
        }
    }
    history::insert(&mut transaction, &migration, &new)?;
    transaction.commit()?;
    std::fs::create_dir_all(&migrations_dir)
        .map_err(|source| Error::io(&migrations_dir, source))?;
    let path = migrations_dir.join(migration.filename());
    // An introspected schema's keys come in introspection order, as `instant init` writes
    // them; a given schema keeps its own.
    let text = if apply_sql {
        serde_json::to_string_pretty(&migration.to_json()).unwrap_or_default()
    } else {
        generate::initial_migration_text(&migration)
    };
    std::fs::write(&path, text).map_err(|source| Error::io(&path, source))?;
    write_cache(&instant_dir, &new)?;
    Ok(migration)
}

/// Rebuilds the database from the folder: [`annihilate`], enable each of `extensions`,
/// [`prepare`], then apply every migration (the first is usually `initial_migration`'s
/// `setSchema`), writing the schema cache. Holds the migration lock throughout.
///
/// instant.dev's bootstrap then loads `_instant/seed.json`; here the caller does, with
/// [`crate::seed::seed_project`] and the models the application has (the CLI has none and
/// seeds from the schema).
pub fn bootstrap(client: &mut Client, project: &Project, extensions: &[&str]) -> Result<Migrated> {
    // The whole folder must replay before the database is wiped.
    project.schema()?;
    let progress = lock::with_lock(client, |client| {
        annihilate(client)?;
        for name in extensions {
            extensions::enable(client, name)?;
        }
        prepare(client)?;
        apply_pending_unlocked(client, project, None, &mut |_| {})
    })?;
    write_cache(&project.dir, &progress.schema)?;
    progress.into_result()
}

/// The rows of `_instant_migrations` as instant.dev's `getMigrations` returns them: the
/// migration JSON of each, by id.
pub fn database_migrations(client: &mut Client) -> Result<Vec<Value>> {
    Ok(state::database_rows(client)?
        .into_iter()
        .map(|row: HistoryRow| row.commands.unwrap_or(Value::Null))
        .collect())
}
