use instant_runtime::Model;

fn text(value: &String) -> String {
    value.clone()
}

#[derive(Clone, Model)]
#[instant(table = instant_tests::types::samples)]
struct Sample {
    string_value: String,
    boolean_value: bool,
    smallint_value: i32,
    text_array: Vec<String>,
    uuid_value: instant_runtime::uuid::Uuid,
    #[vectorizes(text)]
    embedding: Option<instant_runtime::pgvector::Vector>,
}

#[derive(Clone, Model)]
#[instant(table = instant_tests::types::samples)]
struct Other {
    string_value: String,
    boolean_value: bool,
    smallint_value: i32,
    text_array: Vec<String>,
    uuid_value: instant_runtime::uuid::Uuid,
    #[vectorizes(from = [string_value])]
    embedding: Option<instant_runtime::pgvector::Vector>,
}

fn main() {}
