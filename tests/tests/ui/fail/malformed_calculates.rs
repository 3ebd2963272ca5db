use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = instant_tests::blog::users)]
#[calculates("handle", |user: &Login| user.username.clone())]
#[calculates(initial)]
struct Login {
    id: i64,
    email: String,
    username: String,
}

fn main() {}
