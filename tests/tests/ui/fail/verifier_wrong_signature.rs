use instant_runtime::Model;
use instant_tests::blog::users;

// A verification receives the transaction and returns `instant_runtime::Result<bool>`.
fn email_is_free(user: &Login) -> bool {
    !user.email.is_empty()
}

#[derive(Clone, Model)]
#[instant(table = users)]
#[verifies(email, "is already taken", email_is_free)]
struct Login {
    id: i64,
    email: String,
    username: String,
}

fn main() {}
