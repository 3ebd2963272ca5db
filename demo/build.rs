//! Generates the models of the fixtures the demo runs on, exactly as an application's build.rs
//! does.

fn main() {
    instant_codegen::Builder::new()
        .project_dir("../fixtures/blog")
        .run();
    instant_codegen::Builder::new()
        .project_dir("../fixtures/vectors")
        .output_file("vector_models.rs")
        .run();
}
