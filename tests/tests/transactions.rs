//! Which transaction a write runs in and what one save writes, against a real database.
//!
//! - ORM-owned: passed `&db`, a save opens its own transaction; a failure anywhere after
//!   `BEGIN` (a hook after the INSERT included) rolls all of it back.
//! - Caller-owned: passed `&mut transaction`, the ORM never commits or rolls back; the caller
//!   decides, and dropping the transaction without `commit` rolls it back.
//! - `destroy_cascade` deletes descendants deepest first in one transaction, without hooks;
//!   `destroy_all` runs the destroy hooks.
//! - A readonly `Db` refuses writes.
//! - What a save writes: ids come from the sequence, timestamps are maintained, an update
//!   writes only the changed columns, an unchanged record without `updated_at` writes nothing.

use std::cell::Cell;
use std::time::Duration;

use instant_runtime::pg::SqlState;
use instant_runtime::{Db, Error, Hooks, Model, Record, Records, Save, Transaction};
use instant_tests::blog;
use instant_tests::models::{self, parents, special_items, users};
use instant_tests::setup::{count, migrated};

thread_local! {
    /// When set, `Parent::after_save` fails (after the INSERT has run).
    static FAIL_AFTER_SAVE: Cell<bool> = const { Cell::new(false) };
    /// How many times each destroy hook of `Member` ran.
    static BEFORE_DESTROY: Cell<usize> = const { Cell::new(0) };
    static AFTER_DESTROY: Cell<usize> = const { Cell::new(0) };
}

fn age_is_positive(parent: &Parent, _: &mut Transaction<'_>) -> instant_runtime::Result<bool> {
    Ok(parent.age.is_some_and(|age| age > 0))
}

/// A parent whose `before_save` writes a row of its own (a `users` row named after it) and
/// whose `after_save` fails on demand.
#[derive(Debug, Clone, Default, PartialEq, Model)]
#[instant(table = parents, hooks)]
#[verifies("age must be greater than 0", age_is_positive)]
struct Parent {
    id: i64,
    name: Option<String>,
    age: Option<i64>,
}

impl Hooks for Parent {
    fn before_save(
        &mut self,
        transaction: &mut Transaction<'_>,
        _: Save,
    ) -> instant_runtime::Result<()> {
        transaction.execute("INSERT INTO users (username) VALUES ($1)", &[&self.name])?;
        Ok(())
    }

    fn after_save(&mut self, _: &mut Transaction<'_>, _: Save) -> instant_runtime::Result<()> {
        if FAIL_AFTER_SAVE.with(Cell::get) {
            return Err(Error::Input {
                message: "after_save failed".to_string(),
            });
        }
        Ok(())
    }
}

/// A user of `fixtures/models` whose destroy hooks count their calls.
#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = users, hooks)]
struct Member {
    id: i64,
    username: Option<String>,
}

impl Hooks for Member {
    fn before_destroy(&mut self, _: &mut Transaction<'_>) -> instant_runtime::Result<()> {
        BEFORE_DESTROY.with(|count| count.set(count.get() + 1));
        Ok(())
    }

    fn after_destroy(&mut self, _: &mut Transaction<'_>) -> instant_runtime::Result<()> {
        AFTER_DESTROY.with(|count| count.set(count.get() + 1));
        Ok(())
    }
}

fn parent(name: &str, age: i64) -> Parent {
    Parent {
        id: 0,
        name: Some(name.to_string()),
        age: Some(age),
    }
}

fn plain_parent(name: &str) -> models::Parent {
    models::Parent {
        id: 0,
        name: Some(name.to_string()),
        age: None,
        secret: None,
        content: None,
        created_at: None,
        updated_at: None,
    }
}

fn ids(db: &Db, sql: &str) -> Vec<i64> {
    db.query(sql, &[])
        .unwrap()
        .iter()
        .map(|row| row.get::<_, i32>(0).into())
        .collect()
}

// ORM-owned transactions

#[test]
fn a_hook_failing_after_the_insert_rolls_back_the_whole_save() {
    let (_temp, db) = migrated("models");
    FAIL_AFTER_SAVE.with(|fail| fail.set(true));
    let mut record = Record::new(parent("Ada", 3));
    let error = record.save(&db).unwrap_err();
    assert_eq!(error.to_string(), "after_save failed");
    assert!(!record.in_storage());
    // The INSERT and the hook's own write are both gone.
    assert_eq!(count(&db, "parents"), 0);
    assert_eq!(count(&db, "users"), 0);

    // The same record saves once the hook lets it.
    FAIL_AFTER_SAVE.with(|fail| fail.set(false));
    record.save(&db).unwrap();
    assert!(record.in_storage());
    assert_eq!(count(&db, "parents"), 1);
    assert_eq!(count(&db, "users"), 1);
}

#[test]
fn a_failed_verification_writes_nothing() {
    let (_temp, db) = migrated("models");
    let error = Parent::create(&db, parent("Ada", 0)).unwrap_err();
    assert!(
        matches!(&error, Error::Verification(message) if message == "age must be greater than 0")
    );
    assert_eq!(count(&db, "parents"), 0);
    assert_eq!(count(&db, "users"), 0);
}

#[test]
fn a_database_error_in_save_all_rolls_back_every_insert() {
    let (_temp, db) = migrated("models");
    let mut houses = Records::from_models([
        house(None),
        house(Some(999)), // no parent 999: a foreign-key violation
    ]);
    let error = houses.save_all(&db).unwrap_err();
    assert_eq!(
        error.db_error_kind(),
        Some(instant_runtime::error::DbErrorKind::ForeignKeyViolation)
    );
    assert!(houses.iter().all(|house| !house.in_storage()));
    assert_eq!(count(&db, "houses"), 0);
}

fn house(parent_id: Option<i64>) -> models::House {
    models::House {
        id: 0,
        material: Some("straw".to_string()),
        color: None,
        content: None,
        parent_id,
        created_at: None,
        updated_at: None,
    }
}

// Caller-owned transactions

#[test]
fn creates_in_a_caller_transaction_are_visible_after_commit_only() {
    let (_temp, db) = migrated("models");
    let mut transaction = db.transaction().unwrap();
    for name in ["Ada", "Grace", "Edsger"] {
        Parent::create(&mut transaction, parent(name, 30)).unwrap();
        models::Parent::create(&mut transaction, plain_parent(name)).unwrap();
    }
    // Inside the transaction the rows are there; outside, not yet.
    let inside: i64 = transaction
        .query_one("SELECT count(*) FROM parents", &[])
        .unwrap()
        .get(0);
    assert_eq!(inside, 6);
    assert_eq!(count(&db, "parents"), 0);

    transaction.commit().unwrap();
    assert_eq!(count(&db, "parents"), 6);
    assert_eq!(count(&db, "users"), 3);
}

#[test]
fn dropping_a_caller_transaction_without_commit_rolls_it_back() {
    let (_temp, db) = migrated("models");
    {
        let mut transaction = db.transaction().unwrap();
        Parent::create(&mut transaction, parent("Ada", 30)).unwrap();
        models::Parent::create(&mut transaction, plain_parent("Grace")).unwrap();
    }
    assert_eq!(count(&db, "parents"), 0);
    assert_eq!(count(&db, "users"), 0);

    let mut transaction = db.transaction().unwrap();
    Parent::create(&mut transaction, parent("Ada", 30)).unwrap();
    transaction.rollback().unwrap();
    assert_eq!(count(&db, "parents"), 0);

    // The pool's connections are usable again.
    Parent::create(&db, parent("Ada", 30)).unwrap();
    assert_eq!(count(&db, "parents"), 1);
}

#[test]
fn a_failed_save_leaves_the_caller_transaction_to_the_caller() {
    let (_temp, db) = migrated("models");
    let mut transaction = db.transaction().unwrap();
    Parent::create(&mut transaction, parent("Ada", 30)).unwrap();
    // A verification failure runs no failing SQL: the transaction is still usable, and the
    // ORM rolled nothing back.
    Parent::create(&mut transaction, parent("Grace", 0)).unwrap_err();
    Parent::create(&mut transaction, parent("Edsger", 40)).unwrap();
    transaction.commit().unwrap();
    let names = db
        .query("SELECT name FROM parents ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|row| row.get::<_, String>(0))
        .collect::<Vec<_>>();
    assert_eq!(names, ["Ada", "Edsger"]);
}

#[test]
fn a_hook_failing_after_the_insert_in_a_caller_transaction_is_not_rolled_back_by_the_orm() {
    let (_temp, db) = migrated("models");
    let mut transaction = db.transaction().unwrap();
    FAIL_AFTER_SAVE.with(|fail| fail.set(true));
    let mut record = Record::new(parent("Ada", 3));
    record.save(&mut transaction).unwrap_err();
    FAIL_AFTER_SAVE.with(|fail| fail.set(false));
    assert!(!record.in_storage());
    // The INSERT ran in the caller's transaction and stays there: committing keeps it, as
    // instant.dev does (it rolls back only a transaction it opened).
    transaction.commit().unwrap();
    assert_eq!(count(&db, "parents"), 1);
}

#[test]
fn a_database_error_in_a_caller_transaction_leaves_it_aborted_for_the_caller() {
    let (_temp, db) = migrated("models");
    let item = || models::SpecialItem {
        id: 0,
        name: Some("unique".to_string()),
    };
    models::SpecialItem::create(&db, item()).unwrap();

    let mut transaction = db.transaction().unwrap();
    models::Parent::create(&mut transaction, plain_parent("Ada")).unwrap();
    let error = models::SpecialItem::create(&mut transaction, item()).unwrap_err();
    assert_eq!(error.status(), 409);
    // Still inside the (now aborted) transaction: the ORM neither rolled back nor committed.
    let aborted = transaction.query("SELECT 1", &[]).unwrap_err();
    assert_eq!(
        aborted.db_error().map(|db| db.code()),
        Some(&SqlState::IN_FAILED_SQL_TRANSACTION)
    );
    transaction.rollback().unwrap();
    assert_eq!(count(&db, "parents"), 0);
}

#[test]
fn collections_saved_in_one_caller_transaction_are_all_or_nothing() {
    let (_temp, db) = migrated("models");
    let mut parents = Records::from_models([plain_parent("Hurley"), plain_parent("Boone")]);
    let mut houses = Records::from_models([house(None), house(Some(999))]);
    let result = (|| -> instant_runtime::Result<()> {
        let mut transaction = db.transaction()?;
        parents.save_all(&mut transaction)?;
        houses.save_all(&mut transaction)?;
        transaction.commit()
    })();
    assert_eq!(result.unwrap_err().status(), 409);
    assert_eq!(count(&db, "parents"), 0);
    assert_eq!(count(&db, "houses"), 0);
}

// Destroying

#[test]
fn destroy_cascade_deletes_descendants_deepest_first_in_one_transaction() {
    let (temp, db) = migrated("blog");
    let mut client = temp.connect().unwrap();
    client
        .batch_execute(
            "INSERT INTO users (id, email, username) VALUES (1, 'a@x.y', 'a'), (2, 'b@x.y', 'b');
             INSERT INTO posts (id, user_id, title) VALUES (10, 1, 'A1'), (11, 1, 'A2'), (20, 2, 'B1');
             INSERT INTO comments (id, post_id, user_id, body) VALUES
                (100, 10, 1, 'a on A1'), (101, 10, 2, 'b on A1'), (102, 11, 2, 'b on A2'),
                (200, 20, 2, 'b on B1'), (201, 20, 1, 'a on B1');",
        )
        .unwrap();

    let mut user = blog::User::find(&db, 1).unwrap();
    user.destroy_cascade(&db).unwrap();
    assert!(!user.in_storage());

    assert_eq!(ids(&db, "SELECT id::int FROM users ORDER BY id"), [2]);
    assert_eq!(ids(&db, "SELECT id::int FROM posts ORDER BY id"), [20]);
    // Comments on A's posts (by anyone) and A's comments on B's post are gone.
    assert_eq!(ids(&db, "SELECT id::int FROM comments ORDER BY id"), [200]);
}

#[test]
fn destroy_cascade_needs_no_on_delete_cascade_and_is_atomic() {
    // `fixtures/models` has plain foreign keys: deleting a parent row before its children
    // would fail, so success shows the order; a row the schema does not know about makes a
    // late DELETE fail, and nothing is deleted.
    let (temp, db) = migrated("models");
    let mut client = temp.connect().unwrap();
    client
        .batch_execute(
            "INSERT INTO users (id, username) VALUES (1, 'a'), (2, 'b');
             INSERT INTO posts (id, user_id, title) VALUES (10, 1, 'A1'), (20, 2, 'B1');
             INSERT INTO comments (id, post_id, body) VALUES (100, 10, 'x'), (200, 20, 'y');
             CREATE TABLE likes (comment_id int REFERENCES comments (id));
             INSERT INTO likes VALUES (200);",
        )
        .unwrap();

    let mut a = Member::find(&db, 1).unwrap();
    a.destroy_cascade(&db).unwrap();
    assert_eq!(ids(&db, "SELECT id::int FROM users ORDER BY id"), [2]);
    assert_eq!(ids(&db, "SELECT id::int FROM posts ORDER BY id"), [20]);
    assert_eq!(ids(&db, "SELECT id::int FROM comments ORDER BY id"), [200]);

    let mut b = Member::find(&db, 2).unwrap();
    let error = b.destroy_cascade(&db).unwrap_err();
    assert_eq!(
        error.db_error_kind(),
        Some(instant_runtime::error::DbErrorKind::ForeignKeyViolation)
    );
    assert!(b.in_storage());
    assert_eq!(ids(&db, "SELECT id::int FROM users ORDER BY id"), [2]);
    assert_eq!(ids(&db, "SELECT id::int FROM posts ORDER BY id"), [20]);
    assert_eq!(ids(&db, "SELECT id::int FROM comments ORDER BY id"), [200]);
}

#[test]
fn destroy_all_runs_the_destroy_hooks_and_destroy_cascade_does_not() {
    let (_temp, db) = migrated("models");
    let mut members = Records::from_models((0..3).map(|i| Member {
        id: 0,
        username: Some(format!("m{i}")),
    }));
    members.save_all(&db).unwrap();
    members.destroy_all(&db).unwrap();
    assert_eq!(BEFORE_DESTROY.with(Cell::get), 3);
    assert_eq!(AFTER_DESTROY.with(Cell::get), 3);
    assert!(members.iter().all(|member| !member.in_storage()));
    assert_eq!(count(&db, "users"), 0);

    let mut members = Records::from_models((0..2).map(|i| Member {
        id: 0,
        username: Some(format!("n{i}")),
    }));
    members.save_all(&db).unwrap();
    members.destroy_cascade(&db).unwrap();
    assert_eq!(BEFORE_DESTROY.with(Cell::get), 3);
    assert_eq!(AFTER_DESTROY.with(Cell::get), 3);
    assert_eq!(count(&db, "users"), 0);
}

// Readonly

#[test]
fn a_readonly_db_refuses_saves_with_status_409() {
    let (temp, db) = migrated("models");
    let saved = models::Parent::create(&db, plain_parent("Ada")).unwrap();
    let readonly = Db::builder()
        .url(temp.url())
        .readonly(true)
        .connect()
        .unwrap();
    assert!(readonly.is_readonly());

    // One-statement saves, saves in steps, updates, destroys and bulk saves alike.
    let errors = [
        models::Parent::create(&readonly, plain_parent("Grace")).unwrap_err(),
        Parent::create(&readonly, parent("Grace", 3)).unwrap_err(),
        models::Parent::update(&readonly, saved.id, |p| p.age = Some(3)).unwrap_err(),
        models::Parent::destroy(&readonly, saved.id).unwrap_err(),
        Records::from_models([plain_parent("Edsger")])
            .save_all(&readonly)
            .map(|_| ())
            .unwrap_err(),
    ];
    for error in errors {
        assert!(matches!(error, Error::ReadOnly), "{error:?}");
        assert_eq!(error.status(), 409);
    }
    // Reads work, and raw writes are refused by the server itself.
    assert_eq!(
        models::Parent::find(&readonly, saved.id).unwrap().id,
        saved.id
    );
    let raw = readonly
        .execute("INSERT INTO parents (name) VALUES ('x')", &[])
        .unwrap_err();
    assert_eq!(
        raw.db_error_kind(),
        Some(instant_runtime::error::DbErrorKind::ReadOnly)
    );
    assert_eq!(raw.status(), 409);
    assert_eq!(count(&db, "parents"), 1);
}

// What a save writes

#[test]
fn an_explicit_id_in_create_data_is_ignored() {
    let (_temp, db) = migrated("models");
    let first = models::Parent::create(
        &db,
        models::Parent {
            id: 12_345,
            ..plain_parent("Ada")
        },
    )
    .unwrap();
    assert_ne!(first.id, 12_345);
    let second =
        models::Parent::create_from_json(&db, &serde_json::json!({"id": 777, "name": "Grace"}))
            .unwrap();
    assert_eq!(second.id, first.id + 1);
    assert!(ids(&db, "SELECT id::int FROM parents WHERE id IN (777, 12345)").is_empty());
}

#[test]
fn timestamps_are_set_on_insert_and_updated_at_moves_on_update() {
    let (_temp, db) = migrated("models");
    let long_ago = instant_runtime::chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let before = instant_runtime::chrono::Local::now().naive_local() - Duration::from_secs(60);
    let mut record = models::Parent::create(
        &db,
        models::Parent {
            created_at: Some(long_ago),
            updated_at: Some(long_ago),
            ..plain_parent("Ada")
        },
    )
    .unwrap();
    // instant.dev overwrites timestamps the caller passes on insert.
    let created_at = record.created_at.unwrap();
    let updated_at = record.updated_at.unwrap();
    assert!(created_at > before, "{created_at}");
    assert!(updated_at > before, "{updated_at}");

    std::thread::sleep(Duration::from_millis(5));
    record.age = Some(4);
    record.save(&db).unwrap();
    assert_eq!(record.created_at, Some(created_at));
    assert!(record.updated_at.unwrap() > updated_at);
    let stored = models::Parent::find(&db, record.id).unwrap();
    assert_eq!(stored.created_at, Some(created_at));
    assert_eq!(stored.updated_at, record.updated_at);
}

#[test]
fn an_update_writes_only_the_changed_columns() {
    let (_temp, db) = migrated("models");
    let mut record = models::Parent::create(&db, plain_parent("Ada")).unwrap();
    db.execute(
        "UPDATE parents SET secret = 'from the database' WHERE id = $1::bigint",
        &[&record.id],
    )
    .unwrap();

    record.age = Some(36);
    record.save(&db).unwrap();
    // The row the UPDATE returned is loaded back, with the column nobody changed here.
    assert_eq!(record.secret.as_deref(), Some("from the database"));
    let stored = models::Parent::find(&db, record.id).unwrap();
    assert_eq!(stored.age, Some(36));
    assert_eq!(stored.secret.as_deref(), Some("from the database"));
    assert!(!record.has_changed(parents::age));
}

#[test]
fn saving_an_unchanged_record_without_updated_at_writes_nothing() {
    let (_temp, db) = migrated("models");
    assert!(special_items::INFO.column("updated_at").is_none());
    let mut item = models::SpecialItem::create(
        &db,
        models::SpecialItem {
            id: 0,
            name: Some("kept".to_string()),
        },
    )
    .unwrap();
    // A change behind the record's back survives a save of the unchanged record: nothing
    // was written (instant.dev sends an invalid `SET ()` here).
    db.execute("UPDATE special_items SET name = 'changed'", &[])
        .unwrap();
    item.save(&db).unwrap();
    assert!(item.in_storage());
    assert_eq!(item.name.as_deref(), Some("kept"));
    let stored = models::SpecialItem::find(&db, item.id).unwrap();
    assert_eq!(stored.name.as_deref(), Some("changed"));
}
