//! Opening a connection: the socket (each configured host in turn), TLS, the startup message
//! and authentication (cleartext, MD5, SCRAM-SHA-256), then the server's reports until it is
//! ready.

use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::Config;
use postgres::config::{ChannelBinding, Host, TargetSessionAttrs};
use postgres_protocol::authentication::md5_hash;
use postgres_protocol::authentication::sasl::{self, ScramSha256};
use postgres_protocol::message::backend::Message;
use postgres_protocol::message::frontend;

use crate::cancel::Target;
use crate::client::Client;
use crate::error::{Error, ServerError, duration};
use crate::stream::{Stream, set_keepalives};
use crate::wire::Wire;

/// Opens a connection as `config` says, over TLS with `tls` when its `ssl_mode` asks for it
/// (`prefer`: when the server offers it; `require`: or fail). With several hosts, each is
/// tried in turn, and the first that accepts (and is writable, for
/// `target_session_attrs=read-write`) is used.
///
/// Unix sockets never use TLS (as in libpq). Channel binding is not offered.
pub fn connect(config: &Config, tls: Option<&Arc<rustls::ClientConfig>>) -> Result<Client, Error> {
    if matches!(config.get_channel_binding(), ChannelBinding::Require) {
        return Err(Error::config("channel binding is not supported"));
    }
    let hosts = config.get_hosts();
    let addresses = config.get_hostaddrs();
    let ports = config.get_ports();
    let count = hosts.len().max(addresses.len());
    if count == 0 {
        return Err(Error::config("both host and hostaddr are missing"));
    }
    let mut last = None;
    for index in 0..count {
        let port = match ports {
            [] => 5432,
            [port] => *port,
            ports => ports.get(index).copied().unwrap_or(5432),
        };
        match connect_one(config, tls, index, port) {
            Ok(client) => return Ok(client),
            Err(error) => last = Some(error),
        }
    }
    Err(last.unwrap_or_else(|| Error::config("no host to connect to")))
}

fn connect_one(
    config: &Config,
    tls: Option<&Arc<rustls::ClientConfig>>,
    index: usize,
    port: u16,
) -> Result<Client, Error> {
    let timeout = config.get_connect_timeout().copied();
    let deadline = timeout.map(|timeout| Instant::now() + timeout);
    let address = config.get_hostaddrs().get(index).copied();
    let host = config.get_hosts().get(index);
    let place = match (host, address) {
        #[cfg(unix)]
        (Some(Host::Unix(directory)), _) => directory
            .join(format!(".s.PGSQL.{port}"))
            .display()
            .to_string(),
        (Some(Host::Tcp(name)), _) => format!("{name}:{port}"),
        (None, Some(ip)) => std::net::SocketAddr::new(ip, port).to_string(),
        (None, None) => return Err(Error::config("both host and hostaddr are missing")),
    };
    // Every wait of the attempt (TCP, TLS, the startup, authentication) within one timeout,
    // and a timeout said in words.
    let timed_out = |error: Error| match timeout {
        Some(timeout) if error.is_socket_timeout() || error.is_deadline_passed() => Error::timeout(
            format!(
                "timed out connecting to {place} after {}",
                duration(timeout)
            ),
            true,
        ),
        _ => error,
    };
    let left = || deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
    let (stream, target) = match host {
        #[cfg(unix)]
        Some(Host::Unix(directory)) => (
            Stream::unix(directory, port)?,
            Target::Unix(directory.join(format!(".s.PGSQL.{port}"))),
        ),
        _ => {
            let name = match host {
                Some(Host::Tcp(name)) => name.clone(),
                _ => address.map(|ip| ip.to_string()).unwrap_or_default(),
            };
            let tcp = Stream::tcp(&name, address, port, deadline).map_err(timed_out)?;
            let target = Target::Tcp(tcp.peer_addr().map_err(Error::io)?);
            set_keepalives(&tcp, config).map_err(Error::io)?;
            tcp.set_read_timeout(left().map(|left| left.max(Duration::from_millis(1))))
                .map_err(Error::io)?;
            let stream =
                Stream::negotiate_tls(tcp, config.get_ssl_mode(), tls, &name).map_err(timed_out)?;
            (stream, target)
        }
    };
    let mut client = Client::new(Wire::new(stream));
    client.wire.set_deadline(deadline)?;
    start(&mut client, config).map_err(timed_out)?;
    client.cancel_target = Some(target);
    if matches!(
        config.get_target_session_attrs(),
        TargetSessionAttrs::ReadWrite
    ) {
        let read_only: String = client
            .query_one("SHOW transaction_read_only", &[])
            .map_err(timed_out)?
            .try_get(0)?;
        if read_only == "on" {
            return Err(Error::config("the server is read-only"));
        }
    }
    client.wire.set_deadline(None)?;
    Ok(client)
}

/// The startup message, authentication, and the server's reports up to ReadyForQuery.
fn start(client: &mut Client, config: &Config) -> Result<(), Error> {
    let user = match config.get_user() {
        Some(user) => user.to_owned(),
        None => std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .map_err(|_| Error::config("user missing"))?,
    };
    let mut parameters = vec![("client_encoding", "UTF8"), ("user", user.as_str())];
    if let Some(database) = config.get_dbname() {
        parameters.push(("database", database));
    }
    if let Some(name) = config.get_application_name() {
        parameters.push(("application_name", name));
    }
    if let Some(options) = config.get_options() {
        parameters.push(("options", options));
    }
    frontend::startup_message(parameters, &mut client.wire.out).map_err(Error::io)?;
    client.wire.send()?;
    authenticate(client, config, &user)?;
    loop {
        match client.next_message()? {
            Message::BackendKeyData(body) => {
                client.process_id = body.process_id();
                client.secret_key = body.secret_key();
            }
            Message::ReadyForQuery(body) => {
                client.ready(body.status());
                return Ok(());
            }
            Message::ErrorResponse(body) => return Err(db_error(&body)?),
            other => return Err(client.unexpected(&other)),
        }
    }
}

fn authenticate(client: &mut Client, config: &Config, user: &str) -> Result<(), Error> {
    let password = || {
        config
            .get_password()
            .ok_or_else(|| Error::config("the server asks for a password and none is set"))
    };
    match client.next_message()? {
        Message::AuthenticationOk => return Ok(()),
        Message::AuthenticationCleartextPassword => {
            frontend::password_message(password()?, &mut client.wire.out).map_err(Error::io)?;
            client.wire.send()?;
        }
        Message::AuthenticationMd5Password(body) => {
            let hash = md5_hash(user.as_bytes(), password()?, body.salt());
            frontend::password_message(hash.as_bytes(), &mut client.wire.out).map_err(Error::io)?;
            client.wire.send()?;
        }
        Message::AuthenticationSasl(body) => {
            use fallible_iterator::FallibleIterator;
            let mut offered = false;
            let mut mechanisms = body.mechanisms();
            while let Some(mechanism) = mechanisms.next().map_err(Error::io)? {
                offered |= mechanism == sasl::SCRAM_SHA_256;
            }
            if !offered {
                return Err(Error::authentication(
                    "the server offers no SASL mechanism this client supports (SCRAM-SHA-256)",
                ));
            }
            scram(client, password()?)?;
        }
        Message::ErrorResponse(body) => return Err(db_error(&body)?),
        _ => {
            return Err(Error::authentication(
                "the server asks for an authentication method this client does not support \
                 (it supports trust, password, md5 and scram-sha-256)",
            ));
        }
    }
    match client.next_message()? {
        Message::AuthenticationOk => Ok(()),
        Message::ErrorResponse(body) => Err(db_error(&body)?),
        other => Err(client.unexpected(&other)),
    }
}

/// SCRAM-SHA-256 without channel binding: the client's first message, the server's challenge,
/// the proof, the server's signature checked.
fn scram(client: &mut Client, password: &[u8]) -> Result<(), Error> {
    let mut scram = ScramSha256::new(password, sasl::ChannelBinding::unsupported());
    frontend::sasl_initial_response(sasl::SCRAM_SHA_256, scram.message(), &mut client.wire.out)
        .map_err(Error::io)?;
    client.wire.send()?;
    match client.next_message()? {
        Message::AuthenticationSaslContinue(body) => scram
            .update(body.data())
            .map_err(|error| Error::authentication(error.to_string()))?,
        Message::ErrorResponse(body) => return Err(db_error(&body)?),
        other => return Err(client.unexpected(&other)),
    }
    frontend::sasl_response(scram.message(), &mut client.wire.out).map_err(Error::io)?;
    client.wire.send()?;
    match client.next_message()? {
        Message::AuthenticationSaslFinal(body) => scram
            .finish(body.data())
            .map_err(|error| Error::authentication(error.to_string())),
        Message::ErrorResponse(body) => Err(db_error(&body)?),
        other => Err(client.unexpected(&other)),
    }
}

fn db_error(body: &postgres_protocol::message::backend::ErrorResponseBody) -> Result<Error, Error> {
    Ok(Error::server(
        ServerError::from_fields(body.fields()).map_err(Error::io)?,
    ))
}
