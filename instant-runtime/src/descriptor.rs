//! Metadata about tables, columns and relationships, as constants the generated code defines.
//!
//! `instant-codegen` emits, for every table, a module holding a `Table` marker, one unit struct
//! per column and one per relationship (like Diesel's `users::email`). Each implements a trait
//! here whose constants describe it, so the typed query builder and the runtime can reach a
//! column's name, PostgreSQL type and Rust type without looking anything up at run time.
//!
//! Everything here is `const`-constructible: the generated code builds it in constants.
//!
//! ```
//! use instant_runtime::descriptor::{ColumnInfo, TableInfo};
//!
//! const USERS: TableInfo = TableInfo {
//!     name: "users",
//!     model: "User",
//!     primary_key: Some("id"),
//!     columns: &[
//!         ColumnInfo::new("id", "serial", "i64").not_null().primary_key().auto_increment(),
//!         ColumnInfo::new("email", "string", "String").not_null().unique(),
//!     ],
//!     relations: &[],
//! };
//!
//! assert_eq!(USERS.column("email").map(|c| c.unique), Some(true));
//! ```

/// A table: its name, its model struct and its columns in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableInfo {
    /// The table's name in PostgreSQL (`blog_posts`).
    pub name: &'static str,
    /// The model struct's name, instant.dev's class name (`BlogPost`).
    pub model: &'static str,
    /// The primary key column, when the table has one.
    pub primary_key: Option<&'static str>,
    /// Every column, in the table's order (the order `SELECT *` returns them in).
    pub columns: &'static [ColumnInfo],
    /// The relationships the table's foreign keys give it, from either side.
    pub relations: &'static [RelationInfo],
}

/// A column, with its effective properties (defaults and the type's implied ones filled in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColumnInfo {
    /// The column's real name in PostgreSQL, even when its Rust identifier differs.
    pub name: &'static str,
    /// The type as the schema writes it: an alias (`string`), `vector` or a PostgreSQL type.
    pub sql_type: &'static str,
    /// The Rust type the model field has, as written in the generated code (for messages).
    pub rust_type: &'static str,
    /// `NULL` is allowed; the model field is an `Option`.
    pub nullable: bool,
    /// A `UNIQUE` constraint: a foreign key on it makes a one-to-one relationship.
    pub unique: bool,
    pub primary_key: bool,
    /// Filled from a sequence (`serial`).
    pub auto_increment: bool,
    /// A PostgreSQL array of `sql_type` (`varchar ARRAY`).
    pub array: bool,
    /// The type modifier: `varchar(255)`, `vector(1536)`.
    pub length: Option<u32>,
    /// The database fills the column in when an insert leaves it out (a sequence or a
    /// `DEFAULT`), so inserts may omit it.
    pub has_default: bool,
    /// The type has no faithful Rust type (`money`, `interval`, `point`, …): the runtime casts
    /// it to and from `text` and the model field is a `String`.
    pub read_as_text: bool,
}

/// A relationship between two tables, derived from a foreign key as instant.dev derives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RelationInfo {
    /// instant.dev's name for it, the one `join("…")` takes (`blogPosts`, `user`).
    pub name: &'static str,
    /// One-to-one, one-to-many or belongs-to.
    pub kind: RelationKind,
    /// The table the relationship is read from, and its column in the join condition.
    pub from_table: &'static str,
    pub from_column: &'static str,
    /// The table the relationship leads to, and its column in the join condition.
    pub to_table: &'static str,
    pub to_column: &'static str,
}

/// Which side of a foreign key a relationship is seen from, and how many rows it leads to
/// (the kinds of `instant_schema::relationships`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationKind {
    /// From a child to the one parent its foreign key points at.
    BelongsTo,
    /// From a parent to its one child: the child's foreign key column is unique.
    OneToOne,
    /// From a parent to its many children.
    OneToMany,
}

/// A table marker (`users::Table`), describing its table.
pub trait Table {
    /// The Rust type of the primary key (`find(id)` takes one), [`NoPrimaryKey`] for a
    /// table without one, so `find` cannot be called for it.
    type PrimaryKey: crate::model::ToValue + serde::Serialize;
    /// The table's metadata.
    const INFO: &'static TableInfo;
    /// Every table of the schema the table belongs to (cascading deletes follow foreign keys
    /// through them).
    const SCHEMA: &'static [&'static TableInfo] = &[];
}

/// The primary key type of a table that has none: it has no values, so a lookup by primary
/// key of such a table cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum NoPrimaryKey {}

impl crate::model::ToValue for NoPrimaryKey {
    fn to_value(&self) -> sea_query::Value {
        match *self {}
    }
}

/// A column marker (`users::email`): which table it belongs to and what Rust type it holds.
///
/// `Value` is exactly the model field's type (`Option<String>` for a nullable string), so a
/// filter or assignment of another type does not compile.
pub trait Column {
    /// The table the column belongs to.
    type Table: Table;
    /// The Rust type of the column's values, the model field's type.
    type Value;
    /// The column's real name in PostgreSQL.
    const NAME: &'static str;
    /// The column's metadata.
    const INFO: &'static ColumnInfo;
}

/// A relationship marker (`users::relations::posts`): the tables at both ends.
pub trait Relation {
    /// The table the relationship is read from.
    type From: Table;
    /// The table it leads to.
    type To: Table;
    /// The relationship's metadata.
    const INFO: &'static RelationInfo;
}

impl TableInfo {
    /// The column called `name` (its real name, not its Rust identifier).
    pub fn column(&self, name: &str) -> Option<&'static ColumnInfo> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// The relationship instant.dev calls `name` (`blogPosts`).
    pub fn relation(&self, name: &str) -> Option<&'static RelationInfo> {
        self.relations.iter().find(|relation| relation.name == name)
    }
}

impl ColumnInfo {
    /// A nullable column with no other property; chain the builders below for the rest.
    pub const fn new(name: &'static str, sql_type: &'static str, rust_type: &'static str) -> Self {
        ColumnInfo {
            name,
            sql_type,
            rust_type,
            nullable: true,
            unique: false,
            primary_key: false,
            auto_increment: false,
            array: false,
            length: None,
            has_default: false,
            read_as_text: false,
        }
    }

    /// `NOT NULL`.
    pub const fn not_null(self) -> Self {
        ColumnInfo {
            nullable: false,
            ..self
        }
    }

    /// A `UNIQUE` column.
    pub const fn unique(self) -> Self {
        ColumnInfo {
            unique: true,
            ..self
        }
    }

    /// The primary key.
    pub const fn primary_key(self) -> Self {
        ColumnInfo {
            primary_key: true,
            ..self
        }
    }

    /// Filled from a sequence; implies [`has_default`](Self::has_default).
    pub const fn auto_increment(self) -> Self {
        ColumnInfo {
            auto_increment: true,
            has_default: true,
            ..self
        }
    }

    /// An array of the type.
    pub const fn array(self) -> Self {
        ColumnInfo {
            array: true,
            ..self
        }
    }

    /// The type modifier (`varchar(255)`, `vector(3)`).
    pub const fn length(self, length: u32) -> Self {
        ColumnInfo {
            length: Some(length),
            ..self
        }
    }

    /// The database fills the column in when an insert omits it.
    pub const fn has_default(self) -> Self {
        ColumnInfo {
            has_default: true,
            ..self
        }
    }

    /// Read and written as text (no faithful Rust type).
    pub const fn read_as_text(self) -> Self {
        ColumnInfo {
            read_as_text: true,
            ..self
        }
    }
}

impl RelationKind {
    /// True when the relationship leads to many rows (a join gives a list).
    pub const fn is_multiple(self) -> bool {
        matches!(self, RelationKind::OneToMany)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POSTS: TableInfo = TableInfo {
        name: "posts",
        model: "Post",
        primary_key: Some("id"),
        columns: &[
            ColumnInfo::new("id", "serial", "i64")
                .not_null()
                .primary_key()
                .auto_increment(),
            ColumnInfo::new("tags", "string", "Option<Vec<String>>")
                .array()
                .length(40),
        ],
        relations: &[RelationInfo {
            name: "user",
            kind: RelationKind::BelongsTo,
            from_table: "posts",
            from_column: "user_id",
            to_table: "users",
            to_column: "id",
        }],
    };

    struct Posts;
    impl Table for Posts {
        type PrimaryKey = i64;
        const INFO: &'static TableInfo = &POSTS;
    }

    #[allow(non_camel_case_types)]
    struct tags;
    impl Column for tags {
        type Table = Posts;
        type Value = Option<Vec<String>>;
        const NAME: &'static str = "tags";
        const INFO: &'static ColumnInfo = &POSTS.columns[1];
    }

    #[test]
    fn builders_set_only_their_property() {
        let id = POSTS.columns[0];
        assert!(!id.nullable && id.primary_key && id.auto_increment && id.has_default);
        assert!(!id.unique && !id.array && !id.read_as_text);
        let tag_list = POSTS.columns[1];
        assert!(tag_list.nullable && tag_list.array && !tag_list.has_default);
        assert_eq!(tag_list.length, Some(40));
    }

    #[test]
    fn markers_reach_their_constants() {
        assert_eq!(<tags as Column>::INFO.name, <tags as Column>::NAME);
        assert_eq!(<<tags as Column>::Table as Table>::INFO.name, "posts");
        assert_eq!(POSTS.relation("user").map(|r| r.to_table), Some("users"));
        assert!(POSTS.relation("users").is_none());
        assert!(!RelationKind::BelongsTo.is_multiple());
    }
}
