//! Column types as the generated code spells them, built once per distinct type.

use crate::rust_type::{Prelude, RustType};
use crate::ty::Ty;

/// Column types as [`Ty`]s, each built once (by `RustType::ty`) however many columns
/// have it: a schema has thousands of columns but a few dozen types.
#[derive(Default)]
pub struct ColumnTypes {
    types: Vec<(RustType, Prelude, Ty)>,
}

impl ColumnTypes {
    /// The index of `rust_type` as spelled with `prelude`, built on first use.
    pub fn index(&mut self, rust_type: RustType, runtime: &str, prelude: Prelude) -> usize {
        if let Some(index) = self
            .types
            .iter()
            .position(|(known, known_prelude, _)| *known == rust_type && *known_prelude == prelude)
        {
            return index;
        }
        let ty = rust_type.ty(runtime, prelude);
        self.types.push((rust_type, prelude, ty));
        self.types.len() - 1
    }

    /// The type at `index`.
    pub fn get(&self, index: usize) -> &Ty {
        &self.types[index].2
    }
}
