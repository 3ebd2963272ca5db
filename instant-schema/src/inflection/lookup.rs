//! `Instant.Model(name)`: finding a table from the many ways people name a model.

use super::{pluralize, singularize, underscore};

/// Why [`model_lookup`] found no single table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// More than one table answers to the name.
    #[error("Model \"{name}\" is ambiguous, please specify: \"{}\"", candidates.join("\", \""))]
    Ambiguous {
        name: String,
        /// The matching tables, in schema order.
        candidates: Vec<String>,
    },
    /// No table answers to the name.
    #[error("Could not find model \"{name}\"")]
    NotFound { name: String },
}

/// The table that `name` refers to, as instant.dev's `Instant.Model(name)` finds it.
///
/// A table spelled exactly like `name` wins. Otherwise every table whose lower-cased name is
/// one of the spellings a model name may take (the name in any case, its singular, the
/// snake_case plural of its class) answers, so `User`, `user`, `users` and `Users` all find
/// `users`, and `BlogPost` finds `blog_posts`; one answer is the table, several are ambiguous.
///
/// ```
/// use instant_schema::inflection::model_lookup;
/// let tables = ["users", "blog_posts"];
/// assert_eq!(model_lookup("BlogPost", tables), Ok("blog_posts"));
/// assert_eq!(
///     model_lookup("Comment", tables).unwrap_err().to_string(),
///     "Could not find model \"Comment\""
/// );
/// ```
pub fn model_lookup<'t>(
    name: &str,
    tables: impl IntoIterator<Item = &'t str>,
) -> Result<&'t str, LookupError> {
    let tables: Vec<&str> = tables.into_iter().collect();
    if let Some(exact) = tables.iter().find(|table| **table == name) {
        return Ok(exact);
    }
    let spellings = spellings(name);
    let mut answers = tables
        .into_iter()
        .filter(|table| spellings.contains(&table.to_lowercase()));
    match (answers.next(), answers.next()) {
        (Some(table), None) => Ok(table),
        (None, _) => Err(LookupError::NotFound {
            name: name.to_string(),
        }),
        (Some(first), Some(second)) => Err(LookupError::Ambiguous {
            name: name.to_string(),
            candidates: [first, second]
                .into_iter()
                .chain(answers)
                .map(str::to_string)
                .collect(),
        }),
    }
}

/// The lower-case table names a model name may stand for. A name may be the table itself in
/// another case (`Users`), a singular table (`User` for a table `user`), or a class name whose
/// table is its snake_case plural — written singular (`BlogPost` → `blog_posts`) or plural
/// (`BlogPosts`), and for a table kept singular, `blog_post`.
fn spellings(name: &str) -> [String; 5] {
    let singular = singularize(name);
    let plural_table = underscore(&pluralize(name));
    [
        name.to_lowercase(),
        singular.to_lowercase(),
        underscore(&pluralize(&singular)),
        singularize(&plural_table),
        plural_table,
    ]
}
