//! Reading `_instant/db.json`: placeholders, validation and connection strings.

use instant_schema::db_config::{DbConfigFile, SslMode, Tunnel, current_environment};
use serde_json::json;

const FAMILY_DB_JSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/family/_instant/db.json"
);

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

fn file(value: serde_json::Value) -> DbConfigFile {
    DbConfigFile::parse("_instant/db.json", &value.to_string()).unwrap()
}

fn main_config(fields: serde_json::Value) -> serde_json::Value {
    json!({"development": {"main": fields}})
}

fn error(value: serde_json::Value) -> String {
    file(value)
        .read("development", "main", vars(&[("EMPTY", "")]))
        .unwrap_err()
        .to_string()
}

#[test]
fn reads_the_family_fixture_with_placeholders() {
    let file = DbConfigFile::load(FAMILY_DB_JSON).unwrap();
    assert_eq!(
        file.environments().collect::<Vec<_>>(),
        ["development", "test"]
    );
    assert_eq!(file.databases("test"), ["main"]);
    let env = vars(&[
        ("MAIN_DATABASE_HOST", "127.0.0.1"),
        ("MAIN_DATABASE_PORT", "54329"),
        ("MAIN_DATABASE_USER", "postgres"),
        ("MAIN_DATABASE_PASSWORD", ""),
        ("MAIN_DATABASE_DATABASE", "family"),
    ]);
    let config = file.read("test", "main", env).unwrap();
    assert_eq!(
        (
            config.host.as_str(),
            config.port,
            config.user.as_str(),
            config.password.as_str()
        ),
        ("127.0.0.1", 54329, "postgres", "")
    );
    assert_eq!(config.database, "family");
    assert_eq!(config.ssl, SslMode::Disable);
    assert_eq!(
        config.to_url(),
        "postgres://postgres@127.0.0.1:54329/family?sslmode=disable"
    );
}

#[test]
fn field_rules_follow_instant_dev() {
    let base = json!({"host": "h", "port": 5432, "user": "u", "database": "d"});
    let read = |extra: serde_json::Value| {
        let mut fields = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            fields[k] = v.clone();
        }
        file(main_config(fields)).read("development", "main", vars(&[]))
    };
    // password: missing, null and false all mean no password.
    for password in [json!(null), json!(false)] {
        assert_eq!(read(json!({"password": password})).unwrap().password, "");
    }
    // port: numbers and digit strings.
    assert_eq!(read(json!({"port": "6543"})).unwrap().port, 6543);
    assert_eq!(read(json!({"port": 6543.0})).unwrap().port, 6543);
    for bad in [
        json!(0),
        json!(65536),
        json!("5432abc"),
        json!(true),
        json!(5432.5),
    ] {
        assert!(read(json!({"port": bad})).is_err(), "{bad}");
    }
    // ssl
    for (ssl, mode) in [
        (json!(true), SslMode::VerifyFull),
        (json!(false), SslMode::Disable),
        (json!(null), SslMode::Disable),
        (json!("unauthorized"), SslMode::Require),
        (json!({"rejectUnauthorized": false}), SslMode::Require),
    ] {
        assert_eq!(read(json!({"ssl": ssl})).unwrap().ssl, mode);
    }
    assert!(read(json!({"ssl": {"rejectUnauthorized": true}})).is_err());
    // tunnel
    let config = read(json!({"in_vpc": true, "tunnel": {"user": "ec2", "host": "bastion", "private_key": "k.pem"}}))
        .unwrap();
    assert!(config.in_vpc);
    assert_eq!(
        config.tunnel,
        Some(Tunnel {
            user: "ec2".into(),
            host: "bastion".into(),
            port: 22,
            private_key: Some("k.pem".into()),
        })
    );
    assert_eq!(read(json!({"tunnel": null})).unwrap().tunnel, None);
}

#[test]
fn required_fields_are_checked_in_instant_dev_order() {
    assert_eq!(
        error(main_config(json!({}))),
        "_instant/db.json at development.main.host: \"host\" must be a non-empty string, but it is missing"
    );
    assert_eq!(
        error(main_config(json!({"host": "h"}))),
        "_instant/db.json at development.main.port: \"port\" must be a number between 1 and 65535, but it is missing"
    );
    assert_eq!(
        error(main_config(
            json!({"host": "h", "port": 1, "database": "d"})
        )),
        "_instant/db.json at development.main.user: \"user\" must be a non-empty string, but it is missing"
    );
    assert_eq!(
        error(main_config(
            json!({"host": "h", "port": 1, "user": "u", "database": ""})
        )),
        "_instant/db.json at development.main.database: \"database\" must be a non-empty string, found string \"\""
    );
}

#[test]
fn empty_variables_are_errors_except_for_passwords() {
    let fields =
        json!({"host": "h", "port": 1, "user": "u", "password": "{{ EMPTY }}", "database": "d"});
    let config = file(main_config(fields))
        .read("development", "main", vars(&[("EMPTY", "")]))
        .unwrap();
    assert_eq!(config.password, "");
    assert_eq!(
        error(main_config(json!({"host": "{{EMPTY}}"}))),
        "_instant/db.json at development.main.host: Environment variable matching \"EMPTY\" is empty"
    );
}

#[test]
fn connection_strings() {
    let read = |url: &str| {
        file(main_config(json!({"connectionString": url}))).read("development", "main", vars(&[]))
    };
    let config = read(
        "postgres://app:s3cr%2Ft@db.example.com:6543/prod?sslmode=require&application_name=api",
    )
    .unwrap();
    assert_eq!(config.user, "app");
    assert_eq!(config.password, "s3cr/t");
    assert_eq!(config.host, "db.example.com");
    assert_eq!(config.port, 6543);
    assert_eq!(config.database, "prod");
    assert_eq!(config.ssl, SslMode::Require);
    assert_eq!(
        config.options,
        vec![("application_name".to_string(), "api".to_string())]
    );
    assert_eq!(
        config.to_url(),
        "postgres://app:s3cr%2Ft@db.example.com:6543/prod?sslmode=require&application_name=api"
    );
    // instant.dev's own form.
    let config = read("postgres://u:p@h:5432/d?ssl=unauthorized").unwrap();
    assert_eq!(config.ssl, SslMode::Require);
    // Missing parts take instant.dev's defaults.
    let config = read("postgresql://").unwrap();
    assert_eq!(
        config.to_url(),
        "postgres://postgres@localhost:5432/postgres?sslmode=disable"
    );
    assert_eq!(
        read("").unwrap_err().to_string(),
        "_instant/db.json at development.main.connectionString: If \"connectionString\" is provided, must be a non-empty string, found string \"\""
    );
}

#[test]
fn tunnel_is_dropped_in_the_live_vpc_environment() {
    let fields = json!({"host": "h", "port": 1, "user": "u", "database": "d", "in_vpc": true,
                        "tunnel": {"user": "ec2", "host": "bastion"}});
    let file = file(json!({"production": {"main": fields}, "development": {"main": fields}}));
    let live = vars(&[("INSTANT_ENV", "production")]);
    assert_eq!(file.read("production", "main", &live).unwrap().tunnel, None);
    // Reading production from a development machine keeps the tunnel.
    assert!(
        file.read("production", "main", vars(&[]))
            .unwrap()
            .tunnel
            .is_some()
    );
    // development never drops it.
    let dev = vars(&[("INSTANT_ENV", "development")]);
    assert!(
        file.read("development", "main", dev)
            .unwrap()
            .tunnel
            .is_some()
    );
}

#[test]
fn environment_selection() {
    assert_eq!(current_environment(vars(&[])), "development");
    assert_eq!(current_environment(vars(&[("NODE_ENV", "test")])), "test");
    assert_eq!(
        current_environment(vars(&[("NODE_ENV", "test"), ("INSTANT_ENV", "production")])),
        "production"
    );
    assert_eq!(
        current_environment(vars(&[("INSTANT_ENV", ""), ("NODE_ENV", "test")])),
        "test"
    );
}
