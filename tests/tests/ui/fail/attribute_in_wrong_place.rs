use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = instant_tests::blog::users)]
#[validates("must be set", |email: &String| !email.is_empty())]
struct Login {
    #[instant(table = instant_tests::blog::users)]
    id: i64,
    #[calculates(handle, |user: &Login| user.username.clone())]
    email: String,
    username: String,
}

fn main() {}
