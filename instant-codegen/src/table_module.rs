//! The module of a table (`pub mod users`): the table marker, its metadata, one unit struct per
//! column and the `relations` submodule — the items a typed query names, like Diesel's
//! `users::email`.

use std::borrow::Cow;

use crate::docs::column_doc;
use crate::emitter::{Emitter, INDENT, List, last_comma_width};
use crate::ident::{has_upper_case, ident_text};
use crate::literal::str_lit;
use crate::plan::{ColumnPlan, TablePlan};
use crate::relations::{relation_info, relations_module};
use crate::runtime::Runtime;
use crate::ty::Ty;

/// `pub mod users { … }`; `value_types` are the columns' types as the module spells them,
/// `primary_key` the type of the primary key (or `descriptor::NoPrimaryKey`).
pub fn table_module(
    out: &mut Emitter,
    runtime: &Runtime,
    table: &TablePlan<'_>,
    value_types: &[&Ty],
    primary_key: &Ty,
) {
    let name = &table.table.name;
    out.doc(&format!(
        "The `{name}` table: its marker, metadata, columns and relationships."
    ));
    if has_upper_case(&table.module) {
        out.attr("#[allow(", &["non_snake_case"]);
    }
    out.attr("#[allow(", &["dead_code"]);
    out.open_block(&format!("pub mod {}", ident_text(&table.module)));
    let imports: &[&str] = if table.relations.is_empty() {
        &["self", "ColumnInfo", "TableInfo"]
    } else {
        &[
            "self",
            "ColumnInfo",
            "RelationInfo",
            "RelationKind",
            "TableInfo",
        ]
    };
    use_descriptor(out, runtime, imports);

    out.blank_line();
    out.doc(&format!("The `{name}` table itself."));
    out.attr("#[derive(", &["Debug", "Clone", "Copy", "Default"]);
    out.line("pub struct Table;");
    out.blank_line();
    out.open_impl("descriptor::Table", None, "Table");
    out.impl_type("PrimaryKey", primary_key);
    out.line("const INFO: &'static TableInfo = &INFO;");
    out.line("const SCHEMA: &'static [&'static TableInfo] = super::TABLES;");
    out.close_block();

    out.blank_line();
    table_info(out, table);
    out.blank_line();
    column_type_trait(out, table);
    out.blank_line();
    check_required(out, runtime, table);
    for (index, (column, value_type)) in table.columns.iter().zip(value_types).enumerate() {
        out.blank_line();
        column_marker(out, runtime, column, value_type, index);
    }
    relations_module(out, runtime, table);
    out.close_block();
}

/// `use <runtime>::descriptor::{self, …};`. When it does not fit, the names go on one line of
/// their own: five short names, never wider than the margin at a module's indentation.
pub fn use_descriptor(out: &mut Emitter, runtime: &Runtime, names: &[&str]) {
    out.start_line();
    out.push("use ");
    out.push(&runtime.path);
    out.push("::descriptor::{");
    let names_width = names
        .iter()
        .map(|name| name.len() + 2)
        .sum::<usize>()
        .saturating_sub(2);
    if out.fits(names_width + 2) {
        push_joined(out, names);
        out.push("};");
    } else {
        out.end_line();
        out.start_line_at(out.indent() + INDENT);
        push_joined(out, names);
        out.push(",");
        out.end_line();
        out.start_line();
        out.push("};");
    }
    out.end_line();
}

/// `a, b, c`.
fn push_joined(out: &mut Emitter, items: &[&str]) {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(", ");
        }
        out.push(item);
    }
}

/// `pub trait ColumnType<T> {}` with its `on_unimplemented` message: what `#[derive(Model)]`
/// checks a field's type against, with a message naming the table.
fn column_type_trait(out: &mut Emitter, table: &TablePlan<'_>) {
    let escaped = table.table.name.replace('{', "{{").replace('}', "}}");
    out.doc("The Rust type of each column: implemented once per column, for that type, so a");
    out.doc("model field of another type fails `#[derive(Model)]` with this table in the message.");
    let message = format!("`{{T}}` is not the Rust type of this column of table `{escaped}`");
    let note = format!(
        "a field of a `{escaped}` model has exactly its column's Rust type: the help below names the column and its type"
    );
    out.attr(
        "#[diagnostic::on_unimplemented(",
        &[
            &format!("message = {}", str_lit(&message)),
            "label = \"not the column's type\"",
            &format!("note = {}", str_lit(&note)),
        ],
    );
    out.line("pub trait ColumnType<T> {}");
}

/// `pub const fn check_required(columns: &[&str]) { … }`: a compile-time panic naming the
/// first `NOT NULL` column without a default that a model has no field for, one check per
/// such column.
fn check_required(out: &mut Emitter, runtime: &Runtime, table: &TablePlan<'_>) {
    out.doc("Fails (at compile time, where `#[derive(Model)]` calls it) unless `columns` names");
    out.doc("every `NOT NULL` column without a default, which every insert must set.");
    out.open_block("pub const fn check_required(columns: &[&str])");
    let mut required = table
        .columns
        .iter()
        .filter(|column| !column.properties.nullable && !column.has_default())
        .peekable();
    if required.peek().is_none() {
        out.line("let _ = columns;");
    }
    let check = format!("if !{}", runtime.check_contains);
    for column in required {
        required_check(out, &check, &table.table.name, &column.column.name);
    }
    out.close_block();
}

/// `if !contains(columns, "x") { ::core::panic!("…"); }`; `check` is `if !<contains>`.
fn required_check(out: &mut Emitter, check: &str, table: &str, column: &str) {
    let indent = out.indent();
    let literal = str_lit(column);
    out.start_line();
    out.push(check);
    out.list(
        List {
            open: "(",
            items: &["columns", &literal],
            close: ")",
            last_comma: true,
        },
        indent,
        2,
    );
    out.push(" {");
    out.end_line();
    let message = str_lit(&format!(
        "a model of table `{table}` has no field for column `{column}`: the column is NOT NULL without a default, so every insert must set it"
    ));
    out.start_line_at(indent + INDENT);
    out.list(
        List {
            open: "::core::panic!(",
            items: &[&message],
            close: ")",
            last_comma: false,
        },
        indent + INDENT,
        1,
    );
    out.push(";");
    out.end_line();
    out.line("}");
}

/// `pub const INFO: TableInfo = TableInfo { … };`, one `ColumnInfo` per column in order. A
/// struct literal this long is always written one field per line.
fn table_info(out: &mut Emitter, table: &TablePlan<'_>) {
    let name = &table.table.name;
    out.doc(&format!(
        "What the schema says about `{name}`: its columns in order and its relationships."
    ));
    out.open_block("pub const INFO: TableInfo = TableInfo");
    let indent = out.indent();
    out.line(&format!("name: {},", str_lit(name)));
    out.line(&format!("model: {},", str_lit(&table.model)));
    out.start_line();
    out.push("primary_key: ");
    match table.primary_key {
        Some(column) => out.list(
            List {
                open: "Some(",
                items: &[&str_lit(column)],
                close: ")",
                last_comma: true,
            },
            indent,
            1,
        ),
        None => out.push("None"),
    }
    out.push(",");
    out.end_line();

    out.start_line();
    out.push("columns: &");
    let columns: Vec<ColumnInfo> = table.columns.iter().map(ColumnInfo::new).collect();
    // `[a, b]` and the `,` after it.
    let flat_width = columns.iter().map(|c| c.flat_width() + 2).sum::<usize>() + 1;
    if columns.is_empty() {
        out.push("[]");
    } else if out.fits(flat_width) {
        out.push("[");
        for (index, column) in columns.iter().enumerate() {
            if index > 0 {
                out.push(", ");
            }
            column.write_flat(out);
        }
        out.push("]");
    } else {
        out.push("[");
        out.end_line();
        for (index, column) in columns.iter().enumerate() {
            out.start_line_at(indent + INDENT);
            column.write(out, indent + INDENT, last_comma_width(index, columns.len()));
            out.push(",");
            out.end_line();
        }
        out.start_line();
        out.push("]");
    }
    out.push(",");
    out.end_line();

    out.start_line();
    out.push("relations: &");
    if table.relations.is_empty() {
        out.push("[],");
        out.end_line();
    } else {
        // A `RelationInfo { … }` is never written on one line, so neither is the array.
        out.push("[");
        out.end_line();
        for relation in &table.relations {
            relation_info(out, indent + INDENT, relation);
        }
        out.line("],");
    }
    out.close_block_with("};");
}

/// `ColumnInfo::new("email", "string", "String").not_null().unique()`: only the properties
/// that differ from a plain nullable column are spelled out.
struct ColumnInfo {
    /// `("email", "string", "String")` as three string literals.
    args: [String; 3],
    /// `.not_null()` …, `.length(255)`, `.read_as_text()`, in this order. Each is short enough
    /// never to be split itself: a split chain only puts them on lines of their own.
    calls: Vec<Cow<'static, str>>,
}

impl ColumnInfo {
    fn new(column: &ColumnPlan<'_>) -> ColumnInfo {
        let properties = &column.properties;
        let mut calls = Vec::new();
        let mut call = |text: &'static str| calls.push(Cow::Borrowed(text));
        if !properties.nullable {
            call(".not_null()");
        }
        if properties.unique {
            call(".unique()");
        }
        if properties.primary_key {
            call(".primary_key()");
        }
        if properties.auto_increment {
            call(".auto_increment()");
        } else if column.has_default() {
            call(".has_default()");
        }
        if properties.array {
            call(".array()");
        }
        if let Some(length) = column.length {
            calls.push(Cow::Owned(format!(".length({length})")));
        }
        if column.rust_type.read_as_text() {
            calls.push(Cow::Borrowed(".read_as_text()"));
        }
        ColumnInfo {
            args: [
                str_lit(&column.column.name),
                str_lit(&column.column.column_type),
                str_lit(&column.rust_type.display()),
            ],
            calls,
        }
    }

    /// `ColumnInfo::new(` … `)` on one line.
    fn head_width(&self) -> usize {
        16 + self.args.iter().map(String::len).sum::<usize>() + 4 + 1
    }

    /// The whole expression on one line.
    fn flat_width(&self) -> usize {
        self.head_width() + self.calls.iter().map(|call| call.len()).sum::<usize>()
    }

    fn write_flat(&self, out: &mut Emitter) {
        out.push("ColumnInfo::new(");
        out.push(&self.args[0]);
        out.push(", ");
        out.push(&self.args[1]);
        out.push(", ");
        out.push(&self.args[2]);
        out.push(")");
        for call in &self.calls {
            out.push(call);
        }
    }

    /// Writes the expression as an element of a split array at `indent`, followed by a comma
    /// of width `comma`: on one line when it fits, else one call per line one indent deeper,
    /// and the arguments of `new` one per line when even `ColumnInfo::new(…)` does not fit. In
    /// a chain, everything after its first line is one indent deeper, `new`'s arguments
    /// included.
    fn write(&self, out: &mut Emitter, indent: usize, comma: usize) {
        if out.fits(self.flat_width() + comma) {
            self.write_flat(out);
            return;
        }
        let args = [
            self.args[0].as_str(),
            self.args[1].as_str(),
            self.args[2].as_str(),
        ];
        let new = List {
            open: "ColumnInfo::new(",
            items: &args,
            close: ")",
            last_comma: true,
        };
        if self.calls.is_empty() {
            out.list(new, indent, comma);
            return;
        }
        out.list(new, indent + INDENT, 0);
        for call in &self.calls {
            out.end_line();
            out.start_line_at(indent + INDENT);
            out.push(call);
        }
    }
}

/// `pub struct email;` and its `Column` impl, whose `INFO` is the table's entry for it, then
/// the `ColumnType` and `ColumnOf` impls `#[derive(Model)]` checks fields with.
fn column_marker(
    out: &mut Emitter,
    runtime: &Runtime,
    column: &ColumnPlan<'_>,
    value_type: &Ty,
    index: usize,
) {
    for line in column_doc(column) {
        out.doc(&line);
    }
    let ident = ident_text(&column.ident);
    out.attr("#[allow(", &["non_camel_case_types"]);
    out.attr("#[derive(", &["Debug", "Clone", "Copy", "Default"]);
    out.start_line();
    out.push("pub struct ");
    out.push(&ident);
    out.push(";");
    out.end_line();
    out.blank_line();
    out.open_impl("descriptor::Column", None, &ident);
    out.line("type Table = Table;");
    out.impl_type("Value", value_type);
    out.line(&format!(
        "const NAME: &'static str = {};",
        str_lit(&column.column.name)
    ));
    // At most 60 bytes and an index at the impl's fixed indentation: always one line.
    out.line(&format!(
        "const INFO: &'static ColumnInfo = &INFO.columns[{index}];"
    ));
    out.close_block();
    out.blank_line();
    out.empty_impl("ColumnType", Some(value_type), &ident);
    out.blank_line();
    out.empty_impl(&runtime.column_of, Some(&runtime.table_ty), &ident);
}
