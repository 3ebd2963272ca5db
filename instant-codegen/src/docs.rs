//! The rustdoc written on generated items: what the schema says about each column.

use crate::plan::ColumnPlan;

/// The doc lines of a column's field and unit struct: its name, type and properties, like
/// `` `email` string, not null, unique ``.
pub fn column_doc(column: &ColumnPlan<'_>) -> Vec<String> {
    let properties = &column.properties;
    let mut column_type = column.column.column_type.clone();
    if let Some(length) = column.length {
        column_type = format!("{column_type}({length})");
    }
    if properties.array {
        column_type.push_str(" array");
    }
    let mut facts = Vec::new();
    if properties.primary_key {
        facts.push("primary key".to_string());
    } else {
        if !properties.nullable {
            facts.push("not null".to_string());
        }
        if properties.unique {
            facts.push("unique".to_string());
        }
    }
    if properties.auto_increment {
        facts.push("auto-increment".to_string());
    }
    if let Some(default) = &properties.default_value {
        facts.push(format!("default `{default}`"));
    }
    if let Some(fk) = column.references {
        facts.push(format!(
            "references `{}.{}`",
            fk.parent_table, fk.parent_column
        ));
    }
    let mut first = format!("`{}` {column_type}", column.column.name);
    if !facts.is_empty() {
        first = format!("{first}, {}", facts.join(", "));
    }
    let mut lines = vec![first];
    if column.rust_type.read_as_text() {
        lines.push(String::new());
        lines.push(format!(
            "`{}` has no faithful Rust type: the runtime reads and writes it as text.",
            column.column.column_type
        ));
    }
    lines
}
