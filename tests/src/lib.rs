//! End-to-end tests live in `tests/tests/`; this crate holds the models generated from the
//! fixture projects by `build.rs`, one module per fixture, and the tests' common setup.

pub mod setup;

/// `fixtures/blog`: users, posts, comments.
pub mod blog {
    include!(concat!(env!("OUT_DIR"), "/blog_models.rs"));
}

/// `fixtures/family`: parents, careers, children, partners, pets, friendships.
pub mod family {
    include!(concat!(env!("OUT_DIR"), "/family_models.rs"));
}

/// `fixtures/auth`: what `instant kit auth` writes.
pub mod auth {
    include!(concat!(env!("OUT_DIR"), "/auth_models.rs"));
}

/// `fixtures/types`: every column type and property.
pub mod types {
    include!(concat!(env!("OUT_DIR"), "/types_models.rs"));
}

/// `fixtures/models`: the tables of instant.dev's `model.js` test (parents, houses,
/// special_items, users, posts, comments).
pub mod models {
    include!(concat!(env!("OUT_DIR"), "/models_models.rs"));
}

/// `fixtures/foreign_keys`: the tables of instant.dev's `migrations_foreign_keys.js` test
/// (accounts, users, blog_posts, images, image_domains), with its seed.
pub mod foreign_keys {
    include!(concat!(env!("OUT_DIR"), "/foreign_keys_models.rs"));
}

/// `fixtures/graph`: the tables of instant.dev's `graph_query.js` (users, threads, posts,
/// votes, related by schema-only foreign keys).
pub mod graph {
    include!(concat!(env!("OUT_DIR"), "/graph_models.rs"));
}

/// `src/awkward_schema.json`: keywords, spaces and names that clash with generated items.
pub mod awkward {
    include!(concat!(env!("OUT_DIR"), "/awkward_models.rs"));
}

/// `fixtures/vectors`: the tables of instant.dev's `extensions.js` (`blog_comments` with a
/// `vector(1536)` embedding, `blog_comment_likes`).
pub mod vectors {
    include!(concat!(env!("OUT_DIR"), "/vectors_models.rs"));
}
