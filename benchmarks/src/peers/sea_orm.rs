//! The diesel suite as SeaORM 2.0 runs it: an async `DatabaseConnection` (a sqlx pool) driven
//! by a current-thread tokio runtime, and the suite's own queries — `find().all` for the
//! trivial query, `find_also_related` + `filter` for the medium one, `find_with_related` (a
//! LEFT JOIN of users and posts) plus one `is_in` query for the comments for associations,
//! `insert_many` of ActiveModels for inserts.
//!
//! The benchmarks are synchronous, so each call blocks on the runtime: that costs a wake-up of
//! the same thread, which is what a sync application using SeaORM pays too.

mod entities;

use std::collections::HashMap;

use sea_orm::{
    ActiveValue, ColumnTrait, ConnectOptions, Database, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter,
};
use tokio::runtime::Runtime;

pub use self::entities::{comments, posts, users};
use crate::diesel_suite::{INSERTED_HAIR_COLOR, user_name};
use crate::shape::{CommentRow, PostRow, UserRow};

/// A user with the posts they wrote, each with its comments.
pub type UserWithPosts = (users::Model, Vec<(posts::Model, Vec<comments::Model>)>);

/// A SeaORM connection and the runtime that drives it.
pub struct SeaOrmSuite {
    runtime: Runtime,
    db: DatabaseConnection,
}

impl SeaOrmSuite {
    /// Connects to the database at `url` (SeaORM's default pool options, without sqlx's
    /// statement logging).
    pub fn connect(url: &str) -> Result<SeaOrmSuite, DbErr> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| DbErr::Custom(format!("no tokio runtime: {error}")))?;
        let mut options = ConnectOptions::new(url);
        options.sqlx_logging(false);
        let db = runtime.block_on(Database::connect(options))?;
        Ok(SeaOrmSuite { runtime, db })
    }

    /// The trivial query: every user.
    pub fn all_users(&self) -> Result<Vec<users::Model>, DbErr> {
        self.runtime.block_on(users::Entity::find().all(&self.db))
    }

    /// The medium query: users with `hair_color`, each with its post or none (LEFT JOIN).
    pub fn users_with_posts(
        &self,
        hair_color: &str,
    ) -> Result<Vec<(users::Model, Option<posts::Model>)>, DbErr> {
        self.runtime.block_on(
            users::Entity::find()
                .find_also_related(posts::Entity)
                .filter(users::Column::HairColor.eq(hair_color))
                .all(&self.db),
        )
    }

    /// Loading associations as the suite does it with SeaORM: users LEFT JOIN posts
    /// (`find_with_related`), then the comments `WHERE post_id IN (…)`, grouped by post in a
    /// hash map. (The suite clones each post's comments out of the map; this moves them.)
    pub fn users_with_posts_and_comments(&self) -> Result<Vec<UserWithPosts>, DbErr> {
        self.runtime.block_on(async {
            let users = users::Entity::find()
                .find_with_related(posts::Entity)
                .all(&self.db)
                .await?;
            let post_ids: Vec<i64> = users
                .iter()
                .flat_map(|(_, posts)| posts.iter().map(|post| post.id))
                .collect();
            let comments = comments::Entity::find()
                .filter(comments::Column::PostId.is_in(post_ids))
                .all(&self.db)
                .await?;
            let mut comments_by_post: HashMap<i64, Vec<comments::Model>> = HashMap::new();
            for comment in comments {
                comments_by_post
                    .entry(comment.post_id)
                    .or_default()
                    .push(comment);
            }
            Ok(users
                .into_iter()
                .map(|(user, posts)| {
                    let posts = posts
                        .into_iter()
                        .map(|post| {
                            let comments = comments_by_post.remove(&post.id).unwrap_or_default();
                            (post, comments)
                        })
                        .collect();
                    (user, posts)
                })
                .collect())
        })
    }

    /// The insert benchmark: `count` new users as ActiveModels (built here, as the suite
    /// builds them on every iteration), `insert_many(…).exec`.
    pub fn insert_users(&self, count: usize) -> Result<(), DbErr> {
        let new_users = (0..count).map(|i| users::ActiveModel {
            id: ActiveValue::NotSet,
            name: ActiveValue::Set(user_name(i)),
            hair_color: ActiveValue::Set(Some(INSERTED_HAIR_COLOR.to_string())),
        });
        self.runtime
            .block_on(users::Entity::insert_many(new_users).exec(&self.db))?;
        Ok(())
    }
}

impl UserRow for users::Model {
    fn id(&self) -> i64 {
        self.id
    }
    fn hair_color(&self) -> Option<&str> {
        self.hair_color.as_deref()
    }
}

impl PostRow for posts::Model {
    fn id(&self) -> i64 {
        self.id
    }
    fn user_id(&self) -> i64 {
        self.user_id
    }
}

impl CommentRow for comments::Model {
    fn id(&self) -> i64 {
        self.id
    }
    fn post_id(&self) -> i64 {
        self.post_id
    }
}
