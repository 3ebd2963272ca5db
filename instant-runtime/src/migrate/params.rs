//! `executeSql` parameters, bound the way instant.dev's driver (node-postgres) binds them.
//!
//! The parameters in a migration file are JSON values whose SQL types only the server knows
//! (`$1` may be a `bigint` column or a `text[]`). node-postgres sends every parameter in text
//! format and lets the server parse it for the type it inferred; so do we, which makes the same
//! files run with the same meaning: numbers and booleans as their text, objects as JSON, arrays
//! as PostgreSQL array literals, `null` as NULL.

use instant_pg::types::{Format, IsNull, ToSql, Type, to_sql_checked};
use serde_json::Value;

/// One parameter in text format; `None` is SQL NULL.
#[derive(Debug, Clone, PartialEq)]
pub struct TextParam(pub Option<String>);

impl TextParam {
    /// The text node-postgres would send for `value`.
    pub fn from_json(value: &Value) -> TextParam {
        TextParam(match value {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            Value::Array(items) => Some(array_literal(items)),
            other => Some(other.to_string()),
        })
    }
}

impl ToSql for TextParam {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut instant_pg::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match &self.0 {
            Some(text) => {
                out.extend_from_slice(text.as_bytes());
                Ok(IsNull::No)
            }
            None => Ok(IsNull::Yes),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &Type) -> Format {
        Format::Text
    }

    to_sql_checked!();
}

/// A PostgreSQL array literal (`{"a","b",NULL}`), nested arrays nested, every other element
/// double-quoted with `\` and `"` escaped.
pub fn array_literal(items: &[Value]) -> String {
    let elements: Vec<String> = items
        .iter()
        .map(|item| match item {
            Value::Null => "NULL".to_string(),
            Value::Array(inner) => array_literal(inner),
            Value::String(text) => quote_element(text),
            other => quote_element(&other.to_string()),
        })
        .collect();
    format!("{{{}}}", elements.join(","))
}

fn quote_element(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_become_node_postgres_text() {
        let text = |value| TextParam::from_json(&value).0;
        assert_eq!(text(json!(null)), None);
        assert_eq!(text(json!("a'b")), Some("a'b".into()));
        assert_eq!(text(json!(12)), Some("12".into()));
        assert_eq!(text(json!(1.5)), Some("1.5".into()));
        assert_eq!(text(json!(true)), Some("true".into()));
        assert_eq!(text(json!({"a": [1]})), Some(r#"{"a":[1]}"#.into()));
        assert_eq!(
            text(json!(["x", null, 2, ["q\"\\"]])),
            Some(r#"{"x",NULL,"2",{"q\"\\"}}"#.into())
        );
    }
}
