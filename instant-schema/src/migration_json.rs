//! Reading one migration file, `{id, name, up, down}`, into a [`Migration`].
//!
//! The rules are instant.dev's `Migration.validateMigration`: exactly these four keys, an
//! integer id from 1 to 2^53 - 1, a name of letters, digits, spaces, `_` and `-`, and `up` and
//! `down` lists of valid commands. Locations in errors start at the file's root
//! (`up[2][3].properties.nullable`).

use serde_json::Value;

use crate::command::Command;
use crate::error::{Error, Result, describe};
use crate::json_path::JsonPath;
use crate::migration::Migration;
use crate::schema_json::{array, object, only_keys, required};

/// The largest migration id: JavaScript's `Number.MAX_SAFE_INTEGER`.
pub const MAX_ID: i64 = (1 << 53) - 1;

impl Migration {
    /// Reads a migration file's JSON, validating and normalizing every command.
    ///
    /// ```
    /// use instant_schema::Migration;
    /// let json = serde_json::json!({"id": 1, "name": "create_users",
    ///     "up": [["createTable", "users", []]], "down": [["dropTable", "users"]]});
    /// let migration = Migration::from_json(&json).unwrap();
    /// assert_eq!(migration.filename(), "00000000000001__create_users.json");
    /// assert_eq!(migration.to_json(), json);
    /// ```
    pub fn from_json(value: &Value) -> Result<Migration> {
        let root = JsonPath::root();
        const WHAT: &str = "a migration {\"id\", \"name\", \"up\", \"down\"}";
        let map = object(value, &root, WHAT)?;
        only_keys(map, &root, &["id", "name", "up", "down"], "a migration")?;
        let id = id(
            required(map, &root, "id", "the migration")?,
            &root.key("id"),
        )?;
        let name = name(
            required(map, &root, "name", "the migration")?,
            &root.key("name"),
        )?;
        let up = commands(required(map, &root, "up", "the migration")?, "up")?;
        let mut up = up;
        for command in &mut up {
            command.normalize_applied();
        }
        let down = commands(required(map, &root, "down", "the migration")?, "down")?;
        Ok(Migration { id, name, up, down })
    }
}

/// Fails unless `id` is a valid migration id (1 to 2^53 - 1).
pub fn validate_id(id: i64) -> std::result::Result<(), String> {
    if (1..=MAX_ID).contains(&id) {
        Ok(())
    } else {
        Err(format!(
            "expected a migration id (an integer from 1 to {MAX_ID}), found {id}"
        ))
    }
}

/// Fails unless `name` has only letters, digits, spaces, `_` and `-` (it may be empty).
pub fn validate_name(name: &str) -> std::result::Result<(), String> {
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-')))
    {
        None => Ok(()),
        Some(bad) => Err(format!(
            "expected a migration name of letters, digits, spaces, \"_\" and \"-\", found {:?} (with {bad:?})",
            name
        )),
    }
}

fn id(value: &Value, at: &JsonPath) -> Result<i64> {
    let id = value.as_i64().filter(|id| validate_id(*id).is_ok());
    id.ok_or_else(|| {
        Error::invalid(
            at,
            format!(
                "expected a migration id (an integer from 1 to {MAX_ID}), found {}",
                describe(value)
            ),
        )
    })
}

fn name(value: &Value, at: &JsonPath) -> Result<String> {
    let text = value.as_str().ok_or_else(|| {
        Error::invalid(
            at,
            format!(
                "expected a migration name (a string of letters, digits, spaces, \"_\" and \"-\"), found {}",
                describe(value)
            ),
        )
    })?;
    validate_name(text).map_err(|message| Error::invalid(at, message))?;
    Ok(text.to_string())
}

fn commands(value: &Value, key: &str) -> Result<Vec<Command>> {
    let at = JsonPath::root().key(key);
    array(value, &at, "a list of commands")?
        .iter()
        .enumerate()
        .map(|(i, command)| Command::from_json(command, &at.index(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn error(value: Value) -> String {
        Migration::from_json(&value).unwrap_err().to_string()
    }

    #[test]
    fn ids_and_names() {
        let ok = |id: Value, name: &str| {
            Migration::from_json(&json!({"id": id, "name": name, "up": [], "down": []}))
        };
        assert!(ok(json!(1), "").is_ok());
        assert!(ok(json!(MAX_ID), "Create-users 2_x").is_ok());
        assert!(ok(json!(MAX_ID + 1), "a").is_err());
        assert!(ok(json!(0), "a").is_err());
        assert!(ok(json!(-4), "a").is_err());
        assert!(ok(json!(1.5), "a").is_err());
        assert!(ok(json!(1), "a.b").is_err());
        assert!(ok(json!(1), "é").is_err());
    }

    #[test]
    fn exact_keys() {
        assert_eq!(
            error(json!({"id": 1, "name": "a", "up": []})),
            "the migration is missing the key \"down\""
        );
        assert_eq!(
            error(json!({"id": 1, "name": 2, "up": [], "down": []})),
            "at name: expected a migration name (a string of letters, digits, spaces, \"_\" and \"-\"), found number 2"
        );
        assert_eq!(
            error(json!({"id": 1, "name": "a", "up": {}, "down": []})),
            "at up: expected a list of commands (an array), found object {}"
        );
        assert_eq!(
            error(json!([1])),
            "expected a migration {\"id\", \"name\", \"up\", \"down\"} (an object), found array [1]"
        );
    }

    #[test]
    fn applied_up_commands_lose_unique_next_to_primary_key() {
        let json = json!({"id": 1, "name": "a",
            "up": [["addColumn", "t", "c", "int", {"primary_key": true, "unique": true}]],
            "down": [["addColumn", "t", "c", "int", {"primary_key": true, "unique": true}]]});
        let migration = Migration::from_json(&json).unwrap().to_json();
        assert_eq!(
            migration["up"][0],
            json!(["addColumn", "t", "c", "int", {"primary_key": true}])
        );
        assert_eq!(migration["down"][0], json["down"][0]);
    }
}
