//! Connecting to the project's database.
//!
//! `DATABASE_URL`, when set, wins (the twelve-factor way, and what tests and CI use). Otherwise
//! the connection comes from `_instant/db.json`, like instant.dev: the environment named
//! explicitly, else `INSTANT_ENV`, else `NODE_ENV`, else `development`, and the database alias
//! `main`. Connections are plain TCP for now: TLS (`ssl` in db.json, `sslmode=require` in a
//! URL) and SSH tunnels are refused with a clear error until a later issue adds them.

use std::path::Path;
use std::time::Duration;

use instant_schema::Project;
use instant_schema::db_config::{self, DatabaseConfig, DbConfigFile, SslMode};
use postgres::{Client, Config, NoTls};

use crate::error::{Error, Result};

/// The database alias in `db.json` the runtime connects to.
pub const MAIN_DATABASE: &str = db_config::DEFAULT_DATABASE;

/// The environment to read from `db.json`: `env` when given, else `INSTANT_ENV`, else
/// `NODE_ENV`, else `development`.
pub fn environment(env: Option<&str>) -> String {
    match env {
        Some(env) => env.to_string(),
        None => db_config::current_environment(db_config::process_env),
    }
}

/// Where the connection settings came from, for messages (`DATABASE_URL`, `db.json [test]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    DatabaseUrl,
    DbJson { env: String },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::DatabaseUrl => f.write_str("DATABASE_URL"),
            Source::DbJson { env } => write!(f, "_instant/db.json [{env}.{MAIN_DATABASE}]"),
        }
    }
}

/// The connection settings for the project at `project_dir` (the folder holding `_instant/`,
/// or `_instant/` itself), and where they came from.
pub fn config(project_dir: &Path, env: Option<&str>) -> Result<(Config, Source)> {
    if let Ok(url) = std::env::var("DATABASE_URL")
        && !url.trim().is_empty()
    {
        let config = url
            .parse::<Config>()
            .map_err(|error| Error::config(format!("DATABASE_URL is not a valid URL: {error}")))?;
        if config.get_ssl_mode() == postgres::config::SslMode::Require {
            return Err(Error::config(
                "DATABASE_URL asks for TLS (sslmode=require), which is not supported yet",
            ));
        }
        return Ok((config, Source::DatabaseUrl));
    }
    let env = environment(env);
    let config = db_json_config(project_dir, &env)?;
    Ok((config, Source::DbJson { env }))
}

/// Connects to the project's database (see [`config`]).
pub fn connect(project_dir: &Path, env: Option<&str>) -> Result<Client> {
    let (config, source) = config(project_dir, env)?;
    connect_with(&config, &source)
}

/// Connects with `config`; a failure names `source`, so the user knows which setting to fix.
pub fn connect_with(config: &Config, source: &Source) -> Result<Client> {
    config.connect(NoTls).map_err(|error| Error::Config {
        message: format!(
            "could not connect to the database from {source}: {}",
            Error::Database(error)
        ),
    })
}

fn db_json_config(project_dir: &Path, env: &str) -> Result<Config> {
    let instant_dir = Project::find_dir(project_dir)?;
    let path = instant_dir.join("db.json");
    if !path.is_file() {
        return Err(Error::config(format!(
            "DATABASE_URL is not set and there is no {}",
            path.display()
        )));
    }
    let settings = DbConfigFile::load(&path)?.read_from_process_env(env, MAIN_DATABASE)?;
    from_settings(&settings, &path)
}

/// The driver's settings for a `db.json` entry.
fn from_settings(settings: &DatabaseConfig, path: &Path) -> Result<Config> {
    let unsupported = |what: &str| {
        Error::config(format!(
            "{} [{MAIN_DATABASE}]: {what} is not supported yet; set DATABASE_URL to reach the \
             database directly",
            path.display()
        ))
    };
    if settings.tunnel.is_some() {
        return Err(unsupported("an SSH tunnel"));
    }
    let ssl_mode = match settings.ssl {
        SslMode::Disable => postgres::config::SslMode::Disable,
        SslMode::Allow | SslMode::Prefer => postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            return Err(unsupported("TLS (`ssl`)"));
        }
    };
    let mut config = Config::new();
    config
        .host(&settings.host)
        .port(settings.port)
        .user(&settings.user)
        .dbname(&settings.database)
        .ssl_mode(ssl_mode);
    if !settings.password.is_empty() {
        config.password(&settings.password);
    }
    for (key, value) in &settings.options {
        match key.as_str() {
            "application_name" => {
                config.application_name(value);
            }
            "options" => {
                config.options(value);
            }
            "connect_timeout" => {
                let seconds: u64 = value.parse().map_err(|_| {
                    Error::config(format!(
                        "{}: connect_timeout must be a number of seconds, found {value:?}",
                        path.display()
                    ))
                })?;
                config.connect_timeout(Duration::from_secs(seconds));
            }
            other => tracing::warn!(parameter = other, "ignoring connection parameter"),
        }
    }
    Ok(config)
}
