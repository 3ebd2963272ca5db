//! A connector from an entry of `_instant/db.json`.

use std::path::Path;
use std::time::Duration;

use instant_schema::Project;
use instant_schema::db_config::{DatabaseConfig, DbConfigFile};
use postgres::Config;

use super::tls::TrustedRoots;
use super::{Connector, Source};
use crate::error::{Error, Result};

/// The connector for `env.database` in the project's `db.json`; `var` is the environment
/// variable that would have overridden it, for the message when there is no file.
pub(super) fn connector(
    project_dir: &Path,
    env: &str,
    database: &str,
    var: &str,
) -> Result<Connector> {
    let instant_dir = Project::find_dir(project_dir)?;
    let path = instant_dir.join("db.json");
    if !path.is_file() {
        return Err(Error::config(format!(
            "{var} is not set and there is no {}",
            path.display()
        )));
    }
    let settings = DbConfigFile::load(&path)?.read_from_process_env(env, database)?;
    let source = Source::DbJson {
        env: env.to_string(),
        database: database.to_string(),
    };
    if settings.tunnel.is_some() {
        return Err(Error::config(format!(
            "{source}: an SSH tunnel is not supported yet; open the tunnel yourself (ssh -L) \
             and set {var} to a URL through the forwarded port"
        )));
    }
    let (config, root_cert) = driver_config(&settings, &source)?;
    let roots = match root_cert {
        Some(value) => TrustedRoots::from_sslrootcert(&value),
        None => TrustedRoots::from_env(),
    };
    Connector::new(config, settings.ssl, roots, source)
}

/// The driver's settings for a `db.json` entry, and the `sslrootcert` of its connection string.
fn driver_config(settings: &DatabaseConfig, source: &Source) -> Result<(Config, Option<String>)> {
    let mut config = Config::new();
    config
        .host(&settings.host)
        .port(settings.port)
        .user(&settings.user)
        .dbname(&settings.database);
    if !settings.password.is_empty() {
        config.password(&settings.password);
    }
    let mut root_cert = None;
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
                        "{source}: connect_timeout must be a number of seconds, found {value:?}"
                    ))
                })?;
                config.connect_timeout(Duration::from_secs(seconds));
            }
            "keepalives" => {
                config.keepalives(number(key, value, source)? != 0);
            }
            "keepalives_idle" => {
                config.keepalives_idle(Duration::from_secs(number(key, value, source)?));
            }
            "keepalives_interval" => {
                config.keepalives_interval(Duration::from_secs(number(key, value, source)?));
            }
            "keepalives_retries" => {
                let retries = number(key, value, source)?;
                config.keepalives_retries(u32::try_from(retries).map_err(|_| {
                    Error::config(format!(
                        "{source}: keepalives_retries must be at most {}, found {value:?}",
                        u32::MAX
                    ))
                })?);
            }
            "sslrootcert" => root_cert = Some(value.clone()),
            other => tracing::warn!(parameter = other, "ignoring connection parameter"),
        }
    }
    Ok((config, root_cert))
}

/// A connection parameter's value as a whole number (seconds, milliseconds or a count).
fn number(key: &str, value: &str, source: &Source) -> Result<u64> {
    value.trim().parse().map_err(|_| {
        Error::config(format!(
            "{source}: {key} must be a whole number, found {value:?}"
        ))
    })
}
