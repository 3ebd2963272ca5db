//! The generated models are models, of every fixture.

use instant_runtime::Model;
use instant_tests::{auth, awkward, blog, family, types};

fn is_model<M: Model>() -> usize {
    M::COLUMNS.len()
}

fn main() {
    assert_eq!(is_model::<blog::User>(), 7);
    assert!(is_model::<types::Sample>() > 20);
    let _ = is_model::<family::Parent>();
    let _ = is_model::<auth::User>();
    let _ = is_model::<awkward::KnowledgeBase>();
}
