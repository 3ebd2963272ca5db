//! The relationship graph derived from foreign keys, on hand-built schemas.

use instant_schema::relationships::{PathError, RelationKind, RelationshipGraph};
use instant_schema::{Column, ForeignKey, ForeignKeyBehavior, Schema, Table};

fn table(schema: &mut Schema, name: &str, columns: &[(&str, &str, bool)]) {
    let columns = columns
        .iter()
        .map(|&(column, column_type, unique)| {
            let mut column = Column::new(column, column_type);
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

fn fk(schema: &mut Schema, table: &str, column: &str, parent: &str, names: Option<(&str, &str)>) {
    let mut behavior = ForeignKeyBehavior::default();
    if let Some((parent_alias, alias)) = names {
        behavior.parent_alias = Some(parent_alias.to_string());
        behavior.alias = Some(alias.to_string());
    }
    schema.foreign_keys.push(ForeignKey {
        table: table.to_string(),
        column: column.to_string(),
        parent_table: parent.to_string(),
        parent_column: "id".to_string(),
        behavior,
    });
}

/// The shape of instant.dev's composer test fixture (`fixtures/family`).
fn family() -> Schema {
    let mut schema = Schema::empty();
    table(
        &mut schema,
        "parents",
        &[("id", "serial", false), ("name", "string", true)],
    );
    for child in ["careers", "children", "pets"] {
        table(
            &mut schema,
            child,
            &[("id", "serial", false), ("parent_id", "int", false)],
        );
    }
    table(
        &mut schema,
        "partners",
        &[("id", "serial", false), ("parent_id", "bigint", true)],
    );
    table(
        &mut schema,
        "friendships",
        &[
            ("id", "serial", false),
            ("from_parent_id", "int", false),
            ("to_parent_id", "int", false),
        ],
    );
    fk(&mut schema, "careers", "parent_id", "parents", None);
    fk(&mut schema, "children", "parent_id", "parents", None);
    fk(
        &mut schema,
        "friendships",
        "from_parent_id",
        "parents",
        Some(("fromParent", "outgoingFriendships")),
    );
    fk(
        &mut schema,
        "friendships",
        "to_parent_id",
        "parents",
        Some(("toParent", "incomingFriendships")),
    );
    fk(&mut schema, "partners", "parent_id", "parents", None);
    fk(&mut schema, "pets", "parent_id", "parents", None);
    schema
}

fn names(graph: &RelationshipGraph, table: &str) -> Vec<(String, RelationKind, String)> {
    graph
        .relations(table)
        .iter()
        .map(|r| (r.name.clone(), r.kind, r.target_table.clone()))
        .collect()
}

#[test]
fn family_relations_have_instant_dev_names() {
    let graph = RelationshipGraph::from_schema(&family()).unwrap();
    use RelationKind::*;
    let expected = |list: &[(&str, RelationKind, &str)]| {
        list.iter()
            .map(|&(n, k, t)| (n.to_string(), k, t.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&graph, "parents"),
        expected(&[
            ("careers", OneToMany, "careers"),
            ("children", OneToMany, "children"),
            ("outgoingFriendships", OneToMany, "friendships"),
            ("incomingFriendships", OneToMany, "friendships"),
            ("partner", OneToOne, "partners"),
            ("pets", OneToMany, "pets"),
        ])
    );
    assert_eq!(
        names(&graph, "children"),
        expected(&[("parent", BelongsTo, "parents")])
    );
    assert_eq!(
        names(&graph, "partners"),
        expected(&[("parent", BelongsTo, "parents")])
    );
    assert_eq!(
        names(&graph, "friendships"),
        expected(&[
            ("fromParent", BelongsTo, "parents"),
            ("toParent", BelongsTo, "parents"),
        ])
    );
    let edge = &graph.edges()[2];
    assert_eq!(
        (
            edge.child_column.as_str(),
            edge.alias.as_str(),
            edge.parent_alias.as_str()
        ),
        ("from_parent_id", "outgoingFriendships", "fromParent")
    );
    let to = graph.relation("friendships", "toParent").unwrap();
    assert_eq!(
        (to.column.as_str(), to.target_column.as_str()),
        ("to_parent_id", "id")
    );
    let incoming = graph.relation("parents", "incomingFriendships").unwrap();
    assert_eq!(
        (incoming.column.as_str(), incoming.target_column.as_str()),
        ("id", "to_parent_id")
    );
}

#[test]
fn camel_case_names_for_snake_case_tables() {
    let mut schema = Schema::empty();
    table(&mut schema, "users", &[("id", "serial", false)]);
    table(
        &mut schema,
        "blog_posts",
        &[("id", "serial", false), ("user_id", "int", false)],
    );
    table(
        &mut schema,
        "blog_post_stats",
        &[("id", "serial", false), ("blog_post_id", "int", true)],
    );
    fk(&mut schema, "blog_posts", "user_id", "users", None);
    fk(
        &mut schema,
        "blog_post_stats",
        "blog_post_id",
        "blog_posts",
        None,
    );
    let graph = RelationshipGraph::from_schema(&schema).unwrap();
    assert!(graph.relation("users", "blogPosts").is_some());
    assert!(graph.relation("blog_posts", "user").is_some());
    assert!(graph.relation("blog_posts", "blogPostStat").is_some());
    assert!(graph.relation("blog_post_stats", "blogPost").is_some());
}

#[test]
fn paths_walk_hop_by_hop() {
    let graph = RelationshipGraph::from_schema(&family()).unwrap();
    let hops = graph.find_path("children", "parent__pets").unwrap();
    let tables: Vec<_> = hops.iter().map(|h| h.target_table.as_str()).collect();
    assert_eq!(tables, ["parents", "pets"]);
    assert_eq!(hops[1].kind, RelationKind::OneToMany);
    let hops = graph
        .find_path("friendships", "fromParent__incomingFriendships__toParent")
        .unwrap();
    assert_eq!(hops.len(), 3);
    assert_eq!(hops[2].column, "to_parent_id");
}

#[test]
fn unknown_hops_list_valid_names() {
    let graph = RelationshipGraph::from_schema(&family()).unwrap();
    let error = graph.find_path("children", "parents").unwrap_err();
    assert_eq!(
        error.to_string(),
        "Model Child does not have relationship \"parents\".\nValid relationships are: \"parent\""
    );
    let error = graph.find_path("children", "parent__kids").unwrap_err();
    assert_eq!(
        error.to_string(),
        "Model Parent does not have relationship \"kids\" (in \"parent__kids\").\n\
         Valid relationships are: \"careers\", \"children\", \"outgoingFriendships\", \
         \"incomingFriendships\", \"partner\", \"pets\""
    );
    // instant.dev would follow a child's `as` name backwards from the child; we do not.
    assert!(graph.find_path("children", "children").is_err());
    assert_eq!(
        graph.find_path("nobody", "parent"),
        Err(PathError::UnknownTable {
            table: "nobody".into()
        })
    );
}

#[test]
fn self_references_work() {
    let mut schema = Schema::empty();
    table(
        &mut schema,
        "employees",
        &[("id", "serial", false), ("employee_id", "int", false)],
    );
    fk(&mut schema, "employees", "employee_id", "employees", None);
    let graph = RelationshipGraph::from_schema(&schema).unwrap();
    assert_eq!(
        names(&graph, "employees"),
        vec![
            (
                "employee".to_string(),
                RelationKind::BelongsTo,
                "employees".to_string()
            ),
            (
                "employees".to_string(),
                RelationKind::OneToMany,
                "employees".to_string()
            ),
        ]
    );
    let hops = graph
        .find_path("employees", "employee__employee__employees")
        .unwrap();
    assert_eq!(hops.len(), 3);
    // Cascading through a self-reference ends.
    let cascade = graph.cascade("employees");
    assert_eq!(cascade.len(), 1);
    assert_eq!(cascade[0][0].name, "employees");
}

#[test]
fn self_reference_with_unique_column_needs_names() {
    let mut schema = Schema::empty();
    table(
        &mut schema,
        "nodes",
        &[("id", "serial", false), ("node_id", "int", true)],
    );
    fk(&mut schema, "nodes", "node_id", "nodes", None);
    let error = RelationshipGraph::from_schema(&schema).unwrap_err();
    assert_eq!(
        error.to_string(),
        "at foreign_keys[0]: this self-referencing foreign key names both its parent and its \
         child \"node\" on table \"nodes\"; set \"alias\" or \"parentAlias\" in its \"behavior\" \
         to tell them apart"
    );
    fk(
        &mut schema,
        "nodes",
        "node_id",
        "nodes",
        Some(("previous", "next")),
    );
    schema.foreign_keys.remove(0);
    let graph = RelationshipGraph::from_schema(&schema).unwrap();
    assert_eq!(graph.find_path("nodes", "next__previous").unwrap().len(), 2);
}

#[test]
fn colliding_default_names_are_an_error() {
    let mut schema = family();
    for fk in &mut schema.foreign_keys {
        fk.behavior = ForeignKeyBehavior::default();
    }
    let error = RelationshipGraph::from_schema(&schema).unwrap_err();
    assert_eq!(
        error.to_string(),
        "at foreign_keys[3]: relationship name \"parent\" on table \"friendships\" is already \
         used by the foreign key friendships.from_parent_id -> parents.id (foreign_keys[2]); give \
         this one another name with \"parentAlias\" in its \"behavior\" (instant.dev would \
         silently merge the two)"
    );
    // The lenient reading keeps the first, as instant.dev does, and reports both collisions.
    let (graph, problems) = RelationshipGraph::build(&schema);
    assert_eq!(problems.len(), 2);
    assert!(
        problems[1]
            .to_string()
            .contains("\"friendships\" on table \"parents\"")
    );
    assert_eq!(
        graph.relation("friendships", "parent").unwrap().column,
        "from_parent_id"
    );
    assert_eq!(graph.edges().len(), 6);
}

#[test]
fn broken_foreign_keys_are_reported() {
    let mut schema = family();
    fk(&mut schema, "pets", "owner_id", "parents", None);
    fk(&mut schema, "pets", "parent_id", "owners", None);
    let (graph, problems) = RelationshipGraph::build(&schema);
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "at foreign_keys[6].column: Column \"owner_id\" not found for \"pets\"",
            "at foreign_keys[7].parentTable: Invalid foreign key: \"owners\" not found",
        ]
    );
    assert_eq!(graph.edges().len(), 6);
}

#[test]
fn cascade_visits_dependents_breadth_first() {
    let mut schema = family();
    table(
        &mut schema,
        "toys",
        &[("id", "serial", false), ("pet_id", "int", false)],
    );
    fk(&mut schema, "toys", "pet_id", "pets", None);
    let graph = RelationshipGraph::from_schema(&schema).unwrap();
    let cascade: Vec<String> = graph
        .cascade("parents")
        .iter()
        .map(|path| {
            path.iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join("__")
        })
        .collect();
    assert_eq!(
        cascade,
        [
            "careers",
            "children",
            "outgoingFriendships",
            "incomingFriendships",
            "partner",
            "pets",
            "pets__toys",
        ]
    );
    assert!(graph.cascade("toys").is_empty());
}

#[test]
fn the_family_fixture_gives_the_same_relations() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/family");
    let schema = instant_schema::Project::load(dir)
        .unwrap()
        .schema()
        .unwrap();
    let graph = RelationshipGraph::from_schema(&schema).unwrap();
    let hand_built = RelationshipGraph::from_schema(&family()).unwrap();
    for table in [
        "parents",
        "careers",
        "children",
        "partners",
        "pets",
        "friendships",
    ] {
        assert_eq!(names(&graph, table), names(&hand_built, table), "{table}");
    }
}
