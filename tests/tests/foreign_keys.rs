//! instant.dev's `test/tests/migrations_foreign_keys.js`, ported, plus `migrations.js`'s
//! "should be able to reference other models".
//!
//! - Foreign key management: the JS builds `users` and `blog_posts` with `Migrator.create`
//!   and adds foreign keys one command at a time; here `MigrationBuilder` does, and the
//!   migrations that must reach the database are written to a temporary `_instant/` folder and
//!   migrated into a `TempDb` (`prepare(); initialize(); filesystem.write(); migrate()`).
//! - Destroying through foreign keys, seeding and introspection run on `fixtures/foreign_keys`,
//!   the project the JS builds in "should successfully migrate and seed" (its one migration,
//!   `00000000000100__all_the_things.json`, and its seed), through the models generated from
//!   it.
//!
//! Each test has its own database, so a case that relied on rows left by an earlier case in
//! the JavaScript suite creates them itself. instant.dev's join paths (`join('user__blogPosts')`)
//! are nested `join_with` calls; `rel__col` where keys are `relations::rel.any(…)` filters.

use std::any::TypeId;
use std::path::Path;

use instant_runtime::Record;
use instant_runtime::descriptor::{Relation, Table};
use instant_runtime::error::DbErrorKind;
use instant_runtime::migrate::{self, filesystem, introspect};
use instant_runtime::pg::Client;
use instant_runtime::query::prelude::*;
use instant_runtime::seed;
use instant_runtime::testing::TempDb;
use instant_runtime::{Db, Error, Model};
use instant_schema::seed::Seed;
use instant_schema::{Column, ColumnProperties, Command, Migration, MigrationBuilder, Project};
use instant_schema::{Schema, json_path::JsonPath};
use instant_tests::foreign_keys::{
    self, Account, BlogPost, Image, ImageDomain, User, accounts, blog_posts, image_domains, images,
    users,
};
use serde_json::{Value, json};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/foreign_keys");

/// A temporary database after `prepare(); initialize()`, with its project folder.
struct Env {
    _db: TempDb,
    dir: tempfile::TempDir,
    client: Client,
}

impl Env {
    fn initialized() -> Env {
        let db = TempDb::new().unwrap();
        let mut client = db.connect().unwrap();
        migrate::prepare(&mut client).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("_instant")).unwrap();
        migrate::initialize(&mut client, dir.path(), None).unwrap();
        Env {
            _db: db,
            dir,
            client,
        }
    }

    fn project(&self) -> Project {
        Project::load(self.dir.path()).unwrap()
    }

    /// `filesystem.write(migration); migrate()`: the schema afterwards (the cache's).
    fn write_and_migrate(&mut self, migration: &Migration) -> Schema {
        filesystem::write(&self.project(), migration).unwrap();
        let project = self.project();
        let migrated = migrate::migrate_steps(&mut self.client, &project, None, |_| {}).unwrap();
        assert_eq!(migrated.applied, [migration.id]);
        let cache = read_json(&self.dir.path().join("_instant/cache/schema.json"));
        assert_eq!(migrated.schema.to_json(), cache);
        migrated.schema
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `Migrator.create(100, 'create_blog_posts')` with `users (username)` and
/// `blog_posts (title, user_id)`, on top of `schema`.
fn users_and_blog_posts(schema: Schema) -> MigrationBuilder {
    let mut builder = MigrationBuilder::new(schema)
        .with_id(100)
        .with_name("create_blog_posts");
    builder
        .create_table("users", vec![Column::new("username", "string")])
        .unwrap()
        .create_table(
            "blog_posts",
            vec![
                Column::new("title", "string"),
                Column::new("user_id", "int"),
            ],
        )
        .unwrap();
    builder
}

fn column_names(schema: &Schema, table: &str) -> Vec<String> {
    schema.tables[table]
        .columns
        .iter()
        .map(|column| column.name.clone())
        .collect()
}

/// `createForeignKey(table, column, parentTable, parentColumn)` on the users/blog_posts
/// migration; the error message.
fn create_foreign_key_error(
    table: &str,
    column: &str,
    parent: &str,
    parent_column: &str,
) -> String {
    let mut builder = users_and_blog_posts(Schema::empty());
    builder
        .create_foreign_key(table, column, parent, parent_column, None)
        .unwrap_err()
        .to_string()
}

/// instant.dev: should fail to create a foreign key with invalid behavior
#[test]
fn an_unknown_behavior_key_is_refused() {
    // A behavior is a typed `ForeignKeyBehavior` in the builder, so an unknown key can only
    // come from JSON: the command as a migration file holds it.
    let builder = users_and_blog_posts(Schema::empty());
    let mut migration = builder.build().unwrap().to_json();
    migration["up"].as_array_mut().unwrap().push(json!([
        "createForeignKey", "blog_posts", "user_id", "users", "id", {"invalid_prop": true}
    ]));
    let message = Migration::from_json(&migration).unwrap_err().to_string();
    // instant.dev: `argument[4]: behavior`; we name the JSON location of argument 4 (element
    // 5 of the command, after its name) and the key.
    assert!(message.contains("up[2][5]"), "{message}");
    assert!(message.contains("\"invalid_prop\""), "{message}");
    assert!(message.contains("behavior"), "{message}");

    // The command on its own (what `MigrationBuilder::add` would take) does not read either.
    let at = JsonPath::root().key("up").index(2);
    let command =
        json!(["createForeignKey", "blog_posts", "user_id", "users", "id", {"invalid_prop": true}]);
    assert!(Command::from_json(&command, &at).is_err());
}

/// instant.dev: should successfully create a foreign key
#[test]
fn a_foreign_key_is_created() {
    let mut env = Env::initialized();
    let mut builder = users_and_blog_posts(env.project().schema().unwrap());
    builder
        .create_foreign_key("blog_posts", "user_id", "users", "id", None)
        .unwrap();
    let schema = env.write_and_migrate(&builder.build().unwrap());

    assert_eq!(
        column_names(&schema, "blog_posts"),
        ["id", "title", "user_id", "created_at", "updated_at"]
    );
    let json = schema.to_json();
    assert_eq!(
        json["foreign_keys"],
        json!([{"table": "blog_posts", "column": "user_id", "parentTable": "users", "parentColumn": "id"}])
    );
    // The database has the constraint.
    let found = introspect::introspect(&mut env.client).unwrap();
    assert_eq!(found.foreign_keys, schema.foreign_keys);
}

/// instant.dev: should successfully drop a foreign key
#[test]
fn a_foreign_key_is_dropped() {
    let mut env = Env::initialized();
    let mut builder = users_and_blog_posts(env.project().schema().unwrap());
    builder
        .create_foreign_key("blog_posts", "user_id", "users", "id", None)
        .unwrap();
    let schema = env.write_and_migrate(&builder.build().unwrap());

    let mut builder = MigrationBuilder::new(schema).with_id(200);
    builder.drop_foreign_key("blog_posts", "user_id").unwrap();
    let schema = env.write_and_migrate(&builder.build().unwrap());

    assert!(schema.foreign_keys.is_empty());
    assert!(
        introspect::introspect(&mut env.client)
            .unwrap()
            .foreign_keys
            .is_empty()
    );
}

/// instant.dev: should fail to create a foreign key when table invalid
#[test]
fn a_foreign_key_on_a_missing_table_is_refused() {
    let message = create_foreign_key_error("blog_postx", "user_id", "users", "id");
    assert!(message.contains("\"blog_postx\""), "{message}");
}

/// instant.dev: should fail to create a foreign key when column invalid
#[test]
fn a_foreign_key_on_a_missing_column_is_refused() {
    let message = create_foreign_key_error("blog_posts", "user_idx", "users", "id");
    assert!(message.contains("\"blog_posts\""), "{message}");
    assert!(message.contains("\"user_idx\""), "{message}");
}

/// instant.dev: should fail to create a foreign key when parent table invalid
#[test]
fn a_foreign_key_to_a_missing_table_is_refused() {
    let message = create_foreign_key_error("blog_posts", "user_id", "userx", "id");
    assert!(message.contains("\"userx\""), "{message}");
}

/// instant.dev: should fail to create a foreign key when parent column invalid
#[test]
fn a_foreign_key_to_a_missing_column_is_refused() {
    let message = create_foreign_key_error("blog_posts", "user_id", "users", "idx");
    assert!(message.contains("\"users\""), "{message}");
    assert!(message.contains("\"idx\""), "{message}");
}

/// instant.dev: should fail to create a foreign key with a circular reference
#[test]
fn a_circular_reference_is_refused() {
    let mut builder = users_and_blog_posts(Schema::empty());
    builder
        .create_foreign_key("blog_posts", "user_id", "users", "id", None)
        .unwrap();
    let message = builder
        .create_foreign_key("users", "id", "blog_posts", "user_id", None)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("Foreign key circular reference"),
        "{message}"
    );
    assert!(
        message.ends_with("\n\"users\".\"id\" -> \"blog_posts\".\"user_id\" -> \"users\".\"id\""),
        "{message}"
    );
}

/// The fixture migrated into a fresh database, nothing seeded.
fn migrated() -> (TempDb, Db) {
    let temp = TempDb::new().unwrap();
    temp.migrate_fixture(FIXTURE).unwrap();
    let db = temp.db().unwrap();
    (temp, db)
}

/// The fixture migrated and seeded through the generated models.
fn seeded() -> (TempDb, Db) {
    let (temp, db) = migrated();
    let project = Project::load(FIXTURE).unwrap();
    seed::seed_project(&db, &project, &foreign_keys::seed_models()).unwrap();
    (temp, db)
}

/// Users Arnold and Bernard, with one blog post each (the "simple joins" data).
fn two_users_with_posts() -> (TempDb, Db) {
    let (temp, db) = migrated();
    for (username, title) in [("Arnold", "Hello World!"), ("Bernard", "Goodbye Moon!")] {
        let user = User::create_from_json(&db, &json!({"username": username})).unwrap();
        BlogPost::create_from_json(&db, &json!({"title": title, "user_id": user.id})).unwrap();
    }
    (temp, db)
}

fn assert_foreign_key_violation(error: &Error, parent: &str, child: &str) {
    let message = error.to_string();
    assert_eq!(
        error.db_error_kind(),
        Some(DbErrorKind::ForeignKeyViolation),
        "{message}"
    );
    assert!(
        message.contains("violates foreign key constraint"),
        "{message}"
    );
    assert!(message.contains(&format!("\"{parent}\"")), "{message}");
    assert!(message.contains(&format!("\"{child}\"")), "{message}");
}

/// instant.dev: should fail to destroy user when foreign_key is set
#[test]
fn a_user_with_blog_posts_cannot_be_destroyed() {
    let (_temp, db) = two_users_with_posts();
    // The JS fetches the user with `.join('blogPosts')`; the join plays no part in destroy.
    let mut user = User::query().first(&db).unwrap();
    assert_eq!(user.username.as_deref(), Some("Arnold"));
    let error = user.destroy(&db).unwrap_err();
    assert_foreign_key_violation(&error, "users", "blog_posts");
    assert!(user.in_storage());
    assert_eq!(User::query().count(&db).unwrap(), 2);
}

/// instant.dev: should succeed at destroying user when foreign_key is set with destroyCascade
#[test]
fn destroy_cascade_removes_a_user_and_its_blog_posts() {
    let (_temp, db) = two_users_with_posts();
    let mut user = User::query().first(&db).unwrap();
    let id = user.id;
    user.destroy_cascade(&db).unwrap();
    assert!(!user.in_storage());

    let users = User::query().select(&db).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].username.as_deref(), Some("Bernard"));
    let posts = BlogPost::query().select(&db).unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].title.as_deref(), Some("Goodbye Moon!"));
    assert!(
        BlogPost::query()
            .filter(blog_posts::user_id.eq(id))
            .first_or_none(&db)
            .unwrap()
            .is_none()
    );
}

/// The seed of "Foreign Key complex joins", as the JS writes it.
fn complex_joins_seed() -> Value {
    let images = [
        ("roy_kent.jpg", 1, "domain.site"),
        ("disco.png", 1, "image.host"),
        ("inferno.png", 1, "image.host"),
        ("ted_lasso.jpg", 2, "domain.site"),
        ("destructo.png", 2, "bentley.car"),
        ("bender.png", 2, "bentley.car"),
        ("dragon.jpg", 3, "domain.site"),
        ("friends.png", 3, "image.host"),
        ("enemies.png", 3, "image.host"),
        ("butterflies.jpg", 4, "domain.site"),
        ("sunset.png", 4, "bentley.car"),
        ("reservoir.png", 4, "bentley.car"),
        ("carhartt.jpg", 5, "domain.site"),
        ("dickies.png", 5, "image.host"),
        ("party.png", 5, "image.host"),
    ]
    .map(|(filename, blog_post_id, url)| {
        json!({"filename": filename, "blog_post_id": blog_post_id, "image_domain_url": url})
    });
    json!([
        {"accounts": [{"email": "bernard@test.com"}, {"email": "kevin@test.com"}]},
        {"users": [
            {"username": "dancer", "account_id": 1},
            {"username": "fireball", "account_id": 2}
        ]},
        {"blog_posts": [
            {"title": "So you think you can dance?", "user_id": 1},
            {"title": "Do the robot dance", "user_id": 1},
            {"title": "A friend in need is a friend indeed", "user_id": 1},
            {"title": "New photography", "user_id": 2},
            {"title": "Hoodies and shorts are great", "user_id": 2}
        ]},
        {"image_domains": [{"url": "domain.site"}, {"url": "image.host"}, {"url": "bentley.car"}]},
        {"images": images}
    ])
}

/// Rows in accounts, users, blog_posts, image_domains and images.
fn counts(db: &Db) -> [usize; 5] {
    [
        Account::query().select(db).unwrap().len(),
        User::query().select(db).unwrap().len(),
        BlogPost::query().select(db).unwrap().len(),
        ImageDomain::query().select(db).unwrap().len(),
        Image::query().select(db).unwrap().len(),
    ]
}

/// instant.dev: should successfully migrate and seed
#[test]
fn the_five_tables_migrate_and_seed() {
    // `Migrator.create(100, 'all_the_things')` with the JS's commands is the fixture's
    // migration, file for file.
    let unique = ColumnProperties {
        unique: Some(true),
        ..ColumnProperties::default()
    };
    let initial = Project::load(FIXTURE).unwrap().migrations[0].1.clone();
    let mut schema = Schema::empty();
    instant_schema::apply_migration(&mut schema, &initial).unwrap();
    let mut builder = MigrationBuilder::new(schema)
        .with_id(100)
        .with_name("all_the_things");
    builder
        .create_table("accounts", vec![Column::new("email", "string")])
        .unwrap()
        .create_table(
            "users",
            vec![
                Column::new("username", "string"),
                Column {
                    properties: unique.clone(),
                    ..Column::new("account_id", "int")
                },
            ],
        )
        .unwrap()
        .create_table(
            "blog_posts",
            vec![
                Column::new("title", "string"),
                Column::new("user_id", "int"),
            ],
        )
        .unwrap()
        .create_table(
            "images",
            vec![
                Column::new("filename", "string"),
                Column::new("blog_post_id", "int"),
                Column::new("image_domain_url", "string"),
            ],
        )
        .unwrap()
        .create_table(
            "image_domains",
            vec![Column {
                properties: unique,
                ..Column::new("url", "string")
            }],
        )
        .unwrap()
        .create_foreign_key("users", "account_id", "accounts", "id", None)
        .unwrap()
        .create_foreign_key("blog_posts", "user_id", "users", "id", None)
        .unwrap()
        .create_foreign_key("images", "blog_post_id", "blog_posts", "id", None)
        .unwrap()
        .create_foreign_key("images", "image_domain_url", "image_domains", "url", None)
        .unwrap();
    let migration = builder.build().unwrap();
    let file = Path::new(FIXTURE).join("_instant/migrations/00000000000100__all_the_things.json");
    assert_eq!(migration.to_json(), read_json(&file));
    // And the fixture's seed is the JS's.
    let seed = Seed::load(Path::new(FIXTURE).join("_instant/seed.json"))
        .unwrap()
        .unwrap();
    assert_eq!(seed.to_json(), complex_joins_seed());

    let (_temp, db) = migrated();
    let project = Project::load(FIXTURE).unwrap();
    let report = seed::seed_with(
        &db,
        &project.schema().unwrap(),
        &Seed::from_json(&complex_joins_seed()).unwrap(),
        &foreign_keys::seed_models(),
    )
    .unwrap();
    assert_eq!(report.row_count(), 27);
    assert_eq!(counts(&db), [2, 2, 5, 3, 15]);
}

/// instant.dev: should fail to delete an Account based on foreign key constraints
#[test]
fn an_account_with_a_user_cannot_be_destroyed() {
    let (_temp, db) = seeded();
    let mut account = Account::query()
        .order_by(accounts::email.asc())
        .first(&db)
        .unwrap();
    assert_eq!(account.email.as_deref(), Some("bernard@test.com"));
    let error = account.destroy(&db).unwrap_err();
    assert_foreign_key_violation(&error, "accounts", "users");
    assert_eq!(counts(&db), [2, 2, 5, 3, 15]);
}

/// instant.dev: should fail to delete an ImageDomain based on foreign key constraints
#[test]
fn an_image_domain_with_images_cannot_be_destroyed() {
    let (_temp, db) = seeded();
    let mut image_domain = ImageDomain::query()
        .order_by(image_domains::url.asc())
        .first(&db)
        .unwrap();
    assert_eq!(image_domain.url.as_deref(), Some("bentley.car"));
    let error = image_domain.destroy(&db).unwrap_err();
    assert_foreign_key_violation(&error, "image_domains", "images");
    assert_eq!(counts(&db), [2, 2, 5, 3, 15]);
}

/// instant.dev: should succeed at account.destroyCascade
#[test]
fn destroy_cascade_follows_every_level_down_from_an_account() {
    let (_temp, db) = seeded();
    let mut account = Account::query()
        .order_by(accounts::email.asc())
        .first(&db)
        .unwrap();
    assert_eq!(account.email.as_deref(), Some("bernard@test.com"));
    account.destroy_cascade(&db).unwrap();
    assert!(!account.in_storage());
    // The account, its user, the user's 3 posts and their 9 images went; image domains are
    // parents of images, not children, so all 3 stay.
    assert_eq!(counts(&db), [1, 1, 2, 3, 6]);
    let left = Account::query().first(&db).unwrap();
    assert_eq!(left.email.as_deref(), Some("kevin@test.com"));
}

/// instant.dev: should drop migrations and introspect from schema
#[test]
fn initialize_by_introspection_gives_the_migrated_schema() {
    let (temp, _db) = seeded();
    let original = Project::load(FIXTURE).unwrap().schema().unwrap();

    let mut client = temp.connect().unwrap();
    migrate::prepare(&mut client).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("_instant")).unwrap();
    let migration = migrate::initialize(&mut client, dir.path(), None).unwrap();
    let Command::SetSchema(introspected) = &migration.up[0] else {
        panic!("the initial migration is a setSchema");
    };

    // Migration ids aside, the introspected schema is the migrated one, exactly: the unique
    // `users.account_id` and `image_domains.url`, and the foreign key to a column other than
    // `id`, all come back.
    let mut expected = original.clone();
    expected.migration_id = introspected.migration_id;
    assert_eq!(introspected.to_json(), expected.to_json());
}

/// instant.dev: should be able to reference other models
#[test]
fn a_model_reaches_the_other_models_of_its_schema() {
    // `BlogPost.getModel('User')` finds `User` among the models of its Instant instance; a
    // generated table lists every table of its schema, the same list as `TABLES`.
    let schema = <<BlogPost as Model>::Table as Table>::SCHEMA;
    assert_eq!(schema, foreign_keys::TABLES);
    let user = schema.iter().find(|table| table.model == "User").unwrap();
    assert_eq!(**user, *<<User as Model>::Table as Table>::INFO);
    assert_eq!(user.name, "users");

    // Through the foreign key, the relationship leads to `User`'s own table type.
    type ToUser = <blog_posts::relations::user as Relation>::To;
    assert_eq!(
        TypeId::of::<ToUser>(),
        TypeId::of::<<User as Model>::Table>()
    );
    assert_eq!(<ToUser as Table>::INFO.model, "User");
}

/// instant.dev: should successfully join blog_posts to user
#[test]
fn users_join_their_blog_posts() {
    let (_temp, db) = two_users_with_posts();
    let user1 = User::query()
        .order_by(users::id.asc())
        .join(users::relations::blog_posts)
        .first(&db)
        .unwrap();
    assert_eq!(user1.username.as_deref(), Some("Arnold"));
    let posts = user1.joined(users::relations::blog_posts).unwrap();
    assert_eq!(posts[0].title.as_deref(), Some("Hello World!"));

    let user2 = User::query()
        .join(users::relations::blog_posts)
        .filter(users::relations::blog_posts.any(blog_posts::title.icontains("moon")))
        .first(&db)
        .unwrap();
    assert_eq!(user2.username.as_deref(), Some("Bernard"));
    let posts = user2.joined(users::relations::blog_posts).unwrap();
    assert_eq!(posts[0].title.as_deref(), Some("Goodbye Moon!"));
}

/// The user joined to an account (one-to-one: `users.account_id` is unique).
fn joined_user(account: &Record<Account>) -> &Record<User> {
    account
        .joined(accounts::relations::user)
        .unwrap()
        .as_ref()
        .expect("a user is joined")
}

/// instant.dev: should successfully join user to account and query by joined element
#[test]
fn accounts_join_their_user_and_filter_by_it() {
    let (_temp, db) = seeded();
    let found = Account::query()
        .join(accounts::relations::user)
        .filter(accounts::relations::user.any(users::username.eq("fireball")))
        .select(&db)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].email.as_deref(), Some("kevin@test.com"));
    assert_eq!(joined_user(&found[0]).username.as_deref(), Some("fireball"));
}

/// instant.dev: should successfully join blogPost to user and user to account and query by 2nd joined element
#[test]
fn two_levels_of_joins_and_a_filter_two_levels_down() {
    let (_temp, db) = seeded();
    let found = Account::query()
        .join_with(accounts::relations::user, |user| {
            user.join(users::relations::blog_posts)
        })
        .filter(
            accounts::relations::user
                .any(users::relations::blog_posts.any(blog_posts::title.contains("photography"))),
        )
        .select(&db)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].email.as_deref(), Some("kevin@test.com"));
    let user = joined_user(&found[0]);
    assert_eq!(user.username.as_deref(), Some("fireball"));
    assert_eq!(user.joined(users::relations::blog_posts).unwrap().len(), 2);
}

/// instant.dev: should successfully join 2 layers, but join with restriction
#[test]
fn a_join_restriction_chooses_the_joined_rows() {
    let (_temp, db) = seeded();
    let found = Account::query()
        .join_with(accounts::relations::user, |user| {
            user.join_with(users::relations::blog_posts, |posts| {
                posts.filter(blog_posts::title.contains("dance"))
            })
        })
        .filter(
            accounts::relations::user
                .any(users::relations::blog_posts.any(blog_posts::title.contains("robot dance"))),
        )
        .select(&db)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].email.as_deref(), Some("bernard@test.com"));
    let user = joined_user(&found[0]);
    assert_eq!(user.username.as_deref(), Some("dancer"));
    // Three posts, two about dancing.
    assert_eq!(user.joined(users::relations::blog_posts).unwrap().len(), 2);
}

/// `join('user__blogPosts__images__imageDomain')`, ordered by email descending.
fn all_layers(db: &Db) -> instant_runtime::Records<Account> {
    Account::query()
        .join_with(accounts::relations::user, |user| {
            user.join_with(users::relations::blog_posts, |posts| {
                posts.order_by(blog_posts::id.asc()).join_with(
                    blog_posts::relations::images,
                    |images| {
                        images
                            .order_by(images::id.asc())
                            .join(images::relations::image_domain)
                    },
                )
            })
        })
        .order_by(accounts::email.desc())
        .select(db)
        .unwrap()
}

fn assert_all_layers(found: &instant_runtime::Records<Account>) {
    assert_eq!(found.len(), 2);
    assert_eq!(found[1].email.as_deref(), Some("bernard@test.com"));
    let user = joined_user(&found[1]);
    assert_eq!(user.username.as_deref(), Some("dancer"));
    let posts = user.joined(users::relations::blog_posts).unwrap();
    assert_eq!(posts.len(), 3);
    let images = posts[0].joined(blog_posts::relations::images).unwrap();
    assert_eq!(images.len(), 3);
    let domain: &Option<Record<ImageDomain>> =
        images[0].joined(images::relations::image_domain).unwrap();
    let domain = domain.as_ref().expect("an image domain is joined");
    assert_eq!(domain.url, images[0].image_domain_url);
}

/// instant.dev: should successfully join all layers
#[test]
fn every_layer_joins() {
    let (_temp, db) = seeded();
    assert_all_layers(&all_layers(&db));
}

/// instant.dev: should successfully join all layers shorthand
///
/// instant.dev's shorthand `join('a__b__c')` joins every level of the path; here a path is
/// always written level by level, so the shorthand and the explicit form are the same query.
#[test]
fn every_layer_joins_through_one_path() {
    let (_temp, db) = seeded();
    assert_all_layers(&all_layers(&db));
}
