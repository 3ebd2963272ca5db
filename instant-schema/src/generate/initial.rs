//! The first migration of a project, `00000000000001__initial_migration.json`: a `setSchema`
//! to the schema the project starts from, undone by a `setSchema` back to the one before.

use serde_json::{Map, Value};

use crate::command::Command;
use crate::migration::Migration;
use crate::schema::Schema;

/// The initial migration recording `schema` (instant.dev's `initialize`): id one more than
/// the schema's `migration_id` (so 1 for a new project), name `initial_migration`.
///
/// ```
/// use instant_schema::Schema;
/// use instant_schema::generate::initial_migration;
/// let migration = initial_migration(&Schema::empty());
/// assert_eq!(migration.filename(), "00000000000001__initial_migration.json");
/// ```
pub fn initial_migration(schema: &Schema) -> Migration {
    let id = schema.migration_id.unwrap_or(0) + 1;
    let mut recorded = schema.clone();
    recorded.migration_id = Some(id);
    Migration {
        id,
        name: "initial_migration".to_string(),
        up: vec![Command::SetSchema(Box::new(recorded))],
        down: vec![Command::SetSchema(Box::new(schema.clone()))],
    }
}

/// The file `instant init` writes for `migration`: two-space JSON without a final newline,
/// each schema's keys in the order instant.dev's introspection gives them (`migration_id`,
/// `foreign_keys`, `indices`, `tables`), so a new project's file is byte for byte the one
/// instant.dev writes.
///
/// ```
/// use instant_schema::Schema;
/// use instant_schema::generate::{initial_migration, initial_migration_text};
/// let text = initial_migration_text(&initial_migration(&Schema::empty()));
/// assert!(text.contains("\"migration_id\": 1,\n        \"foreign_keys\": [],"));
/// assert!(!text.ends_with('\n'));
/// ```
pub fn initial_migration_text(migration: &Migration) -> String {
    let mut json = migration.to_json();
    for direction in ["up", "down"] {
        let commands = json.get_mut(direction).and_then(Value::as_array_mut);
        for command in commands.into_iter().flatten() {
            let is_set_schema = command.get(0).and_then(Value::as_str) == Some("setSchema");
            if let Some(schema) = command.get_mut(1).filter(|_| is_set_schema) {
                *schema = introspection_order(schema);
            }
        }
    }
    serde_json::to_string_pretty(&json).unwrap_or_default()
}

fn introspection_order(schema: &Value) -> Value {
    let mut ordered = Map::new();
    for key in ["migration_id", "foreign_keys", "indices", "tables"] {
        if let Some(value) = schema.get(key) {
            ordered.insert(key.to_string(), value.clone());
        }
    }
    Value::Object(ordered)
}
