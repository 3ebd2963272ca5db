//! Generates the blog fixture's models, exactly as an application's build.rs would (and as the
//! end-to-end crate's does), so the benchmarks run the ORM on the code users get.

use instant_codegen::Builder;

fn main() {
    Builder::new()
        .project_dir("../fixtures/blog")
        .output_file("blog_models.rs")
        .run();
}
