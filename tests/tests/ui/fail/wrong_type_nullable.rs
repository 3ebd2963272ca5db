use instant_runtime::Model;
use instant_tests::blog::users;

// `biography` is nullable: its field is `Option<String>`; `email` is NOT NULL: `String`.
#[derive(Clone, Model)]
#[instant(table = users)]
struct Profile {
    email: Option<String>,
    username: String,
    biography: String,
}

fn main() {}
