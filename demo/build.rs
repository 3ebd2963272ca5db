//! Generates the blog fixture's models, exactly as an application's build.rs does.

fn main() {
    instant_codegen::Builder::new()
        .project_dir("../fixtures/blog")
        .run();
}
