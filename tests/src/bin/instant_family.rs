//! An application's own `instant` binary, as its `src/bin/instant.rs` would be: the `family`
//! models, with `parents` seen through a hand-written model that hides a field, calculates one
//! and validates another, so `tests/cli_app.rs` can see the command behave as the models do.

use std::process::ExitCode;

use instant_runtime::Model;
use instant_runtime::chrono::NaiveDateTime;
use instant_tests::family::{self, parents};

/// instant.dev's `Parent.hides('hidden')`, with a calculated greeting and a rule on
/// pantaloons.
#[derive(Debug, Clone, Model)]
#[instant(table = parents)]
#[calculates(greeting, |parent: &Parent| format!("Hello, {}!", parent.name))]
struct Parent {
    id: i64,
    name: String,
    shirt: Option<String>,
    #[hides]
    hidden: Option<String>,
    #[validates("must not be plaid", |pantaloons: &Option<String>| pantaloons.as_deref() != Some("plaid"))]
    pantaloons: Option<String>,
    created_at: Option<NaiveDateTime>,
    updated_at: Option<NaiveDateTime>,
}

fn main() -> ExitCode {
    let models = family::seed_models().with::<Parent>();
    instant_cli::main_with(instant_cli::App::new().models(models))
}
