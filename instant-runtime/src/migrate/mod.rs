//! Applying an `_instant/migrations` folder to a database (`instant db:migrate`).
//!
//! Each pending migration runs in one transaction together with its `_instant_migrations` row,
//! so a migration is either fully applied and recorded or not there at all. The schema stored
//! with each row is the schema after that migration, computed by replaying the commands with
//! `instant_schema`, exactly as instant.dev stores it.
//!
//! Only the forward case is handled here: the database holds a prefix of the folder's
//! migrations, unchanged. Anything else (a migration the folder lacks, a file edited after it
//! was applied, a file slipped in before applied ones) is refused with an error naming the
//! migration; resolving those states is `db:rollback`/`fs:*` territory.

pub mod ddl;
pub mod history;
pub mod params;

use std::path::Path;

use instant_schema::json_path::JsonPath;
use instant_schema::{Command, Migration, Project, Schema, replay};
use postgres::{Client, GenericClient, Transaction};

use crate::error::{Error, Result};
use ddl::Statement;
use params::TextParam;

/// What [`apply_pending`] did.
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
    let migrated = apply_pending_reporting(client, project, on_applied)?;
    if !migrated.applied.is_empty() {
        write_cache(&project.dir, &migrated.schema)?;
    }
    Ok(migrated.applied)
}

/// Applies every pending migration of `project`, leaving the `_instant/` folder untouched.
/// Creates `_instant_migrations` when it is missing.
pub fn apply_pending(client: &mut Client, project: &Project) -> Result<Migrated> {
    apply_pending_reporting(client, project, |_| {})
}

fn apply_pending_reporting(
    client: &mut Client,
    project: &Project,
    mut on_applied: impl FnMut(&Migration),
) -> Result<Migrated> {
    // Every file must replay before anything is applied: a bad migration later in the folder
    // stops the run before it starts, not halfway through.
    project.schema()?;
    history::create_if_missing(client)?;
    let rows = history::rows(client)?;
    check_history(project, &rows)?;
    let mut schema = Schema::empty();
    for (path, migration) in &project.migrations[..rows.len()] {
        replay::apply_migration(&mut schema, migration).map_err(|error| error.in_file(path))?;
    }
    let mut applied = Vec::new();
    for (path, migration) in &project.migrations[rows.len()..] {
        let mut transaction = client.transaction()?;
        let next = apply(&mut transaction, path, migration, &schema)?;
        transaction
            .commit()
            .map_err(|error| failed(path, migration, None, error.into()))?;
        tracing::info!(id = migration.id, name = %migration.name, "applied migration");
        schema = next;
        applied.push(migration.id);
        on_applied(migration);
    }
    Ok(Migrated { applied, schema })
}

/// Runs one migration's statements and history row inside `transaction`; returns the schema
/// after it.
fn apply(
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

/// Statements without parameters go through the simple protocol (so `executeSql` may hold
/// several statements, as with instant.dev); with parameters they are bound.
fn execute(client: &mut impl GenericClient, statement: &Statement) -> Result<()> {
    if statement.params.is_empty() {
        client.batch_execute(&statement.sql)?;
    } else {
        let params: Vec<TextParam> = statement.params.iter().map(TextParam::from_json).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
            .iter()
            .map(|param| param as &(dyn postgres::types::ToSql + Sync))
            .collect();
        client.execute(&statement.sql, &refs)?;
    }
    Ok(())
}

/// The database must hold exactly the first migrations of the folder, each unchanged.
fn check_history(project: &Project, rows: &[history::HistoryRow]) -> Result<()> {
    for (position, row) in rows.iter().enumerate() {
        let Some((path, migration)) = project.migrations.get(position) else {
            return Err(out_of_sync(format!(
                "the database has migration (id={}{}) which _instant/migrations lacks; \
                 restore its file or roll it back",
                row.id,
                named(&row.name)
            )));
        };
        if migration.id < row.id {
            return Err(out_of_sync(format!(
                "{} was never applied, but the database already has the later migration (id={})",
                describe(path, migration.id),
                row.id
            )));
        }
        if migration.id > row.id {
            return Err(out_of_sync(format!(
                "the database has migration (id={}{}) which _instant/migrations lacks \
                 (the folder continues with {})",
                row.id,
                named(&row.name),
                describe(path, migration.id)
            )));
        }
        if row.commands.as_ref() != Some(&migration.to_json()) {
            return Err(out_of_sync(format!(
                "{} differs from the migration the database applied (id={}); \
                 a migration must not change once applied",
                describe(path, migration.id),
                row.id
            )));
        }
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

fn failed(
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

fn describe(path: &Path, id: i64) -> String {
    format!(
        "{} (id={id})",
        path.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    )
}

fn named(name: &Option<String>) -> String {
    match name {
        Some(name) if !name.is_empty() => format!(", name={name}"),
        _ => String::new(),
    }
}

fn out_of_sync(message: String) -> Error {
    Error::OutOfSync { message }
}
