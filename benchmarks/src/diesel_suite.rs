//! The diesel benchmark suite (trivial query, medium query, loading associations, insert), as
//! `diesel_bench` defines it: its data rules, and its raw `postgres` baseline with every
//! statement prepared once and rows decoded by column index into the same structs the ORM
//! returns — plus the suite's own hand-written `postgres` variants where they differ from
//! that baseline (associations with `IN (…)` lists, inserts prepared on every call).
//!
//! The tables are `fixtures/diesel_bench`'s: `users (id, name, hair_color)`,
//! `posts (id, user_id, title UNIQUE, body)`, `comments (id, post_id, text)`, with indexes on
//! `users.hair_color` and `posts.user_id` and none on `comments.post_id`, as in the suite.

use std::collections::HashMap;
use std::fmt::Write;

use postgres::types::ToSql;
use postgres::{Client, Error, Row, Statement};

use crate::diesel_bench::{Comment, Post, User};

/// A user with the posts they wrote, each with its comments: what the associations benchmark
/// builds.
pub type UserWithPosts = (User, Vec<(Post, Vec<Comment>)>);

/// The hair colour of every user the insert benchmark writes.
pub const INSERTED_HAIR_COLOR: &str = "hair_color";

/// The name of the `i`-th user of every data rule.
pub fn user_name(i: usize) -> String {
    format!("User {i}")
}

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
        let users = self.all_users()?;
        let user_ids: Vec<i64> = users.iter().map(|user| user.id).collect();
        let posts: Vec<Post> = self
            .client
            .query(&self.posts_of_users, &[&user_ids])?
            .iter()
            .map(|row| post_from_row(row, 0))
            .collect();
        let post_ids: Vec<i64> = posts.iter().map(|post| post.id).collect();
        let comments = self.client.query(&self.comments_of_posts, &[&post_ids])?;
        Ok(group(users, posts, comments.iter().map(comment_from_row)))
    }

    /// Loading associations as the suite's hand-written `postgres` variant does it: the posts
    /// and comments statements are `IN ($1, …, $n)` texts built for the ids at hand on every
    /// call, so the server parses and plans them every time (and 1 000 parameters are bound
    /// one by one). Decoding and grouping are [`users_with_posts_and_comments`]'s, so the
    /// two differ only in the statements.
    ///
    /// [`users_with_posts_and_comments`]: RawSuite::users_with_posts_and_comments
    pub fn users_with_posts_and_comments_in_lists(&mut self) -> Result<Vec<UserWithPosts>, Error> {
        let users = self.all_users()?;
        let user_ids: Vec<i64> = users.iter().map(|user| user.id).collect();
        let posts: Vec<Post> = self
            .query_in_list(
                "SELECT id, user_id, title, body FROM posts WHERE user_id",
                &user_ids,
            )?
            .iter()
            .map(|row| post_from_row(row, 0))
            .collect();
        let post_ids: Vec<i64> = posts.iter().map(|post| post.id).collect();
        let comments = self.query_in_list(
            "SELECT id, post_id, text FROM comments WHERE post_id",
            &post_ids,
        )?;
        Ok(group(users, posts, comments.iter().map(comment_from_row)))
    }

    /// The insert benchmark as the suite's hand-written `postgres` variant runs it: the
    /// multi-row `INSERT INTO users (name, hair_color) VALUES ($1, $2), …` text and its
    /// parameters built on every call and sent with `execute(&str, …)`, which prepares the
    /// statement first (one more round trip than a prepared statement). Returns the rows
    /// inserted.
    pub fn insert_users(&mut self, count: usize) -> Result<u64, Error> {
        let mut sql = String::from("INSERT INTO users (name, hair_color) VALUES ");
        let mut rows = Vec::with_capacity(count);
        for i in 0..count {
            let separator = if i == 0 { "" } else { ", " };
            let _ = write!(sql, "{separator}(${}, ${})", 2 * i + 1, 2 * i + 2);
            rows.push((user_name(i), Some(INSERTED_HAIR_COLOR.to_string())));
        }
        let params: Vec<&(dyn ToSql + Sync)> = rows
            .iter()
            .flat_map(|(name, hair_color)| [name as &(dyn ToSql + Sync), hair_color])
            .collect();
        self.client.execute(sql.as_str(), &params)
    }

    /// The connection, for setup between measurements.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Runs `{select} IN ($1, …, $n)` with `ids` bound one per parameter, unprepared; no
    /// rows (and no statement) for no ids.
    fn query_in_list(&mut self, select: &str, ids: &[i64]) -> Result<Vec<Row>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!("{select} IN (");
        for n in 1..=ids.len() {
            let separator = if n == 1 { "" } else { ", " };
            let _ = write!(sql, "{separator}${n}");
        }
        sql.push(')');
        let params: Vec<&(dyn ToSql + Sync)> =
            ids.iter().map(|id| id as &(dyn ToSql + Sync)).collect();
        self.client.query(sql.as_str(), &params)
    }
}

/// Nests `comments` under their posts and `posts` under their users, keeping each level in
/// the order it was loaded.
fn group(
    users: Vec<User>,
    posts: Vec<Post>,
    comments: impl Iterator<Item = Comment>,
) -> Vec<UserWithPosts> {
    let mut comments_by_post: HashMap<i64, Vec<Comment>> = HashMap::new();
    for comment in comments {
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
    users
        .into_iter()
        .map(|user| {
            let posts = posts_by_user.remove(&user.id).unwrap_or_default();
            (user, posts)
        })
        .collect()
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
