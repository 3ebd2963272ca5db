//! One migration file: `{id, name, up, down}`.

use serde_json::{Value, json};

use crate::command::Command;

/// A migration: commands to apply (`up`) and to undo them (`down`, in reverse order).
#[derive(Debug, Clone, PartialEq)]
pub struct Migration {
    /// An integer from 1 to 2^53 - 1; by default the UTC timestamp `YYYYMMDDHHMMSS`.
    pub id: i64,
    /// Letters, digits, spaces, `_` and `-`; may be empty.
    pub name: String,
    pub up: Vec<Command>,
    pub down: Vec<Command>,
}

impl Migration {
    /// The migration as instant.dev writes it (and stores in `_instant_migrations.commands`).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "up": self.up.iter().map(Command::to_json).collect::<Vec<_>>(),
            "down": self.down.iter().map(Command::to_json).collect::<Vec<_>>(),
        })
    }

    /// The file name: the id zero-padded to 14 digits, `__`, the name, `.json`
    /// (`00000000000001__initial_migration.json`); the name part is left out when empty.
    pub fn filename(&self) -> String {
        if self.name.is_empty() {
            format!("{:014}.json", self.id)
        } else {
            format!("{:014}__{}.json", self.id, self.name)
        }
    }
}
