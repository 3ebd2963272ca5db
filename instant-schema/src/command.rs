//! The 13 migration commands, as typed values.
//!
//! In a file a command is an array `["createTable", "users", [...]]`; trailing `null`
//! arguments are stripped. [`Command::to_json`] writes that array back.

use serde_json::{Value, json};

use crate::schema::{Column, ColumnProperties, ForeignKeyBehavior, Schema};

/// One migration command.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Replaces the whole schema (the initial migration uses it).
    SetSchema(Box<Schema>),
    /// Creates a table. `columns` is the user's list; the implicit `id`, `created_at` and
    /// `updated_at` are added to the schema only.
    CreateTable {
        table: String,
        columns: Vec<Column>,
    },
    DropTable {
        table: String,
    },
    RenameTable {
        table: String,
        new_table: String,
    },
    /// Changes a column's type (when given) and merges the given properties.
    AlterColumn {
        table: String,
        column: String,
        column_type: Option<String>,
        properties: Option<ColumnProperties>,
    },
    AddColumn {
        table: String,
        column: String,
        column_type: String,
        properties: Option<ColumnProperties>,
    },
    DropColumn {
        table: String,
        column: String,
    },
    RenameColumn {
        table: String,
        column: String,
        new_column: String,
    },
    /// `index_type` defaults to `btree` when `None`.
    CreateIndex {
        table: String,
        column: String,
        index_type: Option<String>,
    },
    DropIndex {
        table: String,
        column: String,
    },
    CreateForeignKey {
        table: String,
        column: String,
        parent_table: String,
        parent_column: String,
        behavior: Option<ForeignKeyBehavior>,
    },
    DropForeignKey {
        table: String,
        column: String,
    },
    /// Raw SQL with optional bound parameters.
    ExecuteSql {
        sql: String,
        params: Option<Vec<Value>>,
    },
}

impl Command {
    /// The command's name as written in files (`createTable`).
    pub fn name(&self) -> &'static str {
        match self {
            Command::SetSchema(_) => "setSchema",
            Command::CreateTable { .. } => "createTable",
            Command::DropTable { .. } => "dropTable",
            Command::RenameTable { .. } => "renameTable",
            Command::AlterColumn { .. } => "alterColumn",
            Command::AddColumn { .. } => "addColumn",
            Command::DropColumn { .. } => "dropColumn",
            Command::RenameColumn { .. } => "renameColumn",
            Command::CreateIndex { .. } => "createIndex",
            Command::DropIndex { .. } => "dropIndex",
            Command::CreateForeignKey { .. } => "createForeignKey",
            Command::DropForeignKey { .. } => "dropForeignKey",
            Command::ExecuteSql { .. } => "executeSql",
        }
    }

    /// The command as instant.dev writes it: `[name, ...args]` with trailing nulls stripped.
    pub fn to_json(&self) -> Value {
        fn props(p: &Option<ColumnProperties>) -> Value {
            match p {
                Some(p) if !p.is_empty() => json!(p),
                _ => Value::Null,
            }
        }
        let mut array = vec![Value::from(self.name())];
        match self {
            Command::SetSchema(schema) => array.push(schema.to_json()),
            Command::CreateTable { table, columns } => {
                array.push(json!(table));
                array.push(json!(columns));
            }
            Command::DropTable { table } => array.push(json!(table)),
            Command::RenameTable { table, new_table } => {
                array.extend([json!(table), json!(new_table)]);
            }
            Command::AlterColumn {
                table,
                column,
                column_type,
                properties,
            } => {
                array.extend([
                    json!(table),
                    json!(column),
                    json!(column_type),
                    props(properties),
                ]);
            }
            Command::AddColumn {
                table,
                column,
                column_type,
                properties,
            } => {
                array.extend([
                    json!(table),
                    json!(column),
                    json!(column_type),
                    props(properties),
                ]);
            }
            Command::DropColumn { table, column }
            | Command::DropIndex { table, column }
            | Command::DropForeignKey { table, column } => {
                array.extend([json!(table), json!(column)]);
            }
            Command::RenameColumn {
                table,
                column,
                new_column,
            } => {
                array.extend([json!(table), json!(column), json!(new_column)]);
            }
            Command::CreateIndex {
                table,
                column,
                index_type,
            } => {
                array.extend([json!(table), json!(column), json!(index_type)]);
            }
            Command::CreateForeignKey {
                table,
                column,
                parent_table,
                parent_column,
                behavior,
            } => {
                let behavior = match behavior {
                    Some(b) if !b.is_empty() => json!(b),
                    _ => Value::Null,
                };
                array.extend([
                    json!(table),
                    json!(column),
                    json!(parent_table),
                    json!(parent_column),
                    behavior,
                ]);
            }
            Command::ExecuteSql { sql, params } => {
                array.extend([json!(sql), json!(params)]);
            }
        }
        while array.last().is_some_and(Value::is_null) {
            array.pop();
        }
        Value::Array(array)
    }
}
