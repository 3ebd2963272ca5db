//! Migrations from templates (instant.dev's `Migrator.createFromTemplate`), as kits ship them:
//! a migration file whose `id` is `null`, to be given the id of the day it is installed.

use serde_json::Value;

use crate::builder::MigrationBuilder;
use crate::command::Command;
use crate::error::{Error, Result, describe};
use crate::json_path::JsonPath;
use crate::migration::Migration;
use crate::schema::Schema;

/// Builds the migration `template` describes on top of `schema`, with `id` (a template's own
/// `id` is ignored: kits leave it `null`). Each `up` command is checked and applied in turn, so
/// one that does not fit the schema (a table that already exists) fails here. With a `down`
/// list, `up` and `down` are kept as written; without one, `down` is generated.
///
/// ```
/// use instant_schema::Schema;
/// use instant_schema::generate::migration_from_template;
/// let template = serde_json::json!({
///     "id": null,
///     "name": "create_notes",
///     "up": [["createTable", "notes", [{"name": "body", "type": "text"}]]]
/// });
/// let migration = migration_from_template(&Schema::empty(), &template, 20250101000000)?;
/// assert_eq!(migration.down[0].to_json(), serde_json::json!(["dropTable", "notes"]));
/// # Ok::<(), instant_schema::Error>(())
/// ```
pub fn migration_from_template(schema: &Schema, template: &Value, id: i64) -> Result<Migration> {
    let root = JsonPath::root();
    let commands = |key: &str| -> Result<Option<Vec<Command>>> {
        let Some(value) = template.get(key) else {
            return Ok(None);
        };
        let at = root.key(key);
        let items = value.as_array().ok_or_else(|| {
            Error::invalid(
                &at,
                format!("expected an array of commands, found {}", describe(value)),
            )
        })?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Command::from_json(item, &at.index(i)))
            .collect::<Result<Vec<_>>>()
            .map(Some)
    };
    let name = match template.get("name") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            return Err(Error::invalid(
                &root.key("name"),
                format!("expected a string, found {}", describe(other)),
            ));
        }
    };
    let up = commands("up")?.unwrap_or_default();
    let down = commands("down")?;
    let mut builder = MigrationBuilder::new(schema.clone()).with_id(id);
    if !name.is_empty() {
        builder = builder.with_name(name);
    }
    match down {
        Some(down) => {
            for command in up {
                builder.add_up(command)?;
            }
            // `add_down` puts each command first: add them last to first to keep their order.
            for command in down.into_iter().rev() {
                builder.add_down(command)?;
            }
        }
        None => {
            for command in up {
                builder.add(command)?;
            }
        }
    }
    builder.build()
}
