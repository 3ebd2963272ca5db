//! A Rust type as generated code spells it, kept as a path and its generic arguments because
//! the arguments are where a type too long for its line is split (see [`Emitter::ty`]).
//!
//! [`Emitter::ty`]: crate::emitter::Emitter::ty

/// `Option<::instant_runtime::uuid::Uuid>`: `Option` with one argument. Generated types have
/// generic arguments on their last segment only, so a path and a list of arguments is enough.
#[derive(Debug, Clone, Default)]
pub struct Ty {
    path: String,
    args: Vec<Ty>,
    /// The type on one line, built once: most types are written that way, many times.
    flat: String,
}

impl Ty {
    /// A type without generic arguments (also used for the lifetime `'_` and the binding
    /// `Table = Self`, which sit in an argument list like a type).
    pub fn plain(text: impl Into<String>) -> Ty {
        let path = text.into();
        Ty {
            flat: path.clone(),
            path,
            args: Vec::new(),
        }
    }

    /// `self<arg>`.
    pub fn with_arg(mut self, arg: Ty) -> Ty {
        self.args.push(arg);
        let mut flat = String::with_capacity(self.flat.len() + 2 * self.args.len());
        flat.push_str(&self.path);
        flat.push('<');
        for (index, arg) in self.args.iter().enumerate() {
            if index > 0 {
                flat.push_str(", ");
            }
            flat.push_str(&arg.flat);
        }
        flat.push('>');
        self.flat = flat;
        self
    }

    /// The type on one line.
    pub fn flat(&self) -> &str {
        &self.flat
    }

    /// The path before the generic arguments.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The generic arguments, empty for a plain type.
    pub fn args(&self) -> &[Ty] {
        &self.args
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_print_flat() {
        let ty = Ty::plain("Option").with_arg(
            Ty::plain("::instant_runtime::chrono::DateTime")
                .with_arg(Ty::plain("::instant_runtime::chrono::Utc")),
        );
        assert_eq!(
            ty.flat(),
            "Option<::instant_runtime::chrono::DateTime<::instant_runtime::chrono::Utc>>"
        );
        assert_eq!(Ty::plain("Vec").with_arg(Ty::plain("u8")).flat(), "Vec<u8>");
        assert_eq!(
            Ty::plain("Map")
                .with_arg(Ty::plain("K"))
                .with_arg(Ty::plain("V"))
                .flat(),
            "Map<K, V>"
        );
    }
}
