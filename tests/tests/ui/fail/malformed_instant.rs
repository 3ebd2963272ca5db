use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table)]
struct Login {
    id: i64,
    email: String,
    #[instant(column = "user name")]
    username: String,
}

fn main() {}
