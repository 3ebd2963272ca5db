use instant_runtime::Model;

#[derive(Clone, Model)]
struct Login {
    id: i64,
}

fn main() {}
