//! The one Rust type each column type maps to.
//!
//! The `postgres` crate checks a Rust type against the column's PostgreSQL type when it reads,
//! and sea-query sends values without checking, so a type that is "close" (an `i32` for a
//! `bigint`) fails at the server. Each PostgreSQL type therefore has exactly one Rust type here,
//! the one `postgres` decodes it into. Types with no such Rust type (`money`, `interval`, `cidr`,
//! geometric types, …) are read and written as text and become `String`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;

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
    /// No faithful Rust type: read and written as text.
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

/// A column's full Rust type: the scalar, in a `Vec` for arrays, in an `Option` when nullable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RustType {
    pub scalar: Scalar,
    pub array: bool,
    pub nullable: bool,
}

impl Scalar {
    /// The scalar for a column type; [`Scalar::Text`] for types with no faithful Rust type.
    pub fn of(column_type: &str) -> Scalar {
        SCALARS
            .iter()
            .find(|(names, _)| names.contains(&column_type))
            .map_or(Scalar::Text, |(_, scalar)| *scalar)
    }

    /// The type as a user writes it, with the crates the runtime re-exports.
    fn display(self) -> &'static str {
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

    /// The type in generated code; the value crates are reached through the runtime.
    fn tokens(self, runtime: &Path, prelude: Prelude) -> TokenStream {
        let string = prelude.string();
        let vec = prelude.vec();
        match self {
            Scalar::I16 => quote!(i16),
            Scalar::I32 => quote!(i32),
            Scalar::I64 => quote!(i64),
            Scalar::F32 => quote!(f32),
            Scalar::F64 => quote!(f64),
            Scalar::String | Scalar::Text => string,
            Scalar::Bool => quote!(bool),
            Scalar::NaiveDateTime => quote!(#runtime::chrono::NaiveDateTime),
            Scalar::DateTimeUtc => {
                quote!(#runtime::chrono::DateTime<#runtime::chrono::Utc>)
            }
            Scalar::NaiveDate => quote!(#runtime::chrono::NaiveDate),
            Scalar::NaiveTime => quote!(#runtime::chrono::NaiveTime),
            Scalar::Json => quote!(#runtime::serde_json::Value),
            Scalar::Uuid => quote!(#runtime::uuid::Uuid),
            Scalar::Bytes => quote!(#vec<u8>),
            Scalar::Decimal => quote!(#runtime::rust_decimal::Decimal),
            Scalar::Vector => quote!(#runtime::pgvector::Vector),
            Scalar::IpAddr => quote!(::std::net::IpAddr),
        }
    }
}

impl RustType {
    /// True when the runtime must cast the column to and from `text`.
    pub fn read_as_text(&self) -> bool {
        self.scalar == Scalar::Text
    }

    /// The type as a user writes it: `Option<Vec<String>>`.
    pub fn display(&self) -> String {
        let mut ty = self.scalar.display().to_string();
        if self.array {
            ty = format!("Vec<{ty}>");
        }
        if self.nullable {
            ty = format!("Option<{ty}>");
        }
        ty
    }

    /// The type in generated code.
    pub fn tokens(&self, runtime: &Path, prelude: Prelude) -> TokenStream {
        let mut ty = self.scalar.tokens(runtime, prelude);
        if self.array {
            let vec = prelude.vec();
            ty = quote!(#vec<#ty>);
        }
        if self.nullable {
            let option = prelude.option();
            ty = quote!(#option<#ty>);
        }
        ty
    }
}

/// How generated code names `Option`, `String` and `Vec`: plainly, unless a model struct of the
/// same file takes one of those names (a table `options` gives `struct Option`), in which case
/// the model structs spell out the std paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prelude {
    Plain,
    Qualified,
}

impl Prelude {
    /// The prelude type names a model struct could shadow.
    pub const SHADOWABLE: &[&str] = &["Option", "String", "Vec"];

    fn option(self) -> TokenStream {
        match self {
            Prelude::Plain => quote!(Option),
            Prelude::Qualified => quote!(::std::option::Option),
        }
    }

    fn string(self) -> TokenStream {
        match self {
            Prelude::Plain => quote!(String),
            Prelude::Qualified => quote!(::std::string::String),
        }
    }

    fn vec(self) -> TokenStream {
        match self {
            Prelude::Plain => quote!(Vec),
            Prelude::Qualified => quote!(::std::vec::Vec),
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
        .display()
    }

    #[test]
    fn each_type_has_one_rust_type() {
        let cases = [
            ("serial", "i64"),
            ("int", "i64"),
            ("bigint", "i64"),
            ("bigserial", "i64"),
            ("integer", "i32"),
            ("int4", "i32"),
            ("serial4", "i32"),
            ("smallint", "i16"),
            ("smallserial", "i16"),
            ("float", "f64"),
            ("double precision", "f64"),
            ("real", "f32"),
            ("string", "String"),
            ("character varying", "String"),
            ("char", "String"),
            ("boolean", "bool"),
            ("datetime", "chrono::NaiveDateTime"),
            ("timestamp without time zone", "chrono::NaiveDateTime"),
            ("timestamp with time zone", "chrono::DateTime<chrono::Utc>"),
            ("date", "chrono::NaiveDate"),
            ("time", "chrono::NaiveTime"),
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
        }
    }

    #[test]
    fn nullable_wraps_the_array() {
        assert_eq!(display("string", true, true), "Option<Vec<String>>");
        assert_eq!(display("int", true, false), "Vec<i64>");
        assert_eq!(display("bytea", false, true), "Option<Vec<u8>>");
    }

    #[test]
    fn tokens_go_through_the_runtime() {
        let runtime: Path = syn::parse_quote!(::instant_runtime);
        let ty = RustType {
            scalar: Scalar::DateTimeUtc,
            array: false,
            nullable: true,
        };
        assert_eq!(
            ty.tokens(&runtime, Prelude::Plain).to_string(),
            "Option < :: instant_runtime :: chrono :: DateTime < :: instant_runtime :: chrono :: Utc > >"
        );
    }
}
