//! Turning table, column and relationship names into Rust identifiers.
//!
//! PostgreSQL accepts almost any name; Rust does not. The rule, applied to every name:
//!
//! 1. A name made of ASCII letters, digits and `_`, not starting with a digit, is used as is.
//!    A keyword becomes a raw identifier (`type` → `r#type`); the keywords that cannot be raw
//!    (`self`, `Self`, `super`, `crate`) and `_` get a trailing underscore (`self_`).
//! 2. Any other name has each character outside `[A-Za-z0-9_]` replaced by `_`, and gets a
//!    leading `_` if it starts with a digit: `first name` → `first_name`, `2fa` → `_2fa`,
//!    `e-mail` → `e_mail`.
//! 3. A name with no ASCII letter or digit at all (`""`, `"---"`, `"名前"`) cannot be made an
//!    identifier: code generation fails, naming the table and the column.
//! 4. Inside a table's module, a column whose identifier would clash with the module's own items
//!    (`Table`, `INFO`, `relations`, `ColumnType`, `check_required`, and the imported
//!    `descriptor`, `ColumnInfo`, `TableInfo`, `RelationInfo`, `RelationKind`) gets a trailing underscore (`relations_`). Two names of one
//!    table that still end up with the same identifier are an error.
//!
//! The real name is always kept where the database needs it (`NAME`, `ColumnInfo::name`).

use std::borrow::Cow;

/// Names a table module defines or imports, which a column's unit struct must not reuse.
pub const TABLE_MODULE_ITEMS: &[&str] = &[
    "Table",
    "INFO",
    "relations",
    "descriptor",
    "ColumnInfo",
    "TableInfo",
    "RelationInfo",
    "RelationKind",
    "ColumnType",
    "check_required",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The identifier for `name` as written (rules 1–3), or `None` when it cannot be one.
pub fn sanitize(name: &str) -> Option<String> {
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut ident: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if NOT_RAW.contains(&ident.as_str()) {
        ident.push('_');
    }
    Some(ident)
}

/// The identifier for a column of a table module (rules 1–4).
pub fn sanitize_column(name: &str) -> Option<String> {
    let mut ident = sanitize(name)?;
    if TABLE_MODULE_ITEMS.contains(&ident.as_str()) {
        ident.push('_');
    }
    Some(ident)
}

/// Strict and reserved keywords of edition 2024 (the generated code is included into crates of
/// any edition, so every edition's keywords count).
fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// The identifier as written in generated code for an already sanitized name: raw when it is
/// a keyword (`r#type`).
pub fn ident_text(sanitized: &str) -> Cow<'_, str> {
    if is_keyword(sanitized) {
        Cow::Owned(format!("r#{sanitized}"))
    } else {
        Cow::Borrowed(sanitized)
    }
}

/// True when `ident` would draw the `non_snake_case` lint (an upper-case letter).
pub fn has_upper_case(ident: &str) -> bool {
    ident.chars().any(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_kept() {
        assert_eq!(sanitize("email").as_deref(), Some("email"));
        assert_eq!(sanitize("firstName").as_deref(), Some("firstName"));
        assert_eq!(sanitize("_x1").as_deref(), Some("_x1"));
    }

    #[test]
    fn other_characters_become_underscores() {
        assert_eq!(sanitize("first name").as_deref(), Some("first_name"));
        assert_eq!(sanitize("e-mail").as_deref(), Some("e_mail"));
        assert_eq!(sanitize("2fa").as_deref(), Some("_2fa"));
        assert_eq!(sanitize("café").as_deref(), Some("caf_"));
    }

    #[test]
    fn names_without_letters_or_digits_are_refused() {
        assert_eq!(sanitize(""), None);
        assert_eq!(sanitize("---"), None);
        assert_eq!(sanitize("名前"), None);
        assert_eq!(sanitize("_"), None);
    }

    #[test]
    fn keywords_become_raw_or_get_an_underscore() {
        assert_eq!(ident_text("type"), "r#type");
        assert_eq!(ident_text("match"), "r#match");
        assert_eq!(ident_text("gen"), "r#gen");
        assert_eq!(ident_text("email"), "email");
        assert_eq!(sanitize("self").as_deref(), Some("self_"));
        assert_eq!(sanitize("Self").as_deref(), Some("Self_"));
        assert_eq!(sanitize("crate").as_deref(), Some("crate_"));
    }

    #[test]
    fn table_module_items_are_avoided() {
        assert_eq!(sanitize_column("relations").as_deref(), Some("relations_"));
        assert_eq!(sanitize_column("Table").as_deref(), Some("Table_"));
        assert_eq!(sanitize_column("table").as_deref(), Some("table"));
    }
}
