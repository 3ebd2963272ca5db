//! The models `build.rs` generated from the fixtures, used as an application uses them: structs
//! built field by field, field types checked by the compiler, and the column, table and
//! relation descriptors read through their traits.

use instant_runtime::chrono::NaiveDate;
use instant_runtime::descriptor::{Column, Relation, RelationKind, Table, TableInfo};
use instant_tests::{auth, awkward, blog, family, types};

/// Compiles only when the field has exactly this type.
fn is<T>(_: &T) {}

/// Compiles only when the column's value type is exactly `V`.
fn value_is<C: Column<Value = V>, V>() {}

fn relation_names(info: &TableInfo) -> Vec<&'static str> {
    info.relations
        .iter()
        .map(|relation| relation.name)
        .collect()
}

#[test]
fn blog_models_are_plain_structs() {
    let created = NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let user = blog::User {
        id: 1,
        email: "ada@example.com".to_string(),
        username: "ada".to_string(),
        biography: None,
        is_admin: Some(true),
        created_at: Some(created),
        updated_at: None,
    };
    let post = blog::Post {
        id: 7,
        user_id: Some(user.id),
        title: "Hello".to_string(),
        body: Some("First post".to_string()),
        published_at: None,
        tags: Some(vec!["rust".to_string(), "orm".to_string()]),
        created_at: Some(created),
        updated_at: Some(created),
        slug: None,
    };
    is::<i64>(&user.id);
    is::<String>(&user.email);
    is::<Option<String>>(&user.biography);
    is::<Option<bool>>(&user.is_admin);
    is::<Option<Vec<String>>>(&post.tags);
    is::<String>(&post.title);
    assert_eq!(post.clone(), post);
    assert!(format!("{user:?}").contains("ada@example.com"));
}

#[test]
fn every_type_has_its_rust_type() {
    use instant_runtime::{pgvector, rust_decimal, serde_json, uuid};
    type S = types::Sample;
    fn check(sample: &S) {
        is::<i64>(&sample.id);
        is::<Option<i64>>(&sample.int_value);
        is::<Option<f64>>(&sample.float_value);
        is::<String>(&sample.string_value);
        is::<bool>(&sample.boolean_value);
        is::<Option<serde_json::Value>>(&sample.json_value);
        is::<Option<i32>>(&sample.integer_value);
        is::<Option<f32>>(&sample.real_value);
        is::<Option<rust_decimal::Decimal>>(&sample.numeric_value);
        is::<Option<NaiveDate>>(&sample.date_value);
        is::<Option<instant_runtime::chrono::DateTime<instant_runtime::chrono::Utc>>>(
            &sample.timestamptz_value,
        );
        is::<uuid::Uuid>(&sample.uuid_value);
        is::<Option<Vec<u8>>>(&sample.bytea_value);
        is::<Option<instant_runtime::chrono::NaiveTime>>(&sample.time_value);
        is::<Option<std::net::IpAddr>>(&sample.inet_value);
        is::<Vec<String>>(&sample.text_array);
        is::<Option<Vec<uuid::Uuid>>>(&sample.uuid_array);
        is::<Option<pgvector::Vector>>(&sample.embedding);
    }
    let _ = check;
    value_is::<types::samples::embedding, Option<pgvector::Vector>>();
    value_is::<types::samples::text_array, Vec<String>>();
    value_is::<types::tags::name, String>();

    let embedding = <types::samples::embedding as Column>::INFO;
    assert_eq!((embedding.sql_type, embedding.length), ("vector", Some(3)));
    assert_eq!(embedding.rust_type, "Option<pgvector::Vector>");
    let status = types::samples::INFO.column("status").unwrap();
    assert!(status.has_default && status.nullable);
    assert!(types::samples::INFO.columns.iter().all(|c| !c.read_as_text));
}

#[test]
fn column_descriptors_describe_their_columns() {
    assert_eq!(<blog::users::email as Column>::NAME, "email");
    assert_eq!(blog::users::INFO.columns.len(), 7);
    assert_eq!(blog::users::INFO.model, "User");
    assert_eq!(blog::users::INFO.primary_key, Some("id"));
    value_is::<blog::users::email, String>();
    value_is::<blog::users::biography, Option<String>>();

    let email = <blog::users::email as Column>::INFO;
    assert!(email.unique && !email.nullable && !email.primary_key);
    assert_eq!(email.sql_type, "string");
    let id = <blog::users::id as Column>::INFO;
    assert!(id.primary_key && id.auto_increment && id.has_default && !id.nullable);

    // Each column knows its table, and INFO is the table's entry for it.
    fn table_of<C: Column>() -> &'static str {
        <C::Table as Table>::INFO.name
    }
    assert_eq!(table_of::<blog::posts::title>(), "posts");
    assert!(std::ptr::eq(
        <blog::posts::title as Column>::INFO,
        &blog::posts::INFO.columns[2]
    ));

    let names: Vec<_> = blog::TABLES.iter().map(|table| table.name).collect();
    assert_eq!(names, ["users", "posts", "comments"]);
    assert_eq!(<blog::comments::Table as Table>::INFO.model, "Comment");
}

#[test]
fn family_relations_follow_instant_dev_names() {
    assert_eq!(
        relation_names(&family::parents::INFO),
        [
            "careers",
            "children",
            "outgoingFriendships",
            "incomingFriendships",
            "partner",
            "pets"
        ]
    );
    assert_eq!(
        relation_names(&family::friendships::INFO),
        ["fromParent", "toParent"]
    );
    assert_eq!(family::children::INFO.model, "Child");

    let children = <family::parents::relations::children as Relation>::INFO;
    assert_eq!(children.kind, RelationKind::OneToMany);
    assert_eq!(
        (children.from_table, children.from_column),
        ("parents", "id")
    );
    assert_eq!(
        (children.to_table, children.to_column),
        ("children", "parent_id")
    );
    assert_eq!(
        <family::parents::relations::partner as Relation>::INFO.kind,
        RelationKind::OneToOne
    );
    let outgoing = <family::parents::relations::outgoing_friendships as Relation>::INFO;
    assert_eq!(
        (outgoing.name, outgoing.to_column),
        ("outgoingFriendships", "from_parent_id")
    );

    let from_parent = <family::friendships::relations::from_parent as Relation>::INFO;
    assert_eq!(from_parent.kind, RelationKind::BelongsTo);
    assert_eq!(
        (
            from_parent.from_column,
            from_parent.to_table,
            from_parent.to_column
        ),
        ("from_parent_id", "parents", "id")
    );

    // Both ends are typed.
    fn ends<R: Relation>() -> (&'static str, &'static str) {
        (<R::From as Table>::INFO.name, <R::To as Table>::INFO.name)
    }
    assert_eq!(
        ends::<family::friendships::relations::to_parent>(),
        ("friendships", "parents")
    );
    assert_eq!(
        ends::<family::parents::relations::pets>(),
        ("parents", "pets")
    );
}

#[test]
fn auth_models() {
    assert_eq!(
        auth::TABLES.iter().map(|t| t.model).collect::<Vec<_>>(),
        ["User", "AccessToken"]
    );
    assert_eq!(relation_names(&auth::users::INFO), ["accessTokens"]);
    assert_eq!(relation_names(&auth::access_tokens::INFO), ["user"]);
}

#[test]
fn awkward_names_become_identifiers_and_keep_their_names() {
    assert_eq!(<awkward::knowledge_bases::r#type as Column>::NAME, "type");
    assert_eq!(<awkward::knowledge_bases::self_ as Column>::NAME, "self");
    assert_eq!(<awkward::knowledge_bases::r#gen as Column>::NAME, "gen");
    assert_eq!(
        <awkward::knowledge_bases::first_name as Column>::NAME,
        "first name"
    );
    assert_eq!(<awkward::knowledge_bases::_2fa as Column>::NAME, "2fa");
    assert_eq!(
        <awkward::knowledge_bases::relations_ as Column>::NAME,
        "relations"
    );
    assert_eq!(<awkward::knowledge_bases::Table_ as Column>::NAME, "Table");
    assert_eq!(<awkward::knowledge_bases::INFO_ as Column>::NAME, "INFO");
    assert_eq!(
        <awkward::knowledge_bases::descriptor_ as Column>::NAME,
        "descriptor"
    );
    assert_eq!(
        <awkward::knowledge_bases::firstName as Column>::NAME,
        "firstName"
    );

    let price = <awkward::knowledge_bases::price as Column>::INFO;
    assert!(price.read_as_text);
    value_is::<awkward::knowledge_bases::price, Option<String>>();
    value_is::<awkward::knowledge_bases::spans, Option<Vec<String>>>();

    let base = awkward::KnowledgeBase {
        id: 1,
        r#type: "wiki".to_string(),
        self_: None,
        r#gen: None,
        first_name: None,
        _2fa: false,
        relations_: None,
        Table_: None,
        INFO_: None,
        descriptor_: None,
        firstName: None,
        price: Some("$1.00".to_string()),
        spans: None,
        network: None,
        parent_id: None,
    };
    assert_eq!(base.r#type, "wiki");
    assert_eq!(
        <awkward::knowledge_bases::relations::sub_bases as Relation>::INFO.name,
        "subBases"
    );
    assert_eq!(awkward::Mixed_Case::INFO.model, "MixedCase");

    // A table `options` gives `struct Option`; the other models still get std's `Option`.
    let option = awkward::Option {
        id: 1,
        name: "theme".to_string(),
        tags: Some(vec!["ui".to_string()]),
        data: None,
    };
    is::<std::option::Option<Vec<u8>>>(&option.data);
    is::<std::option::Option<String>>(&base.self_);
}
