//! Connecting to the project's databases.
//!
//! A [`Connector`] is everything needed to open a connection: the driver's settings, the TLS
//! choice and where both came from (for messages). It is built once (roots loaded, TLS set up)
//! and cloned cheaply, so a pool can call [`Connector::connect`] for every new connection.
//!
//! Where the settings come from ([`connector`]):
//!
//! - database `main`: `DATABASE_URL` when set and non-empty (the twelve-factor way, and what
//!   tests and CI use);
//! - any other database (`readonly`, instant.dev's replica slot, …): `DATABASE_URL_<NAME>`
//!   when set and non-empty, the name upper-cased with every character other than a letter or
//!   digit turned into `_` (`DATABASE_URL_READONLY`); `DATABASE_URL` never applies to them;
//! - otherwise `_instant/db.json`, like instant.dev: the environment named explicitly, else
//!   `INSTANT_ENV`, else `NODE_ENV`, else `development`, and the database by name.
//!
//! TLS is rustls (no OpenSSL), with libpq's `sslmode` meanings:
//!
//! | `sslmode` (URL) | `ssl` (db.json) | connection |
//! |---|---|---|
//! | `disable` | `false`, absent | plain TCP |
//! | `allow`, `prefer` (the URL default) | | TLS when the server offers it, certificate not checked |
//! | `require` | `"unauthorized"`, `{"rejectUnauthorized": false}` | TLS, certificate not checked (handshake signatures still are) |
//! | `verify-ca` | | TLS, certificate chain checked, host name not |
//! | `verify-full` | `true` | TLS, certificate chain and host name checked |
//!
//! The certificates trusted ([`TrustedRoots`]): `sslrootcert=` in the URL (or in a db.json
//! `connectionString`), else the `PGSSLROOTCERT` environment variable — a PEM file of CA
//! certificates, or `system` for the operating system's store — else Mozilla's root programme
//! (the `webpki-roots` list, what Node and browsers trust). Unlike libpq there is no default
//! `~/.postgresql/root.crt`, and `require` never checks the certificate even when a root file
//! is given. SSH tunnels (`tunnel` in db.json) are refused with a clear error.

mod connector;
mod conninfo;
mod db_json;
mod env;
mod tls;
mod verifier;

use std::path::Path;

use instant_pg::{Client, Config};
use instant_schema::db_config;

pub use connector::Connector;
pub use instant_schema::db_config::SslMode;
pub use tls::TrustedRoots;

use crate::error::Result;

/// The database alias in `db.json` the runtime connects to unless told otherwise.
pub const MAIN_DATABASE: &str = db_config::DEFAULT_DATABASE;

/// The environment to read from `db.json`: `env` when given, else `INSTANT_ENV`, else
/// `NODE_ENV`, else `development`.
pub fn environment(env: Option<&str>) -> String {
    match env {
        Some(env) => env.to_string(),
        None => db_config::current_environment(db_config::process_env),
    }
}

/// Where the connection settings came from, so a message names the setting to fix
/// (`DATABASE_URL`, `_instant/db.json [test.readonly]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The `DATABASE_URL` environment variable (database `main`).
    DatabaseUrl,
    /// `DATABASE_URL_<NAME>` for the database `database` (see [`database_url_var`]).
    NamedDatabaseUrl { database: String },
    /// A URL given in code ([`Connector::from_url`]).
    Url,
    /// A driver configuration given in code ([`Connector::from_config`]).
    Config,
    /// The entry `env.database` of `_instant/db.json`.
    DbJson { env: String, database: String },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::DatabaseUrl => f.write_str("DATABASE_URL"),
            Source::NamedDatabaseUrl { database } => f.write_str(&database_url_var(database)),
            Source::Url => f.write_str("the connection URL"),
            Source::Config => f.write_str("the connection settings"),
            Source::DbJson { env, database } => write!(f, "_instant/db.json [{env}.{database}]"),
        }
    }
}

/// The environment variable that overrides `db.json` for `database`: `DATABASE_URL` for
/// `main`, else `DATABASE_URL_` and the name upper-cased, anything but ASCII letters and digits
/// turned into `_`.
///
/// ```
/// use instant_runtime::connect::database_url_var;
/// assert_eq!(database_url_var("main"), "DATABASE_URL");
/// assert_eq!(database_url_var("readonly"), "DATABASE_URL_READONLY");
/// assert_eq!(database_url_var("read-replica"), "DATABASE_URL_READ_REPLICA");
/// ```
pub fn database_url_var(database: &str) -> String {
    if database == MAIN_DATABASE {
        return "DATABASE_URL".to_string();
    }
    let name: String = database
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("DATABASE_URL_{name}")
}

/// The connector for `database` (`main`, `readonly`, …) of the project at `project_dir` (the
/// folder holding `_instant/`, or `_instant/` itself): its URL variable when set, else its
/// `db.json` entry for the environment `env` (see [`environment`]).
pub fn connector(project_dir: &Path, env: Option<&str>, database: &str) -> Result<Connector> {
    let var = database_url_var(database);
    if let Ok(url) = std::env::var(&var)
        && !url.trim().is_empty()
    {
        let source = if database == MAIN_DATABASE {
            Source::DatabaseUrl
        } else {
            Source::NamedDatabaseUrl {
                database: database.to_string(),
            }
        };
        return Connector::from_url_as(&url, source);
    }
    let env = environment(env);
    db_json::connector(project_dir, &env, database, &var)
}

/// The driver settings of the `main` database and where they came from (see [`connector`]).
/// The TLS choice beyond the driver's `ssl_mode` is not part of a [`Config`]: connect with
/// [`connector`] rather than with these.
pub fn config(project_dir: &Path, env: Option<&str>) -> Result<(Config, Source)> {
    let connector = connector(project_dir, env, MAIN_DATABASE)?;
    Ok((connector.config().clone(), connector.source().clone()))
}

/// Connects to the project's `main` database (see [`connector`]).
pub fn connect(project_dir: &Path, env: Option<&str>) -> Result<Client> {
    connector(project_dir, env, MAIN_DATABASE)?.connect()
}

/// Connects with `config`, TLS as in [`Connector::from_config`] (certificate never checked); a
/// failure names `source`, so the user knows which setting to fix. Prefer [`connector`], which
/// keeps the verification the settings ask for.
pub fn connect_with(config: &Config, source: &Source) -> Result<Client> {
    Connector::from_config(config.clone())
        .with_source(source.clone())
        .connect()
}
