//! Fuzzing `db.json`: environments of databases, `{{ NAME }}` placeholders resolved from the
//! environment, connection strings parsed. Nothing panics; a database that reads gives a URL
//! that reads back to the same settings, and an entry the writer accepts is in the file it
//! writes.
//!
//! `PROPTEST_CASES` sets the number of inputs per target (`scripts/fuzz-long.sh`).

mod fuzz_support;

use fuzz_support::{Outcome, campaign, documents, json, outcome, same};
use instant_schema::db_config::{DatabaseConfig, DbConfigFile};
use proptest::prelude::*;
use serde_json::{Value, json};

const PATH: &str = "_instant/db.json";

/// The variables placeholders name: set, empty, a port, and missing (`MISSING`, any other).
fn vars(name: &str) -> Option<String> {
    match name {
        "DB_HOST" => Some("db.internal".to_string()),
        "DB_PORT" => Some("6543".to_string()),
        "EMPTY" => Some(String::new()),
        "INSTANT_ENV" => Some("production".to_string()),
        _ => None,
    }
}

/// Every database of every environment read (and a name that is not there), each accepted one
/// checked.
fn read_all(file: &DbConfigFile) -> Result<Outcome, TestCaseError> {
    let mut result = Outcome::Refused;
    let mut environments: Vec<&str> = file.environments().collect();
    environments.push("nowhere");
    for env in environments {
        let mut names = file.databases(env);
        names.push("main");
        for name in names {
            let read = file.read(env, name, vars);
            if outcome(&read)? == Outcome::Accepted {
                result = Outcome::Accepted;
            }
            if let Ok(config) = read {
                url_reads_back(&config)?;
            }
        }
    }
    Ok(result)
}

/// The URL of `config` is a connection string that reads back to the same connection.
fn url_reads_back(config: &DatabaseConfig) -> Result<(), TestCaseError> {
    let url = config.to_url();
    let reread = DatabaseConfig::from_json(&json!({"connectionString": url}))
        .map_err(|error| TestCaseError::fail(format!("{url} does not read back: {error}")))?;
    let connection = |c: &DatabaseConfig| {
        (
            c.host.clone(),
            c.port,
            c.user.clone(),
            c.password.clone(),
            c.database.clone(),
            c.ssl,
            c.options.clone(),
        )
    };
    same(
        connection(&reread),
        connection(config),
        &format!("{url} read back"),
    )
}

/// Any JSON as a whole `db.json`, and as one database entry.
#[test]
fn arbitrary_json_as_db_json() {
    campaign(
        "db_json_arbitrary_json",
        2_000,
        || json::value(5, 5),
        |value| {
            if let Ok(config) = DatabaseConfig::from_json(&value) {
                url_reads_back(&config)?;
            }
            outcome(&DatabaseConfig::from_json(&value))?;
            match DbConfigFile::parse(PATH, &value.to_string()) {
                Ok(file) => read_all(&file),
                Err(error) => outcome::<(), _>(&Err(error)),
            }
        },
    );
}

/// `db.json` files written as a person would (placeholders, connection strings, tunnels, SSL
/// settings), damaged here and there; each entry also goes through the writer.
#[test]
fn near_valid_db_json() {
    campaign("db_json_near_valid", 2_000, documents::db_json, |value| {
        let file = DbConfigFile::parse(PATH, &value.to_string());
        outcome(&file)?;
        let Ok(file) = file else {
            return Ok(Outcome::Refused);
        };
        let result = read_all(&file)?;
        let mut written = DbConfigFile::new(PATH);
        for env in file.environments() {
            for name in file.databases(env) {
                let Some(entry) = file.entry(env, name) else {
                    continue;
                };
                let inserted = written.insert(env, name, entry.clone());
                if outcome(&inserted)? == Outcome::Accepted {
                    let text = written.to_json_string();
                    let reread = DbConfigFile::parse(PATH, &text).map_err(|error| {
                        TestCaseError::fail(format!("the written file does not parse: {error}"))
                    })?;
                    same(reread.entry(env, name), Some(entry), "the written entry")?;
                }
            }
        }
        Ok(result)
    });
}

/// Files that are almost JSON, read as `db.json` is read.
#[test]
fn near_json_text_as_db_json() {
    let texts =
        || json::near_json_text(prop_oneof![documents::db_json(), json::value(4, 4)].boxed());
    campaign(
        "db_json_text",
        2_000,
        texts,
        |text| match DbConfigFile::parse(PATH, &text) {
            Ok(file) => read_all(&file),
            Err(error) => outcome::<(), _>(&Err(error)),
        },
    );
}

/// Connection strings alone: the URL parser with every part odd.
#[test]
fn connection_strings() {
    let urls = || {
        prop_oneof![
            documents::database_entry().prop_map(|entry| entry
                .get("connectionString")
                .cloned()
                .unwrap_or(Value::Null)),
            json::text().prop_map(|text| Value::from(format!("postgres://{text}"))),
            prop::collection::vec(json::text(), 0..6)
                .prop_map(|parts| Value::from(format!("postgresql://{}", parts.join("")))),
        ]
    };
    campaign("db_json_connection_strings", 2_000, urls, |url| {
        let read = DatabaseConfig::from_json(&json!({"connectionString": url}));
        if let Ok(config) = &read {
            url_reads_back(config)?;
        }
        outcome(&read)
    });
}

/// Found by `near_valid_db_json`: a host with a colon that is not an IPv6 address (`"/:"`) was
/// written into the URL in brackets, as an IPv6 address would be, and the URL did not read
/// back ("the IPv6 host \"[\" has no closing \"]\""); it is percent-encoded now.
#[test]
fn a_host_with_a_colon_reads_back_from_its_url() {
    let config =
        DatabaseConfig::from_json(&json!({"host": "/:", "port": 1, "user": "u", "database": "d"}))
            .unwrap();
    let url = config.to_url();
    let reread = DatabaseConfig::from_json(&json!({"connectionString": url})).unwrap();
    assert_eq!(reread.host, config.host);
}
