//! The Rust type of a generated model field, as tokens.
//!
//! Which Rust type a column type gets is decided once, in [`instant_schema::rust_type`] (the
//! runtime builds the same descriptors from a schema at run time and cannot depend on this
//! crate). This file only spells that answer as tokens for generated code: the value crates are
//! reached through the runtime, and `Option`/`String`/`Vec` through the [`Prelude`].

use instant_schema::rust_type as shared;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;

pub use instant_schema::rust_type::Scalar;

/// A column's full Rust type: [`shared::RustType`], with a way to write it as tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RustType {
    pub scalar: Scalar,
    pub array: bool,
    pub nullable: bool,
}

/// The type in generated code; the value crates are reached through the runtime.
fn scalar_tokens(scalar: Scalar, runtime: &Path, prelude: Prelude) -> TokenStream {
    match scalar {
        Scalar::I16 => quote!(i16),
        Scalar::I32 => quote!(i32),
        Scalar::I64 => quote!(i64),
        Scalar::F32 => quote!(f32),
        Scalar::F64 => quote!(f64),
        Scalar::String | Scalar::Text => prelude.string(),
        Scalar::Bool => quote!(bool),
        Scalar::NaiveDateTime => quote!(#runtime::chrono::NaiveDateTime),
        Scalar::DateTimeUtc => {
            quote!(#runtime::chrono::DateTime<#runtime::chrono::Utc>)
        }
        Scalar::NaiveDate => quote!(#runtime::chrono::NaiveDate),
        Scalar::NaiveTime => quote!(#runtime::chrono::NaiveTime),
        Scalar::Json => quote!(#runtime::serde_json::Value),
        Scalar::Uuid => quote!(#runtime::uuid::Uuid),
        Scalar::Bytes => {
            let vec = prelude.vec();
            quote!(#vec<u8>)
        }
        Scalar::Decimal => quote!(#runtime::rust_decimal::Decimal),
        Scalar::Vector => quote!(#runtime::pgvector::Vector),
        Scalar::IpAddr => quote!(::std::net::IpAddr),
    }
}

impl RustType {
    /// The shared description of this type, which knows how a user writes it.
    fn shared(self) -> shared::RustType {
        shared::RustType {
            scalar: self.scalar,
            array: self.array,
            nullable: self.nullable,
        }
    }

    /// True when the runtime must cast the column to and from `text`.
    pub fn read_as_text(&self) -> bool {
        self.shared().read_as_text()
    }

    /// The type as a user writes it: `Option<Vec<String>>`.
    pub fn display(&self) -> String {
        self.shared().to_string()
    }

    /// The type in generated code.
    pub fn tokens(&self, runtime: &Path, prelude: Prelude) -> TokenStream {
        let mut ty = scalar_tokens(self.scalar, runtime, prelude);
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
    //! The table itself is tested in `instant_schema::rust_type`; these check its spelling.

    use super::*;

    fn tokens(column_type: &str, array: bool, nullable: bool, prelude: Prelude) -> String {
        let runtime: Path = syn::parse_quote!(::instant_runtime);
        RustType {
            scalar: Scalar::of(column_type),
            array,
            nullable,
        }
        .tokens(&runtime, prelude)
        .to_string()
    }

    #[test]
    fn tokens_go_through_the_runtime() {
        assert_eq!(
            tokens("timestamptz", false, true, Prelude::Plain),
            "Option < :: instant_runtime :: chrono :: DateTime < :: instant_runtime :: chrono :: Utc > >"
        );
    }

    #[test]
    fn a_shadowed_prelude_is_spelt_out() {
        assert_eq!(
            tokens("bytea", true, true, Prelude::Qualified),
            ":: std :: option :: Option < :: std :: vec :: Vec < :: std :: vec :: Vec < u8 > > >"
        );
        assert_eq!(
            tokens("money", false, false, Prelude::Qualified),
            ":: std :: string :: String"
        );
    }

    #[test]
    fn display_and_text_are_the_shared_answers() {
        let ty = RustType {
            scalar: Scalar::of("money"),
            array: true,
            nullable: true,
        };
        assert_eq!(ty.display(), "Option<Vec<String>>");
        assert!(ty.read_as_text());
        assert_eq!(ty.display(), ty.shared().to_string());
    }
}
