use instant_runtime::Model;
use instant_runtime::query::prelude::*;
use instant_tests::family::{Pet, pets};

fn main() {
    // JSON has no order.
    let _ = Pet::query().filter(pets::details.gt(serde_json::json!({"language": true})));
}
