//! The same schema as Diesel users would have it: the `src/schema.rs` that `diesel
//! print-schema` writes for the migrated PostgreSQL database, with its default configuration.
//!
//! print-schema's shape (diesel_cli 2.3, PostgreSQL): tables sorted by name, one
//! `diesel::table!` per table with its primary key, columns in table order with their SQL type
//! (`Nullable<…>` unless `NOT NULL`, `Array<Nullable<…>>` for arrays, `#[max_length = N]` above
//! a `varchar(N)`), one `diesel::joinable!` per foreign key to a primary key (left out when two
//! tables are joined by more than one key, which would be ambiguous), and one
//! `diesel::allow_tables_to_appear_in_same_query!` listing every table.

use std::collections::HashMap;
use std::fmt::Write;

use instant_schema::{Column, Schema};

/// The `schema.rs` print-schema would write for `schema`.
pub fn print_schema(schema: &Schema) -> String {
    let mut out = String::from("// @generated automatically by Diesel CLI.\n");
    let mut tables: Vec<_> = schema.tables.values().collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    for table in &tables {
        let key: Vec<&str> = table
            .columns
            .iter()
            .filter(|column| column.effective().primary_key)
            .map(|column| column.name.as_str())
            .collect();
        let _ = writeln!(
            out,
            "\ndiesel::table! {{\n    {} ({}) {{",
            table.name,
            key.join(", ")
        );
        for column in &table.columns {
            let properties = column.effective();
            if let Some(length) = properties.length.filter(|_| !properties.array)
                && column.column_type == "string"
            {
                let _ = writeln!(out, "        #[max_length = {length}]");
            }
            let _ = writeln!(out, "        {} -> {},", column.name, sql_type(column));
        }
        out.push_str("    }\n}\n");
    }

    let mut pairs: HashMap<(&str, &str), usize> = HashMap::new();
    for fk in &schema.foreign_keys {
        *pairs.entry((&fk.table, &fk.parent_table)).or_default() += 1;
    }
    let mut joinable: Vec<_> = schema
        .foreign_keys
        .iter()
        .filter(|fk| fk.table != fk.parent_table && fk.parent_column == "id")
        .filter(|fk| pairs.get(&(fk.table.as_str(), fk.parent_table.as_str())) == Some(&1))
        .collect();
    joinable.sort_by(|a, b| (&a.table, &a.parent_table).cmp(&(&b.table, &b.parent_table)));
    if !joinable.is_empty() {
        out.push('\n');
    }
    for fk in joinable {
        let _ = writeln!(
            out,
            "diesel::joinable!({} -> {} ({}));",
            fk.table, fk.parent_table, fk.column
        );
    }

    out.push_str("\ndiesel::allow_tables_to_appear_in_same_query!(\n");
    for table in &tables {
        let _ = writeln!(out, "    {},", table.name);
    }
    out.push_str(");\n");
    out
}

/// The Diesel SQL type print-schema reads back for a column instant.dev created.
fn sql_type(column: &Column) -> String {
    let properties = column.effective();
    let scalar = match column.column_type.as_str() {
        "serial" | "int" | "bigint" => "Int8",
        "integer" => "Int4",
        "float" => "Float8",
        "string" => "Varchar",
        "text" => "Text",
        "boolean" => "Bool",
        "datetime" => "Timestamp",
        "json" => "Jsonb",
        "uuid" => "Uuid",
        "date" => "Date",
        other => panic!("the scale example does not generate `{other}` columns"),
    };
    let mut ty = scalar.to_string();
    if properties.array {
        ty = format!("Array<Nullable<{ty}>>");
    }
    if properties.nullable && !properties.primary_key {
        ty = format!("Nullable<{ty}>");
    }
    ty
}
