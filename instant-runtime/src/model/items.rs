//! Plain rows (instant.dev's `ItemArray`): what a grouped or aggregate query returns, when
//! the rows are not models.

use serde_json::{Map, Value};

use super::interface::Interface;
use super::records::query_json;

/// Rows as JSON objects, with the query's `total` and `offset`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Items {
    rows: Vec<Map<String, Value>>,
    total: Option<u64>,
    offset: u64,
}

impl Items {
    /// These rows.
    pub fn new(rows: Vec<Map<String, Value>>) -> Items {
        Items {
            rows,
            total: None,
            offset: 0,
        }
    }

    /// Sets the total number of rows the query matched and the offset it started at.
    pub fn set_meta(&mut self, total: u64, offset: u64) {
        self.total = Some(total);
        self.offset = offset;
    }

    /// The rows.
    pub fn rows(&self) -> &[Map<String, Value>] {
        &self.rows
    }

    /// The rows as a JSON array; with an interface, only the keys it names (instant.dev
    /// takes the keys of the first row, filtered by the interface).
    pub fn to_json(&self, interface: Option<&Interface>) -> Value {
        let Some(first) = self.rows.first() else {
            return Value::Array(Vec::new());
        };
        let keys: Vec<&String> = match interface {
            Some(interface) => first
                .keys()
                .filter(|key| interface.names().any(|name| name == key.as_str()))
                .collect(),
            None => first.keys().collect(),
        };
        Value::Array(
            self.rows
                .iter()
                .map(|row| {
                    let picked = keys
                        .iter()
                        .map(|&key| (key.clone(), row.get(key).cloned().unwrap_or(Value::Null)))
                        .collect();
                    Value::Object(picked)
                })
                .collect(),
        )
    }

    /// instant.dev's `toQueryJSON`: `{"meta": {"total", "count", "offset"}, "data": […]}`.
    pub fn to_query_json(&self, interface: Option<&Interface>) -> Value {
        let total = self.total.unwrap_or(0).max(self.rows.len() as u64);
        query_json(total, self.rows.len(), self.offset, self.to_json(interface))
    }
}
