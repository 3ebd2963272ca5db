//! The module of a table (`pub mod users`): the table marker, its metadata, one unit struct per
//! column and the `relations` submodule — the items a typed query names, like Diesel's
//! `users::email`.

use std::borrow::Cow;

use crate::docs::column_doc;
use crate::ident::{has_upper_case, ident_text};
use crate::plan::{ColumnPlan, TablePlan};
use crate::printer::{INDENT, Printer};
use crate::relations::{relation_info, relations_module};
use crate::runtime::Runtime;
use crate::syntax::{
    Ty, array, attr, call_args, close_block, close_struct_literal, constant, constant_word, doc,
    field, field_word, impl_type, impl_type_path, indexed_constant, open_block, open_impl,
    open_struct_literal, str_lit, unit_struct,
};

/// `pub mod users { … }`; `value_types` are the columns' types as the module spells them,
/// `primary_key` the type of the primary key (or `descriptor::NoPrimaryKey`).
pub fn table_module<'a>(
    p: &mut Printer<'a>,
    runtime: &'a Runtime,
    table: &'a TablePlan<'a>,
    value_types: &[&Ty],
    primary_key: &Ty,
) {
    let name = &table.table.name;
    doc(
        p,
        format!("The `{name}` table: its marker, metadata, columns and relationships."),
    );
    if has_upper_case(&table.module) {
        attr(p, "allow", ["non_snake_case"]);
    }
    attr(p, "allow", ["dead_code"]);
    open_block(p, format!("pub mod {}", ident_text(&table.module)));
    let mut imports = vec!["self", "ColumnInfo"];
    if !table.relations.is_empty() {
        imports.extend(["RelationInfo", "RelationKind"]);
    }
    imports.push("TableInfo");
    use_descriptor(p, runtime, &imports);

    doc(p, format!("The `{name}` table itself."));
    attr(p, "derive", ["Debug", "Clone", "Copy", "Default"]);
    unit_struct(p, "Table");
    open_impl(p, "descriptor::Table", None, "Table");
    impl_type(p, "PrimaryKey", primary_key);
    constant_word(p, "const INFO: &'static TableInfo", "&INFO");
    constant_word(
        p,
        "const SCHEMA: &'static [&'static TableInfo]",
        "super::TABLES",
    );
    close_block(p);

    table_info(p, table);
    model_checks(p, runtime, table);
    for (index, (column, value_type)) in table.columns.iter().zip(value_types).enumerate() {
        column_marker(p, runtime, column, value_type, index);
    }
    relations_module(p, runtime, table);
    close_block(p);
}

/// `use <runtime>::descriptor::{self, …};`, its names on their own lines when they do not fit.
pub fn use_descriptor<'a>(p: &mut Printer<'a>, runtime: &'a Runtime, names: &[&'a str]) {
    p.word("use ");
    p.word(runtime.path.as_str());
    p.word("::descriptor::");
    p.cbox(INDENT);
    p.word("{");
    p.zerobreak();
    p.ibox(0);
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            p.word(",");
            p.space();
        }
        p.word(*name);
    }
    p.end();
    p.trailing_comma(true);
    p.offset(-INDENT);
    p.word("}");
    p.end();
    p.word(";");
    p.hardbreak();
}

/// What `#[derive(Model)]` checks a model of this table against: `ColumnType` (each column's
/// one Rust type, with a message naming the table) and `check_required` (a compile-time
/// panic naming the first `NOT NULL` column without a default that a model has no field for).
fn model_checks<'a>(p: &mut Printer<'a>, runtime: &'a Runtime, table: &'a TablePlan<'a>) {
    column_type_trait(p, table);
    check_required(p, runtime, table);
}

/// `pub trait ColumnType<T> {}` with its `on_unimplemented` message.
fn column_type_trait(p: &mut Printer<'_>, table: &TablePlan<'_>) {
    let name = &table.table.name;
    let escaped = name.replace('{', "{{").replace('}', "}}");
    doc(
        p,
        "The Rust type of each column: implemented once per column, for that type, so a",
    );
    doc(
        p,
        "model field of another type fails `#[derive(Model)]` with this table in the message.",
    );
    let message = format!("`{{T}}` is not the Rust type of this column of table `{escaped}`");
    let note = format!(
        "a field of a `{escaped}` model has exactly its column's Rust type: the help below names the column and its type"
    );
    attr(
        p,
        "diagnostic::on_unimplemented",
        [
            format!("message = {}", str_lit(&message)),
            "label = \"not the column's type\"".to_string(),
            format!("note = {}", str_lit(&note)),
        ],
    );
    p.cbox(INDENT);
    p.word("pub trait ColumnType<");
    p.cbox(0);
    p.zerobreak();
    p.word("T");
    p.trailing_comma(true);
    p.offset(-INDENT);
    p.end();
    p.word("> {");
    p.hardbreak_if_nonempty();
    p.indent_by(INDENT);
    close_block(p);
}

/// `pub const fn check_required(columns: &[&str]) { … }`, one check per required column.
fn check_required<'a>(p: &mut Printer<'a>, runtime: &'a Runtime, table: &'a TablePlan<'a>) {
    doc(
        p,
        "Fails (at compile time, where `#[derive(Model)]` calls it) unless `columns` names",
    );
    doc(
        p,
        "every `NOT NULL` column without a default, which every insert must set.",
    );
    p.cbox(INDENT);
    p.word("pub const fn check_required(");
    p.neverbreak();
    p.cbox(0);
    p.zerobreak();
    p.word("columns: &[&str]");
    p.trailing_comma(true);
    p.offset(-INDENT);
    p.end();
    p.word(") {");
    p.hardbreak_if_nonempty();
    p.indent_by(INDENT);
    let mut required = table
        .columns
        .iter()
        .filter(|column| !column.properties.nullable && !column.has_default())
        .peekable();
    if required.peek().is_none() {
        p.ibox(0);
        p.word("let _ = ");
        p.neverbreak();
        p.word("columns");
        p.end();
        p.word(";");
        p.hardbreak();
    }
    for column in required {
        required_check(p, runtime, &table.table.name, &column.column.name);
    }
    close_block(p);
}

/// `if !contains(columns, "x") { ::core::panic!("…"); }`, as an expression statement.
fn required_check<'a>(p: &mut Printer<'a>, runtime: &'a Runtime, table: &str, column: &str) {
    let message = format!(
        "a model of table `{table}` has no field for column `{column}`: the column is NOT NULL without a default, so every insert must set it"
    );
    p.ibox(0);
    p.cbox(INDENT);
    p.word("if ");
    p.cbox(-INDENT);
    p.cbox(0);
    p.word("!");
    p.word(runtime.check_contains.as_str());
    call_args(p, [Cow::Borrowed("columns"), Cow::Owned(str_lit(column))]);
    p.nbsp();
    p.end();
    p.end();
    p.word("{");
    p.hardbreak();
    p.word("::core::panic!(");
    p.cbox(INDENT);
    p.zerobreak();
    p.ibox(0);
    p.word(str_lit(&message));
    p.end();
    p.zerobreak();
    p.offset(-INDENT);
    p.end();
    p.word(");");
    p.hardbreak();
    p.offset(-INDENT);
    p.word("}");
    p.end();
    p.end();
    p.hardbreak();
}

/// `pub const INFO: TableInfo = TableInfo { … };`, one `ColumnInfo` per column in order.
fn table_info<'a>(p: &mut Printer<'a>, table: &'a TablePlan<'a>) {
    let name = &table.table.name;
    doc(
        p,
        format!("What the schema says about `{name}`: its columns in order and its relationships."),
    );
    constant(p, "pub const INFO: TableInfo", |p| {
        open_struct_literal(p, "TableInfo");
        field_word(p, "name", false, str_lit(name));
        field_word(p, "model", false, str_lit(&table.model));
        field(p, "primary_key", false, |p| match table.primary_key {
            Some(column) => {
                p.word("Some");
                call_args(p, [Cow::Owned(str_lit(column))]);
            }
            None => p.word("None"),
        });
        field(p, "columns", false, |p| {
            p.word("&");
            array(p, &table.columns, column_info);
        });
        field(p, "relations", true, |p| {
            p.word("&");
            array(p, &table.relations, relation_info);
        });
        close_struct_literal(p);
    });
}

/// `ColumnInfo::new("email", "string", "String").not_null().unique()`: only the properties
/// that differ from a plain nullable column are spelled out.
fn column_info<'a>(p: &mut Printer<'a>, column: &'a ColumnPlan<'a>) {
    let properties = &column.properties;
    let mut builders: Vec<&'static str> = Vec::new();
    if !properties.nullable {
        builders.push(".not_null()");
    }
    if properties.unique {
        builders.push(".unique()");
    }
    if properties.primary_key {
        builders.push(".primary_key()");
    }
    if properties.auto_increment {
        builders.push(".auto_increment()");
    } else if column.has_default() {
        builders.push(".has_default()");
    }
    if properties.array {
        builders.push(".array()");
    }
    let name = str_lit(&column.column.name);
    let column_type = str_lit(&column.column.column_type);
    let rust_type = str_lit(&column.rust_type.display());
    let length = column.length.map(|length| format!(".length({length})"));
    let read_as_text = column.rust_type.read_as_text().then_some(".read_as_text()");
    // `ColumnInfo::new(` … `, ` … `, ` … `)` and a comma after it.
    let width = 22
        + name.len()
        + column_type.len()
        + rust_type.len()
        + builders.iter().map(|builder| builder.len()).sum::<usize>()
        + length.as_ref().map_or(0, String::len)
        + read_as_text.map_or(0, str::len);
    if p.fits(width) {
        p.word("ColumnInfo::new(");
        p.word(name);
        p.word(", ");
        p.word(column_type);
        p.word(", ");
        p.word(rust_type);
        p.word(")");
        for builder in builders {
            p.word(builder);
        }
        if let Some(length) = length {
            p.word(length);
        }
        if let Some(read_as_text) = read_as_text {
            p.word(read_as_text);
        }
        return;
    }
    let chained =
        !builders.is_empty() || column.length.is_some() || column.rust_type.read_as_text();
    if chained {
        p.cbox(INDENT);
    }
    p.word("ColumnInfo::new");
    call_args(
        p,
        [
            Cow::Owned(name),
            Cow::Owned(column_type),
            Cow::Owned(rust_type),
        ],
    );
    for builder in builders {
        p.zerobreak();
        p.word(builder);
    }
    if let Some(length) = column.length {
        p.zerobreak();
        p.word(".length");
        p.cbox(0);
        call_args(p, [Cow::Owned(length.to_string())]);
        p.end();
    }
    if column.rust_type.read_as_text() {
        p.zerobreak();
        p.word(".read_as_text()");
    }
    if chained {
        p.end();
    }
}

/// `pub struct email;` and its `Column` impl, whose `INFO` is the table's entry for it.
fn column_marker<'a>(
    p: &mut Printer<'a>,
    runtime: &'a Runtime,
    column: &'a ColumnPlan<'a>,
    value_type: &Ty,
    index: usize,
) {
    for line in column_doc(column) {
        doc(p, line);
    }
    let ident = ident_text(&column.ident);
    attr(p, "allow", ["non_camel_case_types"]);
    attr(p, "derive", ["Debug", "Clone", "Copy", "Default"]);
    unit_struct(p, ident.clone());
    open_impl(p, "descriptor::Column", None, ident.clone());
    impl_type_path(p, "Table", "Table");
    // The module does not see the model structs, so nothing shadows the prelude here.
    impl_type(p, "Value", value_type);
    constant_word(p, "const NAME: &'static str", str_lit(&column.column.name));
    indexed_constant(
        p,
        "const INFO: &'static ColumnInfo",
        "INFO",
        "columns",
        index,
    );
    close_block(p);
    open_impl(p, "ColumnType", Some(value_type), ident.clone());
    close_block(p);
    open_impl(
        p,
        runtime.column_of.as_str(),
        Some(&runtime.table_ty),
        ident,
    );
    close_block(p);
}
