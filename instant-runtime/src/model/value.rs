//! Field values as sea-query values, for inserts, updates and key lookups.
//!
//! sea-query converts almost every column type with `Into<Value>`, but not `IpAddr` (that
//! needs its `ipnetwork` feature and crate), and a derive cannot name a conversion that exists
//! for some field types only. [`ToValue`] is implemented for exactly the Rust types a column
//! can have (DESIGN.md's table: each scalar, `Option` of it, `Vec` of it for arrays, `Option<Vec>`),
//! so `value(i)` of every generated model compiles, and a field of any other type is reported
//! by the column type check before this trait is ever involved.

use std::net::IpAddr;

use sea_query::{ArrayType, Value};

/// A column's Rust type, turned into the value sea-query binds.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the Rust type of any column",
    label = "a model field must have its column's Rust type",
    note = "column types map to i16, i32, i64, f32, f64, String, bool, chrono, serde_json::Value, uuid::Uuid, Vec<u8>, rust_decimal::Decimal, pgvector::Vector, std::net::IpAddr, in an Option when nullable and a Vec for arrays"
)]
pub trait ToValue {
    /// The value to bind for this field.
    fn to_value(&self) -> Value;
}

/// Scalars sea-query converts itself, with their `Option`, `Vec` (array) and `Option<Vec>`.
macro_rules! through_sea_query {
    (scalars: $($scalar:ty),* ; arrays: $($element:ty),*) => {
        $(
            impl ToValue for $scalar {
                fn to_value(&self) -> Value {
                    self.clone().into()
                }
            }

            impl ToValue for Option<$scalar> {
                fn to_value(&self) -> Value {
                    self.clone().into()
                }
            }
        )*
        $(
            impl ToValue for Vec<$element> {
                fn to_value(&self) -> Value {
                    self.clone().into()
                }
            }

            impl ToValue for Option<Vec<$element>> {
                fn to_value(&self) -> Value {
                    self.clone().into()
                }
            }
        )*
    };
}

through_sea_query! {
    scalars: i16, i32, i64, f32, f64, String, bool, Vec<u8>,
        chrono::NaiveDateTime, chrono::DateTime<chrono::Utc>, chrono::NaiveDate,
        chrono::NaiveTime, serde_json::Value, uuid::Uuid, rust_decimal::Decimal,
        pgvector::Vector;
    arrays: i16, i32, i64, f32, f64, String, bool, Vec<u8>,
        chrono::NaiveDateTime, chrono::DateTime<chrono::Utc>, chrono::NaiveDate,
        chrono::NaiveTime, serde_json::Value, uuid::Uuid, rust_decimal::Decimal
}

// `inet` travels as its text form: the writer casts the parameter (`$1::inet`), as it does for
// the other columns read and written as text.
impl ToValue for IpAddr {
    fn to_value(&self) -> Value {
        Value::String(Some(self.to_string()))
    }
}

impl ToValue for Option<IpAddr> {
    fn to_value(&self) -> Value {
        Value::String(self.map(|address| address.to_string()))
    }
}

impl ToValue for Vec<IpAddr> {
    fn to_value(&self) -> Value {
        let items = self.iter().map(ToValue::to_value).collect();
        Value::Array(ArrayType::String, Some(Box::new(items)))
    }
}

impl ToValue for Option<Vec<IpAddr>> {
    fn to_value(&self) -> Value {
        match self {
            Some(items) => items.to_value(),
            None => Value::Array(ArrayType::String, None),
        }
    }
}

/// A field (or calculated value) as JSON, for `to_json`; `null` for a value serde cannot
/// represent (a map with non-string keys), never a panic.
pub fn json_value<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_keep_their_type() {
        assert_eq!(None::<i32>.to_value(), Value::Int(None));
        assert_eq!(Some(3_i64).to_value(), Value::BigInt(Some(3)));
        assert_eq!(
            None::<Vec<String>>.to_value(),
            Value::Array(ArrayType::String, None)
        );
        assert_eq!(vec![1_u8, 2].to_value(), Value::Bytes(Some(vec![1, 2])));
    }

    #[test]
    fn arrays_and_addresses() {
        assert_eq!(
            vec![1_i64, 2].to_value(),
            Value::Array(
                ArrayType::BigInt,
                Some(Box::new(vec![
                    Value::BigInt(Some(1)),
                    Value::BigInt(Some(2))
                ]))
            )
        );
        let address: IpAddr = "10.0.0.1".parse().unwrap();
        assert_eq!(
            address.to_value(),
            Value::String(Some("10.0.0.1".to_string()))
        );
        assert_eq!(None::<IpAddr>.to_value(), Value::String(None));
    }

    #[test]
    fn json_of_a_field() {
        assert_eq!(json_value(&Some("a")), serde_json::json!("a"));
        assert_eq!(json_value(&None::<i32>), serde_json::Value::Null);
    }
}
