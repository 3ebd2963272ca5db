//! The README shows the demo's output: this keeps it true.

use std::process::Command;

#[test]
fn the_readme_shows_what_the_demo_prints() {
    let output = Command::new(env!("CARGO_BIN_EXE_instant-demo"))
        .output()
        .expect("the demo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let shown = readme
        .split("cargo run -q -p instant-demo\n```\n\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the README shows the demo's output in a text block");
    assert_eq!(printed.trim_end(), shown);
}
