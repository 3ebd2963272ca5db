use instant_runtime::Record;
use instant_tests::blog::{User, posts};

fn main() {
    let user = User {
        id: 1,
        email: "ada@example.com".to_string(),
        username: "ada".to_string(),
        biography: None,
        is_admin: None,
        created_at: None,
        updated_at: None,
    };
    let record = Record::new(user);
    let _ = record.has_changed(posts::title);
}
