//! `{{ NAME }}` placeholders: a whole JSON string naming an environment variable, so the
//! committed `db.json` holds no secrets.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::json_path::JsonPath;

/// The variable name of a placeholder string (`"{{ DB_HOST }}"` → `DB_HOST`), or `None` for
/// any other string. As in instant.dev, only a whole string is a placeholder.
pub(crate) fn variable_name(text: &str) -> Option<&str> {
    (text.len() >= 4 && text.starts_with("{{") && text.ends_with("}}"))
        .then(|| text[2..text.len() - 2].trim())
}

/// Replaces every `{{ NAME }}` string (at any depth) by the variable `NAME`. An empty value is
/// an error, except for a `password`.
pub(crate) fn resolve_placeholders(
    value: &Value,
    at: &JsonPath,
    vars: &dyn Fn(&str) -> Option<String>,
    allow_empty: bool,
) -> Result<Value> {
    Ok(match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let resolved =
                        resolve_placeholders(value, &at.key(key), vars, key == "password")?;
                    Ok((key.clone(), resolved))
                })
                .collect::<Result<Map<String, Value>>>()?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| resolve_placeholders(item, &at.index(i), vars, false))
                .collect::<Result<Vec<Value>>>()?,
        ),
        Value::String(text) => match variable_name(text) {
            None => value.clone(),
            Some(name) => match vars(name) {
                None => {
                    return Err(Error::invalid(
                        at,
                        format!("No environment variable matching \"{name}\" found"),
                    ));
                }
                Some(found) if found.is_empty() && !allow_empty => {
                    return Err(Error::invalid(
                        at,
                        format!("Environment variable matching \"{name}\" is empty"),
                    ));
                }
                Some(found) => Value::String(found),
            },
        },
        other => other.clone(),
    })
}
