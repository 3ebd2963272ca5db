//! `instant db_migrate` (in progress).

use crate::DatabaseArgs;

pub fn run(args: &DatabaseArgs) -> Result<(), String> {
    let _ = args;
    Err("not available yet".to_string())
}
