//! The struct a derive reads, as the derive sees it: its name, its named fields with their
//! types, and the attributes of both, already parsed (serde_derive's `internals::ast`).

use syn::{Data, DeriveInput, Fields, Generics, Ident, Type};

use crate::attr;
use crate::ctxt::Ctxt;

/// A model struct.
pub struct Container<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub attrs: attr::Container,
    /// In declaration order: the order of `Model::COLUMNS`.
    pub fields: Vec<Field<'a>>,
}

/// One field: one column.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::Field,
}

impl<'a> Container<'a> {
    /// Reads `input`; `None` (with an error recorded) when it is not a struct with named
    /// fields.
    pub fn from_ast(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::Container::from_attrs(cx, &input.attrs);
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(fields) => &fields.named,
                _ => {
                    cx.error_spanned_by(
                        &input.ident,
                        "`#[derive(Model)]` needs a struct with named fields, one per column",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    "`#[derive(Model)]` needs a struct (one field per column), not an enum",
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`#[derive(Model)]` needs a struct (one field per column), not a union",
                );
                return None;
            }
        };
        let fields = fields
            .iter()
            .filter_map(|field| {
                let attrs = attr::Field::from_attrs(cx, &field.attrs);
                Some(Field {
                    ident: field.ident.as_ref()?,
                    ty: &field.ty,
                    attrs,
                })
            })
            .collect();
        Some(Container {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            fields,
        })
    }

    /// The field called `name`.
    pub fn field(&self, name: &Ident) -> Option<&Field<'a>> {
        self.fields.iter().find(|field| field.ident == name)
    }
}

impl Field<'_> {
    /// The column's unit struct in the table module: the field's own name unless
    /// `#[instant(column = …)]` names another.
    pub fn column(&self) -> &Ident {
        self.attrs.column.as_ref().unwrap_or(self.ident)
    }
}
