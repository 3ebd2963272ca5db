//! The derive's expansion, formatted with prettyplease and snapshotted (diesel's derive tests),
//! and its attribute errors, which need no compiler to observe.

use quote::quote;

use crate::derive_model_inner;

/// The expansion as readable Rust.
fn expand(input: proc_macro2::TokenStream) -> String {
    let output = derive_model_inner(input);
    match syn::parse2::<syn::File>(output.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => output.to_string(),
    }
}

/// The messages of the errors the derive reports for `input`.
fn errors(input: proc_macro2::TokenStream) -> Vec<String> {
    let output = derive_model_inner(input).to_string();
    output
        .split("compile_error !")
        .skip(1)
        .map(|part| {
            let start = part.find('"').map_or(0, |index| index + 1);
            let end = part.rfind('"').unwrap_or(part.len());
            part[start..end].replace("\\\"", "\"")
        })
        .collect()
}

#[test]
fn every_attribute() {
    let expansion = expand(quote! {
        #[derive(Clone, Model)]
        #[instant(table = crate::models::posts, hooks)]
        #[verifies(permalink, "is already taken", slug_is_free)]
        #[verifies("must have a title or a body", |post: &Post, _txn| Ok(!post.title.is_empty()))]
        #[calculates(excerpt, Post::excerpt)]
        #[calculates(word_count, |post: &Post| post.title.split_whitespace().count())]
        pub struct Post {
            pub id: i64,
            #[validates("must not be empty", |title| !title.is_empty())]
            #[validates("must be at most 80 characters", |title: &String| title.len() <= 80)]
            pub title: String,
            pub body: Option<String>,
            #[instant(column = slug)]
            pub permalink: Option<String>,
            #[hides]
            pub secret: Option<String>,
            #[vectorizes(from = [title, body], with = post_text)]
            pub embedding: Option<::instant_runtime::pgvector::Vector>,
        }
    });
    insta::assert_snapshot!(expansion);
}

#[test]
fn plain_model() {
    let expansion = expand(quote! {
        #[derive(Model)]
        #[instant(table = users)]
        struct Login {
            id: i64,
            email: String,
        }
    });
    insta::assert_snapshot!(expansion);
}

#[test]
fn every_mistake_is_reported_at_once() {
    let messages = errors(quote! {
        #[derive(Model)]
        #[instant(tabel = users)]
        #[verifies(emial, "is taken", email_is_free)]
        #[calculates(name, a)]
        #[calculates(name, b)]
        #[hides]
        struct User {
            #[validates("no check")]
            email: String,
            #[hides(yes)]
            #[vectorizes(from = [bio], with = text, size = 3)]
            embedding: Vec<u8>,
            #[verifies("x", f)]
            #[instant(column = email)]
            other: String,
        }
    });
    let messages = messages.join("\n");
    insta::assert_snapshot!(messages);
}

#[test]
fn not_a_struct() {
    let messages = errors(quote! {
        #[derive(Model)]
        #[instant(table = users)]
        enum User { A, B }
    });
    assert_eq!(
        messages,
        ["`#[derive(Model)]` needs a struct (one field per column), not an enum"]
    );
}
