//! SeaORM entities for `fixtures/diesel_bench`'s tables, written by hand as
//! `sea-orm-cli generate entity` would write them (ids are `bigint`, so `i64`), with the
//! relations the suite's queries follow: users have many posts, posts have many comments.

/// `users (id, name, hair_color)`.
pub mod users {
    use sea_orm::entity::prelude::*;

    /// A row of `users`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        /// Primary key.
        #[sea_orm(primary_key)]
        pub id: i64,
        /// `User {i}`.
        pub name: String,
        /// `black`/`brown` for the medium query and associations.
        pub hair_color: Option<String>,
    }

    /// The relations of `users`.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        /// `posts.user_id`.
        #[sea_orm(has_many = "super::posts::Entity")]
        Posts,
    }

    impl Related<super::posts::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Posts.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// `posts (id, user_id, title, body)`.
pub mod posts {
    use sea_orm::entity::prelude::*;

    /// A row of `posts`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "posts")]
    pub struct Model {
        /// Primary key.
        #[sea_orm(primary_key)]
        pub id: i64,
        /// The author.
        pub user_id: i64,
        /// `Post {i} by user {user_id}`, unique.
        #[sea_orm(unique)]
        pub title: String,
        /// Always NULL in the suite's data.
        #[sea_orm(column_type = "Text", nullable)]
        pub body: Option<String>,
    }

    /// The relations of `posts`.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        /// The author.
        #[sea_orm(
            belongs_to = "super::users::Entity",
            from = "Column::UserId",
            to = "super::users::Column::Id"
        )]
        User,
        /// `comments.post_id`.
        #[sea_orm(has_many = "super::comments::Entity")]
        Comments,
    }

    impl Related<super::users::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::User.def()
        }
    }

    impl Related<super::comments::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Comments.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// `comments (id, post_id, text)`.
pub mod comments {
    use sea_orm::entity::prelude::*;

    /// A row of `comments`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "comments")]
    pub struct Model {
        /// Primary key.
        #[sea_orm(primary_key)]
        pub id: i64,
        /// The post commented on.
        pub post_id: i64,
        /// `Comment {i} on post {post_id}`.
        #[sea_orm(column_type = "Text")]
        pub text: String,
    }

    /// The relations of `comments`.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        /// The post commented on.
        #[sea_orm(
            belongs_to = "super::posts::Entity",
            from = "Column::PostId",
            to = "super::posts::Column::Id"
        )]
        Post,
    }

    impl Related<super::posts::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Post.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}
