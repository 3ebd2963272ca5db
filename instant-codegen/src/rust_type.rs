//! The Rust type of a generated model field, as generated code spells it.
//!
//! Which Rust type a column type gets is decided once, in [`instant_schema::rust_type`] (the
//! runtime builds the same descriptors from a schema at run time and cannot depend on this
//! crate). This file only spells that answer as a [`Ty`] for generated code: the value crates are
//! reached through the runtime, and `Option`/`String`/`Vec` through the [`Prelude`].

use instant_schema::rust_type as shared;

use crate::ty::Ty;

pub use instant_schema::rust_type::Scalar;

/// A column's full Rust type: [`shared::RustType`], with a way to spell it as a [`Ty`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RustType {
    pub scalar: Scalar,
    pub array: bool,
    pub nullable: bool,
}

/// The scalar's type, its value crates reached through `runtime` (`::instant_runtime`).
fn scalar_ty(scalar: Scalar, runtime: &str, prelude: Prelude) -> Ty {
    let through = |item: &str| Ty::plain(format!("{runtime}::{item}"));
    match scalar {
        Scalar::I16 => Ty::plain("i16"),
        Scalar::I32 => Ty::plain("i32"),
        Scalar::I64 => Ty::plain("i64"),
        Scalar::F32 => Ty::plain("f32"),
        Scalar::F64 => Ty::plain("f64"),
        Scalar::String | Scalar::Text => Ty::plain(prelude.string()),
        Scalar::Bool => Ty::plain("bool"),
        Scalar::NaiveDateTime => through("chrono::NaiveDateTime"),
        Scalar::DateTimeUtc => through("chrono::DateTime").with_arg(through("chrono::Utc")),
        Scalar::NaiveDate => through("chrono::NaiveDate"),
        Scalar::NaiveTime => through("chrono::NaiveTime"),
        Scalar::Json => through("serde_json::Value"),
        Scalar::Uuid => through("uuid::Uuid"),
        Scalar::Bytes => Ty::plain(prelude.vec()).with_arg(Ty::plain("u8")),
        Scalar::Decimal => through("rust_decimal::Decimal"),
        Scalar::Vector => through("pgvector::Vector"),
        Scalar::IpAddr => Ty::plain("::std::net::IpAddr"),
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
    pub fn ty(&self, runtime: &str, prelude: Prelude) -> Ty {
        let mut ty = scalar_ty(self.scalar, runtime, prelude);
        if self.array {
            ty = Ty::plain(prelude.vec()).with_arg(ty);
        }
        if self.nullable {
            ty = Ty::plain(prelude.option()).with_arg(ty);
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

    fn option(self) -> &'static str {
        match self {
            Prelude::Plain => "Option",
            Prelude::Qualified => "::std::option::Option",
        }
    }

    fn string(self) -> &'static str {
        match self {
            Prelude::Plain => "String",
            Prelude::Qualified => "::std::string::String",
        }
    }

    fn vec(self) -> &'static str {
        match self {
            Prelude::Plain => "Vec",
            Prelude::Qualified => "::std::vec::Vec",
        }
    }
}

#[cfg(test)]
mod tests {
    //! The table itself is tested in `instant_schema::rust_type`; these check its spelling.

    use super::*;

    fn spelt(column_type: &str, array: bool, nullable: bool, prelude: Prelude) -> String {
        RustType {
            scalar: Scalar::of(column_type),
            array,
            nullable,
        }
        .ty("::instant_runtime", prelude)
        .flat()
        .to_string()
    }

    #[test]
    fn value_crates_go_through_the_runtime() {
        assert_eq!(
            spelt("timestamptz", false, true, Prelude::Plain),
            "Option<::instant_runtime::chrono::DateTime<::instant_runtime::chrono::Utc>>"
        );
    }

    #[test]
    fn a_shadowed_prelude_is_spelt_out() {
        assert_eq!(
            spelt("bytea", true, true, Prelude::Qualified),
            "::std::option::Option<::std::vec::Vec<::std::vec::Vec<u8>>>"
        );
        assert_eq!(
            spelt("money", false, false, Prelude::Qualified),
            "::std::string::String"
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
