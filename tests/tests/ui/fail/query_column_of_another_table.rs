use instant_runtime::Model;
use instant_runtime::query::prelude::*;
use instant_tests::family::{Parent, pets};

fn main() {
    // A filter on `pets.name` in a query of parents: it needs a relation path.
    let _ = Parent::query().filter(pets::name.eq("Ruby"));
}
