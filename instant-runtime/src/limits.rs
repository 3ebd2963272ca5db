//! [`Limits`]: how much of a document the dynamic API (where-objects, nested queries, graph
//! queries) reads before it refuses it.
//!
//! These documents may come from untrusted callers (an HTTP API, an admin tool). Without a
//! bound, a 100 KB document can ask for work or memory without end: an OR of 50 000
//! where-objects, a relationship path of thousands of hops, a nested query 120 levels deep
//! whose result copies rows exponentially. Each limit below is far above what a real
//! application asks for, and exceeding one is an [`Error::Input`] that names the limit, its
//! value and where in the document it was exceeded, never a crash or a hang.

use serde_json::Value as Json;

use crate::error::{Error, Result};

/// The limits on what one dynamic query may ask for. Set them on a [`Db`](crate::Db) with
/// [`DbBuilder::limits`](crate::db::DbBuilder::limits), or pass them to the functions that
/// take them (`json_query_with`, `Query::where_json_with`).
///
/// ```
/// use instant_runtime::limits::Limits;
///
/// let generous = Limits {
///     max_where_terms: 100_000,
///     ..Limits::default()
/// };
/// assert_eq!(Limits::default().max_where_terms, 10_000);
/// assert_eq!(generous.max_query_depth, 16);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Keys of one where-object, and where-objects in one OR list (default 10 000).
    pub max_where_terms: usize,
    /// Values in one array given to a comparator: `id__in: […]`, `name__icontains: […]`
    /// (default 10 000).
    pub max_array_values: usize,
    /// Relationships walked by one key or join path: `posts__user__posts__title` walks 2
    /// (default 16).
    pub max_path_hops: usize,
    /// Levels of a nested query or graph query: `{"users": {"posts": {}}}` has 2
    /// (default 16).
    pub max_query_depth: usize,
    /// Rows one nested query may return across all its levels, a related row attached to
    /// several rows counted once per copy (default 100 000).
    pub max_query_rows: usize,
    /// Nesting of arrays and objects in the document (default 64), checked before anything
    /// else is read.
    pub max_json_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_where_terms: 10_000,
            max_array_values: 10_000,
            max_path_hops: 16,
            max_query_depth: 16,
            max_query_rows: 100_000,
            max_json_depth: 64,
        }
    }
}

impl Limits {
    /// Refuses `document` when its arrays and objects nest deeper than
    /// [`max_json_depth`](Limits::max_json_depth). Iterative: a `Value` can be built by the
    /// caller without serde_json's recursion limit, and walking it recursively would be the
    /// stack overflow this check exists to prevent. `at` names the document in the error.
    pub fn check_json_depth(&self, document: &Json, at: &str) -> Result<()> {
        let mut pending: Vec<(&Json, usize)> = vec![(document, 1)];
        while let Some((value, depth)) = pending.pop() {
            let children: Box<dyn Iterator<Item = &Json>> = match value {
                Json::Array(items) => Box::new(items.iter()),
                Json::Object(map) => Box::new(map.values()),
                _ => continue,
            };
            if depth > self.max_json_depth {
                return Err(exceeded(
                    at,
                    &format!("nests arrays and objects {} deep", grouped(depth)),
                    self.max_json_depth,
                    "max_json_depth",
                ));
            }
            pending.extend(children.map(|child| (child, depth + 1)));
        }
        Ok(())
    }
}

/// `"{at}: {what}; the limit is 10 000 (Limits::{name})"`.
pub(crate) fn exceeded(at: &str, what: &str, limit: usize, name: &'static str) -> Error {
    Error::Input {
        message: format!(
            "{at}: {what}; the limit is {} (Limits::{name})",
            grouped(limit)
        ),
    }
}

/// `50001` as `50 001`: limits are large numbers, read by people (written as the driver
/// writes its own limits).
pub(crate) fn grouped(number: usize) -> String {
    instant_pg::grouped(number as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1 000");
        assert_eq!(grouped(50_001), "50 001");
        assert_eq!(grouped(1_234_567), "1 234 567");
    }

    #[test]
    fn json_depth_is_checked_without_recursion() {
        let limits = Limits::default();
        // Deeper than serde_json would ever parse, built by hand.
        let mut deep = json!(1);
        for _ in 0..100_000 {
            deep = Json::Array(vec![deep]);
        }
        let error = limits.check_json_depth(&deep, "query").unwrap_err();
        assert_eq!(
            error.to_string(),
            "query: nests arrays and objects 65 deep; the limit is 64 (Limits::max_json_depth)"
        );
        // Dropping it recursively would overflow too: take it apart by hand.
        let mut value = deep;
        while let Json::Array(mut items) = value {
            value = items.pop().unwrap_or(Json::Null);
        }
        assert!(
            limits
                .check_json_depth(&json!({"a": [[{"b": 1}]]}), "q")
                .is_ok()
        );
    }
}
