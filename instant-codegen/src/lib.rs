//! Turns an instant.dev schema into Rust source: model structs, typed column descriptors,
//! relation descriptors and table metadata. Use [`Builder`] from `build.rs`.
