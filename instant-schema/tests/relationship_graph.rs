//! instant.dev's `test/tests/relationship_graph.js`, on the graph derived from a schema.
//!
//! instant.dev builds its graph by hand: `Post.joinsTo(User, {multiple: true})`,
//! `Comment.joinsTo(Post, {multiple: true})` and `Avatar.joinsTo(User)`. Here the same graph
//! comes from four tables and three foreign keys, `avatars.user_id` being unique (one avatar per
//! user). instant.dev's paths are `[target, edge, node, edge, …, start]`; ours are hops from the
//! start, so `path[0].Model` is `target()`, `path.length == 3` is one hop, `path[1]` is the last
//! hop's edge and `path[3]` the one before it.

use instant_schema::relationships::{Edge, Relation, RelationshipGraph};
use instant_schema::{Column, ForeignKey, ForeignKeyBehavior, Schema, Table};

fn table(schema: &mut Schema, name: &str, columns: &[(&str, bool)]) {
    let columns = columns
        .iter()
        .map(|&(column, unique)| {
            let mut column = Column::new(column, if column == "id" { "serial" } else { "int" });
            if unique {
                column.properties.unique = Some(true);
            }
            column
        })
        .collect();
    schema.tables.insert(
        name.to_string(),
        Table {
            name: name.to_string(),
            columns,
        },
    );
}

fn foreign_key(schema: &mut Schema, table: &str, column: &str, parent: &str) {
    schema.foreign_keys.push(ForeignKey {
        table: table.to_string(),
        column: column.to_string(),
        parent_table: parent.to_string(),
        parent_column: "id".to_string(),
        behavior: ForeignKeyBehavior::default(),
    });
}

/// Posts and avatars belong to users, comments to posts; a user has one avatar.
fn graph() -> RelationshipGraph {
    let mut schema = Schema::empty();
    table(&mut schema, "users", &[("id", false)]);
    table(&mut schema, "posts", &[("id", false), ("user_id", false)]);
    table(
        &mut schema,
        "comments",
        &[("id", false), ("post_id", false)],
    );
    table(&mut schema, "avatars", &[("id", false), ("user_id", true)]);
    foreign_key(&mut schema, "posts", "user_id", "users");
    foreign_key(&mut schema, "comments", "post_id", "posts");
    foreign_key(&mut schema, "avatars", "user_id", "users");
    RelationshipGraph::from_schema(&schema).unwrap()
}

/// The (parent, child) tables of the foreign key a hop crosses: instant.dev's
/// `edge.parent.Model` and `edge.child.Model`.
fn ends<'g>(graph: &'g RelationshipGraph, hop: &Relation) -> (&'g str, &'g str) {
    let edge: &Edge = &graph.edges()[hop.edge];
    (&edge.parent_table, &edge.child_table)
}

/// instant.dev: Should find posts in user
#[test]
fn should_find_posts_in_user() {
    let graph = graph();
    let path = graph.find("users", "posts").unwrap();
    assert_eq!(path.hops().len(), 1);
    assert_eq!(path.target(), "posts");
    assert!(path.multiple());
}

/// instant.dev: Should find avatar in user
#[test]
fn should_find_avatar_in_user() {
    let graph = graph();
    let path = graph.find("users", "avatar").unwrap();
    assert_eq!(path.hops().len(), 1);
    assert_eq!(path.target(), "avatars");
    assert!(!path.multiple());
}

/// instant.dev: Should find user in post
#[test]
fn should_find_user_in_post() {
    let graph = graph();
    let path = graph.find("posts", "user").unwrap();
    assert_eq!(path.hops().len(), 1);
    assert_eq!(path.target(), "users");
    assert!(!path.multiple());
}

/// instant.dev: Should find user in avatar
#[test]
fn should_find_user_in_avatar() {
    let graph = graph();
    let path = graph.find("avatars", "user").unwrap();
    assert_eq!(path.hops().len(), 1);
    assert_eq!(path.target(), "users");
    assert!(!path.multiple());
}

/// instant.dev: Should find avatar from post
#[test]
fn should_find_avatar_from_post() {
    let graph = graph();
    let path = graph.find("posts", "avatar").unwrap();
    assert_eq!(path.hops().len(), 2);
    assert_eq!(path.target(), "avatars");
    assert_eq!(path.hops()[0].target_table, "users");
    assert!(!path.multiple());
}

/// instant.dev: Should find post from avatar
#[test]
fn should_find_post_from_avatar() {
    let graph = graph();
    let path = graph.find("avatars", "posts").unwrap();
    assert_eq!(path.hops().len(), 2);
    assert_eq!(path.target(), "posts");
    assert_eq!(path.hops()[0].target_table, "users");
    assert!(path.multiple());
    assert!(path.immediate_multiple());
}

/// instant.dev: Should trace nodes properly
#[test]
fn should_trace_nodes_properly() {
    let graph = graph();
    let path = graph.find("avatars", "posts").unwrap();
    let [first, last] = path.hops() else {
        panic!("two hops expected, got {path:?}")
    };
    assert_eq!(ends(&graph, last), ("users", "posts"));
    assert_eq!(ends(&graph, first), ("users", "avatars"));
    let edges: Vec<(&str, &str)> = path
        .edges()
        .map(|edge| (edge.parent_table.as_str(), edge.child_table.as_str()))
        .collect();
    assert_eq!(edges, [("users", "avatars"), ("users", "posts")]);
}

/// instant.dev: Should get join name properly
#[test]
fn should_get_join_name_properly() {
    let graph = graph();
    let path = graph.find("avatars", "comments").unwrap();
    assert_eq!(path.join_name(), "user__posts__comments");
    assert_eq!(path.reverse_join_name(), "post__user__avatar");
    assert_eq!(path.table(), "avatars");
    assert_eq!(path.target(), "comments");
}

/// instant.dev: Should trace nodes properly, explicitly
#[test]
fn should_trace_nodes_properly_explicitly() {
    let graph = graph();
    let path = graph.find_explicit("avatars", "user__posts").unwrap();
    let [first, last] = path.hops() else {
        panic!("two hops expected, got {path:?}")
    };
    assert_eq!(ends(&graph, last), ("users", "posts"));
    assert_eq!(ends(&graph, first), ("users", "avatars"));
    assert_eq!(path.join_name(), "user__posts");
}

/// instant.dev: Should trace nodes properly, explicitly when not found
///
/// instant.dev gives `null`; the error says which hop failed and what was valid.
#[test]
fn should_trace_nodes_properly_explicitly_when_not_found() {
    let graph = graph();
    let error = graph.find_explicit("avatars", "posts").unwrap_err();
    assert_eq!(
        error.to_string(),
        "Model Avatar does not have relationship \"posts\".\nValid relationships are: \"user\""
    );
}

/// instant.dev: Should cascade properly
#[test]
fn should_cascade_properly() {
    let graph = graph();
    let user = graph.cascade("users");
    let post = graph.cascade("posts");
    let comment = graph.cascade("comments");
    let avatar = graph.cascade("avatars");

    assert_eq!(user.len(), 3);
    let target = |path: &[&Relation]| path.last().unwrap().target_table.clone();
    assert_eq!(target(&user[0]), "posts");
    assert_eq!(ends(&graph, user[0][0]), ("users", "posts"));
    assert_eq!(target(&user[1]), "avatars");
    assert_eq!(ends(&graph, user[1][0]), ("users", "avatars"));
    assert_eq!(target(&user[2]), "comments");
    assert_eq!(ends(&graph, user[2][1]), ("posts", "comments"));
    assert_eq!(ends(&graph, user[2][0]), ("users", "posts"));
    assert_eq!(post.len(), 1);
    assert_eq!(target(&post[0]), "comments");
    assert!(comment.is_empty());
    assert!(avatar.is_empty());
}

/// Where we differ from instant.dev (docs/differences.md): a child's name on its parent (`as`)
/// does not lead from the child back to the parent. instant.dev's `find('posts')` from Post
/// matches the Post→User edge by its `as` and lands on the user; here no path from `posts` ends
/// in a relation called `posts`, and `join_name` always spells a path that resolves.
#[test]
fn a_childs_name_on_its_parent_is_not_followed_from_the_child() {
    let graph = graph();
    assert!(graph.find("posts", "posts").is_none());
    assert!(graph.find_explicit("posts", "posts").is_err());
    let path = graph.find("comments", "avatar").unwrap();
    assert_eq!(path.join_name(), "post__user__avatar");
    let again = graph.find_explicit("comments", &path.join_name()).unwrap();
    assert_eq!(again.target(), "avatars");
    assert_eq!(again.reverse_join_name(), "user__posts__comments");
}
