//! The diesel suite as Diesel 2.3 runs it (sync `PgConnection` on libpq): `table!`
//! definitions for `fixtures/diesel_bench`'s tables and the suite's own queries — `load` for
//! the trivial query, `left_outer_join` + `filter` for the medium one, `belonging_to` +
//! `grouped_by` for associations, `insert_into(users).values(&[NewUser; N])` for inserts.
//! Diesel caches each statement whose shape its types fix, so all of these are prepared once
//! per connection.
//!
//! The fixture's ids are `bigint` (instant.dev's `serial`) where the suite's are `integer`,
//! so the columns are `BigInt` here and the structs hold `i64`.

use diesel::pg::PgConnection;
use diesel::prelude::*;

use crate::diesel_suite::{INSERTED_HAIR_COLOR, user_name};
use crate::shape::{CommentRow, PostRow, UserRow};

/// The tables, as `diesel print-schema` would write them for the fixture.
mod schema {
    diesel::table! {
        users (id) {
            id -> BigInt,
            name -> Varchar,
            hair_color -> Nullable<Varchar>,
        }
    }

    diesel::table! {
        posts (id) {
            id -> BigInt,
            user_id -> BigInt,
            title -> Varchar,
            body -> Nullable<Text>,
        }
    }

    diesel::table! {
        comments (id) {
            id -> BigInt,
            post_id -> BigInt,
            text -> Text,
        }
    }

    diesel::joinable!(posts -> users (user_id));
    diesel::joinable!(comments -> posts (post_id));
    diesel::allow_tables_to_appear_in_same_query!(users, posts, comments);
}

use schema::{comments, posts, users};

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    /// Primary key.
    pub id: i64,
    /// `User {i}`.
    pub name: String,
    /// `black`/`brown` for the medium query and associations, none for the trivial query.
    pub hair_color: Option<String>,
}

/// A user to insert. `treat_none_as_default_value = false` keeps the statement's text the same
/// whatever the values, so Diesel can cache it, as the suite's `NewUser` does.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct NewUser {
    /// `User {i}`.
    pub name: String,
    /// The insert benchmark's `hair_color`.
    pub hair_color: Option<String>,
}

/// A row of `posts`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Identifiable, Associations)]
#[diesel(table_name = posts, belongs_to(User))]
pub struct Post {
    /// Primary key.
    pub id: i64,
    /// The author.
    pub user_id: i64,
    /// `Post {i} by user {user_id}`, unique.
    pub title: String,
    /// Always NULL in the suite's data.
    pub body: Option<String>,
}

/// A row of `comments`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Identifiable, Associations)]
#[diesel(table_name = comments, belongs_to(Post))]
pub struct Comment {
    /// Primary key.
    pub id: i64,
    /// The post commented on.
    pub post_id: i64,
    /// `Comment {i} on post {post_id}`.
    pub text: String,
}

/// A user with the posts they wrote, each with its comments.
pub type UserWithPosts = (User, Vec<(Post, Vec<Comment>)>);

/// One Diesel connection, as the suite uses it.
pub struct DieselSuite {
    connection: PgConnection,
}

impl DieselSuite {
    /// Connects to the database at `url`.
    pub fn connect(url: &str) -> ConnectionResult<DieselSuite> {
        Ok(DieselSuite {
            connection: PgConnection::establish(url)?,
        })
    }

    /// The trivial query: every user.
    pub fn all_users(&mut self) -> QueryResult<Vec<User>> {
        users::table.load::<User>(&mut self.connection)
    }

    /// The medium query: users with `hair_color`, each with its post or none (LEFT JOIN).
    pub fn users_with_posts(&mut self, hair_color: &str) -> QueryResult<Vec<(User, Option<Post>)>> {
        users::table
            .left_outer_join(posts::table)
            .filter(users::hair_color.eq(hair_color))
            .load::<(User, Option<Post>)>(&mut self.connection)
    }

    /// Loading associations: users, `Post::belonging_to(&users)`,
    /// `Comment::belonging_to(&posts)` (each `= ANY($1)`), then `grouped_by` twice.
    pub fn users_with_posts_and_comments(&mut self) -> QueryResult<Vec<UserWithPosts>> {
        let users = users::table.load::<User>(&mut self.connection)?;
        let posts = Post::belonging_to(&users).load::<Post>(&mut self.connection)?;
        let comments = Comment::belonging_to(&posts)
            .load::<Comment>(&mut self.connection)?
            .grouped_by(&posts);
        let posts_by_user = posts.into_iter().zip(comments).grouped_by(&users);
        Ok(users.into_iter().zip(posts_by_user).collect())
    }

    /// The insert benchmark: `N` new users (built here, as the suite builds them on every
    /// iteration) in one multi-row INSERT. Returns the rows inserted.
    pub fn insert_users<const N: usize>(&mut self) -> QueryResult<usize> {
        diesel::insert_into(users::table)
            .values(&new_users::<N>())
            .execute(&mut self.connection)
    }

    /// The same insert reading the inserted rows back, as instant does (`RETURNING` every
    /// column, for the ids and what the database filled in): `get_results` instead of
    /// `execute`. Not in the suite; measured next to it so that the two do the same work.
    pub fn insert_users_returning<const N: usize>(&mut self) -> QueryResult<Vec<User>> {
        diesel::insert_into(users::table)
            .values(&new_users::<N>())
            .get_results(&mut self.connection)
    }
}

/// The insert benchmark's `N` new users, built on every call as the suite builds them.
fn new_users<const N: usize>() -> [NewUser; N] {
    std::array::from_fn(|i| NewUser {
        name: user_name(i),
        hair_color: Some(INSERTED_HAIR_COLOR.to_string()),
    })
}

impl UserRow for User {
    fn id(&self) -> i64 {
        self.id
    }
    fn hair_color(&self) -> Option<&str> {
        self.hair_color.as_deref()
    }
}

impl PostRow for Post {
    fn id(&self) -> i64 {
        self.id
    }
    fn user_id(&self) -> i64 {
        self.user_id
    }
}

impl CommentRow for Comment {
    fn id(&self) -> i64 {
        self.id
    }
    fn post_id(&self) -> i64 {
        self.post_id
    }
}
