use instant_runtime::Model;
use instant_tests::blog::posts;

// `tags` is a nullable string array: `Option<Vec<String>>`.
#[derive(Clone, Model)]
#[instant(table = posts)]
struct Tagged {
    title: String,
    tags: Vec<String>,
}

fn main() {}
