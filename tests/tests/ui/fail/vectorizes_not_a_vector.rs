use instant_runtime::Model;
use instant_tests::blog::posts;

fn text(title: &String) -> String {
    title.clone()
}

#[derive(Clone, Model)]
#[instant(table = posts)]
struct Post {
    title: String,
    #[vectorizes(from = [title], with = text)]
    body: Option<String>,
}

fn main() {}
