//! A hand-written model of part of a table: every required column, other fields optional,
//! a field renamed with `#[instant(column = …)]`.

use instant_runtime::Model;
use instant_tests::blog::users;

#[derive(Debug, Clone, Model)]
#[instant(table = users)]
struct Login {
    id: i64,
    email: String,
    #[instant(column = username)]
    handle: String,
}

fn main() {
    assert_eq!(Login::COLUMNS.len(), 3);
    assert_eq!(Login::COLUMNS[2].name, "username");
    assert_eq!(Login::PRIMARY_KEY, Some(0));
}
