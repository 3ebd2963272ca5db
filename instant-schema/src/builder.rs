//! Building a migration in code, as instant.dev's `Migration` class does for the CLI
//! generators: each command is validated, applied to a working copy of the schema, and its
//! inverse is prepended to `down`.
//!
//! One deliberate fix: instant.dev's `dropTable` throws after applying `up` (it refers to an
//! undefined variable); here it inverts to `createTable` with the table's old columns.

use serde_json::Value;

use crate::command::Command;
use crate::error::{Error, Result};
use crate::json_path::JsonPath;
use crate::migration::Migration;
use crate::migration_json::{validate_id, validate_name};
use crate::replay::apply;
use crate::schema::{Column, ColumnProperties, ForeignKeyBehavior, Schema};

/// A migration under construction on top of a schema.
///
/// ```
/// use instant_schema::{Column, MigrationBuilder, Schema};
/// let mut builder = MigrationBuilder::new(Schema::empty()).with_id(1);
/// builder
///     .create_table("users", vec![Column::new("email", "string")])?
///     .create_index("users", "email", None)?;
/// let migration = builder.build()?;
/// assert_eq!(migration.name, "create_users");
/// assert_eq!(migration.down.len(), 2); // dropIndex, then dropTable
/// # Ok::<(), instant_schema::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MigrationBuilder {
    schema: Schema,
    id: i64,
    name: String,
    up: Vec<Command>,
    down: Vec<Command>,
}

impl MigrationBuilder {
    /// A migration on top of `schema`, with the current UTC timestamp as id and no name yet
    /// (the first command names it).
    pub fn new(schema: Schema) -> Self {
        MigrationBuilder {
            schema,
            id: timestamp_id(),
            name: String::new(),
            up: Vec::new(),
            down: Vec::new(),
        }
    }

    /// Uses `id` instead of the timestamp (checked in [`build`](Self::build)).
    pub fn with_id(mut self, id: i64) -> Self {
        self.id = id;
        self
    }

    /// Uses `name` instead of the one the first command suggests.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The working schema: the starting one with every `up` command so far applied.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Adds `command` to `up` and its inverse to the front of `down`.
    pub fn add(&mut self, mut command: Command) -> Result<&mut Self> {
        let at = JsonPath::root().key("up").index(self.up.len());
        command.validate(&at)?;
        command.normalize();
        let mut inverse = self.inverse(&command, &at)?;
        inverse.normalize();
        self.apply_up(command, &at)?;
        self.down.insert(0, inverse);
        Ok(self)
    }

    /// Adds `command` to `up` without an inverse (a template that lists its own `down`).
    pub fn add_up(&mut self, mut command: Command) -> Result<&mut Self> {
        let at = JsonPath::root().key("up").index(self.up.len());
        command.validate(&at)?;
        command.normalize();
        self.apply_up(command, &at)?;
        Ok(self)
    }

    /// Puts `command` at the front of `down`, as instant.dev's `migration.down.*` calls do.
    pub fn add_down(&mut self, mut command: Command) -> Result<&mut Self> {
        command.validate(&JsonPath::root().key("down").index(0))?;
        command.normalize();
        self.down.insert(0, command);
        Ok(self)
    }

    /// The finished migration.
    pub fn build(self) -> Result<Migration> {
        validate_id(self.id)
            .map_err(|message| Error::invalid(&JsonPath::root().key("id"), message))?;
        validate_name(&self.name)
            .map_err(|message| Error::invalid(&JsonPath::root().key("name"), message))?;
        Ok(Migration {
            id: self.id,
            name: self.name,
            up: self.up,
            down: self.down,
        })
    }

    fn apply_up(&mut self, mut command: Command, at: &JsonPath) -> Result<()> {
        apply(&mut self.schema, &command).map_err(|error| error.located(at))?;
        command.normalize_applied();
        if self.name.is_empty() {
            self.name = default_name(&command);
        }
        self.up.push(command);
        Ok(())
    }

    /// The command undoing `command` on the current schema.
    fn inverse(&self, command: &Command, at: &JsonPath) -> Result<Command> {
        let missing = |message: String| Error::invalid(at, message);
        let old_column = |table: &str, column: &str| {
            self.schema
                .table(table)
                .and_then(|t| t.column(column))
                .cloned()
                .ok_or_else(|| {
                    missing(format!(
                        "column \"{table}\".\"{column}\" does not exist in your schema"
                    ))
                })
        };
        let properties = |column: &Column| {
            Some(column.properties.clone()).filter(|p: &ColumnProperties| !p.is_empty())
        };
        Ok(match command {
            Command::SetSchema(_) => Command::SetSchema(Box::new(self.schema.clone())),
            Command::CreateTable { table, .. } => Command::DropTable {
                table: table.clone(),
            },
            Command::DropTable { table } => {
                let old = self.schema.table(table).ok_or_else(|| {
                    missing(format!("table \"{table}\" does not exist in your schema"))
                })?;
                Command::CreateTable {
                    table: table.clone(),
                    columns: old.columns.clone(),
                }
            }
            Command::RenameTable { table, new_table } => Command::RenameTable {
                table: new_table.clone(),
                new_table: table.clone(),
            },
            Command::AlterColumn { table, column, .. } => {
                let old = old_column(table, column)?;
                Command::AlterColumn {
                    table: table.clone(),
                    column: column.clone(),
                    column_type: Some(old.column_type.clone()),
                    properties: properties(&old),
                }
            }
            Command::AddColumn { table, column, .. } => Command::DropColumn {
                table: table.clone(),
                column: column.clone(),
            },
            Command::DropColumn { table, column } => {
                let old = old_column(table, column)?;
                Command::AddColumn {
                    table: table.clone(),
                    column: column.clone(),
                    column_type: old.column_type.clone(),
                    properties: properties(&old),
                }
            }
            Command::RenameColumn {
                table,
                column,
                new_column,
            } => Command::RenameColumn {
                table: table.clone(),
                column: new_column.clone(),
                new_column: column.clone(),
            },
            Command::CreateIndex { table, column, .. } => Command::DropIndex {
                table: table.clone(),
                column: column.clone(),
            },
            Command::DropIndex { table, column } => {
                let old = self.schema.index(table, column).ok_or_else(|| {
                    missing(format!(
                        "no index for table \"{table}\" column \"{column}\" found"
                    ))
                })?;
                Command::CreateIndex {
                    table: table.clone(),
                    column: column.clone(),
                    index_type: Some(old.index_type.clone()),
                }
            }
            Command::CreateForeignKey { table, column, .. } => Command::DropForeignKey {
                table: table.clone(),
                column: column.clone(),
            },
            Command::DropForeignKey { table, column } => {
                let old = self.schema.foreign_key(table, column).ok_or_else(|| {
                    missing(format!(
                        "no foreign key for table \"{table}\" column \"{column}\" found"
                    ))
                })?;
                Command::CreateForeignKey {
                    table: table.clone(),
                    column: column.clone(),
                    parent_table: old.parent_table.clone(),
                    parent_column: old.parent_column.clone(),
                    behavior: Some(old.behavior.clone()).filter(|b| !b.is_empty()),
                }
            }
            Command::ExecuteSql { sql, params } => Command::ExecuteSql {
                sql: sql
                    .split('\n')
                    .map(|line| format!("-- invert: {line}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                params: params.clone(),
            },
        })
    }

    /// Replaces the whole schema (`setSchema`).
    pub fn set_schema(&mut self, schema: Schema) -> Result<&mut Self> {
        self.add(Command::SetSchema(Box::new(schema)))
    }

    /// `createTable`: `id`, `created_at` and `updated_at` are added unless given.
    pub fn create_table(
        &mut self,
        table: impl Into<String>,
        columns: Vec<Column>,
    ) -> Result<&mut Self> {
        self.add(Command::CreateTable {
            table: table.into(),
            columns,
        })
    }

    /// `dropTable`; the inverse recreates the table with its current columns.
    pub fn drop_table(&mut self, table: impl Into<String>) -> Result<&mut Self> {
        self.add(Command::DropTable {
            table: table.into(),
        })
    }

    /// `renameTable`.
    pub fn rename_table(
        &mut self,
        table: impl Into<String>,
        new_table: impl Into<String>,
    ) -> Result<&mut Self> {
        self.add(Command::RenameTable {
            table: table.into(),
            new_table: new_table.into(),
        })
    }

    /// `alterColumn`: a new type and/or properties merged into the current ones.
    pub fn alter_column(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
        column_type: Option<String>,
        properties: Option<ColumnProperties>,
    ) -> Result<&mut Self> {
        self.add(Command::AlterColumn {
            table: table.into(),
            column: column.into(),
            column_type,
            properties,
        })
    }

    /// `addColumn`.
    pub fn add_column(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
        column_type: impl Into<String>,
        properties: Option<ColumnProperties>,
    ) -> Result<&mut Self> {
        self.add(Command::AddColumn {
            table: table.into(),
            column: column.into(),
            column_type: column_type.into(),
            properties,
        })
    }

    /// `dropColumn`; the inverse adds it back with its current type and properties.
    pub fn drop_column(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> Result<&mut Self> {
        self.add(Command::DropColumn {
            table: table.into(),
            column: column.into(),
        })
    }

    /// `renameColumn`.
    pub fn rename_column(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
        new_column: impl Into<String>,
    ) -> Result<&mut Self> {
        self.add(Command::RenameColumn {
            table: table.into(),
            column: column.into(),
            new_column: new_column.into(),
        })
    }

    /// `createIndex`; `btree` when no type is given.
    pub fn create_index(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
        index_type: Option<String>,
    ) -> Result<&mut Self> {
        self.add(Command::CreateIndex {
            table: table.into(),
            column: column.into(),
            index_type,
        })
    }

    /// `dropIndex`; the inverse recreates it with its current type.
    pub fn drop_index(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> Result<&mut Self> {
        self.add(Command::DropIndex {
            table: table.into(),
            column: column.into(),
        })
    }

    /// `createForeignKey` from `table.column` to `parent_table.parent_column`.
    pub fn create_foreign_key(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
        parent_table: impl Into<String>,
        parent_column: impl Into<String>,
        behavior: Option<ForeignKeyBehavior>,
    ) -> Result<&mut Self> {
        self.add(Command::CreateForeignKey {
            table: table.into(),
            column: column.into(),
            parent_table: parent_table.into(),
            parent_column: parent_column.into(),
            behavior,
        })
    }

    /// `dropForeignKey`; the inverse recreates it with its current parent and behavior.
    pub fn drop_foreign_key(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> Result<&mut Self> {
        self.add(Command::DropForeignKey {
            table: table.into(),
            column: column.into(),
        })
    }

    /// `executeSql`; the inverse is the same SQL commented out line by line
    /// (`-- invert: `), with the same parameters.
    pub fn execute_sql(
        &mut self,
        sql: impl Into<String>,
        params: Option<Vec<Value>>,
    ) -> Result<&mut Self> {
        self.add(Command::ExecuteSql {
            sql: sql.into(),
            params,
        })
    }
}

/// The name instant.dev gives a migration whose first command is `command`.
pub fn default_name(command: &Command) -> String {
    match command {
        Command::SetSchema(_) => "set_schema".to_string(),
        Command::CreateTable { table, .. } => format!("create_{table}"),
        Command::DropTable { table } => format!("drop_{table}"),
        Command::RenameTable { table, new_table } => format!("rename_{table}_to_{new_table}"),
        Command::AlterColumn { table, column, .. } => format!("alter_{table}_column_{column}"),
        Command::AddColumn { table, column, .. } => format!("add_{table}_column_{column}"),
        Command::DropColumn { table, column } => format!("drop_{table}_column_{column}"),
        Command::RenameColumn {
            table,
            column,
            new_column,
        } => format!("rename_{table}_column_{column}_to_{new_column}"),
        Command::CreateIndex { table, column, .. } => {
            format!("create_index_on_{table}_column_{column}")
        }
        Command::DropIndex { table, column } => format!("drop_index_on_{table}_column_{column}"),
        Command::CreateForeignKey { table, column, .. } => {
            format!("add_foreign_key_on_{table}_column_{column}")
        }
        Command::DropForeignKey { table, column } => {
            format!("drop_foreign_key_on_{table}_column_{column}")
        }
        Command::ExecuteSql { .. } => "execute_sql".to_string(),
    }
}

/// The current UTC time as `YYYYMMDDHHMMSS`, instant.dev's default migration id.
pub fn timestamp_id() -> i64 {
    chrono::Utc::now()
        .format("%Y%m%d%H%M%S")
        .to_string()
        .parse()
        .unwrap_or(1)
}
