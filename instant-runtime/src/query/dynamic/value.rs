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

/// One value of the column's scalar type.
pub(crate) fn scalar_value(column: &ColumnInfo, json: &Json) -> Result<SqlValue, String> {
    convert(scalar(column), json, false)
}

/// An array of the column's scalar type (for `in`, `array_contains` …).
pub(crate) fn array_value(column: &ColumnInfo, json: &Json) -> Result<SqlValue, String> {
    convert(scalar(column), json, true)
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
        other => return Err(format!("values of type {other} cannot be compared")),
    };
    converted.map_err(|expected| {
        if array {
            format!("must be an array of values that are each {expected}")
        } else {
            format!("must be {expected}")
        }
    })
}
