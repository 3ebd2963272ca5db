//! Compile errors a user meets with `#[derive(Model)]` and the typed helpers, kept under test
//! with their messages (`tests/ui/fail/*.stderr`), and models that must compile.
//!
//! `TRYBUILD=overwrite cargo test -p instant-tests --test ui` rewrites the `.stderr` files;
//! read every one afterwards: each is a message a user has to understand.

#[test]
fn ui() {
    // Without cargo's progress lines, a failing run's output starts with the cases that
    // failed rather than with minutes of `Compiling …` (CI keeps only part of the output).
    // SAFETY: this binary's one test sets it before trybuild starts any thread or process.
    unsafe { std::env::set_var("CARGO_TERM_QUIET", "true") };
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
