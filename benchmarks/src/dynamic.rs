//! The diesel suite's reads through instant's dynamic API: nested JSON queries
//! ([`json_query`]) on the schema alone, as an API endpoint or admin tool runs a query it
//! received as data — no compiled model, rows come back as JSON objects nested by
//! relationship. Each relationship level is one statement with the parents' keys bound as
//! one array, as the typed joins load them.

use instant_runtime::query::json_query;
use instant_runtime::{Db, Result};
use serde_json::{Value as Json, json};

use crate::diesel_bench::TABLES;
use crate::shape::{self, Loaded};

/// The suite's three reads as nested JSON queries, built once (they are the input an
/// application would receive, not work the ORM does).
#[derive(Debug, Clone)]
pub struct DynamicSuite {
    all_users: Json,
    users_with_posts: Json,
    users_with_posts_and_comments: Json,
}

impl DynamicSuite {
    /// The queries; the medium one filters on `hair_color`.
    pub fn new(hair_color: &str) -> DynamicSuite {
        DynamicSuite {
            all_users: json!({"users": {}}),
            users_with_posts: json!({"users": {
                "$": {"where": {"hair_color": hair_color}},
                "posts": {}
            }}),
            users_with_posts_and_comments: json!({"users": {"posts": {"comments": {}}}}),
        }
    }

    /// The trivial query: `{"users": [user, …]}`.
    pub fn all_users(&self, db: &Db) -> Result<Json> {
        json_query(db, TABLES, &self.all_users)
    }

    /// The medium query: users with the hair colour, each with its `posts` array.
    pub fn users_with_posts(&self, db: &Db) -> Result<Json> {
        json_query(db, TABLES, &self.users_with_posts)
    }

    /// Loading associations: users, each with its `posts`, each with its `comments`.
    pub fn users_with_posts_and_comments(&self, db: &Db) -> Result<Json> {
        json_query(db, TABLES, &self.users_with_posts_and_comments)
    }
}

/// The users of a result (`result["users"]`), empty when there is no such array.
pub fn users(result: &Json) -> &[Json] {
    result["users"].as_array().map_or(&[], Vec::as_slice)
}

/// Checks a result as [`shape`] checks the other implementations': every user has
/// `hair_color` (when given), every post is its user's and every comment its post's, and every
/// relationship asked for is an array. Counts what was loaded.
pub fn check(result: &Json, hair_color: Option<&str>, depth: usize) -> Result<Loaded, String> {
    let users = result["users"]
        .as_array()
        .ok_or_else(|| format!("no `users` array in {result}"))?;
    let mut loaded = Loaded::new(users.len(), 0, 0);
    for user in users {
        let user_id = id(user, "id")?;
        if let Some(hair_color) = hair_color
            && user["hair_color"].as_str() != Some(hair_color)
        {
            return Err(format!(
                "user {user_id} has hair {}, the query asked for {hair_color:?}",
                user["hair_color"]
            ));
        }
        if depth == 0 {
            continue;
        }
        for post in children(user, "posts")? {
            let post_id = id(post, "id")?;
            shape::check_parent("post", post_id, id(post, "user_id")?, "user", user_id)?;
            loaded.posts += 1;
            if depth == 1 {
                continue;
            }
            for comment in children(post, "comments")? {
                let comment_id = id(comment, "id")?;
                let points_at = id(comment, "post_id")?;
                shape::check_parent("comment", comment_id, points_at, "post", post_id)?;
                loaded.comments += 1;
            }
        }
    }
    Ok(loaded)
}

/// `row[key]` as an id.
fn id(row: &Json, key: &str) -> Result<i64, String> {
    row[key]
        .as_i64()
        .ok_or_else(|| format!("no integer `{key}` in {row}"))
}

/// `row[relationship]`, which must be an array.
fn children<'a>(row: &'a Json, relationship: &str) -> Result<&'a [Json], String> {
    row[relationship]
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| format!("`{relationship}` was not loaded in {row}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_checks_nested_rows() {
        let result = json!({"users": [
            {"id": 1, "hair_color": "black", "posts": [
                {"id": 10, "user_id": 1, "comments": [{"id": 100, "post_id": 10}]}
            ]},
            {"id": 2, "hair_color": "black", "posts": []}
        ]});
        assert_eq!(check(&result, Some("black"), 2), Ok(Loaded::new(2, 1, 1)));
        assert_eq!(check(&result, None, 0), Ok(Loaded::new(2, 0, 0)));
        assert_eq!(users(&result).len(), 2);
    }

    #[test]
    fn misplaced_or_missing_rows_are_errors() {
        let wrong_parent = json!({"users": [
            {"id": 1, "posts": [{"id": 10, "user_id": 2, "comments": []}]}
        ]});
        assert!(check(&wrong_parent, None, 2).is_err());
        let not_loaded = json!({"users": [{"id": 1}]});
        assert!(check(&not_loaded, None, 1).is_err());
        assert!(check(&json!({}), None, 0).is_err());
        let wrong_hair = json!({"users": [{"id": 1, "hair_color": "brown"}]});
        assert!(check(&wrong_hair, Some("black"), 0).is_err());
    }
}
