use instant_runtime::Model;
use instant_tests::blog::users;

// `username` is NOT NULL without a default: a model of `users` must have it.
#[derive(Clone, Model)]
#[instant(table = users)]
struct Signup {
    email: String,
}

fn main() {}
