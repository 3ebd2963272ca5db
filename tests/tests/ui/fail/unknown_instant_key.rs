use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = instant_tests::blog::users, hook)]
struct Login {
    id: i64,
    email: String,
    #[instant(name = "username")]
    username: String,
}

fn main() {}
