use instant_runtime::Model;
use instant_tests::blog::users;

#[derive(Clone, Model)]
#[instant(table = users)]
struct Login {
    id: i32,
    email: String,
    username: String,
}

fn main() {}
