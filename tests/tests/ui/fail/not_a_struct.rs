use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = instant_tests::blog::users)]
enum Login {
    Email(String),
    Username(String),
}

fn main() {}
