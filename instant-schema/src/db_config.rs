//! `_instant/db.json`: the database credentials of each environment.
//!
//! The file maps environments (`development`, `test`, `production`, …) to named databases
//! (`main`, `readonly`, …), each either `{"connectionString": "postgres://…"}` alone or the
//! fields `host`, `port`, `user`, `password`, `database`, `ssl`, `in_vpc` and `tunnel`. Any
//! string of the form `{{ NAME }}` is replaced by the environment variable `NAME` when the file
//! is read, so the committed file holds no secrets. The rules and messages are instant.dev's
//! (`ConfigManager.validate`), with the file and the JSON location of each error added.
//!
//! Reading is [`DbConfigFile::load`] then [`DbConfigFile::read`]; one entry alone is checked by
//! [`DatabaseConfig::from_json`] (instant.dev's `ConfigManager.validate`). Writing is
//! [`DbConfigWriter`] (instant.dev's `Config.write`, `exists` and `destroy`), which validates the
//! entry with its placeholders in place and keeps `db.json` out of git.
//!
//! Deliberate differences from instant.dev: a connection string is read with the full libpq URL
//! syntax and a malformed one is an error (instant.dev silently connects to its defaults); a
//! port string must be all digits (instant.dev accepts `"5432abc"`); unknown keys inside
//! `tunnel` are errors; the environment comes from `INSTANT_ENV`, then `NODE_ENV` (instant.dev
//! reads `VERCEL_ENV`, then `NODE_ENV`). On write, a placeholder is also accepted for the
//! `connectionString` and the tunnel's `port`, which we parse (instant.dev only allows one for
//! `port`); `.gitignore` is appended to rather than rewritten; the file ends with a newline and
//! is replaced atomically.
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
mod gitignore;
mod placeholders;
mod validate;
mod write;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result, describe};
use crate::json_path::JsonPath;
use placeholders::resolve_placeholders;
use validate::validate;
pub use write::DbConfigWriter;

/// The database name instant.dev uses when none is given.
pub const DEFAULT_DATABASE: &str = "main";

/// The environment used when no environment variable names one.
pub const DEFAULT_ENVIRONMENT: &str = "development";

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

    /// The database `name` of `env` as the file holds it, placeholders unresolved: what
    /// instant.dev's `write` stored.
    pub fn entry(&self, env: &str, name: &str) -> Option<&Value> {
        self.environments.get(env)?.as_object()?.get(name)
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
            return Err(not_a_database_map(&env_at, databases));
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

/// An environment whose value is not an object of databases.
fn not_a_database_map(at: &JsonPath, found: &Value) -> Error {
    Error::invalid(
        at,
        format!(
            "expected an object mapping database names (\"main\", …) to their settings, found {}",
            describe(found)
        ),
    )
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
        // Brackets are for IPv6 addresses only; any other host with a `:` in it (a socket
        // directory such as `/run/pg:1`) is percent-encoded like the rest, so it reads back.
        if self.host.parse::<std::net::Ipv6Addr>().is_ok() {
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
