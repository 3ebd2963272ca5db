//! `#[derive(Model)]` for instant for Rust, re-exported as `instant_runtime::Model`.
//!
//! The derive runs in four steps, one file each (serde_derive's layout): [`ast`] reads the
//! struct, [`attr`] parses the helper attributes into typed values, [`check`] validates what
//! can be validated without the schema, and [`expand`] generates the `Model` and `Hooks`
//! impls plus the items through which the compiler checks the struct against its generated
//! table module. Errors from every step are gathered in a [`ctxt::Ctxt`] and reported together.
//!
//! ```ignore
//! use instant_runtime::Model;
//!
//! #[derive(Debug, Clone, Model)]
//! #[instant(table = users)]
//! #[verifies(email, "is already taken", email_is_free)]
//! #[calculates(display_name, |user: &User| format!("@{}", user.username))]
//! pub struct User {
//!     pub id: i64,
//!     #[validates("must be an email address", |email| email.contains('@'))]
//!     pub email: String,
//!     pub username: String,
//!     #[hides]
//!     pub password: String,
//! }
//! ```

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;

use proc_macro::TokenStream;

/// Implements `instant_runtime::Model` (and, unless `#[instant(hooks)]`, an empty
/// `instant_runtime::Hooks`) for a struct whose fields are columns of one generated table
/// module. See the crate documentation for the attributes.
#[proc_macro_derive(
    Model,
    attributes(instant, validates, verifies, calculates, hides, vectorizes)
)]
pub fn derive_model(input: TokenStream) -> TokenStream {
    derive_model_inner(input.into()).into()
}

/// The derive on `proc_macro2` tokens, so tests can run it outside a compiler invocation.
pub(crate) fn derive_model_inner(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let mut cx = ctxt::Ctxt::new();
    let Some(container) = ast::Container::from_ast(&mut cx, &input) else {
        return errors(cx);
    };
    check::check(&mut cx, &container);
    if let Err(error) = cx.check() {
        return error.into_compile_error();
    }
    expand::expand(&container)
}

fn errors(cx: ctxt::Ctxt) -> proc_macro2::TokenStream {
    match cx.check() {
        Ok(()) => proc_macro2::TokenStream::new(),
        Err(error) => error.into_compile_error(),
    }
}

#[cfg(test)]
mod tests;
