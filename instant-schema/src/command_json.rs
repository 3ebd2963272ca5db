//! Reading one migration command, `["createTable", "users", [...]]`, into a [`Command`].
//!
//! Follows instant.dev's `Migration.validateCommand`: the name must be one of the 13 commands,
//! trailing `null`s are stripped, then there may not be more arguments than the command takes,
//! required ones must be present, and each argument must match its type tag. The result is
//! normalized ([`Command::normalize`]) so that writing it back gives what instant.dev stores.

use serde_json::Value;

use crate::command::Command;
use crate::error::{Error, Result, describe};
use crate::json_path::JsonPath;
use crate::schema::Column;
use crate::schema_json::{
    array, column_type, index_type, parse_behavior, parse_column, parse_column_properties,
    parse_schema, string,
};

/// Each command with its arguments as `name: tag`, in instant.dev's `allowedCommands` order.
pub const SIGNATURES: &[(&str, &[&str])] = &[
    ("setSchema", &["schema: schema"]),
    ("createTable", &["table: string", "columns: column[]"]),
    ("dropTable", &["table: string"]),
    ("renameTable", &["table: string", "newTable: string"]),
    (
        "alterColumn",
        &[
            "table: string",
            "column: string",
            "type: ?columnType",
            "properties: ?columnProperties",
        ],
    ),
    (
        "addColumn",
        &[
            "table: string",
            "column: string",
            "type: columnType",
            "properties: ?columnProperties",
        ],
    ),
    ("dropColumn", &["table: string", "column: string"]),
    (
        "renameColumn",
        &["table: string", "column: string", "newColumn: string"],
    ),
    (
        "createIndex",
        &["table: string", "column: string", "type: ?indexType"],
    ),
    ("dropIndex", &["table: string", "column: string"]),
    (
        "createForeignKey",
        &[
            "table: string",
            "column: string",
            "parentTable: string",
            "parentColumn: string",
            "behavior: ?foreignKeyBehavior",
        ],
    ),
    ("dropForeignKey", &["table: string", "column: string"]),
    ("executeSql", &["sql: string", "params: ?any[]"]),
];

/// The command's signature as it reads in messages: `createTable(table: string, columns: column[])`.
pub fn signature(name: &str) -> Option<String> {
    SIGNATURES
        .iter()
        .find(|(command, _)| *command == name)
        .map(|(command, args)| format!("{command}({})", args.join(", ")))
}

impl Command {
    /// Reads the command at `at` (for example `up[2]`), validates and normalizes it.
    ///
    /// ```
    /// use instant_schema::Command;
    /// use instant_schema::json_path::JsonPath;
    /// let json = serde_json::json!(["createTable", "users",
    ///     [{"name": "id", "type": "serial", "properties": {"primary_key": true}}]]);
    /// let command = Command::from_json(&json, &JsonPath::root()).unwrap();
    /// // serial implies primary_key, so it is dropped, as instant.dev does.
    /// assert_eq!(command.to_json(),
    ///     serde_json::json!(["createTable", "users", [{"name": "id", "type": "serial"}]]));
    /// ```
    pub fn from_json(value: &Value, at: &JsonPath) -> Result<Command> {
        let items = value.as_array().ok_or_else(|| {
            Error::invalid(
                at,
                format!(
                    "expected a command (an array [\"commandName\", ...arguments]), found {}",
                    describe(value)
                ),
            )
        })?;
        let Some(name_value) = items.first() else {
            return Err(Error::invalid(
                at,
                "expected a command (an array [\"commandName\", ...arguments]), found an empty array",
            ));
        };
        let name = name_value.as_str().unwrap_or_default();
        let Some((name, tags)) = SIGNATURES.iter().find(|(command, _)| *command == name) else {
            let known: Vec<&str> = SIGNATURES.iter().map(|(command, _)| *command).collect();
            let found = match name_value {
                Value::String(text) => format!("unknown command \"{text}\""),
                other => format!("expected a command name, found {}", describe(other)),
            };
            return Err(Error::invalid(
                &at.index(0),
                format!("{found}; expected one of {}", known.join(", ")),
            ));
        };

        let mut args: &[Value] = &items[1..];
        while let Some((Value::Null, rest)) = args.split_last() {
            args = rest;
        }
        if args.len() > tags.len() {
            return Err(Error::invalid(
                &at.index(tags.len() + 1),
                format!(
                    "too many arguments: \"{name}\" takes {} argument{}, found {}; expected {}",
                    tags.len(),
                    if tags.len() == 1 { "" } else { "s" },
                    args.len(),
                    signature(name).unwrap_or_default()
                ),
            ));
        }
        let reader = Arguments {
            name,
            tags,
            args,
            at,
        };
        let mut command = reader.command()?;
        command.validate(at)?;
        command.normalize();
        Ok(command)
    }
}

/// The arguments of one command, read by position.
struct Arguments<'a> {
    name: &'a str,
    tags: &'a [&'a str],
    args: &'a [Value],
    at: &'a JsonPath,
}

impl Arguments<'_> {
    fn command(&self) -> Result<Command> {
        Ok(match self.name {
            "setSchema" => {
                Command::SetSchema(Box::new(parse_schema(self.required(0)?, &self.at_arg(0))?))
            }
            "createTable" => Command::CreateTable {
                table: self.string(0)?,
                columns: self.columns(1)?,
            },
            "dropTable" => Command::DropTable {
                table: self.string(0)?,
            },
            "renameTable" => Command::RenameTable {
                table: self.string(0)?,
                new_table: self.string(1)?,
            },
            "alterColumn" => Command::AlterColumn {
                table: self.string(0)?,
                column: self.string(1)?,
                column_type: match self.optional(2) {
                    Some(value) => Some(column_type(value, &self.at_arg(2))?),
                    None => None,
                },
                properties: match self.optional(3) {
                    Some(value) => Some(parse_column_properties(value, &self.at_arg(3))?),
                    None => None,
                },
            },
            "addColumn" => Command::AddColumn {
                table: self.string(0)?,
                column: self.string(1)?,
                column_type: column_type(self.required(2)?, &self.at_arg(2))?,
                properties: match self.optional(3) {
                    Some(value) => Some(parse_column_properties(value, &self.at_arg(3))?),
                    None => None,
                },
            },
            "dropColumn" => Command::DropColumn {
                table: self.string(0)?,
                column: self.string(1)?,
            },
            "renameColumn" => Command::RenameColumn {
                table: self.string(0)?,
                column: self.string(1)?,
                new_column: self.string(2)?,
            },
            "createIndex" => Command::CreateIndex {
                table: self.string(0)?,
                column: self.string(1)?,
                index_type: match self.optional(2) {
                    Some(value) => Some(index_type(value, &self.at_arg(2))?),
                    None => None,
                },
            },
            "dropIndex" => Command::DropIndex {
                table: self.string(0)?,
                column: self.string(1)?,
            },
            "createForeignKey" => Command::CreateForeignKey {
                table: self.string(0)?,
                column: self.string(1)?,
                parent_table: self.string(2)?,
                parent_column: self.string(3)?,
                behavior: match self.optional(4) {
                    Some(value) => Some(parse_behavior(value, &self.at_arg(4))?),
                    None => None,
                },
            },
            "dropForeignKey" => Command::DropForeignKey {
                table: self.string(0)?,
                column: self.string(1)?,
            },
            _ => Command::ExecuteSql {
                sql: self.string(0)?,
                params: match self.optional(1) {
                    Some(value) => {
                        Some(array(value, &self.at_arg(1), "the SQL parameters")?.clone())
                    }
                    None => None,
                },
            },
        })
    }

    /// Argument `i` (0-based) sits at index `i + 1` of the command array.
    fn at_arg(&self, i: usize) -> JsonPath {
        self.at.index(i + 1)
    }

    fn optional(&self, i: usize) -> Option<&Value> {
        self.args.get(i).filter(|value| !value.is_null())
    }

    fn required(&self, i: usize) -> Result<&Value> {
        self.optional(i).ok_or_else(|| {
            let tag = self.tags.get(i).copied().unwrap_or_default();
            let (at, found) = match self.args.get(i) {
                Some(_) => (self.at_arg(i), "found null"),
                None => (self.at.clone(), "it is missing"),
            };
            Error::invalid(
                &at,
                format!(
                    "\"{}\" needs argument {} ({tag}), {found}; expected {}",
                    self.name,
                    i + 1,
                    signature(self.name).unwrap_or_default()
                ),
            )
        })
    }

    fn string(&self, i: usize) -> Result<String> {
        let tag = self.tags.get(i).copied().unwrap_or_default();
        let what = match tag.split(':').next().unwrap_or(tag) {
            "table" => "the table name",
            "newTable" => "the new table name",
            "column" => "the column name",
            "newColumn" => "the new column name",
            "parentTable" => "the parent table name",
            "parentColumn" => "the parent column name",
            "sql" => "the SQL",
            _ => "a name",
        };
        string(self.required(i)?, &self.at_arg(i), what)
    }

    fn columns(&self, i: usize) -> Result<Vec<Column>> {
        let at = self.at_arg(i);
        array(self.required(i)?, &at, "the list of columns")?
            .iter()
            .enumerate()
            .map(|(j, value)| parse_column(value, &at.index(j)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(value: Value) -> Result<Command> {
        Command::from_json(&value, &JsonPath::root().key("up").index(0))
    }

    fn round_trip(value: Value) -> Value {
        parse(value).unwrap().to_json()
    }

    fn error(value: Value) -> String {
        parse(value).unwrap_err().to_string()
    }

    #[test]
    fn every_command_reads_and_writes_back() {
        let schema = json!({"migration_id": null, "indices": [], "foreign_keys": [], "tables": {}});
        for command in [
            json!(["setSchema", schema]),
            json!(["createTable", "users", [{"name": "email", "type": "string", "properties": {"nullable": true, "unique": true}}]]),
            json!(["dropTable", "users"]),
            json!(["renameTable", "users", "people"]),
            json!(["alterColumn", "users", "email", "text", {"unique": false}]),
            json!(["alterColumn", "users", "email", null, {"nullable": false}]),
            json!(["alterColumn", "users", "email", "text"]),
            json!(["addColumn", "users", "age", "int", {"defaultValue": 3}]),
            json!(["addColumn", "users", "tags", "text", {"array": true}]),
            json!(["dropColumn", "users", "age"]),
            json!(["renameColumn", "users", "age", "years"]),
            json!(["createIndex", "users", "email"]),
            json!(["createIndex", "users", "email", "gin"]),
            json!(["dropIndex", "users", "email"]),
            json!(["createForeignKey", "posts", "user_id", "users", "id"]),
            json!(["createForeignKey", "posts", "user_id", "users", "id", {"cascade": true, "alias": "author", "parentAlias": "writings"}]),
            json!(["dropForeignKey", "posts", "user_id"]),
            json!(["executeSql", "SELECT 1"]),
            json!(["executeSql", "SELECT $1", [1, "two", null]]),
            json!(["executeSql", "SELECT 1", []]),
        ] {
            assert_eq!(round_trip(command.clone()), command);
        }
    }

    #[test]
    fn strips_trailing_nulls_only() {
        assert_eq!(
            round_trip(json!(["createIndex", "users", "email", null])),
            json!(["createIndex", "users", "email"])
        );
        assert_eq!(
            round_trip(json!(["alterColumn", "users", "email", null, {"unique": true}])),
            json!(["alterColumn", "users", "email", null, {"unique": true}])
        );
        assert_eq!(
            round_trip(json!(["dropTable", "users", null, null])),
            json!(["dropTable", "users"])
        );
    }

    #[test]
    fn normalizes_like_instant_dev() {
        // Implied by serial: removed. Generic defaults: kept.
        assert_eq!(
            round_trip(json!(["createTable", "t", [
                {"name": "id", "type": "serial", "properties": {"primary_key": true, "nullable": false, "auto_increment": true}},
                {"name": "n", "type": "serial", "properties": {"nullable": true}},
                {"name": "s", "type": "string", "properties": {"nullable": true, "primary_key": false}},
                {"name": "e", "type": "string", "properties": {}}
            ]])),
            json!(["createTable", "t", [
                {"name": "id", "type": "serial"},
                {"name": "n", "type": "serial", "properties": {"nullable": true}},
                {"name": "s", "type": "string", "properties": {"nullable": true, "primary_key": false}},
                {"name": "e", "type": "string"}
            ]])
        );
        // addColumn / alterColumn properties are kept as given, except that an empty object goes.
        assert_eq!(
            round_trip(
                json!(["addColumn", "t", "id2", "serial", {"primary_key": true, "unique": false}])
            ),
            json!(["addColumn", "t", "id2", "serial", {"primary_key": true, "unique": false}])
        );
        assert_eq!(
            round_trip(json!(["addColumn", "t", "c", "int", {}])),
            json!(["addColumn", "t", "c", "int"])
        );
        // Behavior keys equal to their defaults go; an empty behavior goes.
        assert_eq!(
            round_trip(
                json!(["createForeignKey", "a", "b", "c", "d", {"mock": false, "cascade": false, "alias": null}])
            ),
            json!(["createForeignKey", "a", "b", "c", "d"])
        );
        assert_eq!(
            round_trip(
                json!(["createForeignKey", "a", "b", "c", "d", {"mock": true, "cascade": false}])
            ),
            json!(["createForeignKey", "a", "b", "c", "d", {"mock": true}])
        );
    }

    #[test]
    fn reports_shape_errors_where_they_are() {
        assert_eq!(
            error(json!("createTable")),
            "at up[0]: expected a command (an array [\"commandName\", ...arguments]), found string \"createTable\""
        );
        assert_eq!(
            error(json!([])),
            "at up[0]: expected a command (an array [\"commandName\", ...arguments]), found an empty array"
        );
        assert!(error(json!([5])).starts_with(
            "at up[0][0]: expected a command name, found number 5; expected one of setSchema,"
        ));
        assert_eq!(
            error(json!(["createTable", "t"])),
            "at up[0]: \"createTable\" needs argument 2 (columns: column[]), it is missing; expected createTable(table: string, columns: column[])"
        );
        assert_eq!(
            error(json!(["renameTable", null, "x"])),
            "at up[0][1]: \"renameTable\" needs argument 1 (table: string), found null; expected renameTable(table: string, newTable: string)"
        );
        assert_eq!(
            error(json!(["createIndex", "t", "c", "btree", "x"])),
            "at up[0][4]: too many arguments: \"createIndex\" takes 3 arguments, found 4; expected createIndex(table: string, column: string, type: ?indexType)"
        );
        assert_eq!(
            error(json!(["createTable", "t", [{"type": "int"}]])),
            "at up[0][2][0]: a column is missing the key \"name\""
        );
        assert_eq!(
            error(
                json!(["createTable", "t", [{"name": "a", "type": "int"}, {"name": "a", "type": "text"}]])
            ),
            "at up[0][2][1].name: a second column named \"a\" in table \"t\""
        );
        assert_eq!(
            error(json!(["createTable", "t", [{"name": "a", "type": "int", "properties": null}]])),
            "at up[0][2][0].properties: expected column properties (an object), found null"
        );
        assert_eq!(
            error(json!(["addColumn", "t", "c", "int", {"length": 0}])),
            "at up[0][4].length: expected a length (an integer greater than 0) or null, found number 0"
        );
        assert_eq!(
            error(json!(["addColumn", "t", "c", "int", {"unique": 1}])),
            "at up[0][4].unique: expected a boolean (true or false), found number 1"
        );
        assert_eq!(
            error(json!(["createForeignKey", "a", "b", "c", "d", {"alias": 3}])),
            "at up[0][5].alias: expected a relationship name (a non-empty string), found number 3"
        );
        assert_eq!(
            error(json!(["executeSql", "SELECT 1", {"a": 1}])),
            "at up[0][2]: expected the SQL parameters (an array), found object {\"a\":1}"
        );
        assert_eq!(
            error(json!(["setSchema", []])),
            "at up[0][1]: expected a schema (an object), found array []"
        );
    }

    #[test]
    fn vector_needs_a_length() {
        let message = "Invalid column[\"properties\"][\"length\"] for column type \"vector\": must be an integer greater than 0";
        assert_eq!(
            error(json!(["createTable", "t", [{"name": "v", "type": "vector"}]])),
            format!("at up[0][2][0]: {message}")
        );
        assert_eq!(
            error(
                json!(["createTable", "t", [{"name": "v", "type": "vector", "properties": {"length": null}}]])
            ),
            format!("at up[0][2][0].properties.length: {message}")
        );
        assert_eq!(
            error(json!(["addColumn", "t", "v", "vector"])),
            format!("at up[0]: {message}")
        );
        assert_eq!(
            round_trip(
                json!(["createTable", "t", [{"name": "v", "type": "vector", "properties": {"length": 3}}]])
            ),
            json!(["createTable", "t", [{"name": "v", "type": "vector", "properties": {"length": 3}}]])
        );
    }

    #[test]
    fn signatures_cover_every_command() {
        assert_eq!(SIGNATURES.len(), 13);
        assert_eq!(
            signature("createForeignKey").unwrap(),
            "createForeignKey(table: string, column: string, parentTable: string, parentColumn: string, behavior: ?foreignKeyBehavior)"
        );
        assert!(signature("addForeignKey").is_none());
    }
}
