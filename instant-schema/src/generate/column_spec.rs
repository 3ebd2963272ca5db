//! A column given on the command line, `name:type[:flag]...`: the answers instant.dev's
//! `g:model` prompts for (name, type, nullable, unique, the `vector` length), plus the index,
//! array and default value that would otherwise take a second migration.

use serde_json::Value;

use crate::column_type;
use crate::error::{Error, Result};
use crate::index_type::{IndexType, VectorDistance, VectorMethod};
use crate::json_path::JsonPath;
use crate::schema::{Column, ColumnProperties};

/// The `length` a `vector` column gets when none is given (the size of OpenAI's embeddings,
/// instant.dev's prompt default).
pub const VECTOR_DEFAULT_LENGTH: i64 = 1536;

/// Every flag, as the error for an unknown one lists them.
pub const FLAGS: &[&str] = &[
    "not_null",
    "null",
    "unique",
    "index[=btree|hash|gist|gin|hnsw[:cosine|ip|l2]|ivfflat[:cosine|ip|l2]]",
    "array",
    "length=N",
    "default=VALUE",
];

/// One column to create, and the index to put on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    /// The column as `createTable` lists it: properties equal to their defaults left out.
    pub column: Column,
    /// Whether the column gets an index (`createIndex` after the table).
    pub index: bool,
    /// The index's type, when given (`btree` otherwise, left unwritten as instant.dev does).
    pub index_type: Option<String>,
}

impl ColumnSpec {
    /// Reads `name:type[:flag]...`.
    ///
    /// Flags: `not_null` (alias `required`), `null` (alias `nullable`, the default), `unique`,
    /// `index` or `index=TYPE` (a vector index's distance after a colon: `index=hnsw:ip`),
    /// `array`, `length=N`, `default=VALUE` (JSON when it parses as JSON, else the text). A
    /// `vector` column without `length` gets 1536.
    ///
    /// ```
    /// use instant_schema::generate::ColumnSpec;
    /// let spec = ColumnSpec::parse("tags:string:array:not_null")?;
    /// assert_eq!(
    ///     serde_json::to_value(&spec.column)?,
    ///     serde_json::json!({"name": "tags", "type": "string",
    ///                        "properties": {"nullable": false, "array": true}})
    /// );
    /// let error = ColumnSpec::parse("age:integr").unwrap_err().to_string();
    /// assert!(error.starts_with("column \"age:integr\": unknown type \"integr\"; valid types: serial, int,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(spec: &str) -> Result<ColumnSpec> {
        let fail = |message: String| {
            Error::invalid(&JsonPath::root(), format!("column \"{spec}\": {message}"))
        };
        let mut parts = spec.split(':');
        let name = parts.next().unwrap_or_default();
        check_name(name).map_err(fail)?;
        let Some(column_type) = parts.next().filter(|t| !t.is_empty()) else {
            return Err(fail(
                "expected `name:type[:flag]...`, the type is missing".to_string(),
            ));
        };
        if !column_type::is_known(column_type) {
            let valid: Vec<&str> = column_type::all_types().collect();
            return Err(fail(format!(
                "unknown type \"{column_type}\"; valid types: {}",
                valid.join(", ")
            )));
        }
        let mut flags = Flags::default();
        let mut parts = parts.peekable();
        while let Some(flag) = parts.next() {
            // `index=hnsw:ip`: the distance of a vector index comes after a colon, which also
            // separates flags, so a distance name right after `index=hnsw` belongs to it.
            let joined;
            let flag = match parts.peek() {
                Some(next) if is_vector_index_flag(flag) && !is_flag(next) => {
                    joined = format!("{flag}:{next}");
                    parts.next();
                    joined.as_str()
                }
                _ => flag,
            };
            flags.read(flag).map_err(fail)?;
        }
        let mut properties = ColumnProperties {
            nullable: flags.nullable.filter(|nullable| !nullable),
            unique: flags.unique.then_some(true),
            array: flags.array.then_some(true),
            default_value: flags.default_value,
            ..ColumnProperties::default()
        };
        properties.length = match (flags.length, column_type) {
            (Some(length), _) => Some(Some(length)),
            (None, "vector") => Some(Some(VECTOR_DEFAULT_LENGTH)),
            (None, _) => None,
        };
        let column = Column {
            name: name.to_string(),
            column_type: column_type.to_string(),
            properties,
        };
        if let Some(kind) = flags.index_type.as_deref().map(IndexType::parse) {
            let kind = kind.map_err(fail)?;
            if let Some(reason) = kind.unfit_column(&column) {
                return Err(fail(format!(
                    "index type \"{kind}\" needs a vector column; \"{name}\" {reason}"
                )));
            }
        }
        Ok(ColumnSpec {
            column,
            index: flags.index,
            index_type: flags.index_type,
        })
    }
}

/// `index=hnsw` or `index=ivfflat`, which a `:distance` part may follow.
fn is_vector_index_flag(flag: &str) -> bool {
    flag.strip_prefix("index=")
        .is_some_and(|method| VectorMethod::ALL.iter().any(|m| m.name() == method))
}

/// Whether a part names a flag (so it is not the distance of the index before it).
fn is_flag(part: &str) -> bool {
    let key = part.split_once('=').map_or(part, |(key, _)| key);
    matches!(
        key,
        "not_null"
            | "required"
            | "null"
            | "nullable"
            | "unique"
            | "index"
            | "array"
            | "length"
            | "default"
    )
}

/// Names become Rust fields and SQL identifiers, so they are kept to what needs no quoting in
/// either: a letter or `_`, then letters, digits and `_`.
fn check_name(name: &str) -> std::result::Result<(), String> {
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_');
    if starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(())
    } else if name.is_empty() {
        Err("expected `name:type[:flag]...`, the name is missing".to_string())
    } else {
        Err(format!(
            "invalid column name \"{name}\": use letters, digits and `_`, starting with a letter"
        ))
    }
}

/// The flags read so far; each may be given once.
#[derive(Default)]
struct Flags {
    seen: Vec<String>,
    nullable: Option<bool>,
    unique: bool,
    array: bool,
    index: bool,
    index_type: Option<String>,
    length: Option<i64>,
    default_value: Option<Value>,
}

impl Flags {
    fn read(&mut self, flag: &str) -> std::result::Result<(), String> {
        let (key, value) = match flag.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (flag, None),
        };
        let canonical = match key {
            "required" => "not_null",
            "nullable" => "null",
            other => other,
        };
        let takes_value = matches!(canonical, "length" | "default");
        let optional_value = canonical == "index";
        let known = matches!(canonical, "not_null" | "null" | "unique" | "array")
            || takes_value
            || optional_value;
        if !known {
            return Err(format!(
                "unknown flag \"{flag}\"; valid flags: {}",
                FLAGS.join(", ")
            ));
        }
        if takes_value && value.is_none() {
            return Err(format!("flag \"{key}\" needs a value: `{key}=...`"));
        }
        if !takes_value && !optional_value && value.is_some() {
            return Err(format!("flag \"{key}\" takes no value"));
        }
        let group = if matches!(canonical, "null" | "not_null") {
            "null"
        } else {
            canonical
        };
        if self.seen.iter().any(|seen| seen == group) {
            return Err(format!("flag \"{flag}\" conflicts with an earlier flag"));
        }
        self.seen.push(group.to_string());
        let value = value.unwrap_or_default();
        match canonical {
            "not_null" => self.nullable = Some(false),
            "null" => self.nullable = Some(true),
            "unique" => self.unique = true,
            "array" => self.array = true,
            "index" => {
                self.index = true;
                if !value.is_empty() {
                    if IndexType::parse(value).is_err() {
                        let distances = VectorDistance::ALL.map(VectorDistance::name).join("|");
                        return Err(format!(
                            "unknown index type \"{value}\"; valid index types: {}, hnsw[:{distances}], ivfflat[:{distances}]",
                            column_type::INDEX_TYPES.join(", ")
                        ));
                    }
                    self.index_type = Some(value.to_string());
                }
            }
            "length" => match value.parse::<i64>() {
                Ok(length) if length > 0 => self.length = Some(length),
                _ => {
                    return Err(format!(
                        "invalid length \"{value}\": expected an integer greater than 0"
                    ));
                }
            },
            _ => {
                self.default_value = Some(
                    serde_json::from_str(value)
                        .unwrap_or_else(|_| Value::String(value.to_string())),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn column(spec: &str) -> Value {
        serde_json::to_value(ColumnSpec::parse(spec).unwrap().column).unwrap()
    }

    fn error(spec: &str) -> String {
        ColumnSpec::parse(spec).unwrap_err().to_string()
    }

    #[test]
    fn defaults_are_left_out_as_instant_dev_does() {
        assert_eq!(
            column("title:string"),
            json!({"name": "title", "type": "string"})
        );
        assert_eq!(
            column("title:string:null"),
            json!({"name": "title", "type": "string"})
        );
        assert_eq!(
            column("email:string:required:unique"),
            json!({"name": "email", "type": "string", "properties": {"nullable": false, "unique": true}})
        );
    }

    #[test]
    fn vector_gets_a_length() {
        assert_eq!(
            column("embedding:vector"),
            json!({"name": "embedding", "type": "vector", "properties": {"length": 1536}})
        );
        assert_eq!(
            column("embedding:vector:length=3"),
            json!({"name": "embedding", "type": "vector", "properties": {"length": 3}})
        );
    }

    #[test]
    fn defaults_are_json_or_text() {
        assert_eq!(
            column("count:int:default=0")["properties"],
            json!({"defaultValue": 0})
        );
        assert_eq!(
            column("status:string:default=draft")["properties"],
            json!({"defaultValue": "draft"})
        );
        assert_eq!(
            column("at:double precision")["type"],
            json!("double precision")
        );
    }

    #[test]
    fn vector_indexes_take_their_distance_after_a_colon() {
        let spec = ColumnSpec::parse("embedding:vector:length=3:index=hnsw:ip:not_null").unwrap();
        assert_eq!(spec.index_type.as_deref(), Some("hnsw:ip"));
        assert_eq!(
            serde_json::to_value(&spec.column).unwrap(),
            json!({"name": "embedding", "type": "vector", "properties": {"nullable": false, "length": 3}})
        );
        let spec = ColumnSpec::parse("embedding:vector:index=ivfflat:unique").unwrap();
        assert_eq!(spec.index_type.as_deref(), Some("ivfflat"));
        assert_eq!(spec.column.properties.unique, Some(true));
        let spec = ColumnSpec::parse("embedding:vector:index=ivfflat:l2").unwrap();
        assert_eq!(spec.index_type.as_deref(), Some("ivfflat:l2"));
    }

    #[test]
    fn indexes_are_kept_apart() {
        let spec = ColumnSpec::parse("body:jsonb:index=gin").unwrap();
        assert!(spec.index);
        assert_eq!(spec.index_type.as_deref(), Some("gin"));
        let spec = ColumnSpec::parse("a:int:index").unwrap();
        assert!(spec.index);
        assert_eq!(spec.index_type, None);
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        assert_eq!(
            error("title"),
            "column \"title\": expected `name:type[:flag]...`, the type is missing"
        );
        assert_eq!(
            error(":int"),
            "column \":int\": expected `name:type[:flag]...`, the name is missing"
        );
        assert!(error("first name:string").contains("invalid column name \"first name\""));
        assert!(error("a:int:uniq").starts_with(
            "column \"a:int:uniq\": unknown flag \"uniq\"; valid flags: not_null, null, unique,"
        ));
        assert_eq!(
            error("a:int:length=0"),
            "column \"a:int:length=0\": invalid length \"0\": expected an integer greater than 0"
        );
        assert_eq!(
            error("a:int:default"),
            "column \"a:int:default\": flag \"default\" needs a value: `default=...`"
        );
        assert_eq!(
            error("a:int:unique=yes"),
            "column \"a:int:unique=yes\": flag \"unique\" takes no value"
        );
        assert_eq!(
            error("a:int:null:not_null"),
            "column \"a:int:null:not_null\": flag \"not_null\" conflicts with an earlier flag"
        );
        assert!(
            error("a:int:index=fast").contains(
                "unknown index type \"fast\"; valid index types: btree, hash, gist, gin, hnsw[:cosine|ip|l2], ivfflat[:cosine|ip|l2]"
            )
        );
        assert_eq!(
            error("title:string:index=hnsw"),
            "column \"title:string:index=hnsw\": index type \"hnsw:cosine\" needs a vector column; \"title\" is \"string\""
        );
        assert!(
            error("e:vector:index=hnsw:dot")
                .contains("unknown index type \"hnsw:dot\"; valid index types: btree,")
        );
        assert!(error("a:decimal").contains("unknown type \"decimal\"; valid types: serial, int, float, string, text, datetime, boolean, json, vector, bigint,"));
    }
}
