//! Which fields `to_json` writes (instant.dev's interface argument): column and calculated
//! names, relationship names (the joined value in full) and `{relationship: [...]}` for a
//! joined value through an interface of its own.

use serde_json::Value;

use crate::error::{Error, Result};

/// The fields to serialize, in order.
///
/// ```
/// use instant_runtime::model::Interface;
///
/// let interface = Interface::parse(&serde_json::json!(["id", "name", {"house": ["id", "material"]}]))?;
/// assert_eq!(interface, Interface::fields(["id", "name"]).nest("house", Interface::fields(["id", "material"])));
/// # Ok::<(), instant_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interface {
    pub(crate) items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// A column, a calculated field, or a relationship serialized in full.
    Name(String),
    /// A relationship serialized through its own interface.
    Nested(String, Interface),
}

impl Interface {
    /// These names, in order.
    pub fn fields<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Interface {
        Interface {
            items: names
                .into_iter()
                .map(|name| Item::Name(name.into()))
                .collect(),
        }
    }

    /// Adds the joined `relation`, serialized through `interface`.
    pub fn nest(mut self, relation: impl Into<String>, interface: Interface) -> Interface {
        self.items.push(Item::Nested(relation.into(), interface));
        self
    }

    /// Reads instant.dev's JSON form: `["id", "name", {"house": ["id", "material"]}]`.
    pub fn parse(value: &Value) -> Result<Interface> {
        parse_at(value, "interface")
    }

    /// The names at the top level (nested relationships included), in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|item| match item {
            Item::Name(name) | Item::Nested(name, _) => name.as_str(),
        })
    }
}

fn parse_at(value: &Value, at: &str) -> Result<Interface> {
    let Value::Array(entries) = value else {
        return Err(invalid(at, "an array of field names", value));
    };
    let mut items = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("{at}[{index}]");
        match entry {
            Value::String(name) => items.push(Item::Name(name.clone())),
            Value::Object(map) => {
                for (name, sub) in map {
                    let sub = parse_at(sub, &format!("{at}.{name}"))?;
                    items.push(Item::Nested(name.clone(), sub));
                }
            }
            other => {
                return Err(invalid(
                    &at,
                    "a field name or {\"relationship\": [...]}",
                    other,
                ));
            }
        }
    }
    Ok(Interface { items })
}

fn invalid(at: &str, expected: &str, found: &Value) -> Error {
    Error::Input {
        message: format!("{at}: expected {expected}, found {found}"),
    }
}
