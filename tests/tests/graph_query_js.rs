//! instant.dev's `graph_query.js`: the legacy GraphQuery (`users(id: 1) { id, threads { id } }`)
//! on the tables the JS test creates (`fixtures/graph`, seeded with the test's data: 3 users,
//! 3 threads each, 27 posts and 27 votes each on threads `n % 9`).

use instant_runtime::Db;
use instant_runtime::query::{GraphNode, graph_query};
use instant_runtime::testing::TempDb;
use instant_tests::graph;
use serde_json::{Value, json};

fn seeded() -> (TempDb, Db) {
    instant_tests::setup::seeded("graph", &graph::seed_models())
}

fn rows(value: &Value) -> &Vec<Value> {
    value.as_array().expect("an array of rows")
}

#[test]
fn graph_queries_parse_whatever_the_spacing() {
    let queries = [
        "parent { id, name, age, children { id, name }, shirt }",
        "parent{id,name,age,children{id,name},shirt}",
        " parent  { id , name , age , children { id , name } , shirt }",
        "parent(id: 20, name: 30) { id, name, age, children(name: \"Suzanne\") { id , name }, shirt }",
    ];
    for query in queries {
        let node = GraphNode::parse(query).unwrap();
        assert_eq!(node.name, "parent");
        let fields = node.fields.unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["id", "name", "age", "children", "shirt"]);
        let children = fields.iter().find(|f| f.name == "children").unwrap();
        let child_names: Vec<&str> = children
            .fields
            .as_ref()
            .unwrap()
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(child_names, ["id", "name"]);
    }
    let filtered = GraphNode::parse(queries[3]).unwrap();
    assert_eq!(json!(filtered.filters), json!({"id": 20, "name": 30}));
    assert!(GraphNode::parse("parent { id").is_err());
    assert!(GraphNode::parse("parent(id 1) { id }").is_err());
}

/// instant.dev: Should query users properly
#[test]
fn should_query_users_properly() {
    let (_temp, db) = seeded();
    let users = graph_query(&db, graph::TABLES, "users { id, username }").unwrap();
    let users = rows(&users);
    assert_eq!(users.len(), 3);
    assert!(users[0].get("id").is_some());
    assert!(users[0].get("username").is_some());
    assert!(users[0].get("skill").is_none(), "only the fields asked for");
}

/// instant.dev: Should query users properly, join threads
#[test]
fn should_query_users_properly_join_threads() {
    let (_temp, db) = seeded();
    let users = graph_query(&db, graph::TABLES, "users { id, username, threads { id } }").unwrap();
    let users = rows(&users);
    assert_eq!(users.len(), 3);
    assert!(users[0].get("username").is_some());
    assert!(rows(&users[0]["threads"])[0].get("id").is_some());
}

/// instant.dev: Should query users properly with where, join threads
#[test]
fn should_query_users_properly_with_where_join_threads() {
    let (_temp, db) = seeded();
    let users = graph_query(
        &db,
        graph::TABLES,
        "users(id: 1) { id, username, threads { id } }",
    )
    .unwrap();
    let users = rows(&users);
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["id"], json!(1));
    assert_eq!(rows(&users[0]["threads"]).len(), 3);
    assert!(rows(&users[0]["threads"])[0].get("id").is_some());
}

/// instant.dev: Should query users properly with where, join threads with where
#[test]
fn should_query_users_properly_with_where_join_threads_with_where() {
    let (_temp, db) = seeded();
    let users = graph_query(
        &db,
        graph::TABLES,
        "users(id: 1) { id, username, threads(id: 2) { id } }",
    )
    .unwrap();
    let users = rows(&users);
    assert_eq!(users.len(), 1);
    let threads = rows(&users[0]["threads"]);
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0]["id"], json!(2));
}

/// instant.dev: Should query users properly with where, join threads with where, add posts
#[test]
fn should_query_users_properly_with_where_join_threads_with_where_add_posts() {
    let (_temp, db) = seeded();
    let users = graph_query(
        &db,
        graph::TABLES,
        "
        users(id: 1) {
          id,
          username,
          threads(id: 2) {
            id,
            posts {
              body
            }
          },
          posts {
            body
          }
        }
      ",
    )
    .unwrap();
    let users = rows(&users);
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["id"], json!(1));
    let threads = rows(&users[0]["threads"]);
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0]["id"], json!(2));
    let thread_posts = rows(&threads[0]["posts"]);
    assert_eq!(thread_posts.len(), 9);
    assert!(thread_posts[0].get("body").is_some());
    assert!(
        thread_posts[0].get("id").is_none(),
        "only the fields asked for"
    );
    assert_eq!(rows(&users[0]["posts"]).len(), 27);
}

/// instant.dev: Should join in mutiple tables on joined table
#[test]
fn should_join_in_multiple_tables_on_a_joined_table() {
    let (_temp, db) = seeded();
    let users = graph_query(
        &db,
        graph::TABLES,
        "users { id, username, threads { id, posts, votes } }",
    )
    .unwrap();
    let users = rows(&users);
    assert_eq!(users.len(), 3);
    let threads = rows(&users[0]["threads"]);
    assert_eq!(threads.len(), 3);
    assert_eq!(rows(&threads[0]["posts"]).len(), 9);
    assert_eq!(rows(&threads[0]["votes"]).len(), 9);
    assert!(
        rows(&threads[0]["posts"])[0].get("body").is_some(),
        "a bare relationship is whole"
    );
}

#[test]
fn mistakes_in_a_graph_query_are_errors() {
    let (_temp, db) = seeded();
    for (query, expected) in [
        ("people { id }", "graph query: no table `people`"),
        (
            "users { id, shoe }",
            "graph query: \"shoe\" is not a column or relationship of `users`",
        ),
        (
            "users { threads(nope: 1) { id } }",
            "users.threads.$.where.nope",
        ),
    ] {
        let error = graph_query(&db, graph::TABLES, query).unwrap_err();
        assert!(error.to_string().starts_with(expected), "{error}");
    }
}
