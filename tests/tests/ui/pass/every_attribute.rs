//! Every attribute together, with hand-written hooks.

use instant_runtime::Transaction;
use instant_runtime::{Hooks, Model};
use instant_tests::types::samples;

fn label_is_free(_: &Sample, _: &mut Transaction<'_>) -> instant_runtime::Result<bool> {
    Ok(true)
}

fn embedding_text(label: &String, notes: &Option<String>) -> String {
    format!("{label} {}", notes.as_deref().unwrap_or(""))
}

#[derive(Debug, Clone, Model)]
#[instant(table = samples, hooks)]
#[verifies(label, "is already taken", label_is_free)]
#[verifies("must be consistent", |sample: &Sample, _| Ok(!sample.label.is_empty()))]
#[calculates(shout, |sample: &Sample| sample.label.to_uppercase())]
struct Sample {
    id: i64,
    #[instant(column = string_value)]
    #[validates("must not be empty", |label| !label.is_empty())]
    #[validates("must be short", |label: &String| label.len() < 20)]
    label: String,
    #[instant(column = text_value)]
    #[hides]
    notes: Option<String>,
    boolean_value: bool,
    smallint_value: i32,
    text_array: Vec<String>,
    uuid_value: instant_runtime::uuid::Uuid,
    #[vectorizes(from = [label, notes], with = embedding_text)]
    embedding: Option<instant_runtime::pgvector::Vector>,
}

impl Hooks for Sample {
    fn before_validate(&mut self) {
        self.label = self.label.trim().to_string();
    }
}

fn main() {
    assert_eq!(Sample::HIDDEN, ["text_value"]);
    assert_eq!(Sample::CALCULATED, ["shout"]);
    assert_eq!(Sample::VECTORIZED[0].sources, ["string_value", "text_value"]);
}
