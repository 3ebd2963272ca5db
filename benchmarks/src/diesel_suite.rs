//! The diesel benchmark suite's read benchmarks (trivial query, medium query, loading
//! associations), as `diesel_bench` defines them: its data rules, and its raw `postgres`
//! baseline with every statement prepared once and rows decoded by column index into the same
//! structs the ORM returns.
//!
//! The tables are `fixtures/diesel_bench`'s: `users (id, name, hair_color)`,
//! `posts (id, user_id, title UNIQUE, body)`, `comments (id, post_id, text)`, with indexes on
//! `users.hair_color` and `posts.user_id` and none on `comments.post_id`, as in the suite.

use std::collections::HashMap;

use instant_runtime::postgres::{Client, Error, Row, Statement};

use crate::diesel_bench::{Comment, Post, User};

/// A user with the posts they wrote, each with its comments: what the associations benchmark
/// builds.
pub type UserWithPosts = (User, Vec<(Post, Vec<Comment>)>);

/// Empties the three tables (ids keep growing, as in the suite, which does not reset
/// sequences either).
pub fn truncate(client: &mut Client) -> Result<(), Error> {
    client.batch_execute("TRUNCATE comments, posts, users CASCADE")
}

/// Replaces the data with `count` users named `User {i}`. With `hair_colors`, user `i` has
/// hair `black` when `i` is even and `brown` when odd (the medium query's data), else no
/// hair colour (the trivial query's). One statement, as the suite's multi-row insert.
pub fn seed_users(client: &mut Client, count: usize, hair_colors: bool) -> Result<(), Error> {
    truncate(client)?;
    let count = count as i64;
    client.execute(
        "INSERT INTO users (name, hair_color) \
         SELECT 'User ' || i, \
                CASE WHEN $2::boolean THEN (CASE WHEN i % 2 = 0 THEN 'black' ELSE 'brown' END) END \
         FROM generate_series(0::bigint, $1::bigint - 1) AS i ORDER BY i",
        &[&count, &hair_colors],
    )?;
    Ok(())
}

/// Replaces the data with the associations benchmark's: `users` users (hair black/brown
/// alternating), 10 posts each titled `Post {i} by user {user_id}`, 10 comments per post
/// `Comment {i} on post {post_id}`.
pub fn seed_associations(client: &mut Client, users: usize) -> Result<(), Error> {
    seed_users(client, users, true)?;
    client.batch_execute(
        "INSERT INTO posts (user_id, title) \
           SELECT u.id, 'Post ' || i || ' by user ' || u.id \
           FROM users AS u, generate_series(0, 9) AS i ORDER BY u.id, i; \
         INSERT INTO comments (post_id, text) \
           SELECT p.id, 'Comment ' || i || ' on post ' || p.id \
           FROM posts AS p, generate_series(0, 9) AS i ORDER BY p.id, i",
    )
}

/// The baseline: one connection with the suite's statements prepared on it.
pub struct RawSuite {
    client: Client,
    all_users: Statement,
    users_with_posts: Statement,
    posts_of_users: Statement,
    comments_of_posts: Statement,
}

impl RawSuite {
    /// Prepares every statement on `client`.
    pub fn prepare(mut client: Client) -> Result<RawSuite, Error> {
        let all_users = client.prepare("SELECT id, name, hair_color FROM users")?;
        let users_with_posts = client.prepare(
            "SELECT u.id, u.name, u.hair_color, p.id, p.user_id, p.title, p.body \
             FROM users AS u LEFT JOIN posts AS p ON u.id = p.user_id \
             WHERE u.hair_color = $1",
        )?;
        let posts_of_users =
            client.prepare("SELECT id, user_id, title, body FROM posts WHERE user_id = ANY($1)")?;
        let comments_of_posts =
            client.prepare("SELECT id, post_id, text FROM comments WHERE post_id = ANY($1)")?;
        Ok(RawSuite {
            client,
            all_users,
            users_with_posts,
            posts_of_users,
            comments_of_posts,
        })
    }

    /// The trivial query: every user.
    pub fn all_users(&mut self) -> Result<Vec<User>, Error> {
        let rows = self.client.query(&self.all_users, &[])?;
        Ok(rows.iter().map(|row| user_from_row(row, 0)).collect())
    }

    /// The medium query: users with `hair_color`, each with its post or none (LEFT JOIN).
    pub fn users_with_posts(
        &mut self,
        hair_color: &str,
    ) -> Result<Vec<(User, Option<Post>)>, Error> {
        let rows = self.client.query(&self.users_with_posts, &[&hair_color])?;
        rows.iter()
            .map(|row| {
                // A user without posts has a NULL post id (and NULLs in every post column).
                let post = row
                    .try_get::<_, Option<i64>>(3)?
                    .map(|_| post_from_row(row, 3));
                Ok((user_from_row(row, 0), post))
            })
            .collect()
    }

    /// Loading associations: every user, their posts, the posts' comments, in three queries
    /// (`= ANY($1)` with the parents' ids), grouped in memory.
    pub fn users_with_posts_and_comments(&mut self) -> Result<Vec<UserWithPosts>, Error> {
        let users: Vec<User> = self
            .client
            .query(&self.all_users, &[])?
            .iter()
            .map(|row| user_from_row(row, 0))
            .collect();
        let user_ids: Vec<i64> = users.iter().map(|user| user.id).collect();
        let posts: Vec<Post> = self
            .client
            .query(&self.posts_of_users, &[&user_ids])?
            .iter()
            .map(|row| post_from_row(row, 0))
            .collect();
        let post_ids: Vec<i64> = posts.iter().map(|post| post.id).collect();
        let mut comments_by_post: HashMap<i64, Vec<Comment>> = HashMap::new();
        for row in self.client.query(&self.comments_of_posts, &[&post_ids])? {
            let comment = comment_from_row(&row);
            comments_by_post
                .entry(comment.post_id)
                .or_default()
                .push(comment);
        }
        let mut posts_by_user: HashMap<i64, Vec<(Post, Vec<Comment>)>> = HashMap::new();
        for post in posts {
            let comments = comments_by_post.remove(&post.id).unwrap_or_default();
            posts_by_user
                .entry(post.user_id)
                .or_default()
                .push((post, comments));
        }
        Ok(users
            .into_iter()
            .map(|user| {
                let posts = posts_by_user.remove(&user.id).unwrap_or_default();
                (user, posts)
            })
            .collect())
    }
}

/// Decodes `id, name, hair_color` starting at column `first`.
fn user_from_row(row: &Row, first: usize) -> User {
    User {
        id: row.get(first),
        name: row.get(first + 1),
        hair_color: row.get(first + 2),
    }
}

/// Decodes `id, user_id, title, body` starting at column `first`.
fn post_from_row(row: &Row, first: usize) -> Post {
    Post {
        id: row.get(first),
        user_id: row.get(first + 1),
        title: row.get(first + 2),
        body: row.get(first + 3),
    }
}

/// Decodes `id, post_id, text`.
fn comment_from_row(row: &Row) -> Comment {
    Comment {
        id: row.get(0),
        post_id: row.get(1),
        text: row.get(2),
    }
}
