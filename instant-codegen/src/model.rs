//! The model struct of a table: one public field per column, in the table's order.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;

use crate::docs::{column_doc, doc_attrs};
use crate::ident::{has_upper_case, to_ident};
use crate::plan::TablePlan;
use crate::rust_type::Prelude;

/// `pub struct User { pub id: i64, … }` with its docs and derives.
pub fn model_struct(table: &TablePlan<'_>, runtime: &Path, prelude: Prelude) -> TokenStream {
    let model = to_ident(&table.model);
    let doc = doc_attrs(&[
        format!("A row of the `{}` table.", table.table.name),
        String::new(),
        format!(
            "Its columns and relationships are described in [`{}`].",
            table.module
        ),
    ]);
    let derives = derives(runtime, &to_ident(&table.module));
    let allow_case = table
        .columns
        .iter()
        .any(|column| has_upper_case(&column.ident))
        .then(|| quote!(#[allow(non_snake_case)]));
    let fields = table.columns.iter().map(|column| {
        let doc = doc_attrs(&column_doc(column));
        let ident = to_ident(&column.ident);
        let ty = column.rust_type.tokens(runtime, prelude);
        quote! {
            #doc
            pub #ident: #ty,
        }
    });
    quote! {
        #doc
        #derives
        #allow_case
        #[allow(dead_code)]
        pub struct #model {
            #(#fields)*
        }
    }
}

/// The derives every model gets, `#[derive(Model)]` (from `runtime`) with its table module
/// among them: the one place that gives every generated model its behaviour. A runtime
/// reached by another path than `::instant_runtime` is passed on to the derive.
fn derives(runtime: &Path, module: &syn::Ident) -> TokenStream {
    let default_runtime: Path = syn::parse_quote!(::instant_runtime);
    let krate = (*runtime != default_runtime).then(|| quote!(#[instant(crate = #runtime)]));
    quote! {
        #[derive(Debug, Clone, PartialEq, #runtime::Model)]
        #[instant(table = #module)]
        #krate
    }
}
