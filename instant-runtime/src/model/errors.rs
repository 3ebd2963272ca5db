//! Validation and verification failures in instant.dev's JSON shape:
//! `{"email": {"message": "must be valid", "invalid": true, "additional": ["second"]}}`.

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Failures by field, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    fields: IndexMap<String, FieldError>,
}

/// The failures of one field: the first message, then any others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub message: String,
    /// Further messages; absent from JSON when empty.
    pub additional: Vec<String>,
}

impl ValidationErrors {
    /// No failures.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `message` for `field` (after any earlier ones).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        match self.fields.get_mut(field) {
            Some(error) => error.additional.push(message),
            None => {
                self.fields.insert(
                    field.to_string(),
                    FieldError {
                        message,
                        additional: Vec::new(),
                    },
                );
            }
        }
    }

    /// Forgets the failures of `field`.
    pub fn clear(&mut self, field: &str) {
        self.fields.shift_remove(field);
    }

    /// True when nothing failed.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The failures of `field`.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.fields.get(field)
    }

    /// Every failing field with its failures.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldError)> {
        self.fields
            .iter()
            .map(|(field, error)| (field.as_str(), error))
    }

    /// The instant.dev JSON value.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for ValidationErrors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (field, error) in &self.fields {
            map.serialize_entry(field, error)?;
        }
        map.end()
    }
}

impl Serialize for FieldError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = if self.additional.is_empty() { 2 } else { 3 };
        let mut map = serializer.serialize_map(Some(len))?;
        map.serialize_entry("message", &self.message)?;
        map.serialize_entry("invalid", &true)?;
        if !self.additional.is_empty() {
            map.serialize_entry("additional", &self.additional)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_instant_dev_does() {
        let mut errors = ValidationErrors::new();
        errors.add("email", "must be valid");
        errors.add("email", "second message");
        errors.add("name", "is required");
        assert_eq!(
            errors.to_json(),
            serde_json::json!({
                "email": {"message": "must be valid", "invalid": true, "additional": ["second message"]},
                "name": {"message": "is required", "invalid": true}
            })
        );
    }
}
