//! JSON values of a where-object as the bound values of a column's type, by the Rust type
//! the descriptor names (the generated code's one type per column).

use serde_json::Value as Json;

use crate::descriptor::ColumnInfo;
use crate::model::{FromJson, SqlValue, ToValue};

/// The column's scalar Rust type: `Option<Vec<String>>` → `String`.
pub(crate) fn scalar(column: &ColumnInfo) -> &'static str {
    let mut ty = column.rust_type;
    for wrapper in ["Option<", "Vec<"] {
        if let Some(inner) = ty.strip_prefix(wrapper).and_then(|t| t.strip_suffix('>')) {
            ty = inner;
        }
    }
    ty
}

/// One value of the column's scalar type. A value that does not convert exactly is refused
/// with what the column takes, its name and type (`must be an integer (i64) from … to … for
/// column \`id\` (serial), found 1.9`), never rounded or clamped.
pub(crate) fn scalar_value(column: &ColumnInfo, json: &Json) -> Result<SqlValue, String> {
    convert(scalar(column), json, false).map_err(|expected| {
        format!(
            "must be {expected} for column `{}` ({}), found {}",
            column.name,
            column.sql_type,
            shown(json)
        )
    })
}

/// An array of the column's scalar type (for `in`, `array_contains` …); a lone value stands
/// for an array of one. The first element that does not convert is named.
pub(crate) fn array_value(column: &ColumnInfo, json: &Json) -> Result<SqlValue, String> {
    let scalar = scalar(column);
    let items = match json {
        Json::Array(items) => items.as_slice(),
        lone => std::slice::from_ref(lone),
    };
    for (index, item) in items.iter().enumerate() {
        if let Err(expected) = convert(scalar, item, false) {
            return Err(format!(
                "must be an array of values that are each {expected} for column `{}` ({}); [{index}] is {}",
                column.name,
                column.sql_type,
                shown(item)
            ));
        }
    }
    convert(scalar, json, true)
}

/// A value as an error message shows it: its JSON, cut short when long.
fn shown(json: &Json) -> String {
    const SHOWN: usize = 80;
    let text = json.to_string();
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

fn convert(scalar: &str, json: &Json, array: bool) -> Result<SqlValue, String> {
    macro_rules! as_type {
        ($ty:ty) => {
            if array {
                <Vec<$ty> as FromJson>::from_json(json).map(|v| v.to_value())
            } else {
                <$ty as FromJson>::from_json(json).map(|v| v.to_value())
            }
        };
    }
    let converted = match scalar {
        "i16" => as_type!(i16),
        "i32" => as_type!(i32),
        "i64" => as_type!(i64),
        "f32" => as_type!(f32),
        "f64" => as_type!(f64),
        "String" => as_type!(String),
        "bool" => as_type!(bool),
        "chrono::NaiveDateTime" => as_type!(chrono::NaiveDateTime),
        "chrono::DateTime<chrono::Utc>" => as_type!(chrono::DateTime<chrono::Utc>),
        "chrono::NaiveDate" => as_type!(chrono::NaiveDate),
        "chrono::NaiveTime" => as_type!(chrono::NaiveTime),
        "serde_json::Value" => as_type!(serde_json::Value),
        "uuid::Uuid" => as_type!(uuid::Uuid),
        "rust_decimal::Decimal" => as_type!(rust_decimal::Decimal),
        "std::net::IpAddr" => as_type!(std::net::IpAddr),
        "u8" | "Vec<u8>" => as_type!(Vec<u8>),
        other => {
            return Err(format!(
                "nothing (values of type {other} cannot be compared)"
            ));
        }
    };
    converted.map_err(str::to_owned)
}
