//! Rust string literals for names and messages taken from the schema.

use proc_macro2::Literal;

/// `value` as a string literal. The usual name is printable ASCII without `"` or `\` and is
/// quoted as it is; anything else is escaped by `proc_macro2`, so the literal is exactly the
/// one a macro would have produced.
pub fn str_lit(value: &str) -> String {
    if value
        .bytes()
        .all(|byte| (0x20..0x7f).contains(&byte) && byte != b'"' && byte != b'\\')
    {
        let mut literal = String::with_capacity(value.len() + 2);
        literal.push('"');
        literal.push_str(value);
        literal.push('"');
        literal
    } else {
        Literal::string(value).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_escaped_as_proc_macro2_escapes_them() {
        let mut samples: Vec<String> = (0u8..0x80)
            .map(|byte| char::from(byte).to_string())
            .collect();
        samples
            .extend(["first name", "caf\u{e9}", "名前", "a\"b\\c'd", "{T}", ""].map(String::from));
        for sample in samples {
            assert_eq!(
                str_lit(&sample),
                Literal::string(&sample).to_string(),
                "{sample:?}"
            );
        }
    }
}
