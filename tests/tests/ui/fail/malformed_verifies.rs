use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = instant_tests::blog::users)]
#[verifies(email)]
#[verifies(email, is_free)]
struct Login {
    id: i64,
    email: String,
    username: String,
}

fn main() {}
