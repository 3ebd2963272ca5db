//! The 13 migration commands, as typed values.
//!
//! In a file a command is an array `["createTable", "users", [...]]`; trailing `null`
//! arguments are stripped. [`Command::to_json`] writes that array back.

use serde_json::{Value, json};

use crate::column_type;
use crate::error::{Error, Result};
use crate::index_path::JsonIndexPath;
use crate::json_path::JsonPath;
use crate::schema::{Column, ColumnProperties, ForeignKeyBehavior, Schema};
use crate::schema_json::{check_column_type, check_index_type, parse_schema};
use crate::sql_script;

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

    /// Checks what the types cannot: non-empty names, known column and index types, distinct
    /// column names, and a `length` for `vector` columns. `at` is the command's location
    /// (`up[2]`); errors point at the argument inside it.
    pub fn validate(&self, at: &JsonPath) -> Result<()> {
        let arg = |i: usize| at.index(i);
        match self {
            Command::SetSchema(schema) => {
                parse_schema(&schema.to_json(), &arg(1))?;
            }
            Command::CreateTable { table, columns } => {
                non_empty(table, &arg(1), "the table name")?;
                for (j, column) in columns.iter().enumerate() {
                    let column_at = arg(2).index(j);
                    non_empty(&column.name, &column_at.key("name"), "a column name")?;
                    check_column_type(&column.column_type, &column_at.key("type"))?;
                    if columns[..j].iter().any(|other| other.name == column.name) {
                        return Err(Error::invalid(
                            &column_at.key("name"),
                            format!(
                                "a second column named \"{}\" in table \"{table}\"",
                                column.name
                            ),
                        ));
                    }
                    check_vector_length(&column.column_type, &column.properties, &column_at)?;
                }
            }
            Command::DropTable { table } => non_empty(table, &arg(1), "the table name")?,
            Command::RenameTable { table, new_table } => {
                non_empty(table, &arg(1), "the table name")?;
                non_empty(new_table, &arg(2), "the new table name")?;
            }
            Command::AlterColumn {
                table,
                column,
                column_type,
                ..
            } => {
                non_empty(table, &arg(1), "the table name")?;
                non_empty(column, &arg(2), "the column name")?;
                if let Some(column_type) = column_type {
                    check_column_type(column_type, &arg(3))?;
                }
            }
            Command::AddColumn {
                table,
                column,
                column_type,
                properties,
            } => {
                non_empty(table, &arg(1), "the table name")?;
                non_empty(column, &arg(2), "the column name")?;
                check_column_type(column_type, &arg(3))?;
                let properties = properties.clone().unwrap_or_default();
                if column_type == "vector" && properties.length.flatten().is_none_or(|n| n <= 0) {
                    let at = if properties.length.is_some() {
                        arg(4).key("length")
                    } else {
                        at.clone()
                    };
                    return Err(Error::invalid(&at, VECTOR_LENGTH));
                }
            }
            Command::DropColumn { table, column }
            | Command::DropIndex { table, column }
            | Command::DropForeignKey { table, column } => {
                non_empty(table, &arg(1), "the table name")?;
                non_empty(column, &arg(2), "the column name")?;
            }
            Command::RenameColumn {
                table,
                column,
                new_column,
            } => {
                non_empty(table, &arg(1), "the table name")?;
                non_empty(column, &arg(2), "the column name")?;
                non_empty(new_column, &arg(3), "the new column name")?;
            }
            Command::CreateIndex {
                table,
                column,
                index_type,
            } => {
                non_empty(table, &arg(1), "the table name")?;
                non_empty(column, &arg(2), "the column name")?;
                check_index_column(column, &arg(2))?;
                if let Some(index_type) = index_type {
                    check_index_type(index_type, &arg(3))?;
                }
            }
            Command::CreateForeignKey {
                table,
                column,
                parent_table,
                parent_column,
                behavior,
            } => {
                non_empty(table, &arg(1), "the table name")?;
                non_empty(column, &arg(2), "the column name")?;
                non_empty(parent_table, &arg(3), "the parent table name")?;
                non_empty(parent_column, &arg(4), "the parent column name")?;
                if let Some(behavior) = behavior {
                    for (key, alias) in [
                        ("alias", &behavior.alias),
                        ("parentAlias", &behavior.parent_alias),
                    ] {
                        if let Some(alias) = alias {
                            non_empty(alias, &arg(5).key(key), "a relationship name")?;
                        }
                    }
                }
            }
            Command::ExecuteSql { sql, .. } => {
                non_empty(sql, &arg(1), "the SQL")?;
                check_sql_script(sql, &arg(1))?;
            }
        }
        Ok(())
    }

    /// Puts the command in the form instant.dev stores: `createTable` columns lose properties
    /// their type implies (`serial` + `primary_key: true` is plain `serial`); empty column
    /// properties and foreign-key behaviors, and behavior keys equal to their defaults, go.
    /// Properties of `addColumn`/`alterColumn` are otherwise kept as given.
    pub fn normalize(&mut self) {
        match self {
            Command::CreateTable { columns, .. } => {
                for column in columns {
                    let implied = column_type::alias(&column.column_type)
                        .map(|alias| alias.implied)
                        .unwrap_or_default();
                    let p = &mut column.properties;
                    if implied.primary_key && p.primary_key == Some(true) {
                        p.primary_key = None;
                    }
                    if implied.nullable_false && p.nullable == Some(false) {
                        p.nullable = None;
                    }
                    if implied.auto_increment && p.auto_increment == Some(true) {
                        p.auto_increment = None;
                    }
                }
            }
            Command::AlterColumn { properties, .. } | Command::AddColumn { properties, .. }
                if properties.as_ref().is_some_and(ColumnProperties::is_empty) =>
            {
                *properties = None;
            }
            Command::CreateForeignKey { behavior, .. } => {
                if let Some(b) = behavior {
                    if b.mock == Some(false) {
                        b.mock = None;
                    }
                    if b.cascade == Some(false) {
                        b.cascade = None;
                    }
                }
                if behavior.as_ref().is_some_and(ForeignKeyBehavior::is_empty) {
                    *behavior = None;
                }
            }
            _ => {}
        }
    }

    /// instant.dev drops `unique` from the properties of an applied `addColumn`/`alterColumn`
    /// that sets `primary_key`, and that change reaches the stored `up` command too.
    pub(crate) fn normalize_applied(&mut self) {
        if let Command::AlterColumn { properties, .. } | Command::AddColumn { properties, .. } =
            self
        {
            if let Some(p) = properties
                && p.primary_key == Some(true)
            {
                p.unique = None;
            }
            if properties.as_ref().is_some_and(ColumnProperties::is_empty) {
                *properties = None;
            }
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

/// instant.dev's message for a `vector` column without a usable `length`.
pub(crate) const VECTOR_LENGTH: &str = "Invalid column[\"properties\"][\"length\"] for column type \"vector\": must be an integer greater than 0";

/// A `vector` column needs `properties.length`; `at` is the column's location.
pub(crate) fn check_vector_length(
    column_type: &str,
    properties: &ColumnProperties,
    at: &JsonPath,
) -> Result<()> {
    if column_type != "vector" || properties.length.flatten().is_some_and(|n| n > 0) {
        return Ok(());
    }
    let at = if properties.length.is_some() {
        at.key("properties").key("length")
    } else {
        at.clone()
    };
    Err(Error::invalid(&at, VECTOR_LENGTH))
}

/// An index column with `->` must be a JSON path ([`JsonIndexPath`]): it is quoted into the
/// index expression, never pasted.
pub(crate) fn check_index_column(column: &str, at: &JsonPath) -> Result<()> {
    JsonIndexPath::parse(column)
        .map(|_| ())
        .map_err(|message| Error::invalid(at, message))
}

/// An `executeSql` entry runs inside its migration's transaction, one statement at a time:
/// no statement may end or change that transaction. (With parameters the SQL is one
/// prepared statement, and the server refuses several.)
fn check_sql_script(sql: &str, at: &JsonPath) -> Result<()> {
    let statements = sql_script::statements(sql);
    for (number, statement) in statements.iter().enumerate() {
        if let Some(control) = sql_script::transaction_control(statement) {
            return Err(Error::invalid(
                at,
                format!(
                    "statement {} of executeSql is transaction control ({control}): \"{statement}\"; \
                     a migration runs in one transaction, which executeSql may not end or change",
                    number + 1
                ),
            ));
        }
    }
    Ok(())
}

fn non_empty(text: &str, at: &JsonPath, what: &str) -> Result<()> {
    if text.is_empty() {
        Err(Error::invalid(
            at,
            format!("expected {what} (a non-empty string), found string \"\""),
        ))
    } else {
        Ok(())
    }
}
