//! The module of a table (`pub mod users`): the table marker, its metadata, one unit struct per
//! column and the `relations` submodule — the items a typed query names, like Diesel's
//! `users::email`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Path;

use crate::docs::{column_doc, doc_attrs};
use crate::ident::{has_upper_case, to_ident};
use crate::plan::{ColumnPlan, TablePlan};
use crate::relations::{relation_info, relations_module};
use crate::rust_type::Prelude;

/// `pub mod users { … }`.
pub fn table_module(table: &TablePlan<'_>, runtime: &Path) -> TokenStream {
    let name = &table.table.name;
    let module = to_ident(&table.module);
    let module_doc = doc_attrs(&[format!(
        "The `{name}` table: its marker, metadata, columns and relationships."
    )]);
    let allow_case = has_upper_case(&table.module).then(|| quote!(#[allow(non_snake_case)]));
    let imports = if table.relations.is_empty() {
        quote!(use #runtime::descriptor::{self, ColumnInfo, TableInfo};)
    } else {
        quote!(use #runtime::descriptor::{self, ColumnInfo, RelationInfo, RelationKind, TableInfo};)
    };
    let table_doc = doc_attrs(&[format!("The `{name}` table itself.")]);
    let info = table_info(table);
    let columns = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| column_marker(column, index, runtime));
    let relations = relations_module(table, runtime);
    let checks = model_checks(table, runtime);
    let primary_key = match table.columns.iter().find(|c| c.properties.primary_key) {
        Some(column) => column.rust_type.tokens(runtime, Prelude::Qualified),
        None => quote!(descriptor::NoPrimaryKey),
    };
    quote! {
        #module_doc
        #allow_case
        #[allow(dead_code)]
        pub mod #module {
            #imports

            #table_doc
            #[derive(Debug, Clone, Copy, Default)]
            pub struct Table;

            impl descriptor::Table for Table {
                type PrimaryKey = #primary_key;
                const INFO: &'static TableInfo = &INFO;
                const SCHEMA: &'static [&'static TableInfo] = super::TABLES;
            }

            #info

            #checks

            #(#columns)*

            #relations
        }
    }
}

/// What `#[derive(Model)]` checks a model of this table against: `ColumnType` (each column's
/// one Rust type, with a message naming the table) and `check_required` (a compile-time
/// panic naming the first `NOT NULL` column without a default that a model has no field for).
fn model_checks(table: &TablePlan<'_>, runtime: &Path) -> TokenStream {
    let name = &table.table.name;
    let escaped = name.replace('{', "{{").replace('}', "}}");
    let message = format!("`{{T}}` is not the Rust type of this column of table `{escaped}`");
    let note = format!(
        "a field of a `{escaped}` model has exactly its column's Rust type: the help below names the column and its type"
    );
    let trait_doc = doc_attrs(&[
        "The Rust type of each column: implemented once per column, for that type, so a"
            .to_string(),
        "model field of another type fails `#[derive(Model)]` with this table in the message."
            .to_string(),
    ]);
    let required_doc = doc_attrs(&[
        "Fails (at compile time, where `#[derive(Model)]` calls it) unless `columns` names"
            .to_string(),
        "every `NOT NULL` column without a default, which every insert must set.".to_string(),
    ]);
    let required = table
        .columns
        .iter()
        .filter(|column| !column.properties.nullable && !column.has_default());
    let checks: Vec<TokenStream> = required.map(|column| {
        let column = &column.column.name;
        let message = format!(
            "a model of table `{name}` has no field for column `{column}`: the column is NOT NULL without a default, so every insert must set it"
        );
        quote! {
            if !#runtime::check::contains(columns, #column) {
                ::core::panic!(#message);
            }
        }
    }).collect();
    let unused = checks.is_empty().then(|| quote!(let _ = columns;));
    quote! {
        #trait_doc
        #[diagnostic::on_unimplemented(
            message = #message,
            label = "not the column's type",
            note = #note
        )]
        pub trait ColumnType<T> {}

        #required_doc
        pub const fn check_required(columns: &[&str]) {
            #unused
            #(#checks)*
        }
    }
}

/// `pub const INFO: TableInfo = TableInfo { … };`, one `ColumnInfo` per column in order.
fn table_info(table: &TablePlan<'_>) -> TokenStream {
    let name = &table.table.name;
    let model = &table.model;
    let doc = doc_attrs(&[format!(
        "What the schema says about `{name}`: its columns in order and its relationships."
    )]);
    let primary_key = match table.primary_key {
        Some(column) => quote!(Some(#column)),
        None => quote!(None),
    };
    let columns = table.columns.iter().map(column_info);
    let relations = table.relations.iter().map(relation_info);
    quote! {
        #doc
        pub const INFO: TableInfo = TableInfo {
            name: #name,
            model: #model,
            primary_key: #primary_key,
            columns: &[#(#columns),*],
            relations: &[#(#relations),*],
        };
    }
}

/// `ColumnInfo::new("email", "string", "String").not_null().unique()`: only the properties
/// that differ from a plain nullable column are spelled out.
fn column_info(column: &ColumnPlan<'_>) -> TokenStream {
    let name = &column.column.name;
    let sql_type = &column.column.column_type;
    let rust_type = column.rust_type.display();
    let properties = &column.properties;
    let mut builders = Vec::new();
    if !properties.nullable {
        builders.push(quote!(.not_null()));
    }
    if properties.unique {
        builders.push(quote!(.unique()));
    }
    if properties.primary_key {
        builders.push(quote!(.primary_key()));
    }
    if properties.auto_increment {
        builders.push(quote!(.auto_increment()));
    } else if column.has_default() {
        builders.push(quote!(.has_default()));
    }
    if properties.array {
        builders.push(quote!(.array()));
    }
    if let Some(length) = column.length {
        let length = Literal::u32_unsuffixed(length);
        builders.push(quote!(.length(#length)));
    }
    if column.rust_type.read_as_text() {
        builders.push(quote!(.read_as_text()));
    }
    quote!(ColumnInfo::new(#name, #sql_type, #rust_type) #(#builders)*)
}

/// `pub struct email;` and its `Column` impl, whose `INFO` is the table's entry for it.
fn column_marker(column: &ColumnPlan<'_>, index: usize, runtime: &Path) -> TokenStream {
    let doc = doc_attrs(&column_doc(column));
    let ident = to_ident(&column.ident);
    let name = &column.column.name;
    // The module does not see the model structs, so nothing shadows the prelude here.
    let ty = column.rust_type.tokens(runtime, Prelude::Plain);
    let index = Literal::usize_unsuffixed(index);
    quote! {
        #doc
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #ident;

        impl descriptor::Column for #ident {
            type Table = Table;
            type Value = #ty;
            const NAME: &'static str = #name;
            const INFO: &'static ColumnInfo = &INFO.columns[#index];
        }

        impl ColumnType<#ty> for #ident {}

        impl #runtime::check::ColumnOf<Table> for #ident {}
    }
}
