//! instant.dev's `ConfigManager.validate`: the rules one database entry of `db.json` follows,
//! and its adapter's defaults.
//!
//! An entry is checked twice in its life: when it is written, with its `{{ NAME }}`
//! placeholders still in place ([`check_written`]), and when it is read, after they are
//! resolved ([`validate`]). Both use the same rules, so an entry accepted on write only fails on
//! read when a variable is missing or holds a bad value.

use serde_json::{Map, Value, json};

use super::connection_string;
use super::placeholders::variable_name;
use super::{DatabaseConfig, SslMode, Tunnel};
use crate::error::{Error, Result, describe};
use crate::json_path::JsonPath;

/// The keys allowed next to each other (everything but `connectionString`), in the order
/// instant.dev checks them.
const FIELDS: [&str; 8] = [
    "host", "port", "user", "password", "database", "ssl", "in_vpc", "tunnel",
];

impl DatabaseConfig {
    /// Validates one database entry of `db.json` whose placeholders are already resolved, and
    /// fills in instant.dev's defaults: its `ConfigManager.validate`. Errors name the key at
    /// fault relative to the entry (`at port: …`); [`DbConfigFile::read`](super::DbConfigFile::read)
    /// reports the same errors with the file and the full location.
    ///
    /// ```
    /// use instant_schema::db_config::{DatabaseConfig, SslMode};
    /// use serde_json::json;
    ///
    /// let config = DatabaseConfig::from_json(&json!({
    ///     "host": "localhost", "port": "5432", "user": "postgres", "database": "app",
    ///     "ssl": "unauthorized"
    /// }))?;
    /// assert_eq!((config.port, config.ssl), (5432, SslMode::Require));
    ///
    /// let error = DatabaseConfig::from_json(&json!({"host": "localhost", "port": 0})).unwrap_err();
    /// assert!(error.to_string().starts_with("at port: \"port\" must be a number between 1 and 65535"));
    /// # Ok::<(), instant_schema::Error>(())
    /// ```
    pub fn from_json(entry: &Value) -> Result<DatabaseConfig> {
        validate(entry, &JsonPath::root())
    }
}

/// Checks an entry as it is written to `db.json`, placeholders unresolved. A placeholder stays
/// a string, which is what it resolves to, so it passes wherever a string may stand (`host`,
/// `password`, …) and fails where one may not (`ssl`, `in_vpc`), as in instant.dev. Where we
/// parse the string further, a placeholder stands for a valid value instead: the `port`
/// (instant.dev allows this one explicitly), the `connectionString` and the tunnel's `port`.
pub(crate) fn check_written(entry: &Value, at: &JsonPath) -> Result<()> {
    let mut entry = entry.clone();
    if let Value::Object(fields) = &mut entry {
        stand_in(fields, "port", json!(5432));
        stand_in(fields, "connectionString", json!("postgres://localhost"));
        if let Some(Value::Object(tunnel)) = fields.get_mut("tunnel") {
            stand_in(tunnel, "port", json!(22));
        }
    }
    validate(&entry, at).map(drop)
}

/// Replaces `fields[key]` by `valid` when it is a placeholder.
fn stand_in(fields: &mut Map<String, Value>, key: &str, valid: Value) {
    if let Some(value) = fields.get_mut(key)
        && value.as_str().and_then(variable_name).is_some()
    {
        *value = valid;
    }
}

/// instant.dev's `ConfigManager.validate`, then its adapter's defaults.
pub(crate) fn validate(value: &Value, at: &JsonPath) -> Result<DatabaseConfig> {
    let Value::Object(fields) = value else {
        // instant.dev says "Invalid config: empty" for any non-object.
        let expected = format!(
            "an object with \"connectionString\" or the fields {}",
            field_list()
        );
        return Err(Error::invalid(
            at,
            match value {
                Value::Null => format!("Invalid config: empty, expected {expected}"),
                other => format!(
                    "Invalid config: expected {expected}, found {}",
                    describe(other)
                ),
            },
        ));
    };
    if let Some(url) = fields.get("connectionString") {
        return from_connection_string(fields, url, at);
    }
    if let Some(unknown) = fields.keys().find(|key| !FIELDS.contains(&key.as_str())) {
        return Err(Error::invalid(
            &at.key(unknown),
            format!(
                "Invalid key \"{unknown}\": expected \"connectionString\" alone, or some of {}",
                field_list()
            ),
        ));
    }
    let field = |key: &str| fields.get(key).unwrap_or(&Value::Null);
    let host = required_string(field("host"), &at.key("host"), "host")?;
    let port = port(field("port"), &at.key("port"))?;
    let user = required_string(field("user"), &at.key("user"), "user")?;
    let password = match field("password") {
        Value::Null | Value::Bool(false) => String::new(),
        Value::String(password) => password.clone(),
        other => {
            return Err(Error::invalid(
                &at.key("password"),
                format!(
                    "\"password\", if provided, must be a string, found {}",
                    describe(other)
                ),
            ));
        }
    };
    let database = required_string(field("database"), &at.key("database"), "database")?;
    let ssl = ssl(field("ssl"), &at.key("ssl"))?;
    let in_vpc = match fields.get("in_vpc") {
        None => false,
        Some(Value::Bool(in_vpc)) => *in_vpc,
        Some(other) => {
            return Err(Error::invalid(
                &at.key("in_vpc"),
                format!(
                    "\"in_vpc\" must be true or false, found {}",
                    describe(other)
                ),
            ));
        }
    };
    let tunnel = tunnel(field("tunnel"), &at.key("tunnel"))?;
    Ok(DatabaseConfig {
        host,
        port,
        user,
        password,
        database,
        ssl,
        in_vpc,
        tunnel,
        options: Vec::new(),
    })
}

fn field_list() -> String {
    format!("\"{}\"", FIELDS.join("\", \""))
}

fn from_connection_string(
    fields: &Map<String, Value>,
    url: &Value,
    at: &JsonPath,
) -> Result<DatabaseConfig> {
    let url_at = at.key("connectionString");
    let url = match url {
        Value::String(url) if !url.is_empty() => url,
        other => {
            return Err(Error::invalid(
                &url_at,
                format!(
                    "If \"connectionString\" is provided, must be a non-empty string, found {}",
                    describe(other)
                ),
            ));
        }
    };
    if let Some(other) = fields.keys().find(|key| *key != "connectionString") {
        return Err(Error::invalid(
            &at.key(other),
            format!(
                "If \"connectionString\" is provided, can not provide other keys: remove \
                 \"{other}\" or spell the connection out with {}",
                field_list()
            ),
        ));
    }
    let parts = connection_string::parse(url).map_err(|message| {
        Error::invalid(&url_at, format!("invalid connection string: {message}"))
    })?;
    let user = parts.user.unwrap_or_else(|| "postgres".to_string());
    Ok(DatabaseConfig {
        host: parts.host.unwrap_or_else(|| "localhost".to_string()),
        port: parts.port.unwrap_or(5432),
        user,
        password: parts.password.unwrap_or_default(),
        database: parts.database.unwrap_or_else(|| "postgres".to_string()),
        ssl: parts.ssl.unwrap_or(SslMode::Disable),
        in_vpc: false,
        tunnel: None,
        options: parts.options,
    })
}

fn required_string(value: &Value, at: &JsonPath, key: &str) -> Result<String> {
    match value {
        Value::String(text) if !text.is_empty() => Ok(text.clone()),
        Value::Null => Err(Error::invalid(
            at,
            format!("\"{key}\" must be a non-empty string, but it is missing"),
        )),
        other => Err(Error::invalid(
            at,
            format!(
                "\"{key}\" must be a non-empty string, found {}",
                describe(other)
            ),
        )),
    }
}

/// A port as a number or a string of digits, 1–65535.
fn port(value: &Value, at: &JsonPath) -> Result<u16> {
    let number = match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(text) => {
            let text = text.trim();
            (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<u64>().ok())
                .flatten()
        }
        _ => None,
    };
    match number
        .and_then(|n| u16::try_from(n).ok())
        .filter(|&n| n > 0)
    {
        Some(port) => Ok(port),
        None if value.is_null() => Err(Error::invalid(
            at,
            "\"port\" must be a number between 1 and 65535, but it is missing",
        )),
        None => Err(Error::invalid(
            at,
            format!(
                "\"port\" must be a number between 1 and 65535, found {}",
                describe(value)
            ),
        )),
    }
}

fn ssl(value: &Value, at: &JsonPath) -> Result<SslMode> {
    match value {
        Value::Null | Value::Bool(false) => Ok(SslMode::Disable),
        Value::Bool(true) => Ok(SslMode::VerifyFull),
        Value::String(text) if text == "unauthorized" => Ok(SslMode::Require),
        Value::Object(map)
            if map.len() == 1 && map.get("rejectUnauthorized") == Some(&Value::Bool(false)) =>
        {
            Ok(SslMode::Require)
        }
        other => Err(Error::invalid(
            at,
            format!(
                "\"ssl\", if provided, must be true, false, \"unauthorized\" or \
                 {{\"rejectUnauthorized\": false}}, found {}",
                describe(other)
            ),
        )),
    }
}

fn tunnel(value: &Value, at: &JsonPath) -> Result<Option<Tunnel>> {
    let fields = match value {
        Value::Null | Value::Bool(false) => return Ok(None),
        Value::Object(fields) => fields,
        other => {
            return Err(Error::invalid(
                at,
                format!(
                    "expected an SSH tunnel object with \"user\", \"host\" and optionally \
                     \"port\" and \"private_key\", found {}",
                    describe(other)
                ),
            ));
        }
    };
    if let Some(unknown) = fields
        .keys()
        .find(|key| !["user", "host", "port", "private_key"].contains(&key.as_str()))
    {
        return Err(Error::invalid(
            &at.key(unknown),
            format!(
                "Invalid SSH tunnel key \"{unknown}\": expected \"user\", \"host\", \"port\" \
                 or \"private_key\""
            ),
        ));
    }
    let string = |key: &str| match fields.get(key) {
        Some(Value::String(text)) if !text.is_empty() => Ok(text.clone()),
        found => Err(Error::invalid(
            &at.key(key),
            format!(
                "Missing or invalid SSH tunnel \"{key}\" in database configuration: expected a \
                 non-empty string, found {}",
                found.map_or("nothing".to_string(), describe)
            ),
        )),
    };
    let user = string("user")?;
    let host = string("host")?;
    let port = match fields.get("port") {
        None | Some(Value::Null) => 22,
        Some(value) => port(value, &at.key("port"))?,
    };
    let private_key = match fields.get("private_key") {
        None | Some(Value::Null) => None,
        Some(Value::String(key)) if key.is_empty() => None,
        Some(Value::String(key)) => Some(key.clone()),
        Some(other) => {
            return Err(Error::invalid(
                &at.key("private_key"),
                format!(
                    "Invalid SSH tunnel \"private_key\" in database configuration: expected a PEM \
                     key or a file path, found {}",
                    describe(other)
                ),
            ));
        }
    };
    Ok(Some(Tunnel {
        user,
        host,
        port,
        private_key,
    }))
}
