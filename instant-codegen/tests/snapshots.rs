//! The generated file for every fixture project (each folder under `fixtures/` holding an
//! `_instant/` folder, except under `fixtures/invalid/`), snapshotted as
//! `snapshots/snapshots__<fixture>.snap`.

use std::path::Path;

use instant_codegen::{Options, generate_project};
use instant_schema::Project;

mod fixtures;

use fixtures::{FIXTURES, projects};

#[test]
fn every_fixture() {
    let root = Path::new(FIXTURES);
    let mut found = Vec::new();
    projects(root, &mut found);
    assert!(
        found.len() >= 4,
        "expected the fixture projects, found {found:?}"
    );
    for dir in found {
        let name = dir
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('/', "__");
        let project = Project::load(&dir).unwrap();
        let code = generate_project(&project, &Options::default())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        insta::with_settings!({ description => format!("instant-codegen for fixtures/{name}"), omit_expression => true }, {
            insta::assert_snapshot!(name, code);
        });
    }
}
