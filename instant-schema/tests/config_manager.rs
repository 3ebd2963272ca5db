//! instant.dev's `test/tests/config_manager.js`, case by case: validating one `db.json` entry
//! (`ConfigManager.validate` → [`DatabaseConfig::from_json`]), and writing, reading and
//! destroying `_instant/db.json` (`Instant.Config` → [`DbConfigWriter`]).
//!
//! instant.dev's cases share one file in the working directory and run in order (write, then
//! read what was written, then destroy). Here each case gets its own project folder and writes
//! what it reads first, so the cases run in parallel and in any order.
//!
//! Messages: where ours carry instant.dev's wording, the test checks that wording is
//! contained. Where the wording differs (the port range, the accepted `ssl` values, and JSON
//! locations written `development.main.host` instead of `["development"]["main"]["host"]`), the
//! test asserts our full message.

use std::path::Path;

use instant_schema::db_config::{DatabaseConfig, DbConfigFile, DbConfigWriter, SslMode};
use serde_json::{Value, json};

fn validation_error(entry: Value) -> String {
    DatabaseConfig::from_json(&entry).unwrap_err().to_string()
}

/// Variables as instant.dev's `envVars` object passes them.
fn env_vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(found, _)| found == name)
            .map(|(_, value)| value.clone())
    }
}

/// The entry instant.dev's read / write cases write, with `host` (and `port`) as given.
fn entry_with(host: &str, port: Value) -> Value {
    json!({"host": host, "port": port, "user": "b", "password": "c", "database": "d",
           "ssl": "unauthorized"})
}

fn without_project_dir(message: String, project: &Path) -> String {
    message.replace(&format!("{}/", project.display()), "")
}

// Validation

/// instant.dev: fails validation on empty config
#[test]
fn fails_validation_on_empty_config() {
    let message = validation_error(Value::Null);
    assert!(message.contains("empty"), "{message}");
    assert_eq!(
        message,
        "Invalid config: empty, expected an object with \"connectionString\" or the fields \
         \"host\", \"port\", \"user\", \"password\", \"database\", \"ssl\", \"in_vpc\", \"tunnel\""
    );
}

/// instant.dev: fails validation on connectionString + other key
#[test]
fn fails_validation_on_connection_string_and_other_key() {
    let message = validation_error(json!({"connectionString": "hello", "second_key": false}));
    assert!(message.contains("other keys"), "{message}");
    assert!(message.starts_with("at second_key: "), "{message}");
}

/// instant.dev: fails validation on connectionString = non-string
#[test]
fn fails_validation_on_connection_string_non_string() {
    let message = validation_error(json!({"connectionString": true}));
    assert!(message.contains("non-empty string"), "{message}");
    assert_eq!(
        message,
        "at connectionString: If \"connectionString\" is provided, must be a non-empty string, \
         found boolean true"
    );
}

/// instant.dev: fails validation on connectionString = empty string
#[test]
fn fails_validation_on_connection_string_empty_string() {
    let message = validation_error(json!({"connectionString": ""}));
    assert!(message.contains("non-empty string"), "{message}");
}

/// instant.dev: fails validation on invalid key
#[test]
fn fails_validation_on_invalid_key() {
    let message = validation_error(json!({"invalid_key": ""}));
    assert!(message.contains("Invalid key \"invalid_key\""), "{message}");
}

/// instant.dev: fails validation on missing keys
#[test]
fn fails_validation_on_missing_keys() {
    let message = validation_error(json!({}));
    assert!(message.contains("\"host\""), "{message}");
    assert!(message.contains("non-empty string"), "{message}");
}

/// A full entry with `port` as given; the port cases all fail on it.
fn port_error(port: Value) -> String {
    validation_error(
        json!({"host": "a", "port": port, "user": "b", "password": "c",
                            "database": "d"}),
    )
}

// instant.dev's port message is `"port" must be between 1 - 65535.`; ours says "a number
// between 1 and 65535" and what was found.

/// instant.dev: fails validation on port < 1
#[test]
fn fails_validation_on_port_below_1() {
    assert_eq!(
        port_error(json!(-2)),
        "at port: \"port\" must be a number between 1 and 65535, found number -2"
    );
}

/// instant.dev: fails validation on port > 65535
#[test]
fn fails_validation_on_port_above_65535() {
    assert_eq!(
        port_error(json!(65536)),
        "at port: \"port\" must be a number between 1 and 65535, found number 65536"
    );
}

/// instant.dev: fails validation on port is float
#[test]
fn fails_validation_on_port_is_float() {
    assert_eq!(
        port_error(json!(20.7)),
        "at port: \"port\" must be a number between 1 and 65535, found number 20.7"
    );
}

/// instant.dev: fails validation on port is string
#[test]
fn fails_validation_on_port_is_string() {
    assert_eq!(
        port_error(json!("abcdef")),
        "at port: \"port\" must be a number between 1 and 65535, found string \"abcdef\""
    );
}

/// instant.dev: fails validation on password non-string
#[test]
fn fails_validation_on_password_non_string() {
    let message = validation_error(json!({"host": "a", "port": "5432", "user": "b",
                                          "password": true, "database": "d"}));
    assert!(message.contains("\"password\""), "{message}");
    assert!(message.contains("must be a string"), "{message}");
}

// instant.dev's ssl message is `"ssl", if provided, must be true, false or "unauthorized"`;
// ours also names the `{"rejectUnauthorized": false}` form it accepts.
const SSL_RULE: &str = "at ssl: \"ssl\", if provided, must be true, false, \"unauthorized\" or \
                        {\"rejectUnauthorized\": false}";

/// instant.dev: fails validation on ssl <> true, false, "unauthorized"
#[test]
fn fails_validation_on_ssl_not_true_false_or_unauthorized() {
    let message = validation_error(json!({"host": "a", "port": "5432", "user": "b",
                                          "password": "c", "database": "d", "ssl": 27}));
    assert_eq!(message, format!("{SSL_RULE}, found number 27"));
}

/// instant.dev's checks on a validated entry: every field as given, the port as a number.
fn assert_validated(config: &DatabaseConfig, ssl: SslMode) {
    assert_eq!(config.host, "a");
    assert_eq!(config.port, 5432);
    assert_eq!(config.user, "b");
    assert_eq!(config.password, "c");
    assert_eq!(config.database, "d");
    assert_eq!(config.ssl, ssl);
}

// instant.dev also checks that the validated config is a new object (`to.not.equal(cfg)`); a
// `DatabaseConfig` is always a new value, distinct from the JSON it came from.

/// instant.dev: succeeds at basic validation
#[test]
fn succeeds_at_basic_validation() {
    let config = DatabaseConfig::from_json(&json!({"host": "a", "port": "5432", "user": "b",
                                                   "password": "c", "database": "d"}))
    .unwrap();
    assert_validated(&config, SslMode::Disable);
}

/// instant.dev: succeeds at basic validation with numeric port
#[test]
fn succeeds_at_basic_validation_with_numeric_port() {
    let config = DatabaseConfig::from_json(&json!({"host": "a", "port": 5432, "user": "b",
                                                   "password": "c", "database": "d"}))
    .unwrap();
    assert_validated(&config, SslMode::Disable);
}

// instant.dev keeps `ssl` as written ("unauthorized" or the object); we read both as libpq's
// `require`: TLS without certificate checks, which is what node-postgres does with them.

/// instant.dev: succeeds at basic validation with ssl "unauthorized"
#[test]
fn succeeds_at_basic_validation_with_ssl_unauthorized() {
    let config = DatabaseConfig::from_json(&json!({"host": "a", "port": 5432, "user": "b",
                                                   "password": "c", "database": "d",
                                                   "ssl": "unauthorized"}))
    .unwrap();
    assert_validated(&config, SslMode::Require);
}

/// instant.dev: succeeds at basic validation with ssl {"rejectUnauthorized": false}
#[test]
fn succeeds_at_basic_validation_with_ssl_reject_unauthorized_false() {
    let config = DatabaseConfig::from_json(&json!({"host": "a", "port": 5432, "user": "b",
                                                   "password": "c", "database": "d",
                                                   "ssl": {"rejectUnauthorized": false}}))
    .unwrap();
    assert_validated(&config, SslMode::Require);
}

/// instant.dev: fails at basic validation with ssl {"rejectUnauthorized": true}
#[test]
fn fails_at_basic_validation_with_ssl_reject_unauthorized_true() {
    let message = validation_error(json!({"host": "a", "port": 5432, "user": "b",
                                          "password": "c", "database": "d",
                                          "ssl": {"rejectUnauthorized": true}}));
    assert_eq!(
        message,
        format!("{SSL_RULE}, found object {{\"rejectUnauthorized\":true}}")
    );
}

// read / write

/// instant.dev: should fail to write invalid config
#[test]
fn should_fail_to_write_invalid_config() {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    let message = writer
        .write("development", "main", json!({}))
        .unwrap_err()
        .to_string();
    // instant.dev: `Could not write config for ["development"]["main"]:` and the reason.
    assert_eq!(
        without_project_dir(message, project.path()),
        "_instant/db.json at development.main.host: \"host\" must be a non-empty string, but \
         it is missing"
    );
    assert!(!writer.exists());
    // Nothing else was created either.
    assert_eq!(std::fs::read_dir(project.path()).unwrap().count(), 0);
}

/// instant.dev: should succeed at writing valid config
#[test]
fn should_succeed_at_writing_valid_config() {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    let cfg = entry_with("a", json!(5432));
    writer.write("development", "main", cfg.clone()).unwrap();
    let written = writer.load().unwrap();

    assert!(writer.exists());
    assert_eq!(written.entry("development", "main"), Some(&cfg));
    assert_eq!(written.environments().count(), 1);
    assert_eq!(written.databases("development").len(), 1);
}

/// instant.dev: should succeed at writing valid config with environment variables
#[test]
fn should_succeed_at_writing_valid_config_with_environment_variables() {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    let cfg = entry_with("{{ DATABASE_HOST }}", json!(5432));
    writer.write("development", "main", cfg.clone()).unwrap();
    // Stored as written: the placeholder is resolved on read, not on write.
    assert_eq!(
        writer.load().unwrap().entry("development", "main"),
        Some(&cfg)
    );
}

/// A project whose `db.json` holds instant.dev's entry with a `DATABASE_HOST` placeholder.
fn project_with_host_placeholder() -> (tempfile::TempDir, DbConfigFile) {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    writer
        .write(
            "development",
            "main",
            entry_with("{{ DATABASE_HOST }}", json!(5432)),
        )
        .unwrap();
    let file = writer.load().unwrap();
    (project, file)
}

/// instant.dev: should fail at reading config with missing environment variable
#[test]
fn should_fail_at_reading_config_with_missing_environment_variable() {
    let (project, file) = project_with_host_placeholder();
    // instant.dev reads `process.env`, where DATABASE_HOST is not set yet; an empty set of
    // variables stands for it here, so the case does not depend on the machine.
    let message = file
        .read("development", "main", env_vars(&[]))
        .unwrap_err()
        .to_string();
    // instant.dev: `["development"]["main"]["host"]: No environment variable matching
    // "DATABASE_HOST" found`.
    assert_eq!(
        without_project_dir(message, project.path()),
        "_instant/db.json at development.main.host: No environment variable matching \
         \"DATABASE_HOST\" found"
    );
}

/// instant.dev: should succeed at reading config with environment variable set properly
#[test]
fn should_succeed_at_reading_config_with_environment_variable_set_properly() {
    // instant.dev sets `process.env.DATABASE_HOST` first. Setting a variable is unsafe while
    // other tests run on other threads, so this case uses a variable the process already has.
    let (name, value) = std::env::vars()
        .find(|(name, value)| {
            !value.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .expect("the test process has at least one environment variable");
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    let placeholder = format!("{{{{ {name} }}}}");
    writer
        .write("development", "main", entry_with(&placeholder, json!(5432)))
        .unwrap();
    let cfg = writer
        .load()
        .unwrap()
        .read_from_process_env("development", "main")
        .unwrap();
    assert_eq!(cfg.host, value);
}

/// instant.dev: should succeed at reading config with environment variables sent in to read function
#[test]
fn should_succeed_at_reading_config_with_environment_variables_sent_in_to_read_function() {
    let (_project, file) = project_with_host_placeholder();
    let cfg = file
        .read(
            "development",
            "main",
            env_vars(&[("DATABASE_HOST", "my-db-247.com")]),
        )
        .unwrap();
    assert_eq!(cfg.host, "my-db-247.com");
}

/// instant.dev: should succeed at writing valid config with environment variables in port
#[test]
fn should_succeed_at_writing_valid_config_with_environment_variables_in_port() {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    let cfg = entry_with("{{ DATABASE_HOST }}", json!("{{ DATABASE_PORT }}"));
    writer.write("development", "main", cfg.clone()).unwrap();
    let written = writer.load().unwrap();
    assert_eq!(written.entry("development", "main"), Some(&cfg));
    // And the port is a port once resolved.
    let vars = env_vars(&[("DATABASE_HOST", "h"), ("DATABASE_PORT", "6543")]);
    assert_eq!(
        written.read("development", "main", vars).unwrap().port,
        6543
    );
}

/// instant.dev: should destroy config
#[test]
fn should_destroy_config() {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    writer
        .write("development", "main", entry_with("a", json!(5432)))
        .unwrap();
    assert!(writer.exists());

    writer.destroy().unwrap();

    assert!(!writer.exists());
    // Destroying what is not there is not an error, as in instant.dev.
    writer.destroy().unwrap();
}

// Writing, beyond instant.dev's cases: what `instant init` and `instant db:add` rely on.

#[test]
fn writing_keeps_other_entries_and_their_order() {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    let first = entry_with("first", json!(5432));
    let readonly = json!({"connectionString": "{{ READONLY_URL }}"});
    let production = json!({"connectionString": "postgres://u@db/app", "in_vpc": null});
    writer.write("development", "main", first).unwrap();
    writer
        .write("development", "readonly", readonly.clone())
        .unwrap();
    writer
        .write("test", "main", entry_with("t", json!(1)))
        .unwrap();
    // A replaced entry keeps its place.
    let replaced = entry_with("replaced", json!("{{ PORT }}"));
    writer
        .write("development", "main", replaced.clone())
        .unwrap();
    assert!(
        writer
            .write("production", "main", production)
            .unwrap_err()
            .to_string()
            .contains("can not provide other keys")
    );

    let file = writer.load().unwrap();
    assert_eq!(
        file.environments().collect::<Vec<_>>(),
        ["development", "test"]
    );
    assert_eq!(file.databases("development"), ["main", "readonly"]);
    assert_eq!(file.entry("development", "main"), Some(&replaced));
    assert_eq!(file.entry("development", "readonly"), Some(&readonly));
}

#[test]
fn writes_pretty_json_with_a_final_newline() {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    writer
        .write(
            "development",
            "main",
            json!({"host": "a", "port": 5432, "user": "b", "database": "d"}),
        )
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(writer.path()).unwrap(),
        r#"{
  "development": {
    "main": {
      "host": "a",
      "port": 5432,
      "user": "b",
      "database": "d"
    }
  }
}
"#
    );
}

#[test]
fn writing_lists_credentials_in_gitignore_once() {
    let project = tempfile::tempdir().unwrap();
    let gitignore = project.path().join(".gitignore");
    std::fs::write(&gitignore, "target\n\n/_instant/db.json").unwrap();
    let writer = DbConfigWriter::new(project.path());
    for host in ["a", "b"] {
        writer
            .write("development", "main", entry_with(host, json!(5432)))
            .unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&gitignore).unwrap(),
        "target\n\n/_instant/db.json\n_instant/cache/schema.json\n"
    );
}

#[test]
fn placeholders_on_write_pass_only_where_a_string_may_stand() {
    let mut file = DbConfigFile::new("_instant/db.json");
    let with = |key: &str, value: Value| {
        let mut entry = json!({"host": "{{ H }}", "port": "{{ P }}", "user": "{{ U }}",
                               "password": "{{ PW }}", "database": "{{ D }}"});
        entry[key] = value;
        entry
    };
    let tunnel = json!({"user": "{{ TU }}", "host": "{{ TH }}", "port": "{{ TP }}",
                        "private_key": "{{ KEY }}"});
    file.insert("development", "main", with("tunnel", tunnel))
        .unwrap();
    file.insert(
        "production",
        "main",
        json!({"connectionString": "{{ DATABASE_URL }}"}),
    )
    .unwrap();
    assert_eq!(
        file.insert("development", "main", with("ssl", json!("{{ SSL }}")))
            .unwrap_err()
            .to_string(),
        "_instant/db.json at development.main.ssl: \"ssl\", if provided, must be true, false, \
         \"unauthorized\" or {\"rejectUnauthorized\": false}, found string \"{{ SSL }}\""
    );
    assert!(
        file.insert("development", "main", with("in_vpc", json!("{{ VPC }}")))
            .is_err()
    );
}

#[test]
fn writing_needs_an_environment_and_a_database_name() {
    let mut file = DbConfigFile::new("_instant/db.json");
    let error = file
        .insert("", "main", entry_with("a", json!(5432)))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("env and name must be valid strings"),
        "{error}"
    );
}

#[test]
fn writing_into_a_malformed_file_fails_and_leaves_it_alone() {
    let project = tempfile::tempdir().unwrap();
    let writer = DbConfigWriter::new(project.path());
    std::fs::create_dir(project.path().join("_instant")).unwrap();
    std::fs::write(writer.path(), r#"{"development": "oops"}"#).unwrap();
    let message = writer
        .write("development", "main", entry_with("a", json!(5432)))
        .unwrap_err()
        .to_string();
    assert_eq!(
        without_project_dir(message, project.path()),
        "_instant/db.json at development: expected an object mapping database names (\"main\", \
         …) to their settings, found string \"oops\""
    );
    assert_eq!(
        std::fs::read_to_string(writer.path()).unwrap(),
        r#"{"development": "oops"}"#
    );
}
