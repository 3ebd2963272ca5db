use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = instant_tests::blog::users)]
struct Login {
    id: i64,
    #[validates(|email| email.contains('@'))]
    email: String,
    #[validates("is too short")]
    username: String,
}

fn main() {}
