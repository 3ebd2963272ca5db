use instant_runtime::Model;
use instant_runtime::query::prelude::*;
use instant_tests::family::{Parent, parents};

fn main() {
    // `parents.name` holds text.
    let _ = Parent::query().filter(parents::name.eq(5));
}
