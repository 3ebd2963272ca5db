use instant_runtime::Model;
use instant_runtime::query::prelude::*;
use instant_tests::family::{Parent, parents};

fn main() {
    // `icontains` is a text comparator; `parents.id` is an integer.
    let _ = Parent::query().filter(parents::id.icontains("4"));
}
