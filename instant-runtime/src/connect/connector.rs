//! [`Connector`]: the settings for one database, ready to open connections.

use std::fmt;

use instant_pg::Client;
use postgres::Config;
use postgres::config::Host;
use rustls::CertificateError;

use super::tls::{Tls, TrustedRoots};
use super::{Source, SslMode};
use super::{conninfo, env};
use crate::error::{Error, Result};

/// Opens connections to one database: the driver's settings, the TLS choice (built once: roots
/// loaded, rustls configured) and where they came from, for messages.
///
/// Cloning is cheap (the TLS configuration is shared), and a connector can be used from any
/// thread, so a pool keeps one and calls [`Connector::connect`] for every new connection.
///
/// ```
/// use instant_runtime::connect::{Connector, SslMode};
/// let connector = Connector::from_url("postgres://app@db.example.com/app?sslmode=verify-full")?;
/// assert_eq!(connector.ssl_mode(), SslMode::VerifyFull);
/// assert_eq!(connector.config().get_dbname(), Some("app"));
/// # Ok::<(), instant_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct Connector {
    config: Config,
    tls: Tls,
    source: Source,
}

impl Connector {
    /// A connector for a libpq connection string, URL (`postgres://…`) or key/value
    /// (`host=… dbname=…`). On top of what the driver reads, `sslmode` takes every libpq mode
    /// (`verify-ca`, `verify-full`, …) and `sslrootcert` names the trusted roots; without it
    /// `PGSSLROOTCERT` does (see [`TrustedRoots::from_env`]). As in libpq, `sslmode` defaults to
    /// `prefer`. `PGPASSWORD`, `PGOPTIONS` and `PGCONNECT_TIMEOUT` fill in what the string
    /// leaves out, as in libpq.
    pub fn from_url(url: &str) -> Result<Connector> {
        Connector::from_url_as(url, Source::Url)
    }

    pub(super) fn from_url_as(url: &str, source: Source) -> Result<Connector> {
        let invalid = |message: String| {
            Error::config(format!(
                "{source} is not a valid connection string: {message}"
            ))
        };
        let (rest, params) = conninfo::take_tls_params(url).map_err(invalid)?;
        let config = rest
            .parse::<Config>()
            .map_err(|error| invalid(error.to_string()))?;
        let roots = match params.root_cert {
            Some(value) => TrustedRoots::from_sslrootcert(&value),
            None => TrustedRoots::from_env(),
        };
        let mode = params.ssl_mode.unwrap_or(SslMode::Prefer);
        Connector::new(config, mode, roots, source)
    }

    /// A connector for a driver configuration built in code: plain TCP, unless its `ssl_mode`
    /// is `Require`, then TLS without checking the certificate (the driver's `Require` means no
    /// more). Use [`Connector::with_tls`] to check it. `PGPASSWORD`, `PGOPTIONS` and
    /// `PGCONNECT_TIMEOUT` fill in what `config` leaves out (an unreadable
    /// `PGCONNECT_TIMEOUT` is logged and ignored here).
    pub fn from_config(mut config: Config) -> Connector {
        if let Err(message) = env::apply_defaults(&mut config, env::process_var) {
            tracing::warn!(target: "instant::connect", "{message}");
        }
        let tls = match config.get_ssl_mode() {
            postgres::config::SslMode::Require => Tls::unverified(),
            _ => Tls::disabled(),
        };
        let mut connector = Connector {
            config,
            tls,
            source: Source::Config,
        };
        let mode = connector.tls.driver_mode();
        connector.config.ssl_mode(mode);
        connector
    }

    /// The settings for `mode`, trusting `roots`, checked and set up now so that connecting
    /// later cannot fail on them; a failure (an unreadable root file, …) names `source`.
    pub(super) fn new(
        mut config: Config,
        mode: SslMode,
        roots: TrustedRoots,
        source: Source,
    ) -> Result<Connector> {
        env::apply_defaults(&mut config, env::process_var).map_err(Error::config)?;
        let tls = Tls::new(mode, roots)
            .map_err(|message| Error::config(format!("{source}: {message}")))?;
        config.ssl_mode(tls.driver_mode());
        Ok(Connector {
            config,
            tls,
            source,
        })
    }

    /// This connector with TLS in `mode`, trusting `roots` when the mode checks certificates.
    ///
    /// ```
    /// use instant_runtime::connect::{Connector, SslMode, TrustedRoots};
    /// let config: postgres::Config = "host=localhost user=app".parse().unwrap();
    /// let connector = Connector::from_config(config).with_tls(SslMode::VerifyFull, TrustedRoots::Mozilla)?;
    /// assert_eq!(connector.ssl_mode(), SslMode::VerifyFull);
    /// # Ok::<(), instant_runtime::Error>(())
    /// ```
    pub fn with_tls(self, mode: SslMode, roots: TrustedRoots) -> Result<Connector> {
        Connector::new(self.config, mode, roots, self.source)
    }

    /// This connector with driver settings changed by `change` (a connect timeout, an
    /// application name, …); TLS stays as the connector set it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use instant_runtime::connect::Connector;
    /// let connector = Connector::from_url("postgres://app@localhost/app")?
    ///     .with_config(|config| {
    ///         config.connect_timeout(Duration::from_secs(5));
    ///     });
    /// assert_eq!(connector.config().get_connect_timeout(), Some(&Duration::from_secs(5)));
    /// # Ok::<(), instant_runtime::Error>(())
    /// ```
    pub fn with_config(mut self, change: impl FnOnce(&mut Config)) -> Connector {
        change(&mut self.config);
        self.config.ssl_mode(self.tls.driver_mode());
        self
    }

    /// This connector, its messages naming `source` as where the settings came from.
    pub fn with_source(mut self, source: Source) -> Connector {
        self.source = source;
        self
    }

    /// Opens a connection. A failure names where the settings came from, and, when the server's
    /// certificate was rejected, how to trust it.
    pub fn connect(&self) -> Result<Client> {
        instant_pg::connect(&self.config, self.tls.connector()).map_err(|error| {
            let hint = certificate_problem(&error).map_or("", hint);
            // The server's refusal reads as the server's message; the client's own failures
            // (a timeout, a refused socket) as they are.
            let cause = match error.server_error() {
                Some(_) => Error::Database(error).to_string(),
                None => error.to_string(),
            };
            // The server the settings point at is the first thing a person fixing this needs;
            // a cause that already names it (a timeout) is not told twice.
            let servers = self.servers();
            let message = if cause.contains(&servers) {
                format!("{cause} (settings from {}){hint}", self.source)
            } else {
                format!(
                    "could not connect to {servers} (settings from {}): {cause}{hint}",
                    self.source
                )
            };
            Error::Connection { message }
        })
    }

    /// `host:port` of each server the settings name, comma-separated, paired as libpq pairs
    /// them (one port for all hosts, or one each): `127.0.0.1:5432`, `[::1]:5433`,
    /// `/run/postgresql/.s.PGSQL.5432`.
    pub fn servers(&self) -> String {
        let ports = self.config.get_ports();
        let port = |index: usize| ports.get(index).or(ports.first()).copied().unwrap_or(5432);
        let with_port = |host: &str, port: u16| {
            if host.contains(':') {
                format!("[{host}]:{port}")
            } else {
                format!("{host}:{port}")
            }
        };
        let hosts = self.config.get_hosts();
        let names: Vec<String> = if hosts.is_empty() {
            let addresses = self.config.get_hostaddrs();
            addresses
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

    /// The driver's settings (host, port, user, database, …).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Where the settings came from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// How connections use TLS.
    pub fn ssl_mode(&self) -> SslMode {
        self.tls.mode()
    }

    /// The certificates trusted when [`Connector::ssl_mode`] checks them.
    pub fn trusted_roots(&self) -> &TrustedRoots {
        self.tls.roots()
    }
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The driver's `Config` hides the password.
        f.debug_struct("Connector")
            .field("config", &self.config)
            .field("ssl_mode", &self.tls.mode())
            .field("trusted_roots", self.tls.roots())
            .field("source", &self.source)
            .finish()
    }
}

/// Why the handshake rejected the server's certificate, if it did (rather than the network or
/// the server failing).
fn certificate_problem(error: &instant_pg::Error) -> Option<&CertificateError> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(rustls::Error::InvalidCertificate(problem)) =
            current.downcast_ref::<rustls::Error>()
        {
            return Some(problem);
        }
        // An `io::Error`'s `source()` skips the error it wraps: step into it explicitly.
        cause = match current.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as _),
            None => current.source(),
        };
    }
    None
}

/// What the user can change when the server's certificate is rejected.
fn hint(problem: &CertificateError) -> &'static str {
    match problem {
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            " (connect with a host name the certificate names, or use sslmode=verify-ca to \
             check the signer only)"
        }
        CertificateError::UnknownIssuer | CertificateError::BadSignature => {
            " (set PGSSLROOTCERT or sslrootcert= to the CA certificate that signed the server's \
             certificate, or use sslmode=require / \"ssl\": \"unauthorized\" to skip the check)"
        }
        _ => "",
    }
}

// A pool shares one connector between threads and clones it freely.
const _: () = {
    const fn shareable<T: Clone + Send + Sync + fmt::Debug + 'static>() {}
    shareable::<Connector>();
};

#[cfg(test)]
mod tests {
    use super::*;

    fn servers(url: &str) -> String {
        let config: Config = url.parse().expect("settings parse");
        Connector::from_config(config).servers()
    }

    #[test]
    fn servers_are_named_as_libpq_pairs_hosts_and_ports() {
        assert_eq!(servers("postgres://u@127.0.0.1:1/db"), "127.0.0.1:1");
        assert_eq!(servers("host=a,::1 port=5433"), "a:5433,[::1]:5433");
        assert_eq!(servers("host=a,b port=1,2"), "a:1,b:2");
        assert_eq!(
            servers("host=/run/postgresql"),
            "/run/postgresql/.s.PGSQL.5432"
        );
    }
}
