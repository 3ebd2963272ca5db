//! Relationship descriptors, planned from instant.dev's relationship graph.

use std::collections::HashMap;

use instant_schema::Schema;
use instant_schema::inflection::{classify, underscore};
use instant_schema::relationships::{RelationKind, RelationshipGraph};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Path;

use crate::docs::doc_attrs;
use crate::error::Error;
use crate::ident::{sanitize, to_ident};
use crate::plan::TablePlan;

/// One relationship of a table, ready to emit.
#[derive(Debug, Clone)]
pub struct RelationPlan {
    /// instant.dev's name, the one `join` takes (`blogPosts`).
    pub name: String,
    /// The unit struct's identifier (`blog_posts`).
    pub ident: String,
    pub kind: RelationKind,
    pub from_table: String,
    pub from_column: String,
    pub to_table: String,
    /// The identifier of the module of `to_table`.
    pub to_module: String,
    /// The generated model struct of `to_table`.
    pub to_model: String,
    pub to_column: String,
}

/// Names the `relations` module imports, which a relationship's unit struct must not reuse.
const RELATIONS_MODULE_ITEMS: &[&str] = &["descriptor", "RelationInfo"];

/// Every table's relationships, keyed by table name, in instant.dev's naming (the graph
/// refuses two relationships of one table with the same name).
pub fn plan_relations(schema: &Schema) -> Result<HashMap<String, Vec<RelationPlan>>, Error> {
    let graph = RelationshipGraph::from_schema(schema)?;
    let mut plans = HashMap::new();
    for table in schema.tables.keys() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut relations = Vec::new();
        for relation in graph.relations(table) {
            let invalid = || Error::InvalidName {
                kind: "relationship",
                table: table.clone(),
                name: relation.name.clone(),
            };
            // `blogPosts` → `blog_posts`, then the identifier rule.
            let mut ident = sanitize(&underscore(&relation.name)).ok_or_else(invalid)?;
            if RELATIONS_MODULE_ITEMS.contains(&ident.as_str()) {
                ident.push('_');
            }
            if let Some(first) = seen.insert(ident.clone(), &relation.name) {
                return Err(Error::DuplicateIdentifier {
                    kind: "relationship",
                    table: table.clone(),
                    first: first.to_string(),
                    second: relation.name.clone(),
                    ident,
                });
            }
            let to_module = sanitize(&relation.target_table).ok_or_else(|| Error::InvalidName {
                kind: "table",
                table: relation.target_table.clone(),
                name: relation.target_table.clone(),
            })?;
            let to_model =
                sanitize(&classify(&relation.target_table)).ok_or_else(|| Error::InvalidName {
                    kind: "table",
                    table: relation.target_table.clone(),
                    name: relation.target_table.clone(),
                })?;
            relations.push(RelationPlan {
                name: relation.name.clone(),
                ident,
                kind: relation.kind,
                from_table: relation.table.clone(),
                from_column: relation.column.clone(),
                to_table: relation.target_table.clone(),
                to_module,
                to_model,
                to_column: relation.target_column.clone(),
            });
        }
        plans.insert(table.clone(), relations);
    }
    Ok(plans)
}

/// One `RelationInfo { … }` literal of the table's `INFO`.
pub fn relation_info(relation: &RelationPlan) -> TokenStream {
    let RelationPlan {
        name,
        from_table,
        from_column,
        to_table,
        to_column,
        ..
    } = relation;
    let kind = match relation.kind {
        RelationKind::BelongsTo => quote!(BelongsTo),
        RelationKind::OneToOne => quote!(OneToOne),
        RelationKind::OneToMany => quote!(OneToMany),
    };
    quote! {
        RelationInfo {
            name: #name,
            kind: RelationKind::#kind,
            from_table: #from_table,
            from_column: #from_column,
            to_table: #to_table,
            to_column: #to_column,
        }
    }
}

/// `pub mod relations { … }` with one unit struct per relationship; nothing when the table has
/// none.
pub fn relations_module(table: &TablePlan<'_>, runtime: &Path) -> TokenStream {
    let by_name = join_by_name(table, runtime);
    if table.relations.is_empty() {
        return by_name;
    }
    let doc = doc_attrs(&[format!(
        "The relationships of `{}`, named as instant.dev names them for `join`.",
        table.table.name
    )]);
    let markers = table.relations.iter().enumerate().map(|(index, relation)| {
        let doc = doc_attrs(&relation_doc(relation));
        let ident = to_ident(&relation.ident);
        let to_module = to_ident(&relation.to_module);
        let to_model = to_ident(&relation.to_model);
        let loaded = match relation.kind {
            RelationKind::OneToMany => quote!(#runtime::Records<super::super::#to_model>),
            _ => quote!(::core::option::Option<#runtime::Record<super::super::#to_model>>),
        };
        let to_one = (relation.kind != RelationKind::OneToMany)
            .then(|| quote!(impl #runtime::query::ToOne for #ident {}));
        let index = Literal::usize_unsuffixed(index);
        quote! {
            #doc
            #[allow(non_camel_case_types)]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct #ident;

            impl descriptor::Relation for #ident {
                type From = super::Table;
                type To = super::super::#to_module::Table;
                const INFO: &'static RelationInfo = &super::INFO.relations[#index];
            }

            impl #runtime::query::Loads for #ident {
                type Model = super::super::#to_model;
                type Loaded = #loaded;
            }

            #to_one
        }
    });
    quote! {
        #doc
        pub mod relations {
            use #runtime::descriptor::{self, RelationInfo};

            #(#markers)*
        }

        #by_name
    }
}

/// `impl JoinByName for Table`: a relationship's name (instant.dev's, as `join` takes it) to
/// its typed join.
fn join_by_name(table: &TablePlan<'_>, runtime: &Path) -> TokenStream {
    let arms = table.relations.iter().map(|relation| {
        let name = &relation.name;
        let ident = to_ident(&relation.ident);
        quote! {
            #name => ::core::option::Option::Some(query.join_request(super::relations::#ident, request)),
        }
    });
    let body = if table.relations.is_empty() {
        quote! {
            let _ = (query, name, request);
            ::core::option::Option::None
        }
    } else {
        quote! {
            match name {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }
    };
    // In a module of its own: the parameters' names cannot meet the table's column markers.
    quote! {
        mod join_by_name {
            impl #runtime::query::JoinByName for super::Table {
                fn join_by_name<M: #runtime::Model<Table = Self>>(
                    query: &#runtime::Query<M>,
                    name: &str,
                    request: &#runtime::query::JoinRequest<'_>,
                ) -> ::core::option::Option<#runtime::Result<#runtime::Query<M>>> {
                    #body
                }
            }
        }
    }
}
/// `` `posts` (one-to-many): the `posts` rows whose `user_id` / is this row's `id`. ``, as two
/// lines to keep the line short.
fn relation_doc(relation: &RelationPlan) -> Vec<String> {
    let RelationPlan {
        name,
        to_table,
        from_column,
        to_column,
        ..
    } = relation;
    let (kind, rows) = match relation.kind {
        RelationKind::OneToMany => ("one-to-many", "rows"),
        RelationKind::OneToOne => ("one-to-one", "row"),
        RelationKind::BelongsTo => ("belongs-to", "row"),
    };
    vec![
        format!("`{name}` ({kind}): the `{to_table}` {rows} whose `{to_column}`"),
        format!("is this row's `{from_column}`."),
    ]
}
