//! Replaying migrations: each `up` command applied in order to a schema, with instant.dev's
//! `SchemaManager` semantics.
//!
//! The effects are instant.dev's, quirks included (`renameTable` and `renameColumn` leave
//! indices and foreign keys alone; `dropTable` keeps foreign keys, so the next consistency check
//! fails). Where instant.dev would accept a command that can only fail in the database, or
//! silently do nothing, we refuse it with a message naming the table and column:
//! renaming onto an existing name, an index on a missing column, dropping an index or foreign
//! key that does not exist, an `hnsw`/`ivfflat` index (our extension) on anything but a
//! `vector` column, and an `alterColumn` that would take a vector index's column away from
//! `vector`. A table may reference itself (instant.dev rejects that as a circular reference;
//! we only reject real cycles between tables).

use std::fmt;

use crate::command::{Command, VECTOR_LENGTH};
use crate::error::{Error, Result};
use crate::index_type::{self, IndexType};
use crate::json_path::JsonPath;
use crate::migration::Migration;
use crate::schema::{Column, ForeignKey, Index, Schema, Table};

/// Why a command could not be applied: the message, and which argument it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyError {
    /// The position in the command array of the argument at fault (`1` is the first argument),
    /// or `None` for the command as a whole.
    pub argument: Option<usize>,
    pub message: String,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApplyError {}

impl ApplyError {
    fn at(argument: usize, message: impl Into<String>) -> Self {
        ApplyError {
            argument: Some(argument),
            message: message.into(),
        }
    }

    /// The error located at the command `at` (`up[3]`) or its faulty argument (`up[3][2]`).
    pub fn located(self, at: &JsonPath) -> Error {
        let at = match self.argument {
            Some(argument) => at.index(argument),
            None => at.clone(),
        };
        Error::invalid(&at, self.message)
    }
}

/// The schema that applying `migrations` in order to the empty schema gives; its
/// `migration_id` is the last migration's id.
///
/// ```
/// use instant_schema::{Migration, replay};
/// let migration = Migration::from_json(&serde_json::json!({"id": 7, "name": "create_users",
///     "up": [["createTable", "users", [{"name": "email", "type": "string"}]]],
///     "down": [["dropTable", "users"]]})).unwrap();
/// let schema = replay(&[migration]).unwrap();
/// assert_eq!(schema.migration_id, Some(7));
/// let columns: Vec<_> = schema.tables["users"].columns.iter().map(|c| c.name.as_str()).collect();
/// assert_eq!(columns, ["id", "email", "created_at", "updated_at"]);
/// ```
pub fn replay(migrations: &[Migration]) -> Result<Schema> {
    let mut schema = Schema::empty();
    for migration in migrations {
        apply_in_place(&mut schema, migration)?;
    }
    Ok(schema)
}

/// Applies one migration's `up` commands and records its id, as instant.dev's `commit` does.
/// Errors are located in the migration file (`up[1][2]`); attach the file with
/// [`Error::in_file`]. All or nothing: on error `schema` is as it was, so a caller that keeps
/// it (a migrator holding the database's schema) never holds half a migration.
pub fn apply_migration(schema: &mut Schema, migration: &Migration) -> Result<()> {
    let mut next = schema.clone();
    apply_in_place(&mut next, migration)?;
    *schema = next;
    Ok(())
}

/// [`apply_migration`] without the copy, for callers that drop the schema on error (a whole
/// replay): on error `schema` holds the commands before the failing one.
pub(crate) fn apply_in_place(schema: &mut Schema, migration: &Migration) -> Result<()> {
    let up = JsonPath::root().key("up");
    for (i, command) in migration.up.iter().enumerate() {
        apply(schema, command).map_err(|error| error.located(&up.index(i)))?;
    }
    schema.migration_id = Some(migration.id);
    check_foreign_key_tables(schema).map_err(|message| {
        Error::invalid(
            &JsonPath::root(),
            format!("after migration {}: {message}", migration.id),
        )
    })
}

/// instant.dev reloads the schema after each migration and fails when a foreign key names a
/// table that is gone (`dropTable` and `renameTable` do not touch foreign keys).
fn check_foreign_key_tables(schema: &Schema) -> std::result::Result<(), String> {
    for fk in &schema.foreign_keys {
        for table in [&fk.table, &fk.parent_table] {
            if !schema.tables.contains_key(table.as_str()) {
                return Err(format!(
                    "the foreign key \"{}\".\"{}\" -> \"{}\".\"{}\" refers to table \"{table}\", which no longer exists; drop the foreign key before dropping or renaming the table",
                    fk.table, fk.column, fk.parent_table, fk.parent_column
                ));
            }
        }
    }
    Ok(())
}

/// Applies one command to `schema`, as instant.dev's `SchemaManager` does. On error the schema
/// is unchanged.
pub fn apply(schema: &mut Schema, command: &Command) -> std::result::Result<(), ApplyError> {
    match command {
        Command::SetSchema(new_schema) => {
            *schema = (**new_schema).clone();
        }
        Command::CreateTable { table, columns } => {
            if schema.tables.contains_key(table.as_str()) {
                return Err(ApplyError::at(
                    1,
                    format!("table \"{table}\" already exists in your schema"),
                ));
            }
            let mut all = columns.clone();
            let has = |name: &str| columns.iter().any(|column| column.name == name);
            if !has("id") {
                all.insert(0, Column::new("id", "serial"));
            }
            for implicit in ["created_at", "updated_at"] {
                if !has(implicit) {
                    all.push(Column::new(implicit, "datetime"));
                }
            }
            schema.tables.insert(
                table.clone(),
                Table {
                    name: table.clone(),
                    columns: all,
                },
            );
        }
        Command::DropTable { table } => {
            find_table(schema, table, 1)?;
            schema.tables.shift_remove(table.as_str());
        }
        Command::RenameTable { table, new_table } => {
            find_table(schema, table, 1)?;
            if schema.tables.contains_key(new_table.as_str()) {
                return Err(ApplyError::at(
                    2,
                    format!(
                        "can not rename table \"{table}\" to \"{new_table}\": table \"{new_table}\" already exists in your schema"
                    ),
                ));
            }
            // Re-keyed at the end, like instant.dev's object delete + insert.
            if let Some(mut moved) = schema.tables.shift_remove(table.as_str()) {
                moved.name = new_table.clone();
                schema.tables.insert(new_table.clone(), moved);
            }
        }
        Command::AlterColumn {
            table,
            column,
            column_type,
            properties,
        } => {
            let current = find_column(schema, table, column)?.clone();
            let mut changed = current;
            if let Some(column_type) = column_type {
                changed.column_type = column_type.clone();
            }
            if let Some(given) = properties {
                let p = &mut changed.properties;
                // Every given key replaces the stored one; `unique` is ignored next to a primary key.
                if given.default_value.is_some() {
                    p.default_value = given.default_value.clone();
                }
                if given.nullable.is_some() {
                    p.nullable = given.nullable;
                }
                if given.unique.is_some() && given.primary_key != Some(true) {
                    p.unique = given.unique;
                }
                if given.primary_key.is_some() {
                    p.primary_key = given.primary_key;
                }
                if given.auto_increment.is_some() {
                    p.auto_increment = given.auto_increment;
                }
                if given.array.is_some() {
                    p.array = given.array;
                }
                if given.length.is_some() {
                    p.length = given.length;
                }
            }
            if changed.column_type == "vector"
                && changed.properties.length.flatten().is_none_or(|n| n <= 0)
            {
                return Err(ApplyError {
                    argument: None,
                    message: format!(
                        "\"{table}\".\"{column}\" would become a vector without a length: {VECTOR_LENGTH}"
                    ),
                });
            }
            check_vector_index_kept(schema, table, &changed, column_type.is_some())?;
            if let Some(slot) = column_mut(schema, table, column) {
                *slot = changed;
            }
        }
        Command::AddColumn {
            table,
            column,
            column_type,
            properties,
        } => {
            let found = find_table(schema, table, 1)?;
            if found.column(column).is_some() {
                return Err(ApplyError::at(
                    2,
                    format!("column \"{table}\".\"{column}\" already exists in your schema"),
                ));
            }
            let mut added = Column::new(column.clone(), column_type.clone());
            if let Some(given) = properties {
                added.properties = given.clone();
                if given.primary_key == Some(true) {
                    added.properties.unique = None;
                }
            }
            if let Some(found) = schema.tables.get_mut(table.as_str()) {
                found.columns.push(added);
            }
        }
        Command::DropColumn { table, column } => {
            find_column(schema, table, column)?;
            if let Some(found) = schema.tables.get_mut(table.as_str()) {
                found.columns.retain(|c| &c.name != column);
            }
        }
        Command::RenameColumn {
            table,
            column,
            new_column,
        } => {
            find_column(schema, table, column)?;
            if find_table(schema, table, 1)?.column(new_column).is_some() {
                return Err(ApplyError::at(
                    3,
                    format!(
                        "can not rename column \"{table}\".\"{column}\" to \"{new_column}\": column \"{table}\".\"{new_column}\" already exists in your schema"
                    ),
                ));
            }
            if let Some(slot) = column_mut(schema, table, column) {
                slot.name = new_column.clone();
            }
        }
        Command::CreateIndex {
            table,
            column,
            index_type,
        } => {
            // A JSON path index (`data->name`) needs the column before the first `->`.
            let base = column.split("->").next().unwrap_or(column);
            let found = find_column(schema, table, base)?;
            let kind = match index_type {
                Some(name) => {
                    IndexType::parse(name).map_err(|message| ApplyError::at(3, message))?
                }
                None => index_type::DEFAULT,
            };
            if base != column && kind.vector().is_some() {
                return Err(ApplyError::at(
                    3,
                    format!(
                        "index type \"{kind}\" needs a vector column; \"{column}\" is a JSON path"
                    ),
                ));
            }
            kind.check_column(table, found)
                .map_err(|message| ApplyError::at(3, message))?;
            if schema.index(table, column).is_some() {
                return Err(ApplyError::at(
                    2,
                    format!("index already exists on column \"{column}\" of table \"{table}\""),
                ));
            }
            // The explicit form (`hnsw` is stored as `hnsw:cosine`), as introspection reads it.
            schema.indices.push(Index {
                table: table.clone(),
                column: column.clone(),
                index_type: kind.to_string(),
            });
            schema.sort();
        }
        Command::DropIndex { table, column } => {
            if schema.index(table, column).is_none() {
                return Err(ApplyError::at(
                    2,
                    format!("no index for table \"{table}\" column \"{column}\" found"),
                ));
            }
            schema
                .indices
                .retain(|index| !(&index.table == table && &index.column == column));
        }
        Command::CreateForeignKey {
            table,
            column,
            parent_table,
            parent_column,
            behavior,
        } => {
            find_column_at(schema, table, column, 1)?;
            find_column_at(schema, parent_table, parent_column, 3)?;
            if schema.foreign_key(table, column).is_some() {
                return Err(ApplyError::at(
                    2,
                    format!(
                        "foreign key for \"{table}\".\"{column}\" already exists in your schema"
                    ),
                ));
            }
            let foreign_key = ForeignKey {
                table: table.clone(),
                column: column.clone(),
                parent_table: parent_table.clone(),
                parent_column: parent_column.clone(),
                behavior: behavior.clone().unwrap_or_default(),
            };
            check_cycle(&schema.foreign_keys, &foreign_key)?;
            schema.foreign_keys.push(foreign_key);
            schema.sort();
        }
        Command::DropForeignKey { table, column } => {
            if schema.foreign_key(table, column).is_none() {
                return Err(ApplyError::at(
                    2,
                    format!("no foreign key for table \"{table}\" column \"{column}\" found"),
                ));
            }
            schema
                .foreign_keys
                .retain(|fk| !(&fk.table == table && &fk.column == column));
        }
        Command::ExecuteSql { .. } => {}
    }
    Ok(())
}

/// instant.dev's walk: from the new key to its parent table, then to the first foreign key of
/// that table, and so on, failing when a table repeats. Self-references are not edges of the
/// walk, so a table may point to itself (a tree of comments, an employee's manager).
fn check_cycle(existing: &[ForeignKey], new: &ForeignKey) -> std::result::Result<(), ApplyError> {
    if new.table == new.parent_table {
        return Ok(());
    }
    let all: Vec<&ForeignKey> = existing.iter().chain(std::iter::once(new)).collect();
    let mut seen: Vec<&str> = Vec::new();
    let mut chain: Vec<String> = Vec::new();
    let mut current = Some(new);
    while let Some(fk) = current {
        chain.push(format!("\"{}\".\"{}\"", fk.table, fk.column));
        if seen.contains(&fk.table.as_str()) {
            return Err(ApplyError::at(
                3,
                format!(
                    "Foreign key circular reference for \"{}\".\"{}\":\n{}",
                    new.table,
                    new.column,
                    chain.join(" -> ")
                ),
            ));
        }
        seen.push(&fk.table);
        current = all
            .iter()
            .copied()
            .find(|next| next.table == fk.parent_table && next.table != next.parent_table);
    }
    Ok(())
}

/// A column with a vector index must stay a vector (not an array of them), or PostgreSQL fails
/// rebuilding the index; the error asks for `dropIndex` first. `type_given` locates the error at
/// the new type.
fn check_vector_index_kept(
    schema: &Schema,
    table: &str,
    changed: &Column,
    type_given: bool,
) -> std::result::Result<(), ApplyError> {
    let Some(index) = schema.index(table, &changed.name) else {
        return Ok(());
    };
    let Ok(kind) = IndexType::parse(&index.index_type) else {
        return Ok(());
    };
    kind.check_column(table, changed)
        .map_err(|message| ApplyError {
            argument: type_given.then_some(3),
            message: format!(
                "{message} after this change; drop the index on \"{table}\".\"{}\" first",
                changed.name
            ),
        })
}

fn find_table<'a>(
    schema: &'a Schema,
    table: &str,
    argument: usize,
) -> std::result::Result<&'a Table, ApplyError> {
    schema.table(table).ok_or_else(|| {
        ApplyError::at(
            argument,
            format!("table \"{table}\" does not exist in your schema"),
        )
    })
}

fn find_column<'a>(
    schema: &'a Schema,
    table: &str,
    column: &str,
) -> std::result::Result<&'a Column, ApplyError> {
    find_column_at(schema, table, column, 1)
}

/// The column `table.column`, where the table is argument `argument` and the column the next.
fn find_column_at<'a>(
    schema: &'a Schema,
    table: &str,
    column: &str,
    argument: usize,
) -> std::result::Result<&'a Column, ApplyError> {
    find_table(schema, table, argument)?
        .column(column)
        .ok_or_else(|| {
            ApplyError::at(
                argument + 1,
                format!("column \"{table}\".\"{column}\" does not exist in your schema"),
            )
        })
}

fn column_mut<'a>(schema: &'a mut Schema, table: &str, column: &str) -> Option<&'a mut Column> {
    schema.tables.get_mut(table)?.column_mut(column)
}
