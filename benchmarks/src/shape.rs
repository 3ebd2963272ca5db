//! What the diesel suite's reads must return, whoever runs them: each implementation loads
//! into its own structs (the generated models, Diesel's `Queryable`s, SeaORM's `Model`s, JSON),
//! and is checked here against the data rules before it is timed, so that a benchmark which
//! loads the wrong rows (or none) fails instead of looking fast.

use instant_runtime::Records;

use crate::diesel_bench::{self, posts, users};

/// How many rows of each table a result holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Users (the top level of every result).
    pub users: usize,
    /// Posts, wherever they are nested.
    pub posts: usize,
    /// Comments, wherever they are nested.
    pub comments: usize,
}

impl Loaded {
    /// `users` users, `posts` posts and `comments` comments.
    pub fn new(users: usize, posts: usize, comments: usize) -> Loaded {
        Loaded {
            users,
            posts,
            comments,
        }
    }
}

/// A user with the posts they wrote, each with its comments: the associations benchmark's
/// result, in each implementation's own structs.
pub type UserWithPosts<U, P, C> = (U, Vec<(P, Vec<C>)>);

/// A loaded user, as the checks read it.
pub trait UserRow {
    /// The primary key.
    fn id(&self) -> i64;
    /// The hair colour the medium query filters on.
    fn hair_color(&self) -> Option<&str>;
}

/// A loaded post, as the checks read it.
pub trait PostRow {
    /// The primary key.
    fn id(&self) -> i64;
    /// The author, which must be the user the post is nested under.
    fn user_id(&self) -> i64;
}

/// A loaded comment, as the checks read it.
pub trait CommentRow {
    /// The primary key.
    fn id(&self) -> i64;
    /// The post, which must be the one the comment is nested under.
    fn post_id(&self) -> i64;
}

/// The trivial query's result: every user.
pub fn users<U: UserRow>(users: &[U]) -> Loaded {
    Loaded::new(users.len(), 0, 0)
}

/// The medium query's result, `(user, its post or none)` rows: every user has `hair_color`
/// and every post is the user's.
pub fn users_with_post<U: UserRow, P: PostRow>(
    rows: &[(U, Option<P>)],
    hair_color: &str,
) -> Result<Loaded, String> {
    let mut loaded = Loaded::new(rows.len(), 0, 0);
    for (user, post) in rows {
        check_hair(user, hair_color)?;
        if let Some(post) = post {
            check_parent("post", post.id(), post.user_id(), "user", user.id())?;
            loaded.posts += 1;
        }
    }
    Ok(loaded)
}

/// The associations result, users with their posts with their comments: every post is its
/// user's and every comment its post's.
pub fn users_with_posts_and_comments<U: UserRow, P: PostRow, C: CommentRow>(
    users: &[UserWithPosts<U, P, C>],
) -> Result<Loaded, String> {
    let mut loaded = Loaded::new(users.len(), 0, 0);
    for (user, posts) in users {
        for (post, comments) in posts {
            check_parent("post", post.id(), post.user_id(), "user", user.id())?;
            for comment in comments {
                check_parent(
                    "comment",
                    comment.id(),
                    comment.post_id(),
                    "post",
                    post.id(),
                )?;
            }
            loaded.posts += 1;
            loaded.comments += comments.len();
        }
    }
    Ok(loaded)
}

/// instant's medium query result, users with their joined posts: every user has
/// `hair_color`, every post is the user's, and the join ran (an absent join is an error).
pub fn instant_users_with_posts(
    users: &Records<diesel_bench::User>,
    hair_color: &str,
) -> Result<Loaded, String> {
    let mut loaded = Loaded::new(users.len(), 0, 0);
    for user in users.iter() {
        check_hair(&**user, hair_color)?;
        let posts = user
            .joined(users::relations::posts)
            .ok_or_else(|| format!("user {}: posts were not joined", user.id))?;
        for post in posts.iter() {
            check_parent("post", post.id, post.user_id, "user", user.id)?;
        }
        loaded.posts += posts.len();
    }
    Ok(loaded)
}

/// instant's associations result, users with their joined posts with their joined comments.
pub fn instant_users_with_posts_and_comments(
    users: &Records<diesel_bench::User>,
) -> Result<Loaded, String> {
    let mut loaded = Loaded::new(users.len(), 0, 0);
    for user in users.iter() {
        let posts = user
            .joined(users::relations::posts)
            .ok_or_else(|| format!("user {}: posts were not joined", user.id))?;
        for post in posts.iter() {
            check_parent("post", post.id, post.user_id, "user", user.id)?;
            let comments = post
                .joined(posts::relations::comments)
                .ok_or_else(|| format!("post {}: comments were not joined", post.id))?;
            for comment in comments.iter() {
                check_parent("comment", comment.id, comment.post_id, "post", post.id)?;
            }
            loaded.comments += comments.len();
        }
        loaded.posts += posts.len();
    }
    Ok(loaded)
}

/// An error unless `user` has `hair_color`.
pub fn check_hair(user: &impl UserRow, hair_color: &str) -> Result<(), String> {
    match user.hair_color() {
        Some(found) if found == hair_color => Ok(()),
        found => Err(format!(
            "user {} has hair {found:?}, the query asked for {hair_color:?}",
            user.id()
        )),
    }
}

/// An error unless a `child` row (id `id`) points at the `parent` it is nested under.
pub fn check_parent(
    child: &str,
    id: i64,
    points_at: i64,
    parent: &str,
    parent_id: i64,
) -> Result<(), String> {
    if points_at == parent_id {
        Ok(())
    } else {
        Err(format!(
            "{child} {id} belongs to {parent} {points_at} but is nested under {parent} {parent_id}"
        ))
    }
}

impl UserRow for diesel_bench::User {
    fn id(&self) -> i64 {
        self.id
    }
    fn hair_color(&self) -> Option<&str> {
        self.hair_color.as_deref()
    }
}

impl PostRow for diesel_bench::Post {
    fn id(&self) -> i64 {
        self.id
    }
    fn user_id(&self) -> i64 {
        self.user_id
    }
}

impl CommentRow for diesel_bench::Comment {
    fn id(&self) -> i64 {
        self.id
    }
    fn post_id(&self) -> i64 {
        self.post_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diesel_bench::{Comment, Post, User};

    fn user(id: i64, hair: &str) -> User {
        User {
            id,
            name: format!("User {id}"),
            hair_color: Some(hair.to_string()),
        }
    }

    fn post(id: i64, user_id: i64) -> Post {
        Post {
            id,
            user_id,
            title: format!("Post {id}"),
            body: None,
        }
    }

    fn comment(id: i64, post_id: i64) -> Comment {
        Comment {
            id,
            post_id,
            text: format!("Comment {id}"),
        }
    }

    #[test]
    fn counts_nested_rows_that_belong_where_they_are() {
        let loaded = users_with_posts_and_comments(&[(
            user(1, "black"),
            vec![(post(10, 1), vec![comment(100, 10), comment(101, 10)])],
        )]);
        assert_eq!(loaded, Ok(Loaded::new(1, 1, 2)));
    }

    #[test]
    fn a_row_under_the_wrong_parent_is_an_error() {
        let error = users_with_posts_and_comments(&[(
            user(1, "black"),
            vec![(post(10, 1), vec![comment(100, 11)])],
        )])
        .unwrap_err();
        assert_eq!(
            error,
            "comment 100 belongs to post 11 but is nested under post 10"
        );
        let error = users_with_post(&[(user(1, "black"), Some(post(10, 2)))], "black");
        assert!(error.is_err());
    }

    #[test]
    fn the_medium_query_only_returns_the_hair_colour_asked_for() {
        let rows: [(User, Option<Post>); 2] = [(user(1, "black"), None), (user(2, "brown"), None)];
        assert_eq!(
            users_with_post(&rows[..1], "black"),
            Ok(Loaded::new(1, 0, 0))
        );
        assert_eq!(
            users_with_post(&rows, "black").unwrap_err(),
            "user 2 has hair Some(\"brown\"), the query asked for \"black\""
        );
    }
}
