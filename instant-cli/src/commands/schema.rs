//! `instant schema` (in progress).

use crate::ProjectDir;

pub fn run(args: &ProjectDir) -> Result<(), String> {
    let _ = args;
    Err("not available yet".to_string())
}
