//! Rails-style inflection giving the names instant.dev gives.
//!
//! instant.dev derives names from table names: the model class of `blog_comment_likes` is
//! `BlogCommentLike`, the default name of its relationship on a parent is `blogCommentLikes`,
//! and `Instant.Model("BlogCommentLike")` finds the table again. To read an `_instant/` folder
//! the way instant.dev does, we must produce the same names, odd ones included, so the results
//! here are those of instant.dev's inflector (the `i` npm package); `tests/inflection.rs` holds
//! a table of its outputs and checks every one.
//!
//! The design: the English facts (rule lists in the order they are tried, irregular pairs,
//! uncountable words) are data in `rules`; an `Inflector` reads them once and answers plural
//! and singular; the case and separator changes of identifiers (`camelize`, `underscore`, …)
//! are in `words`; finding a table from a model name is in `lookup`.
//!
//! ```
//! use instant_schema::inflection::{classify, pluralize, singularize, camelize_lower};
//! assert_eq!(classify("children"), "Child");
//! assert_eq!(classify("blog_comment_likes"), "BlogCommentLike");
//! assert_eq!(pluralize("person"), "people");
//! assert_eq!(singularize("indices"), "index");
//! assert_eq!(pluralize(&camelize_lower("BlogPost")), "blogPosts");
//! ```

mod inflector;
mod lookup;
mod rules;
mod words;

pub use lookup::{LookupError, model_lookup};

use inflector::ENGLISH;
use words::Initial;

/// The plural of `word`: `post` → `posts`, `person` → `people`, `sheep` → `sheep`.
pub fn pluralize(word: &str) -> String {
    ENGLISH.pluralize(word)
}

/// The singular of `word`: `posts` → `post`, `children` → `child`, `statuses` → `status`.
pub fn singularize(word: &str) -> String {
    ENGLISH.singularize(word)
}

/// `UpperCamelCase` from `snake_case`: `blog_post` → `BlogPost`; a `/` module path becomes
/// `.` (`admin/user_roles` → `Admin.UserRoles`).
pub fn camelize(word: &str) -> String {
    words::camelize(word, Initial::Upper)
}

/// `lowerCamelCase`: `blog_post` → `blogPost`, `BlogPost` → `blogPost`. instant.dev names
/// relationships this way.
pub fn camelize_lower(word: &str) -> String {
    words::camelize(word, Initial::Lower)
}

/// `snake_case` from `CamelCase`: `BlogPost` → `blog_post`, `SSLError` → `ssl_error`.
pub fn underscore(word: &str) -> String {
    words::underscore(word)
}

/// The class name instant.dev gives the model of `table`: `children` → `Child`.
///
/// [`classify_plain`] plus instant.dev's one special case: a table ending in `bases` ends in
/// `Base` (the plain rules read `bases` as the plural of `basis`, so `knowledge_bases` would
/// be `KnowledgeBasis`).
pub fn classify(table: &str) -> String {
    match table.strip_suffix("bases") {
        Some(stem) => classify_plain(&format!("{stem}base")),
        None => classify_plain(table),
    }
}

/// The class name of `table` without instant.dev's `bases` special case: the singular,
/// camelized, after any `schema.` prefix.
///
/// A table name is a compound of words with the plural on the last one, and the singular
/// rules only ever look at the end of a word, so only that last word changes:
/// `blog_comment_likes` → `blog_comment_like` → `BlogCommentLike`.
pub fn classify_plain(table: &str) -> String {
    camelize(&singularize(words::strip_namespace(table)))
}

/// The table name for a class name: `BlogPost` → `blog_posts`.
pub fn tableize(class_name: &str) -> String {
    pluralize(&underscore(class_name))
}

/// Human-readable text: `author_id` → `Author`, `employee_salary` → `Employee salary`.
pub fn humanize(word: &str) -> String {
    words::humanize(word)
}
