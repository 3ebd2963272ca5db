//! The `impl Model` and `impl Hooks` for a checked struct, plus the items that make the
//! compiler check the struct against its generated table module. Only generates: every
//! decision was made in `attr.rs` and `check.rs`.
//!
//! Everything sits in one `const _: () = { … };` block, so its helper names (`__Column0`, …)
//! never reach the user's namespace. Each field's column marker is named once, in a type
//! alias spanned on the field, so an unknown column is one error on the field.

use proc_macro2::Span;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Path};

use crate::ast::{Container, Field};

/// The expansion of `#[derive(Model)]` for a struct that passed `check`.
pub fn expand(container: &Container<'_>) -> TokenStream {
    let runtime: Path = container
        .attrs
        .runtime
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::instant_runtime));
    let Some(table) = &container.attrs.table else {
        return TokenStream::new();
    };
    let cx = Expansion {
        container,
        runtime: &runtime,
        table,
    };
    let aliases = cx.column_aliases();
    let field_checks = cx.field_checks();
    let required = cx.required_columns();
    let model = cx.impl_model();
    let hooks = cx.impl_hooks();
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, non_upper_case_globals, unused_qualifications)]
        const _: () = {
            #(#aliases)*
            #field_checks
            #required
            #model
            #hooks
        };
    }
}

struct Expansion<'a> {
    container: &'a Container<'a>,
    runtime: &'a Path,
    table: &'a Path,
}

impl Expansion<'_> {
    /// The alias of field `index`'s column marker.
    fn column(&self, index: usize) -> Ident {
        format_ident!("__Column{}", index)
    }

    /// The alias of the field called `name` (already checked to exist).
    fn column_of(&self, name: &Ident) -> TokenStream {
        match self
            .container
            .fields
            .iter()
            .position(|field| field.ident == name)
        {
            Some(index) => {
                let alias = self.column(index);
                quote!(#alias)
            }
            None => quote!(()),
        }
    }

    /// `<__Column0 as Column>::NAME`: the column's real name.
    fn name_of(&self, column: impl quote::ToTokens) -> TokenStream {
        let runtime = self.runtime;
        quote!(<#column as #runtime::descriptor::Column>::NAME)
    }

    /// `type __Column0 = users::email;`, the path's last segment spanned on the field (or its
    /// `column = …`), so rustc's "cannot find type" and its suggestion point there.
    fn column_aliases(&self) -> Vec<TokenStream> {
        let table = self.table;
        self.container
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let alias = self.column(index);
                let column = field.column();
                quote!(type #alias = #table::#column;)
            })
            .collect()
    }

    /// A function the compiler type-checks but nothing calls: each field's type against its
    /// column's (`users::ColumnType`), each `vectorizes` field against the vector types.
    fn field_checks(&self) -> TokenStream {
        let table = self.table;
        let runtime = self.runtime;
        let checks = self
            .container
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let ty = field.ty;
                // The alias carries the type's span too: rustc reports the bound there.
                let alias = Ident::new(&self.column(index).to_string(), ty.span());
                let type_check = quote_spanned! {ty.span()=>
                    column_type::<#alias, #ty>();
                };
                let vector_check = field.attrs.vectorizes.as_ref().map(|vectorize| {
                    quote_spanned! {vectorize.span=>
                        #runtime::check::vector_field::<#ty>();
                    }
                });
                quote!(#type_check #vector_check)
            });
        quote! {
            fn __check_field_types() {
                fn column_type<C: #table::ColumnType<T>, T>() {}
                #(#checks)*
            }
        }
    }

    /// `const _: () = users::check_required(&[…]);`, which fails to compile when a `NOT NULL`
    /// column without a default has no field.
    fn required_columns(&self) -> TokenStream {
        // Spanned on the table path: the error reads "a model of table `users` has no field
        // for column …" under `table = users`, and a wrong path is reported once.
        let table = self.table;
        let span = table
            .segments
            .first()
            .map_or_else(Span::call_site, |segment| segment.ident.span());
        let names = (0..self.container.fields.len()).map(|index| self.name_of(self.column(index)));
        quote_spanned! {span=>
            const _: () = #table::check_required(&[#(#names),*]);
        }
    }

    fn impl_model(&self) -> TokenStream {
        let runtime = self.runtime;
        let table = self.table;
        let ident = self.container.ident;
        let fields = &self.container.fields;
        let columns = (0..fields.len()).map(|index| {
            let alias = self.column(index);
            quote!(<#alias as #runtime::descriptor::Column>::INFO)
        });
        let hidden = fields
            .iter()
            .enumerate()
            .filter(|(_, field)| field.attrs.hides.is_some())
            .map(|(index, _)| self.name_of(self.column(index)));
        let calculated = self
            .container
            .attrs
            .calculates
            .iter()
            .map(|calculate| calculate.name.to_string());
        let vectorized = self.vectorized();
        let from_row = fields.iter().enumerate().map(|(index, field)| {
            let ident = field.ident;
            quote!(#ident: row.try_get(first + #index)?)
        });
        let values = fields.iter().enumerate().map(|(index, field)| {
            let ident = field.ident;
            quote!(#index => #runtime::model::ToValue::to_value(&self.#ident))
        });
        let field_count = fields.len();
        let panic_message = format!("`{ident}` has {field_count} fields, no field {{index}}");
        let equals = fields.iter().enumerate().map(|(index, field)| {
            let ident = field.ident;
            quote!(#index => self.#ident == other.#ident)
        });
        let set_from = fields.iter().enumerate().map(|(index, field)| {
            let ident = field.ident;
            quote!(#index => self.#ident = ::core::clone::Clone::clone(&other.#ident))
        });
        let json_locals: Vec<_> = (0..fields.len())
            .map(|index| quote::format_ident!("field_{}", index))
            .collect();
        let from_json_reads = fields.iter().enumerate().map(|(index, field)| {
            let ty = field.ty;
            let local = &json_locals[index];
            quote! {
                let #local = #runtime::model::field_from_json::<#ty>(data, Self::COLUMNS[#index], &mut errors);
            }
        });
        let from_json_fields = fields.iter().enumerate().map(|(index, field)| {
            let ident = field.ident;
            let local = &json_locals[index];
            quote!(#ident: #local)
        });
        let read_json = fields.iter().enumerate().map(|(index, field)| {
            let ident = field.ident;
            let ty = field.ty;
            quote! {
                if let ::core::option::Option::Some(value) = data.get(Self::COLUMNS[#index].name) {
                    if let ::core::option::Option::Some(value) =
                        #runtime::model::convert::<#ty>(value, Self::COLUMNS[#index], errors)
                    {
                        self.#ident = value;
                    }
                }
            }
        });
        let saves_in_steps = self.container.attrs.hooks
            || !self.container.attrs.verifies.is_empty()
            || self.vectorizing().next().is_some();
        let validate = self.validate();
        let verify = self.verify();
        let calculate = self.calculate();
        let vectorize_text = self.vectorize_text();
        let to_json = self.to_json();
        quote! {
            #[automatically_derived]
            impl #runtime::Model for #ident {
                type Table = #table::Table;
                const COLUMNS: &'static [&'static #runtime::descriptor::ColumnInfo] = &[#(#columns),*];
                const PRIMARY_KEY: ::core::option::Option<usize> =
                    #runtime::check::primary_key(Self::COLUMNS);
                const HIDDEN: &'static [&'static str] = &[#(#hidden),*];
                const CALCULATED: &'static [&'static str] = &[#(#calculated),*];
                const VECTORIZED: &'static [#runtime::model::Vectorized] = &[#(#vectorized),*];
                const SAVES_IN_STEPS: bool = #saves_in_steps;

                fn from_row_at(
                    row: &#runtime::pg::Row,
                    first: usize,
                ) -> ::core::result::Result<Self, #runtime::pg::Error> {
                    ::core::result::Result::Ok(Self { #(#from_row,)* })
                }

                fn value(&self, index: usize) -> #runtime::model::SqlValue {
                    match index {
                        #(#values,)*
                        _ => ::core::panic!(#panic_message),
                    }
                }

                fn field_eq(&self, other: &Self, index: usize) -> bool {
                    match index {
                        #(#equals,)*
                        _ => true,
                    }
                }

                fn set_from(&mut self, other: &Self, index: usize) {
                    match index {
                        #(#set_from,)*
                        _ => {}
                    }
                }

                fn from_json(
                    data: &#runtime::serde_json::Map<::std::string::String, #runtime::serde_json::Value>,
                ) -> ::core::result::Result<Self, #runtime::ValidationErrors> {
                    let mut errors = #runtime::ValidationErrors::new();
                    #(#from_json_reads)*
                    match (#(#json_locals,)*) {
                        (#(::core::option::Option::Some(#json_locals),)*) => {
                            ::core::result::Result::Ok(Self { #(#from_json_fields,)* })
                        }
                        _ => ::core::result::Result::Err(errors),
                    }
                }

                fn read_json(
                    &mut self,
                    data: &#runtime::serde_json::Map<::std::string::String, #runtime::serde_json::Value>,
                    errors: &mut #runtime::ValidationErrors,
                ) {
                    #(#read_json)*
                }

                #validate
                #verify
                #calculate
                #vectorize_text
                #to_json
            }
        }
    }

    /// `Vectorized { field: …, sources: &[…] }` per `vectorizes`, by column names.
    fn vectorized(&self) -> Vec<TokenStream> {
        let runtime = self.runtime;
        self.vectorizing()
            .map(|(index, vectorize)| {
                let field = self.name_of(self.column(index));
                let sources = vectorize
                    .from
                    .iter()
                    .map(|source| self.name_of(self.column_of(source)));
                quote! {
                    #runtime::model::Vectorized { field: #field, sources: &[#(#sources),*] }
                }
            })
            .collect()
    }

    fn vectorizing(&self) -> impl Iterator<Item = (usize, &crate::attr::Vectorize)> {
        self.container
            .fields
            .iter()
            .enumerate()
            .filter_map(|(index, field)| Some((index, field.attrs.vectorizes.as_ref()?)))
    }

    fn validate(&self) -> TokenStream {
        let runtime = self.runtime;
        let checks: Vec<TokenStream> = self
            .container
            .fields
            .iter()
            .enumerate()
            .flat_map(|(index, field): (usize, &Field<'_>)| {
                let name = self.name_of(self.column(index));
                let ident = field.ident;
                let ty = field.ty;
                field.attrs.validates.iter().map(move |validate| {
                    let message = &validate.message;
                    let check = &validate.check;
                    let passes = quote_spanned! {check.span()=>
                        #runtime::check::validate::<#ty, _>(&self.#ident, #check)
                    };
                    quote! {
                        if !#passes {
                            errors.add(#name, #message);
                        }
                    }
                })
            })
            .collect();
        if checks.is_empty() {
            return TokenStream::new();
        }
        quote! {
            fn validate(&self, errors: &mut #runtime::ValidationErrors) {
                #(#checks)*
            }
        }
    }

    fn verify(&self) -> TokenStream {
        let runtime = self.runtime;
        let verifies = &self.container.attrs.verifies;
        if verifies.is_empty() {
            return TokenStream::new();
        }
        let checks = verifies.iter().map(|verify| {
            let message = &verify.message;
            let function = &verify.function;
            let passes = quote_spanned! {function.span()=>
                #runtime::check::verify::<Self, _>(self, transaction, #function)
            };
            let failure = match &verify.field {
                Some(field) => {
                    let name = self.name_of(self.column_of(field));
                    quote! {
                        errors.add(#name, #message);
                        return ::core::result::Result::Ok(());
                    }
                }
                None => quote! {
                    return ::core::result::Result::Err(
                        #runtime::Error::Verification(::std::string::String::from(#message)),
                    );
                },
            };
            quote! {
                if !#passes? {
                    #failure
                }
            }
        });
        quote! {
            fn verify(
                &self,
                transaction: &mut #runtime::Transaction<'_>,
                errors: &mut #runtime::ValidationErrors,
            ) -> #runtime::Result<()> {
                #(#checks)*
                ::core::result::Result::Ok(())
            }
        }
    }

    fn calculate(&self) -> TokenStream {
        let runtime = self.runtime;
        let calculates = &self.container.attrs.calculates;
        if calculates.is_empty() {
            return TokenStream::new();
        }
        let arms = calculates.iter().map(|calculate| {
            let name = calculate.name.to_string();
            let function = &calculate.function;
            let value = quote_spanned! {function.span()=>
                #runtime::check::calculate::<Self, _, _>(self, #function)
            };
            quote! {
                #name => ::core::option::Option::Some(#value)
            }
        });
        quote! {
            fn calculate(&self, name: &str) -> ::core::option::Option<#runtime::serde_json::Value> {
                match name {
                    #(#arms,)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    }

    fn vectorize_text(&self) -> TokenStream {
        let arms: Vec<TokenStream> = self
            .vectorizing()
            .map(|(index, vectorize)| {
                let name = self.name_of(self.column(index));
                let function = &vectorize.function;
                let sources = vectorize.from.iter().map(|source| quote!(&self.#source));
                let text = quote_spanned! {function.span()=>
                    ::core::convert::Into::<::std::string::String>::into((#function)(#(#sources),*))
                };
                quote! {
                    if field == #name {
                        return ::core::option::Option::Some(#text);
                    }
                }
            })
            .collect();
        if arms.is_empty() {
            return TokenStream::new();
        }
        quote! {
            fn vectorize_text(&self, field: &str) -> ::core::option::Option<::std::string::String> {
                #(#arms)*
                ::core::option::Option::None
            }
        }
    }

    /// Every column field but the hidden ones, then the calculated fields.
    fn to_json(&self) -> TokenStream {
        let runtime = self.runtime;
        let columns = self
            .container
            .fields
            .iter()
            .enumerate()
            .filter(|(_, field)| field.attrs.hides.is_none())
            .map(|(index, field)| {
                let name = self.name_of(self.column(index));
                let ident = field.ident;
                quote! {
                    map.insert(
                        ::std::string::String::from(#name),
                        #runtime::model::json_value(&self.#ident),
                    );
                }
            });
        let calculated = self.container.attrs.calculates.iter().map(|calculate| {
            let name = calculate.name.to_string();
            quote! {
                if let ::core::option::Option::Some(value) = #runtime::Model::calculate(self, #name) {
                    map.insert(::std::string::String::from(#name), value);
                }
            }
        });
        quote! {
            fn to_json(&self) -> #runtime::serde_json::Value {
                let mut map = #runtime::serde_json::Map::new();
                #(#columns)*
                #(#calculated)*
                #runtime::serde_json::Value::Object(map)
            }
        }
    }

    fn impl_hooks(&self) -> TokenStream {
        if self.container.attrs.hooks {
            return TokenStream::new();
        }
        let runtime = self.runtime;
        let ident = self.container.ident;
        quote! {
            #[automatically_derived]
            impl #runtime::Hooks for #ident {}
        }
    }
}
