//! `_instant/db.json`: the database credentials of each environment.
//!
//! The file maps environments (`development`, `test`, `production`, …) to named databases
//! (`main`, `readonly`, …), each either `{"connectionString": "postgres://…"}` alone or the
//! fields `host`, `port`, `user`, `password`, `database`, `ssl`, `in_vpc` and `tunnel`. Any
//! string of the form `{{ NAME }}` is replaced by the environment variable `NAME` when the file
//! is read, so the committed file holds no secrets. The rules and messages are instant.dev's
//! (`ConfigManager.validate`), with the file and the JSON location of each error added.
//!
//! Deliberate differences from instant.dev: a connection string is read with the full libpq URL
//! syntax and a malformed one is an error (instant.dev silently connects to its defaults); a
//! port string must be all digits (instant.dev accepts `"5432abc"`); unknown keys inside
//! `tunnel` are errors; the environment comes from `INSTANT_ENV`, then `NODE_ENV` (instant.dev
//! reads `VERCEL_ENV`, then `NODE_ENV`).
//!
//! ```
//! use instant_schema::db_config::{DbConfigFile, SslMode};
//! let file = DbConfigFile::parse(
//!     "_instant/db.json",
//!     r#"{"development": {"main": {"host": "{{ DB_HOST }}", "port": 5432, "user": "postgres",
//!                                  "password": "{{ DB_PASSWORD }}", "database": "app"}}}"#,
//! )?;
//! let vars = |name: &str| match name {
//!     "DB_HOST" => Some("localhost".to_string()),
//!     "DB_PASSWORD" => Some(String::new()),
//!     _ => None,
//! };
//! let config = file.read("development", "main", vars)?;
//! assert_eq!(config.to_url(), "postgres://postgres@localhost:5432/app?sslmode=disable");
//! # Ok::<(), instant_schema::Error>(())
//! ```

mod connection_string;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result, describe};
use crate::json_path::JsonPath;

/// The database name instant.dev uses when none is given.
pub const DEFAULT_DATABASE: &str = "main";

/// The environment used when no environment variable names one.
pub const DEFAULT_ENVIRONMENT: &str = "development";

/// The keys allowed next to each other (everything but `connectionString`), in the order
/// instant.dev checks them.
const FIELDS: [&str; 8] = [
    "host", "port", "user", "password", "database", "ssl", "in_vpc", "tunnel",
];

/// `_instant/db.json` as read from disk, before any environment is chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct DbConfigFile {
    path: PathBuf,
    environments: Map<String, Value>,
}

/// One database's connection settings, placeholders resolved and defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    /// Empty when the database needs no password.
    pub password: String,
    pub database: String,
    pub ssl: SslMode,
    /// The deployed service runs inside the database's private network, so it needs no tunnel.
    pub in_vpc: bool,
    pub tunnel: Option<Tunnel>,
    /// Other parameters of a connection string (`application_name`, `connect_timeout`, …),
    /// passed on to the driver.
    pub options: Vec<(String, String)>,
}

/// Whether and how to use TLS, in libpq's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SslMode {
    /// instant.dev's `"ssl": false`, and its default.
    Disable,
    Allow,
    Prefer,
    /// TLS without checking the certificate: instant.dev's `"ssl": "unauthorized"` or
    /// `{"rejectUnauthorized": false}`.
    Require,
    VerifyCa,
    /// TLS with full certificate checks: instant.dev's `"ssl": true` (node-postgres verifies).
    VerifyFull,
}

/// An SSH tunnel to reach a database in a private network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tunnel {
    pub user: String,
    pub host: String,
    /// 22 unless given.
    pub port: u16,
    /// A PEM key, or the path of a key file relative to the project.
    pub private_key: Option<String>,
}

/// The environment to read: `INSTANT_ENV`, else `NODE_ENV`, else `development`, where `vars`
/// looks up environment variables (empty values count as unset, as in instant.dev).
pub fn current_environment(vars: impl Fn(&str) -> Option<String>) -> String {
    ["INSTANT_ENV", "NODE_ENV"]
        .iter()
        .filter_map(|name| vars(name))
        .find(|value| !value.is_empty())
        .unwrap_or_else(|| DEFAULT_ENVIRONMENT.to_string())
}

/// Looks a variable up in the process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl DbConfigFile {
    /// Reads `path` (usually `_instant/db.json`).
    pub fn load(path: impl AsRef<Path>) -> Result<DbConfigFile> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        DbConfigFile::parse(path, &text)
    }

    /// Parses `text` as the contents of `path`; `path` is only used in messages.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<DbConfigFile> {
        let path = path.as_ref();
        let json: Value = serde_json::from_str(text).map_err(|e| Error::json(path, &e))?;
        let Value::Object(environments) = json else {
            return Err(Error::invalid(
                &JsonPath::root(),
                format!(
                    "expected an object mapping environment names to databases, found {}",
                    describe(&json)
                ),
            )
            .in_file(path));
        };
        Ok(DbConfigFile {
            path: path.to_path_buf(),
            environments,
        })
    }

    /// The file this came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The environment names, in file order.
    pub fn environments(&self) -> impl Iterator<Item = &str> {
        self.environments.keys().map(String::as_str)
    }

    /// The database names of `env`, in file order (none when `env` is missing or malformed).
    pub fn databases(&self, env: &str) -> Vec<&str> {
        match self.environments.get(env) {
            Some(Value::Object(databases)) => databases.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The database `name` of `env`, with `{{ NAME }}` placeholders looked up in `vars` and the
    /// result validated. As in instant.dev, the tunnel is dropped when `in_vpc` is set and `env`
    /// is the environment the process runs in (see [`current_environment`]), unless that is
    /// `development`.
    pub fn read(
        &self,
        env: &str,
        name: &str,
        vars: impl Fn(&str) -> Option<String>,
    ) -> Result<DatabaseConfig> {
        self.read_inner(env, name, &vars)
            .map_err(|e| e.in_file(&self.path))
    }

    /// [`DbConfigFile::read`] with the process environment.
    pub fn read_from_process_env(&self, env: &str, name: &str) -> Result<DatabaseConfig> {
        self.read(env, name, process_env)
    }

    fn read_inner(
        &self,
        env: &str,
        name: &str,
        vars: &dyn Fn(&str) -> Option<String>,
    ) -> Result<DatabaseConfig> {
        let root = JsonPath::root();
        let quoted = |names: Vec<&str>| {
            if names.is_empty() {
                "none".to_string()
            } else {
                format!("\"{}\"", names.join("\", \""))
            }
        };
        let Some(databases) = self.environments.get(env) else {
            return Err(Error::invalid(
                &root,
                format!(
                    "Environment \"{env}\" not found (environments: {})",
                    quoted(self.environments().collect())
                ),
            ));
        };
        let env_at = root.key(env);
        let Value::Object(databases) = databases else {
            return Err(Error::invalid(
                &env_at,
                format!(
                    "expected an object mapping database names (\"main\", …) to their settings, \
                     found {}",
                    describe(databases)
                ),
            ));
        };
        let Some(raw) = databases.get(name) else {
            return Err(Error::invalid(
                &env_at,
                format!(
                    "Environment \"{env}\" database \"{name}\" not found (databases: {})",
                    quoted(databases.keys().map(String::as_str).collect())
                ),
            ));
        };
        let at = env_at.key(name);
        let resolved = resolve_placeholders(raw, &at, vars, false)?;
        let mut config = validate(&resolved, &at)?;
        let live = current_environment(vars);
        if config.in_vpc && live == env && live != DEFAULT_ENVIRONMENT {
            config.tunnel = None;
        }
        Ok(config)
    }
}

/// Replaces every `{{ NAME }}` string (at any depth) by the variable `NAME`. An empty value is
/// an error, except for a `password`.
fn resolve_placeholders(
    value: &Value,
    at: &JsonPath,
    vars: &dyn Fn(&str) -> Option<String>,
    allow_empty: bool,
) -> Result<Value> {
    Ok(match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let resolved =
                        resolve_placeholders(value, &at.key(key), vars, key == "password")?;
                    Ok((key.clone(), resolved))
                })
                .collect::<Result<Map<String, Value>>>()?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| resolve_placeholders(item, &at.index(i), vars, false))
                .collect::<Result<Vec<Value>>>()?,
        ),
        Value::String(text)
            if text.starts_with("{{") && text.ends_with("}}") && text.len() >= 4 =>
        {
            let name = text[2..text.len() - 2].trim();
            match vars(name) {
                None => {
                    return Err(Error::invalid(
                        at,
                        format!("No environment variable matching \"{name}\" found"),
                    ));
                }
                Some(found) if found.is_empty() && !allow_empty => {
                    return Err(Error::invalid(
                        at,
                        format!("Environment variable matching \"{name}\" is empty"),
                    ));
                }
                Some(found) => Value::String(found),
            }
        }
        other => other.clone(),
    })
}

/// instant.dev's `ConfigManager.validate`, then its adapter's defaults.
fn validate(value: &Value, at: &JsonPath) -> Result<DatabaseConfig> {
    let Value::Object(fields) = value else {
        return Err(Error::invalid(
            at,
            format!(
                "expected an object with \"connectionString\" or the fields {}, found {}",
                field_list(),
                describe(value)
            ),
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

impl SslMode {
    /// libpq's name for the mode, as `sslmode=` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// A `sslmode=` or instant.dev `ssl=` value.
    fn from_url_value(value: &str) -> Option<SslMode> {
        Some(match value {
            "disable" | "false" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" | "unauthorized" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" | "true" => SslMode::VerifyFull,
            _ => return None,
        })
    }
}

impl DatabaseConfig {
    /// A libpq connection URL for these settings (the tunnel is not part of it), with every
    /// part percent-encoded.
    pub fn to_url(&self) -> String {
        let mut url = String::from("postgres://");
        url.push_str(&connection_string::encode(&self.user));
        if !self.password.is_empty() {
            url.push(':');
            url.push_str(&connection_string::encode(&self.password));
        }
        url.push('@');
        if self.host.contains(':') {
            url.push_str(&format!("[{}]", self.host));
        } else {
            url.push_str(&connection_string::encode(&self.host));
        }
        url.push_str(&format!(":{}/", self.port));
        url.push_str(&connection_string::encode(&self.database));
        url.push_str("?sslmode=");
        url.push_str(self.ssl.as_str());
        for (key, value) in &self.options {
            url.push('&');
            url.push_str(&connection_string::encode(key));
            url.push('=');
            url.push_str(&connection_string::encode(value));
        }
        url
    }
}
