//! Model fields from JSON values (factory rows, seeds, `update` data), converted as
//! instant.dev converts on `set` (§3.6): numbers from numeric strings, booleans from `"f"`,
//! `"no"`, `"0"` …, dates from ISO strings or milliseconds, JSON columns from JSON text, a
//! lone value for an array column wrapped. What cannot be converted is a validation error
//! under the field, not a panic.
//!
//! Unlike instant.dev (`parseInt`, clamped), nothing is converted into another value than the
//! one given: an integer column takes a whole number within its type's range, and refuses
//! `1.9`, `1e20` or `1e-400` (which JSON readers hold as a float) with the range it takes; a
//! `real` column refuses a number beyond `f32`'s range rather than storing infinity.

use std::net::IpAddr;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::{Map, Value};

use super::ValidationErrors;
use crate::descriptor::ColumnInfo;

/// A column's Rust type, read from a JSON value.
pub trait FromJson: Sized {
    /// The value for a non-null JSON value, or what was expected (`"an integer"`).
    fn from_json(value: &Value) -> Result<Self, &'static str>;

    /// The value for null or a missing key: `None` for an `Option`; nothing otherwise.
    fn from_null() -> Option<Self> {
        None
    }

    /// A stand-in for a field the database fills in (the primary key, timestamps).
    fn placeholder() -> Option<Self> {
        Self::from_null()
    }
}

/// Reads field `column` of a model from `data`; a failure is recorded in `errors`.
pub fn field_from_json<T: FromJson>(
    data: &Map<String, Value>,
    column: &ColumnInfo,
    errors: &mut ValidationErrors,
) -> Option<T> {
    match data.get(column.name) {
        None | Some(Value::Null) => T::from_null().or_else(|| {
            let filled_in =
                column.primary_key || column.name == "created_at" || column.name == "updated_at";
            let placeholder = if filled_in { T::placeholder() } else { None };
            if placeholder.is_none() {
                errors.add(column.name, "must be provided");
            }
            placeholder
        }),
        Some(value) => convert(value, column, errors),
    }
}

/// Converts `value` for field `column`, recording a failure in `errors`.
pub fn convert<T: FromJson>(
    value: &Value,
    column: &ColumnInfo,
    errors: &mut ValidationErrors,
) -> Option<T> {
    if value.is_null() {
        let value = T::from_null();
        if value.is_none() {
            errors.add(column.name, "must not be null");
        }
        return value;
    }
    match T::from_json(value) {
        Ok(value) => Some(value),
        Err(expected) => {
            errors.add(column.name, format!("must be {expected}"));
            None
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        T::from_json(value).map(Some)
    }

    fn from_null() -> Option<Self> {
        Some(None)
    }
}

macro_rules! integer {
    ($($ty:ty => $expected:literal),*) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Value) -> Result<Self, &'static str> {
                // `as_i64` is `None` for a number written with a fraction or an exponent
                // (`1.0`, `1.9`, `1e20`, `1e-400`) and beyond `i64`: no rounding, no clamping.
                match value {
                    Value::Number(number) => number.as_i64().and_then(|wide| <$ty>::try_from(wide).ok()),
                    Value::String(text) => text.trim().parse::<$ty>().ok(),
                    Value::Bool(flag) => Some(<$ty>::from(*flag)),
                    _ => None,
                }
                .ok_or($expected)
            }

            fn placeholder() -> Option<Self> {
                Some(0)
            }
        }
    )*};
}
integer!(
    i16 => "an integer (i16) from -32768 to 32767",
    i32 => "an integer (i32) from -2147483648 to 2147483647",
    i64 => "an integer (i64) from -9223372036854775808 to 9223372036854775807"
);

impl FromJson for f64 {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        }
        .ok_or("a number")
    }
}

impl FromJson for f32 {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        let wide = f64::from_json(value).map_err(|_| "a number (f32)")?;
        let narrow = wide as f32;
        // A finite number beyond f32's range would become infinity.
        if narrow.is_finite() || !wide.is_finite() {
            Ok(narrow)
        } else {
            Err("a number (f32) from -3.4028235e38 to 3.4028235e38")
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::String(text) => Ok(text.clone()),
            Value::Number(number) => Ok(number.to_string()),
            Value::Bool(flag) => Ok(flag.to_string()),
            _ => Err("a string"),
        }
    }

    fn placeholder() -> Option<Self> {
        Some(String::new())
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Bool(flag) => Ok(*flag),
            Value::String(text) => Ok(!matches!(
                text.as_str(),
                "f" | "false" | "n" | "no" | "off" | "0" | ""
            )),
            Value::Number(number) => Ok(number.as_f64() != Some(0.0)),
            _ => Err("a boolean"),
        }
    }
}

impl FromJson for NaiveDateTime {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        const EXPECTED: &str = "a date and time (ISO 8601)";
        match value {
            Value::String(text) => parse_datetime(text.trim()).ok_or(EXPECTED),
            Value::Number(number) => number
                .as_i64()
                .and_then(DateTime::<Utc>::from_timestamp_millis)
                .map(|utc| utc.with_timezone(&chrono::Local).naive_local())
                .ok_or(EXPECTED),
            _ => Err(EXPECTED),
        }
    }

    fn placeholder() -> Option<Self> {
        Some(NaiveDateTime::default())
    }
}

/// An ISO date-time: with an offset it is converted to local time (instant.dev writes local
/// time into `timestamp` columns); without one it is taken as is; a date alone is midnight.
fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return Some(with_offset.with_timezone(&chrono::Local).naive_local());
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .map(|date| date.and_time(NaiveTime::MIN))
    })
}

impl FromJson for DateTime<Utc> {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        const EXPECTED: &str = "a date and time (ISO 8601)";
        match value {
            Value::String(text) => DateTime::parse_from_rfc3339(text.trim())
                .map(|time| time.with_timezone(&Utc))
                .ok()
                .or_else(|| parse_datetime(text.trim()).map(|naive| naive.and_utc()))
                .ok_or(EXPECTED),
            Value::Number(number) => number
                .as_i64()
                .and_then(DateTime::<Utc>::from_timestamp_millis)
                .ok_or(EXPECTED),
            _ => Err(EXPECTED),
        }
    }

    fn placeholder() -> Option<Self> {
        Some(DateTime::<Utc>::default())
    }
}

impl FromJson for NaiveDate {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::String(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .ok()
                .or_else(|| parse_datetime(text.trim()).map(|time| time.date())),
            _ => None,
        }
        .ok_or("a date (YYYY-MM-DD)")
    }
}

impl FromJson for NaiveTime {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::String(text) => ["%H:%M:%S%.f", "%H:%M"]
                .iter()
                .find_map(|format| NaiveTime::parse_from_str(text.trim(), format).ok()),
            _ => None,
        }
        .ok_or("a time (HH:MM:SS)")
    }
}

impl FromJson for Value {
    /// A string is JSON text and is parsed, as instant.dev does.
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::String(text) => serde_json::from_str(text).map_err(|_| "valid JSON text"),
            other => Ok(other.clone()),
        }
    }
}

impl FromJson for uuid::Uuid {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        value
            .as_str()
            .and_then(|text| uuid::Uuid::from_str(text.trim()).ok())
            .ok_or("a UUID")
    }

    fn placeholder() -> Option<Self> {
        Some(uuid::Uuid::nil())
    }
}

impl FromJson for rust_decimal::Decimal {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Number(number) => rust_decimal::Decimal::from_str(&number.to_string()).ok(),
            Value::String(text) => rust_decimal::Decimal::from_str(text.trim()).ok(),
            _ => None,
        }
        .ok_or("a decimal number")
    }
}

impl FromJson for pgvector::Vector {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        let parsed;
        let value = match value {
            Value::String(text) => {
                parsed = serde_json::from_str::<Value>(text).map_err(|_| "an array of numbers")?;
                &parsed
            }
            other => other,
        };
        let Value::Array(items) = value else {
            return Err("an array of numbers");
        };
        items
            .iter()
            .map(|item| item.as_f64().map(|f| f as f32))
            .collect::<Option<Vec<f32>>>()
            .map(pgvector::Vector::from)
            .ok_or("an array of numbers")
    }
}

impl FromJson for IpAddr {
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        value
            .as_str()
            .and_then(|text| IpAddr::from_str(text.trim()).ok())
            .ok_or("an IP address")
    }
}

impl FromJson for Vec<u8> {
    /// Bytes: an array of numbers 0–255, or a string's UTF-8 bytes.
    fn from_json(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::String(text) => Ok(text.as_bytes().to_vec()),
            other => serde_json::from_value(other.clone()).map_err(|_| "bytes (numbers 0-255)"),
        }
    }
}

/// Array columns: each element converted; a lone value is wrapped (instant.dev). An element
/// that is itself an array (a second dimension) is refused: the column has one.
macro_rules! array {
    ($($element:ty => $expected:literal),* $(,)?) => {$(
        impl FromJson for Vec<$element> {
            fn from_json(value: &Value) -> Result<Self, &'static str> {
                match value {
                    Value::Array(items) => items
                        .iter()
                        .map(|item| <$element>::from_json(item).map_err(|_| $expected))
                        .collect(),
                    other => <$element>::from_json(other).map(|item| vec![item]),
                }
            }
        }
    )*};
}
array!(
    i16 => "an array (one dimension) of integers (i16) from -32768 to 32767",
    i32 => "an array (one dimension) of integers (i32) from -2147483648 to 2147483647",
    i64 => "an array (one dimension) of integers (i64) from -9223372036854775808 to 9223372036854775807",
    f32 => "an array (one dimension) of numbers (f32)",
    f64 => "an array (one dimension) of numbers (f64)",
    String => "an array (one dimension) of strings",
    bool => "an array (one dimension) of booleans",
    Vec<u8> => "an array (one dimension) of bytes values",
    NaiveDateTime => "an array (one dimension) of dates and times (ISO 8601)",
    DateTime<Utc> => "an array (one dimension) of dates and times (ISO 8601)",
    NaiveDate => "an array (one dimension) of dates (YYYY-MM-DD)",
    NaiveTime => "an array (one dimension) of times (HH:MM:SS)",
    Value => "an array (one dimension) of JSON values",
    uuid::Uuid => "an array (one dimension) of UUIDs",
    rust_decimal::Decimal => "an array (one dimension) of decimal numbers",
    IpAddr => "an array (one dimension) of IP addresses",
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_as_instant_dev_sets() {
        assert_eq!(i64::from_json(&json!("42")), Ok(42));
        assert_eq!(i32::from_json(&json!(-7)), Ok(-7));
        assert!(i16::from_json(&json!(70000)).is_err());
        assert_eq!(bool::from_json(&json!("off")), Ok(false));
        assert_eq!(bool::from_json(&json!("yes")), Ok(true));
        assert_eq!(String::from_json(&json!(12)), Ok("12".to_string()));
        assert_eq!(Value::from_json(&json!("{\"a\":1}")), Ok(json!({"a": 1})));
        assert_eq!(Vec::<i64>::from_json(&json!(5)), Ok(vec![5]));
        assert_eq!(
            NaiveDate::from_json(&json!("2024-02-29")),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
        assert_eq!(Option::<i64>::from_null(), Some(None));
        assert_eq!(i64::from_null(), None);
    }

    #[test]
    fn integers_are_never_rounded_or_clamped() {
        let i32_range = Err("an integer (i32) from -2147483648 to 2147483647");
        assert_eq!(i32::from_json(&json!(3.9)), i32_range);
        assert_eq!(i32::from_json(&json!(1.0)), i32_range);
        assert_eq!(
            i32::from_json(&serde_json::from_str("1e-400").unwrap()),
            i32_range
        );
        assert_eq!(i32::from_json(&json!(2147483648_i64)), i32_range);
        assert_eq!(
            i64::from_json(&serde_json::from_str("1e20").unwrap()),
            Err("an integer (i64) from -9223372036854775808 to 9223372036854775807")
        );
        assert!(i64::from_json(&json!(18446744073709551615_u64)).is_err());
        assert_eq!(i64::from_json(&json!(i64::MIN)), Ok(i64::MIN));
        assert_eq!(i16::from_json(&json!(" -32768 ")), Ok(-32768));
        assert_eq!(f32::from_json(&json!(1.5)), Ok(1.5));
        assert!(f32::from_json(&json!(1e39)).is_err());
    }

    #[test]
    fn missing_fields_are_errors_unless_the_database_fills_them() {
        let data = Map::new();
        let mut errors = ValidationErrors::new();
        let id = ColumnInfo::new("id", "serial", "i64").primary_key();
        let name = ColumnInfo::new("name", "string", "String").not_null();
        assert_eq!(field_from_json::<i64>(&data, &id, &mut errors), Some(0));
        assert_eq!(field_from_json::<String>(&data, &name, &mut errors), None);
        assert_eq!(
            errors.to_json(),
            json!({"name": {"message": "must be provided", "invalid": true}})
        );
    }
}
