use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = instant_tests::blog::users)]
#[hides]
struct Login {
    id: i64,
    #[hides(always)]
    email: String,
    username: String,
}

fn main() {}
