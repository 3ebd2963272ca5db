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

/// The table that `name` refers to, as instant.dev's `SchemaManager.getModel` finds it.
///
/// An exact table name wins. Otherwise each table name, lower-cased, is compared with: `name`
/// and its singular, lower-cased; the snake_case plural of `name` and its singular; and the
/// snake_case plural of the singular. So `User`, `user`, `users` and `Users` all find `users`,
/// and `BlogPost` finds `blog_posts`.
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
    let singular = singularize(name);
    let table_name = underscore(&pluralize(name));
    let candidates = [
        name.to_lowercase(),
        singular.to_lowercase(),
        singularize(&table_name),
        underscore(&pluralize(&singular)),
        table_name,
    ];
    let matches: Vec<&str> = tables
        .into_iter()
        .filter(|table| candidates.contains(&table.to_lowercase()))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(LookupError::NotFound {
            name: name.to_string(),
        }),
        many => Err(LookupError::Ambiguous {
            name: name.to_string(),
            candidates: many.iter().map(|table| table.to_string()).collect(),
        }),
    }
}
