//! The folder side of the lifecycle: fast-forward (write the database's extra migrations to
//! `_instant/migrations`) and rewind (delete migration files from the end). Neither touches the
//! database. A [`Project`] is a snapshot: load it again after changing the folder.

use std::path::PathBuf;

use instant_pg::Client;
use instant_schema::{Migration, Project};

use super::state::{self, Status};
use crate::error::{Error, Result};

/// Writes the migrations only the database has to the folder and returns them; only in state
/// `database_ahead` (`synced` writes nothing). Other states fail with instant.dev's messages.
pub fn fast_forward(client: &mut Client, project: &Project) -> Result<Vec<Migration>> {
    let found = state::state(client, project)?;
    let id = found.mismatch_migration_id.unwrap_or(-1);
    let advice = |what: &str| {
        format!(
            "{what}, please first run filesystem.rewindSync to rewind filesystem state to last \
             matching database state{}",
            found.last_id_suffix()
        )
    };
    let message = match found.status {
        Status::Synced => return Ok(Vec::new()),
        Status::DatabaseAhead => {
            let migrations = found
                .database_migrations
                .iter()
                .map(|json| {
                    Migration::from_json(json).map_err(|error| {
                        Error::lifecycle(format!("database migration does not parse: {error}"))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            for migration in &migrations {
                write(project, migration)?;
            }
            return Ok(migrations);
        }
        Status::Mismatch => format!(
            "\"mismatch\"\nMigration (id={id}) stored in database does not match filesystem \
             migration.\n{}",
            advice("Before Fast-Forwarding")
        ),
        Status::Unsynced => format!(
            "\"unsynced\"\nOne or more migrations stored in database are out of sync with \
             filesystem migrations.\n{}",
            advice("Before Fast-Forwarding")
        ),
        Status::FilesystemAhead => format!(
            "\"filesystem_ahead\"\nMigration (id={id}) and above do not exist in the database.\n\
             If you want the filesystem state to match the database, please run \
             filesystem.rewindSync to set it to the last matching database state{}\n\
             Alternatively, you can migrate to push the filesystem state to database.",
            found.last_id_suffix()
        ),
    };
    Err(Error::OutOfSync { message })
}

/// Writes `migration` to `_instant/migrations` as instant.dev does (two-space JSON, no trailing
/// newline), refusing an id the folder already has.
pub fn write(project: &Project, migration: &Migration) -> Result<PathBuf> {
    let dir = project.migrations_dir();
    if project.migrations.iter().any(|(_, m)| m.id == migration.id) {
        return Err(Error::lifecycle(format!(
            "Can not write migration to \"{}\": migration with (id={}) already exists",
            dir.display(),
            migration.id
        )));
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::io(&dir, source))?;
    let path = dir.join(migration.filename());
    if path.exists() {
        return Err(Error::lifecycle(format!(
            "Can not write migration to \"{}\": file already exists",
            dir.display()
        )));
    }
    let text = serde_json::to_string_pretty(&migration.to_json()).unwrap_or_default();
    std::fs::write(&path, text).map_err(|source| Error::io(&path, source))?;
    Ok(path)
}

/// Deletes the last `steps` migration files (all of them when there are fewer); `false` when
/// the folder has none.
pub fn rewind(project: &Project, steps: u32) -> Result<bool> {
    if steps == 0 {
        return Err(Error::lifecycle("steps must be a number >= 1"));
    }
    if project.migrations.is_empty() {
        return Ok(false);
    }
    let keep = project.migrations.len().saturating_sub(steps as usize);
    for (path, migration) in project.migrations[keep..].iter().rev() {
        std::fs::remove_file(path).map_err(|source| Error::io(path, source))?;
        tracing::info!(id = migration.id, name = %migration.name, "rewound migration");
    }
    Ok(true)
}

/// Deletes files until migration `id` is the folder's last; `false` when it already is.
pub fn rewind_to(project: &Project, id: i64) -> Result<bool> {
    let Some(found) = project.migrations.iter().position(|(_, m)| m.id == id) else {
        return Err(Error::lifecycle(format!(
            "Could not rewind to migration(id={id}), not found in filesystem."
        )));
    };
    if found == project.migrations.len() - 1 {
        return Ok(false);
    }
    let steps = u32::try_from(project.migrations.len() - 1 - found).unwrap_or(u32::MAX);
    rewind(project, steps)
}

/// Rewinds the folder to the last migration it shares with the database; `false` when nothing
/// needed deleting.
pub fn rewind_sync(client: &mut Client, project: &Project) -> Result<bool> {
    let found = state::state(client, project)?;
    let Some(id) = found.last_migration_id else {
        return Err(Error::lifecycle(
            "Could not rewindSync: no valid matching migrationId between filesystem and database",
        ));
    };
    rewind_to(project, id)
}
