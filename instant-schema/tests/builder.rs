//! `MigrationBuilder` against what instant.dev's own `Migration` class produced for the same
//! calls (`data/builder_instant_dev.json`, written by @instant.dev/orm 0.1.74 under node).

use instant_schema::{
    Column, ColumnProperties, Command, ForeignKeyBehavior, Migration, MigrationBuilder, Schema,
};
use serde_json::{Value, json};

fn instant_dev() -> Value {
    serde_json::from_str(include_str!("data/builder_instant_dev.json")).unwrap()
}

fn props(value: Value) -> ColumnProperties {
    let json = json!(["addColumn", "t", "c", "int", value]);
    match Command::from_json(&json, &Default::default()).unwrap() {
        Command::AddColumn { properties, .. } => properties.unwrap_or_default(),
        _ => unreachable!(),
    }
}

fn column(value: Value) -> Column {
    let json = json!(["createTable", "t", [value]]);
    match Command::from_json(&json, &Default::default()).unwrap() {
        Command::CreateTable { mut columns, .. } => columns.remove(0),
        _ => unreachable!(),
    }
}

fn build() -> (Migration, Schema) {
    let mut b = MigrationBuilder::new(Schema::empty()).with_id(20250101000000);
    b.create_table(
        "users",
        vec![
            column(json!({"name": "email", "type": "string", "properties": {"nullable": false, "unique": true}})),
            column(json!({"name": "uid", "type": "serial", "properties": {"primary_key": true, "nullable": true}})),
        ],
    )
    .unwrap()
    .create_table(
        "posts",
        vec![Column::new("user_id", "int"), Column::new("body", "text")],
    )
    .unwrap()
    .add_column("posts", "slug", "string", Some(props(json!({"unique": true, "primary_key": true}))))
    .unwrap()
    .add_column("posts", "extra", "string", Some(ColumnProperties::default()))
    .unwrap()
    .alter_column("posts", "body", Some("string".into()), Some(props(json!({"nullable": false, "length": 20}))))
    .unwrap()
    .alter_column("posts", "body", None, Some(props(json!({"unique": true}))))
    .unwrap()
    .create_index("posts", "body", None)
    .unwrap()
    .create_index("users", "email", Some("hash".into()))
    .unwrap()
    .create_foreign_key(
        "posts",
        "user_id",
        "users",
        "id",
        Some(ForeignKeyBehavior { cascade: Some(true), mock: Some(false), ..Default::default() }),
    )
    .unwrap()
    .rename_column("posts", "extra", "extra2")
    .unwrap()
    .drop_column("posts", "extra2")
    .unwrap()
    .drop_column("posts", "body")
    .unwrap()
    .drop_index("users", "email")
    .unwrap()
    .drop_foreign_key("posts", "user_id")
    .unwrap()
    .rename_table("posts", "articles")
    .unwrap()
    .execute_sql("SELECT 1;\nSELECT $1", Some(vec![json!(5)]))
    .unwrap();
    let schema = b.schema().clone();
    (b.build().unwrap(), schema)
}

#[test]
fn up_and_schema_match_instant_dev() {
    let expected = instant_dev();
    let (migration, schema) = build();
    let json = migration.to_json();
    assert_eq!(json["id"], expected["migration"]["id"]);
    assert_eq!(json["name"], expected["migration"]["name"]);
    assert_eq!(json["up"], expected["migration"]["up"]);
    // instant.dev's working schema keeps `migration_id: null` and the default index type
    // unset; ours fills in `btree` as the committed schema does.
    let mut expected_schema = expected["schema"].clone();
    for index in expected_schema["indices"].as_array_mut().unwrap() {
        if index.get("type").is_none() {
            index["type"] = json!("btree");
        }
    }
    assert_eq!(schema.to_json(), expected_schema);
}

#[test]
fn down_matches_instant_dev_except_the_aliased_alter_column() {
    let expected = instant_dev();
    let (migration, _) = build();
    let down = migration.to_json()["down"].clone();
    let expected_down = expected["migration"]["down"].as_array().unwrap();
    assert_eq!(down.as_array().unwrap().len(), expected_down.len());
    for (i, (ours, theirs)) in down
        .as_array()
        .unwrap()
        .iter()
        .zip(expected_down)
        .enumerate()
    {
        if i == 10 {
            // instant.dev captured the column's properties object by reference, so the inverse
            // of `alterColumn(body, null, {unique: true})` holds the *new* properties. Ours
            // holds the properties before the change.
            assert_eq!(
                theirs,
                &json!(["alterColumn", "posts", "body", "string", {"nullable": false, "length": 20, "unique": true}])
            );
            assert_eq!(
                ours,
                &json!(["alterColumn", "posts", "body", "string", {"nullable": false, "length": 20}])
            );
        } else {
            assert_eq!(ours, theirs, "down[{i}]");
        }
    }
}

#[test]
fn drop_table_inverts_to_create_table_with_old_columns() {
    let (_, schema) = build();
    let mut b = MigrationBuilder::new(schema.clone()).with_id(2);
    b.drop_table("users").unwrap();
    let migration = b.build().unwrap();
    assert_eq!(migration.name, "drop_users");
    let columns = json!(schema.tables["users"].columns);
    assert_eq!(
        migration.down[0].to_json(),
        json!(["createTable", "users", columns])
    );
    // Replaying the inverse restores the table exactly.
    let mut after = MigrationBuilder::new(Schema::empty()).with_id(3);
    after.set_schema(schema.clone()).unwrap();
    let mut working = after.schema().clone();
    instant_schema::apply(&mut working, &migration.up[0]).unwrap();
    instant_schema::apply(&mut working, &migration.down[0]).unwrap();
    assert_eq!(working.tables["users"], schema.tables["users"]);
}

#[test]
fn default_names_follow_the_first_command() {
    let base = {
        let mut b = MigrationBuilder::new(Schema::empty()).with_id(1);
        b.create_table("users", vec![Column::new("email", "string")])
            .unwrap();
        b.create_table("posts", vec![Column::new("user_id", "int")])
            .unwrap();
        b.create_index("users", "email", None).unwrap();
        b.create_foreign_key("posts", "user_id", "users", "id", None)
            .unwrap();
        b.schema().clone()
    };
    let cases: Vec<(Command, &str)> = vec![
        (Command::SetSchema(Box::new(Schema::empty())), "set_schema"),
        (
            Command::DropTable {
                table: "posts".into(),
            },
            "drop_posts",
        ),
        (
            Command::RenameTable {
                table: "users".into(),
                new_table: "people".into(),
            },
            "rename_users_to_people",
        ),
        (
            Command::AlterColumn {
                table: "users".into(),
                column: "email".into(),
                column_type: Some("text".into()),
                properties: None,
            },
            "alter_users_column_email",
        ),
        (
            Command::AddColumn {
                table: "users".into(),
                column: "age".into(),
                column_type: "int".into(),
                properties: None,
            },
            "add_users_column_age",
        ),
        (
            Command::DropColumn {
                table: "users".into(),
                column: "email".into(),
            },
            "drop_users_column_email",
        ),
        (
            Command::RenameColumn {
                table: "users".into(),
                column: "email".into(),
                new_column: "mail".into(),
            },
            "rename_users_column_email_to_mail",
        ),
        (
            Command::CreateIndex {
                table: "posts".into(),
                column: "user_id".into(),
                index_type: None,
            },
            "create_index_on_posts_column_user_id",
        ),
        (
            Command::DropIndex {
                table: "users".into(),
                column: "email".into(),
            },
            "drop_index_on_users_column_email",
        ),
        (
            Command::DropForeignKey {
                table: "posts".into(),
                column: "user_id".into(),
            },
            "drop_foreign_key_on_posts_column_user_id",
        ),
        (
            Command::ExecuteSql {
                sql: "SELECT 1".into(),
                params: None,
            },
            "execute_sql",
        ),
    ];
    for (command, name) in cases {
        let mut b = MigrationBuilder::new(base.clone()).with_id(9);
        b.add(command.clone())
            .unwrap_or_else(|e| panic!("{command:?}: {e}"));
        assert_eq!(b.build().unwrap().name, name);
    }
    let mut b = MigrationBuilder::new(Schema::empty()).with_id(9);
    b.create_table("a", vec![])
        .unwrap()
        .create_table("b", vec![])
        .unwrap();
    b.create_foreign_key("b", "id", "a", "id", None).unwrap();
    assert_eq!(b.build().unwrap().name, "create_a");
    let mut b = MigrationBuilder::new(base).with_id(9);
    b.drop_foreign_key("posts", "user_id").unwrap();
    b.create_foreign_key("posts", "user_id", "users", "id", None)
        .unwrap();
    assert_eq!(
        b.build().unwrap().name,
        "drop_foreign_key_on_posts_column_user_id"
    );
}

#[test]
fn set_schema_inverts_to_previous_schema_and_names_itself() {
    let mut b = MigrationBuilder::new(Schema::empty()).with_id(1);
    b.create_table("users", vec![]).unwrap();
    let before = b.schema().clone();
    b.set_schema(Schema::empty()).unwrap();
    let migration = b.build().unwrap();
    assert_eq!(migration.down[0], Command::SetSchema(Box::new(before)));
}

#[test]
fn errors_point_at_the_command() {
    let mut b = MigrationBuilder::new(Schema::empty()).with_id(1);
    b.create_table("users", vec![]).unwrap();
    let error = b.add_column("users", "id", "int", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "at up[1][2]: column \"users\".\"id\" already exists in your schema"
    );
    let error = b.add_column("users", "x", "decimal", None).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("at up[1][3]: unknown column type \"decimal\""),
        "{error}"
    );
    let error = b.drop_index("users", "id").unwrap_err();
    assert_eq!(
        error.to_string(),
        "at up[1]: no index for table \"users\" column \"id\" found"
    );
    // A failed command leaves nothing behind.
    let migration = b.build().unwrap();
    assert_eq!(migration.up.len(), 1);
    assert_eq!(migration.down.len(), 1);
}

#[test]
fn default_id_is_a_utc_timestamp() {
    let migration = {
        let mut b = MigrationBuilder::new(Schema::empty());
        b.create_table("users", vec![]).unwrap();
        b.build().unwrap()
    };
    let text = migration.id.to_string();
    assert_eq!(text.len(), 14);
    assert!(text.starts_with("20"));
    assert_eq!(migration.filename(), format!("{text}__create_users.json"));
}

#[test]
fn bad_id_or_name_is_refused_at_build() {
    let error = MigrationBuilder::new(Schema::empty())
        .with_id(0)
        .build()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "at id: expected a migration id (an integer from 1 to 9007199254740991), found 0"
    );
    let error = MigrationBuilder::new(Schema::empty())
        .with_id(1)
        .with_name("a/b")
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("at name: expected a migration name"),
        "{error}"
    );
}
