use instant_runtime::Model;
use instant_runtime::query::prelude::*;
use instant_tests::family::{Child, parents, pets};

fn main() {
    // `parents::relations::pets` starts from parents, not from children.
    let _ = Child::query().filter(parents::relations::pets.any(pets::name.eq("Ruby")));
}
