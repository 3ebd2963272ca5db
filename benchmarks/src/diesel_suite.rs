//! The diesel benchmark suite (trivial query, medium query, loading associations, insert), as
//! `diesel_bench` defines it: its data rules, and its raw `postgres` baseline with every
//! statement prepared once and rows decoded by column index into the same structs the ORM
//! returns — plus the suite's own hand-written `postgres` variants where they differ from
//! that baseline (associations with `IN (…)` lists, inserts prepared on every call).
//!
//! The tables are `fixtures/diesel_bench`'s: `users (id, name, hair_color)`,
//! `posts (id, user_id, title UNIQUE, body)`, `comments (id, post_id, text)`, with indexes on
//! `users.hair_color` and `posts.user_id` and none on `comments.post_id`, as in the suite.

use postgres::{Client, Error};

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

/// The baseline on the `postgres` crate: what every ratio in `BENCHMARKS.md` divides by.
pub mod on_postgres {
    use postgres as driver;
    include!("raw_suite.rs");
}

/// The same baseline, line for line, on instant's own driver (`instant-pg`): what the driver
/// alone changes, without the ORM.
pub mod on_instant_pg {
    use instant_runtime::pg as driver;
    include!("raw_suite.rs");
}

pub use on_postgres::RawSuite;
