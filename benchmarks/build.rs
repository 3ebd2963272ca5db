//! Generates the fixtures' models, exactly as an application's build.rs would (and as the
//! end-to-end crate's does), so the benchmarks run the ORM on the code users get: the blog
//! fixture for the CRUD benchmarks, `fixtures/diesel_bench` for the diesel suite's.

use instant_codegen::Builder;

fn main() {
    Builder::new()
        .project_dir("../fixtures/blog")
        .output_file("blog_models.rs")
        .run();
    Builder::new()
        .project_dir("../fixtures/diesel_bench")
        .output_file("diesel_bench_models.rs")
        .run();
    Builder::new()
        .project_dir("../fixtures/vector_bench")
        .output_file("vector_bench_models.rs")
        .run();
}
