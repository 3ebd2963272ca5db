// The diesel suite's raw baseline, written once against the API `postgres` and `instant-pg`
// share and included by `diesel_suite.rs` once per driver (`driver` names the crate).

use std::collections::HashMap;
use std::fmt::Write;

use driver::types::ToSql;
use driver::{Client, Error, Row, Statement};

use crate::diesel_bench::{Comment, Post, User};
use crate::diesel_suite::{INSERTED_HAIR_COLOR, UserWithPosts, user_name};

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
