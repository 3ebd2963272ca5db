use instant_runtime::Model;
use instant_tests::blog::users;

#[derive(Clone, Model)]
#[instant(table = users)]
struct Login {
    id: i64,
    emial: String,
    username: String,
}

fn main() {}
