//! The one Rust type each column type maps to, for everything that has to agree on it: the
//! model fields `instant-codegen` generates, the table descriptors the runtime builds from a
//! schema at run time, and the model files `instant g:model` writes.
//!
//! The `postgres` crate checks a Rust type against the column's PostgreSQL type when it reads,
//! and sea-query sends values without checking, so a type that is "close" (an `i32` for a
//! `bigint`) fails at the server. Each PostgreSQL type therefore has exactly one Rust type here,
//! the one `postgres` decodes it into. Types with no such Rust type (`money`, `interval`, `cidr`,
//! geometric types, …) are read and written as text and become `String`.
//!
//! The table lives here, in the crate every other one depends on, because the runtime cannot
//! depend on `instant-codegen`: one table means the generated code and the run-time descriptors
//! cannot drift apart.
//!
//! ```
//! use instant_schema::rust_type::{RustType, Scalar};
//!
//! assert_eq!(Scalar::of("int"), Scalar::I64);
//! let tags = RustType { scalar: Scalar::of("string"), array: true, nullable: true };
//! assert_eq!(tags.to_string(), "Option<Vec<String>>");
//! assert!(RustType { scalar: Scalar::of("money"), array: false, nullable: false }.read_as_text());
//! ```

use std::fmt;

/// The Rust type of one value of a column, before nullability and arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    I16,
    I32,
    I64,
    F32,
    F64,
    String,
    Bool,
    NaiveDateTime,
    DateTimeUtc,
    NaiveDate,
    NaiveTime,
    Json,
    Uuid,
    Bytes,
    Decimal,
    Vector,
    IpAddr,
    /// No faithful Rust type: read and written as text, a `String` field.
    Text,
}

/// Column types (aliases and PostgreSQL names, as the schema writes them) and their scalar.
/// Aliases win: `serial` and `int` are `bigint`, `json` is `jsonb`.
const SCALARS: &[(&[&str], Scalar)] = &[
    (
        &["serial", "int", "bigint", "int8", "bigserial", "serial8"],
        Scalar::I64,
    ),
    // `serial4` is PostgreSQL's own 4-byte serial (only the alias `serial` is a `bigint`).
    (&["integer", "int4", "serial4"], Scalar::I32),
    (&["smallint", "int2", "smallserial", "serial2"], Scalar::I16),
    (&["float", "double precision", "float8"], Scalar::F64),
    (&["real", "float4"], Scalar::F32),
    (
        &[
            "string",
            "text",
            "varchar",
            "character varying",
            "char",
            "character",
        ],
        Scalar::String,
    ),
    (&["boolean", "bool"], Scalar::Bool),
    (
        &["datetime", "timestamp", "timestamp without time zone"],
        Scalar::NaiveDateTime,
    ),
    (
        &["timestamp with time zone", "timestamptz"],
        Scalar::DateTimeUtc,
    ),
    (&["date"], Scalar::NaiveDate),
    (&["time", "time without time zone"], Scalar::NaiveTime),
    (&["json", "jsonb"], Scalar::Json),
    (&["uuid"], Scalar::Uuid),
    (&["bytea"], Scalar::Bytes),
    (&["numeric"], Scalar::Decimal),
    (&["vector"], Scalar::Vector),
    // `postgres` decodes only `inet` into `IpAddr`; `cidr` is read as text.
    (&["inet"], Scalar::IpAddr),
];

impl Scalar {
    /// The scalar for a column type as the schema writes it (`"string"`, `"timestamp with time
    /// zone"`); [`Scalar::Text`] for a type with no faithful Rust type.
    pub fn of(column_type: &str) -> Scalar {
        SCALARS
            .iter()
            .find(|(names, _)| names.contains(&column_type))
            .map_or(Scalar::Text, |(_, scalar)| *scalar)
    }

    /// The type as a user writes it, with the value crates the runtime re-exports
    /// (`chrono::NaiveDateTime`): the name descriptors carry and error messages show.
    pub fn name(self) -> &'static str {
        match self {
            Scalar::I16 => "i16",
            Scalar::I32 => "i32",
            Scalar::I64 => "i64",
            Scalar::F32 => "f32",
            Scalar::F64 => "f64",
            Scalar::String | Scalar::Text => "String",
            Scalar::Bool => "bool",
            Scalar::NaiveDateTime => "chrono::NaiveDateTime",
            Scalar::DateTimeUtc => "chrono::DateTime<chrono::Utc>",
            Scalar::NaiveDate => "chrono::NaiveDate",
            Scalar::NaiveTime => "chrono::NaiveTime",
            Scalar::Json => "serde_json::Value",
            Scalar::Uuid => "uuid::Uuid",
            Scalar::Bytes => "Vec<u8>",
            Scalar::Decimal => "rust_decimal::Decimal",
            Scalar::Vector => "pgvector::Vector",
            Scalar::IpAddr => "std::net::IpAddr",
        }
    }
}

/// A column's full Rust type: the scalar, in a `Vec` for arrays, in an `Option` when nullable.
///
/// `nullable` is whether the field can hold NULL, which for a primary key is never, whatever
/// the column's `nullable` property says; the callers decide it from
/// [`Column::effective`](crate::Column::effective).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RustType {
    pub scalar: Scalar,
    pub array: bool,
    pub nullable: bool,
}

impl RustType {
    /// True when the runtime must cast the column to and from `text` (its field is a `String`
    /// that PostgreSQL would not decode into directly).
    pub fn read_as_text(&self) -> bool {
        self.scalar == Scalar::Text
    }
}

/// The type as a user writes it: `Option<Vec<String>>`.
impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scalar = self.scalar.name();
        match (self.nullable, self.array) {
            (false, false) => f.write_str(scalar),
            (false, true) => write!(f, "Vec<{scalar}>"),
            (true, false) => write!(f, "Option<{scalar}>"),
            (true, true) => write!(f, "Option<Vec<{scalar}>>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn display(column_type: &str, array: bool, nullable: bool) -> String {
        RustType {
            scalar: Scalar::of(column_type),
            array,
            nullable,
        }
        .to_string()
    }

    #[test]
    fn each_type_has_one_rust_type() {
        let cases = [
            ("serial", "i64"),
            ("int", "i64"),
            ("bigint", "i64"),
            ("int8", "i64"),
            ("bigserial", "i64"),
            ("serial8", "i64"),
            ("integer", "i32"),
            ("int4", "i32"),
            ("serial4", "i32"),
            ("smallint", "i16"),
            ("int2", "i16"),
            ("smallserial", "i16"),
            ("serial2", "i16"),
            ("float", "f64"),
            ("double precision", "f64"),
            ("float8", "f64"),
            ("real", "f32"),
            ("float4", "f32"),
            ("string", "String"),
            ("text", "String"),
            ("varchar", "String"),
            ("character varying", "String"),
            ("char", "String"),
            ("character", "String"),
            ("boolean", "bool"),
            ("bool", "bool"),
            ("datetime", "chrono::NaiveDateTime"),
            ("timestamp", "chrono::NaiveDateTime"),
            ("timestamp without time zone", "chrono::NaiveDateTime"),
            ("timestamp with time zone", "chrono::DateTime<chrono::Utc>"),
            ("timestamptz", "chrono::DateTime<chrono::Utc>"),
            ("date", "chrono::NaiveDate"),
            ("time", "chrono::NaiveTime"),
            ("time without time zone", "chrono::NaiveTime"),
            ("json", "serde_json::Value"),
            ("jsonb", "serde_json::Value"),
            ("uuid", "uuid::Uuid"),
            ("bytea", "Vec<u8>"),
            ("numeric", "rust_decimal::Decimal"),
            ("vector", "pgvector::Vector"),
            ("inet", "std::net::IpAddr"),
        ];
        for (column_type, rust) in cases {
            assert_eq!(display(column_type, false, false), rust, "{column_type}");
            assert_ne!(Scalar::of(column_type), Scalar::Text, "{column_type}");
        }
    }

    #[test]
    fn types_without_a_faithful_rust_type_are_text() {
        for column_type in [
            "money",
            "interval",
            "xml",
            "box",
            "point",
            "tsvector",
            "bit",
            "cidr",
            "time with time zone",
        ] {
            assert_eq!(Scalar::of(column_type), Scalar::Text, "{column_type}");
            assert_eq!(display(column_type, false, false), "String");
            let ty = RustType {
                scalar: Scalar::of(column_type),
                array: false,
                nullable: false,
            };
            assert!(ty.read_as_text(), "{column_type}");
        }
    }

    #[test]
    fn the_table_names_only_types_instant_dev_accepts() {
        // A misspelt name would leave its type silently read as text. `timestamptz` is the
        // one name instant.dev does not list, kept for schemas written by hand.
        for (names, _) in SCALARS {
            for name in *names {
                assert!(
                    crate::column_type::is_known(name) || *name == "timestamptz",
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn nullable_wraps_the_array() {
        assert_eq!(display("string", true, true), "Option<Vec<String>>");
        assert_eq!(display("int", true, false), "Vec<i64>");
        assert_eq!(display("bytea", false, true), "Option<Vec<u8>>");
        assert_eq!(display("money", true, true), "Option<Vec<String>>");
    }
}
