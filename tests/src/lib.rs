//! End-to-end tests live in `tests/tests/`; this crate holds the generated fixture models.
