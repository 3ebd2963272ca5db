use instant_runtime::Model;

#[derive(Clone, Model)]
#[instant(table = usres)]
struct Login {
    id: i64,
    email: String,
    username: String,
}

fn main() {}
