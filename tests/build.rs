//! Generates the models of the fixture projects, exactly as an application's build.rs would,
//! plus one hand-written schema of awkward names (keywords, spaces, clashes) to prove that what
//! the generator emits for them compiles.

use std::path::PathBuf;

use instant_codegen::{Builder, Options, generate};
use instant_schema::Schema;

fn main() {
    for fixture in [
        "blog",
        "family",
        "auth",
        "types",
        "models",
        "foreign_keys",
        "graph",
        "vectors",
    ] {
        Builder::new()
            .project_dir(format!("../fixtures/{fixture}"))
            .output_file(format!("{fixture}_models.rs"))
            .run();
    }

    let schema_file = "src/awkward_schema.json";
    println!("cargo::rerun-if-changed={schema_file}");
    let text = std::fs::read_to_string(schema_file).unwrap();
    let schema = Schema::from_json(&serde_json::from_str(&text).unwrap()).unwrap();
    let code = generate(&schema, &Options::default()).unwrap();
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("awkward_models.rs"), code).unwrap();
}
