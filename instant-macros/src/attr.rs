//! The helper attributes, parsed into typed values: `#[instant(…)]`, `#[validates(…)]`,
//! `#[verifies(…)]`, `#[calculates(…)]`, `#[hides]`, `#[vectorizes(…)]`.
//!
//! Every malformed attribute becomes an error in the [`Ctxt`] that says what was wrong and
//! shows the attribute's expected shape; parsing goes on, so the next attribute's mistakes
//! are reported in the same compile.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, LitStr, Meta, Path, Token, bracketed};

use crate::ctxt::Ctxt;

/// How each attribute is written, for error messages.
pub mod usage {
    pub const INSTANT_STRUCT: &str =
        "`#[instant(table = path::to::table)]`, optionally with `hooks` and `crate = path`";
    pub const INSTANT_FIELD: &str = "`#[instant(column = column_name)]`";
    pub const VALIDATES: &str = "`#[validates(\"message\", |value| check)]`";
    pub const VERIFIES: &str =
        "`#[verifies(field, \"message\", function)]` or `#[verifies(\"message\", function)]`";
    pub const CALCULATES: &str = "`#[calculates(name, function)]`";
    pub const VECTORIZES: &str = "`#[vectorizes(from = [field, …], with = function)]`";
}

/// What `#[instant(…)]`, `#[verifies]` and `#[calculates]` on the struct say.
#[derive(Default)]
pub struct Container {
    /// The generated table module (`users`, `crate::models::users`).
    pub table: Option<Path>,
    /// The user implements `Hooks` by hand.
    pub hooks: bool,
    /// Where the runtime is (`::instant_runtime` unless renamed).
    pub runtime: Option<Path>,
    /// In declaration order: the order they run.
    pub verifies: Vec<Verify>,
    /// In declaration order: the order `to_json` writes them.
    pub calculates: Vec<Calculate>,
}

/// `#[verifies(field, "message", function)]` or `#[verifies("message", function)]`.
pub struct Verify {
    /// The field whose error the failure is recorded under; `None` for a model-wide check.
    pub field: Option<Ident>,
    pub message: LitStr,
    pub function: Expr,
}

/// `#[calculates(name, function)]`.
pub struct Calculate {
    pub name: Ident,
    pub function: Expr,
}

/// What the attributes on one field say.
#[derive(Default)]
pub struct Field {
    /// The column's identifier in the table module, when it differs from the field's.
    pub column: Option<Ident>,
    /// In declaration order; all of them run.
    pub validates: Vec<Validate>,
    /// The `#[hides]` attribute, when present.
    pub hides: Option<Span>,
    pub vectorizes: Option<Vectorize>,
}

/// `#[validates("message", check)]`.
pub struct Validate {
    pub message: LitStr,
    pub check: Expr,
}

/// `#[vectorizes(from = [title, body], with = function)]`.
pub struct Vectorize {
    /// The attribute, for errors about the field it is on.
    pub span: Span,
    /// The fields the text is computed from, in the order `function` takes them.
    pub from: Vec<Ident>,
    pub function: Expr,
}

/// The attribute's name when it is one of the derive's helpers.
fn helper(attr: &Attribute) -> Option<&'static str> {
    let ident = attr.path().get_ident()?;
    [
        "instant",
        "validates",
        "verifies",
        "calculates",
        "hides",
        "vectorizes",
    ]
    .into_iter()
    .find(|name| ident == name)
}

/// `error`, with the attribute's expected shape appended, unless it is one of this module's own
/// messages (which already say what to write).
fn malformed(name: &str, usage: &str, error: syn::Error) -> syn::Error {
    let message = error.to_string();
    let ours = ["unknown ", "duplicate ", "missing ", "`"]
        .iter()
        .any(|start| message.starts_with(start));
    if ours {
        return error;
    }
    syn::Error::new(
        error.span(),
        format!("malformed `{name}` attribute ({error}): write {usage}"),
    )
}

impl Container {
    /// Reads the struct's attributes.
    pub fn from_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> Self {
        let mut container = Container::default();
        for attr in attrs {
            match helper(attr) {
                Some("instant") => container.read_instant(cx, attr),
                Some("verifies") => match attr.parse_args_with(parse_verify) {
                    Ok(verify) => container.verifies.push(verify),
                    Err(error) => cx.syn_error(malformed("verifies", usage::VERIFIES, error)),
                },
                Some("calculates") => match attr.parse_args_with(parse_calculate) {
                    Ok(calculate) => container.calculates.push(calculate),
                    Err(error) => cx.syn_error(malformed("calculates", usage::CALCULATES, error)),
                },
                Some(name) => cx.error_spanned_by(
                    attr,
                    format!("`#[{name}]` goes on a field, not on the struct"),
                ),
                None => {}
            }
        }
        container
    }

    fn read_instant(&mut self, cx: &mut Ctxt, attr: &Attribute) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table") {
                let path: Path = meta.value()?.parse()?;
                if self.table.replace(path).is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `table`: a model has one table");
                }
            } else if meta.path.is_ident("hooks") {
                if self.hooks {
                    cx.error_spanned_by(&meta.path, "duplicate `hooks`");
                }
                self.hooks = true;
            } else if meta.path.is_ident("crate") {
                let path: Path = meta.value()?.parse()?;
                if self.runtime.replace(path).is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `crate`");
                }
            } else if meta.path.is_ident("column") {
                return Err(meta.error(
                    "`column` goes on a field: `#[instant(column = column_name)]`",
                ));
            } else {
                let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                return Err(meta.error(format!(
                    "unknown `instant` key `{key}`: expected `table = path::to::table`, `hooks` or `crate = path`"
                )));
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(malformed("instant", usage::INSTANT_STRUCT, error));
        }
    }
}

impl Field {
    /// Reads one field's attributes.
    pub fn from_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> Self {
        let mut field = Field::default();
        for attr in attrs {
            match helper(attr) {
                Some("instant") => field.read_instant(cx, attr),
                Some("validates") => match attr.parse_args_with(parse_validate) {
                    Ok(validate) => field.validates.push(validate),
                    Err(error) => cx.syn_error(malformed("validates", usage::VALIDATES, error)),
                },
                Some("hides") => {
                    if !matches!(attr.meta, Meta::Path(_)) {
                        cx.error_spanned_by(
                            &attr.meta,
                            "malformed `hides` attribute: it takes no arguments; write `#[hides]` on the field to hide",
                        );
                    } else if field.hides.is_some() {
                        cx.error_spanned_by(attr, "duplicate `#[hides]`");
                    }
                    field.hides = Some(attr.span());
                }
                Some("vectorizes") => match parse_vectorize(attr) {
                    Ok(vectorize) => {
                        if field.vectorizes.is_some() {
                            cx.error_spanned_by(
                                attr,
                                "duplicate `vectorizes`: a vector field is computed by one function",
                            );
                        }
                        field.vectorizes = Some(vectorize);
                    }
                    Err(error) => cx.syn_error(malformed("vectorizes", usage::VECTORIZES, error)),
                },
                Some(name @ ("verifies" | "calculates")) => {
                    let usage = if name == "verifies" {
                        usage::VERIFIES
                    } else {
                        usage::CALCULATES
                    };
                    cx.error_spanned_by(
                        attr,
                        format!("`#[{name}]` goes on the struct, not on a field: {usage}"),
                    )
                }
                _ => {}
            }
        }
        field
    }

    fn read_instant(&mut self, cx: &mut Ctxt, attr: &Attribute) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("column") {
                let column: Ident = meta.value()?.parse()?;
                if self.column.replace(column).is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `column`");
                }
                Ok(())
            } else if ["table", "hooks", "crate"]
                .iter()
                .any(|key| meta.path.is_ident(key))
            {
                Err(meta.error(
                    "this key goes on the struct: `#[instant(table = …)]`, `#[instant(hooks)]`, `#[instant(crate = …)]`",
                ))
            } else {
                let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                Err(meta.error(format!(
                    "unknown `instant` key `{key}` on a field: expected `column = column_name`"
                )))
            }
        });
        if let Err(error) = result {
            cx.syn_error(malformed("instant", usage::INSTANT_FIELD, error));
        }
    }
}

/// An optional trailing comma, then nothing.
fn end(input: ParseStream) -> syn::Result<()> {
    let _: Option<Token![,]> = input.parse()?;
    if input.is_empty() {
        Ok(())
    } else {
        Err(input.error("unexpected tokens after the last argument"))
    }
}

fn parse_validate(input: ParseStream) -> syn::Result<Validate> {
    let message: LitStr = input.parse()?;
    input.parse::<Token![,]>()?;
    let check: Expr = input.parse()?;
    end(input)?;
    Ok(Validate { message, check })
}

fn parse_verify(input: ParseStream) -> syn::Result<Verify> {
    let field = if input.peek(LitStr) {
        None
    } else {
        let field: Ident = input.parse()?;
        input.parse::<Token![,]>()?;
        Some(field)
    };
    let message: LitStr = input.parse()?;
    input.parse::<Token![,]>()?;
    let function: Expr = input.parse()?;
    end(input)?;
    Ok(Verify {
        field,
        message,
        function,
    })
}

fn parse_calculate(input: ParseStream) -> syn::Result<Calculate> {
    let name: Ident = input.parse()?;
    input.parse::<Token![,]>()?;
    let function: Expr = input.parse()?;
    end(input)?;
    Ok(Calculate { name, function })
}

fn parse_vectorize(attr: &Attribute) -> syn::Result<Vectorize> {
    let mut from = None;
    let mut function = None;
    attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("from") {
            let value = meta.value()?;
            let content;
            bracketed!(content in value);
            let fields = content.parse_terminated(Ident::parse, Token![,])?;
            if from.replace(fields.into_iter().collect::<Vec<_>>()).is_some() {
                return Err(meta.error("duplicate `from`"));
            }
            Ok(())
        } else if meta.path.is_ident("with") {
            let expr: Expr = meta.value()?.parse()?;
            if function.replace(expr).is_some() {
                return Err(meta.error("duplicate `with`"));
            }
            Ok(())
        } else {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            Err(meta.error(format!(
                "unknown `vectorizes` key `{key}`: expected `from = [field, …]` and `with = function`"
            )))
        }
    })?;
    let span = attr.span();
    let from = from.ok_or_else(|| {
        syn::Error::new(
            span,
            "missing `from = [field, …]`: the fields the text is computed from (a change to one of them re-embeds)",
        )
    })?;
    if from.is_empty() {
        return Err(syn::Error::new(
            span,
            "`from` names no field: list the fields the text is computed from",
        ));
    }
    let function = function.ok_or_else(|| {
        syn::Error::new(
            span,
            "missing `with = function`: the function that turns the `from` fields into the text to embed",
        )
    })?;
    Ok(Vectorize {
        span,
        from,
        function,
    })
}
