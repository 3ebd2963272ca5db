use instant_runtime::Model;
use instant_tests::blog::users;

#[derive(Clone, Model)]
#[instant(table = users)]
struct Login {
    id: i64,
    #[validates("must be positive", |value: &i64| *value > 0)]
    email: String,
    username: String,
}

fn main() {}
