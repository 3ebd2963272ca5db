//! `Project::load` and `Project::schema` on folders built in a temporary directory.

use std::fs;
use std::path::Path;

use instant_schema::{Error, Project, Schema};
use serde_json::json;

fn write(root: &Path, relative: &str, value: serde_json::Value) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
}

fn users_migration() -> serde_json::Value {
    json!({"id": 20250101000001_i64, "name": "create_users",
           "up": [["createTable", "users", [{"name": "email", "type": "string"}]]],
           "down": [["dropTable", "users"]]})
}

#[test]
fn loads_from_the_project_or_the_instant_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "_instant/migrations/20250101000001__create_users.json",
        users_migration(),
    );
    fs::write(dir.path().join("_instant/migrations/.DS_Store"), b"\0junk").unwrap();
    for path in [dir.path().to_path_buf(), dir.path().join("_instant")] {
        let project = Project::load(&path).unwrap();
        assert_eq!(project.dir, dir.path().join("_instant"));
        assert_eq!(project.migrations.len(), 1);
        assert!(project.cached_schema.is_none());
        let schema = project.schema().unwrap();
        assert_eq!(schema.migration_id, Some(20250101000001));
        assert!(schema.tables.contains_key("users"));
        assert_eq!(
            project.schema_path(),
            dir.path().join("_instant/cache/schema.json")
        );
        assert_eq!(
            project.migrations_dir(),
            dir.path().join("_instant/migrations")
        );
    }
}

#[test]
fn without_migrations_the_cache_is_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("_instant")).unwrap();
    assert_eq!(
        Project::load(dir.path()).unwrap().schema().unwrap(),
        Schema::empty()
    );
    let cached = json!({"migration_id": 3, "indices": [], "foreign_keys": [],
                        "tables": {"t": {"name": "t", "columns": [{"name": "id", "type": "serial"}]}}});
    write(dir.path(), "_instant/cache/schema.json", cached.clone());
    let project = Project::load(dir.path()).unwrap();
    assert_eq!(project.schema().unwrap().to_json(), cached);
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut broken = users_migration();
    broken["up"][0][2][0]["type"] = json!("strng");
    write(
        dir.path(),
        "_instant/migrations/20250101000001__create_users.json",
        broken,
    );
    let error = Project::load(dir.path()).unwrap_err();
    match &error {
        Error::Invalid {
            file: Some(file),
            at,
            ..
        } => {
            assert!(file.ends_with("_instant/migrations/20250101000001__create_users.json"));
            assert_eq!(at.to_string(), "up[0][2][0].type");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(error.to_string().contains(
        "20250101000001__create_users.json at up[0][2][0].type: unknown column type \"strng\""
    ));
}

#[test]
fn replay_errors_name_the_file_too() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "_instant/migrations/20250101000001__create_users.json",
        users_migration(),
    );
    write(
        dir.path(),
        "_instant/migrations/20250101000002__drop_posts.json",
        json!({"id": 20250101000002_i64, "name": "drop_posts", "up": [["dropTable", "posts"]], "down": []}),
    );
    let project = Project::load(dir.path()).unwrap();
    let error = project.schema().unwrap_err().to_string();
    assert!(
        error.ends_with("_instant/migrations/20250101000002__drop_posts.json at up[0][1]: table \"posts\" does not exist in your schema"),
        "{error}"
    );
}

#[test]
fn a_missing_instant_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = Project::load(dir.path()).unwrap_err().to_string();
    assert!(error.contains("no `_instant` folder"), "{error}");
}

#[test]
fn an_empty_name_is_a_file_without_name_part() {
    let dir = tempfile::tempdir().unwrap();
    let mut migration = users_migration();
    migration["name"] = json!("");
    write(
        dir.path(),
        "_instant/migrations/20250101000001.json",
        migration,
    );
    assert_eq!(Project::load(dir.path()).unwrap().migrations.len(), 1);
}
