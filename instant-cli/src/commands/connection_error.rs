//! A failed connection as one line that names the server: `could not connect to
//! 127.0.0.1:5432 (settings from DATABASE_URL): connection refused`. The runtime's message
//! says where the settings came from but not which server they pointed at, and that is the
//! first thing a person fixing it needs.

use instant_runtime::connect::Source;
use postgres::Config;
use postgres::config::Host;

use super::one_line;

/// The line for `error`, raised connecting with `config` read from `source`.
pub fn connection_error(config: &Config, source: &Source, error: impl std::fmt::Display) -> String {
    let text = one_line(error);
    let source = source.to_string();
    let cause = text
        .strip_prefix("database configuration: ")
        .unwrap_or(&text);
    let cause = cause
        .strip_prefix("could not connect to the database from ")
        .and_then(|rest| rest.strip_prefix(source.as_str()))
        .and_then(|rest| rest.strip_prefix(": "))
        .unwrap_or(cause);
    let cause = cause.strip_prefix("database error: ").unwrap_or(cause);
    let servers = servers(config);
    if cause.contains(&servers) {
        format!("{cause} (settings from {source})")
    } else {
        format!("could not connect to {servers} (settings from {source}): {cause}")
    }
}

/// `host:port` of each server the settings name, comma-separated, as libpq pairs them (one
/// port for all hosts, or one each).
fn servers(config: &Config) -> String {
    let ports = config.get_ports();
    let port = |index: usize| ports.get(index).or(ports.first()).copied().unwrap_or(5432);
    let hosts = config.get_hosts();
    let names: Vec<String> = if hosts.is_empty() {
        config
            .get_hostaddrs()
            .iter()
            .enumerate()
            .map(|(index, address)| with_port(&address.to_string(), port(index)))
            .collect()
    } else {
        hosts
            .iter()
            .enumerate()
            .map(|(index, host)| match host {
                Host::Tcp(name) => with_port(name, port(index)),
                Host::Unix(directory) => {
                    format!("{}/.s.PGSQL.{}", directory.display(), port(index))
                }
            })
            .collect()
    };
    if names.is_empty() {
        "(no host given)".to_string()
    } else {
        names.join(",")
    }
}

fn with_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_server_once() {
        let config: Config = "postgres://u@127.0.0.1:1/db".parse().unwrap();
        assert_eq!(
            connection_error(
                &config,
                &Source::DatabaseUrl,
                "database configuration: could not connect to the database from DATABASE_URL: \
                 database error: talking to the server failed: Connection refused (os \
                 error 111)"
            ),
            "could not connect to 127.0.0.1:1 (settings from DATABASE_URL): talking to the \
             server failed: Connection refused (os error 111)"
        );
        assert_eq!(
            connection_error(
                &config,
                &Source::DatabaseUrl,
                "timed out connecting to 127.0.0.1:1 after 10 s"
            ),
            "timed out connecting to 127.0.0.1:1 after 10 s (settings from DATABASE_URL)"
        );
        let several: Config = "host=a,::1 port=5433".parse().unwrap();
        assert_eq!(servers(&several), "a:5433,[::1]:5433");
        let socket: Config = "host=/run/postgresql".parse().unwrap();
        assert_eq!(servers(&socket), "/run/postgresql/.s.PGSQL.5432");
    }
}
