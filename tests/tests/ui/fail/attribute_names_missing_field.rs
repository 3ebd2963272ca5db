use instant_runtime::Model;
use instant_runtime::Transaction;

fn is_free(_: &Sample, _: &mut Transaction<'_>) -> instant_runtime::Result<bool> {
    Ok(true)
}

fn text(value: &String) -> String {
    value.clone()
}

#[derive(Clone, Model)]
#[instant(table = instant_tests::types::samples)]
#[verifies(string_valeu, "is taken", is_free)]
struct Sample {
    string_value: String,
    boolean_value: bool,
    smallint_value: i32,
    text_array: Vec<String>,
    uuid_value: instant_runtime::uuid::Uuid,
    #[vectorizes(from = [text_value], with = text)]
    embedding: Option<instant_runtime::pgvector::Vector>,
}

fn main() {}
