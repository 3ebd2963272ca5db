use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = instant_tests::blog::users)]
#[calculates(handle, |user: &Login| format!("@{}", user.username))]
#[calculates(handle, |user: &Login| user.username.to_uppercase())]
#[calculates(email, |user: &Login| user.email.to_lowercase())]
struct Login {
    id: i64,
    email: String,
    username: String,
}

fn main() {}
