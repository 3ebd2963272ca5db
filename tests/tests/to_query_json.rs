//! instant.dev's `test/tests/to_query_json.js`, ported: `to_query_json` of one record, of
//! records with the query's meta, and of plain rows (`ItemArray`), with and without an
//! interface. Nothing here touches a database.

use instant_runtime::model::{Interface, Items};
use instant_runtime::{Record, Records};
use instant_tests::models::Post;
use serde_json::{Map, Value, json};

fn post(title: &str, body: &str) -> Post {
    Post {
        id: 0,
        user_id: None,
        title: Some(title.to_string()),
        body: Some(body.to_string()),
        created_at: None,
        updated_at: None,
    }
}

fn groups() -> Items {
    let rows = [
        json!({"count": 5, "color": "red"}),
        json!({"count": 6, "color": "green"}),
        json!({"count": 7, "color": "blue"}),
    ];
    let rows: Vec<Map<String, Value>> = rows
        .into_iter()
        .map(|row| row.as_object().unwrap().clone())
        .collect();
    let mut groups = Items::new(rows);
    groups.set_meta(10, 1);
    groups
}

/// instant.dev: should output one post properly
#[test]
fn should_output_one_post_properly() {
    let post = Record::new(post("Howdy", "hello world"));
    let output = post.to_query_json(None);
    assert!(output.get("meta").is_some());
    assert_eq!(output["data"].as_array().unwrap().len(), 1);
    assert_eq!(output["data"][0]["title"], "Howdy");
    assert_eq!(output["meta"], json!({"total": 1, "count": 1, "offset": 0}));
}

/// instant.dev: should output posts properly
#[test]
fn should_output_posts_properly() {
    let mut posts = Records::from_models([
        post("What", "Test post A"),
        post("Who", "Test post B"),
        post("When", "Test post C"),
        post("Where", "Test post D"),
    ]);
    posts.set_meta(10, 1);

    let output = posts.to_query_json(None);
    assert_eq!(output["data"].as_array().unwrap().len(), 4);
    assert_eq!(output["data"][0]["title"], "What");
    assert_eq!(output["data"][3]["title"], "Where");
    assert_eq!(
        output["meta"],
        json!({"total": 10, "count": 4, "offset": 1})
    );
}

/// instant.dev: should format ItemArrays properly
#[test]
fn should_format_item_arrays_properly() {
    let output = groups().to_query_json(None);
    assert_eq!(output["data"].as_array().unwrap().len(), 3);
    assert_eq!(output["data"][0]["color"], "red");
    assert_eq!(output["data"][2]["color"], "blue");
    assert_eq!(
        output["meta"],
        json!({"total": 10, "count": 3, "offset": 1})
    );
}

/// instant.dev: should format ItemArrays properly with include
#[test]
fn should_format_item_arrays_properly_with_include() {
    let output = groups().to_query_json(Some(&Interface::fields(["color"])));
    assert!(output.get("meta").is_some());
    assert_eq!(output["data"].as_array().unwrap().len(), 3);
    assert_eq!(output["data"][0], json!({"color": "red"}));
    assert!(output["data"][0].get("count").is_none());
}
