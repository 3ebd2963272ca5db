//! The socket under a client: TCP, a Unix socket, or TLS over TCP, all blocking.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use postgres::config::SslMode;
use rustls::pki_types::ServerName;

use crate::error::Error;

pub(crate) enum Stream {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    /// A TCP connection to `host` (a name or an address) on `port`, trying each address the
    /// name resolves to, all of them before `deadline`.
    pub(crate) fn tcp(
        host: &str,
        address: Option<std::net::IpAddr>,
        port: u16,
        deadline: Option<Instant>,
    ) -> Result<TcpStream, Error> {
        let addresses: Vec<SocketAddr> = match address {
            Some(ip) => vec![SocketAddr::new(ip, port)],
            None => (host, port).to_socket_addrs().map_err(Error::io)?.collect(),
        };
        let mut last = None;
        for address in addresses {
            let connected = match deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        last = Some(io::Error::from(io::ErrorKind::TimedOut));
                        break;
                    }
                    TcpStream::connect_timeout(&address, left)
                }
                None => TcpStream::connect(address),
            };
            match connected {
                Ok(stream) => {
                    // Requests are written whole; Nagle would only delay them.
                    stream.set_nodelay(true).map_err(Error::io)?;
                    return Ok(stream);
                }
                Err(error) => last = Some(error),
            }
        }
        Err(Error::io(last.unwrap_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("`{host}` resolves to no address"),
            )
        })))
    }

    /// The server's socket in `directory` for `port` (`/run/postgresql/.s.PGSQL.5432`).
    #[cfg(unix)]
    pub(crate) fn unix(directory: &Path, port: u16) -> Result<Stream, Error> {
        let path = directory.join(format!(".s.PGSQL.{port}"));
        UnixStream::connect(&path)
            .map(Stream::Unix)
            .map_err(|error| {
                Error::io(io::Error::new(
                    error.kind(),
                    format!("{}: {error}", path.display()),
                ))
            })
    }

    #[cfg(not(unix))]
    pub(crate) fn unix(directory: &Path, _port: u16) -> Result<Stream, Error> {
        Err(Error::config(format!(
            "Unix sockets ({}) are not supported on this platform",
            directory.display()
        )))
    }

    /// Asks the server for TLS over `tcp` as `mode` says, and sets it up with `tls` (checking
    /// the certificate for `host` as the configuration's verifier decides).
    pub(crate) fn negotiate_tls(
        mut tcp: TcpStream,
        mode: SslMode,
        tls: Option<&Arc<rustls::ClientConfig>>,
        host: &str,
    ) -> Result<Stream, Error> {
        let tls = match (mode, tls) {
            (SslMode::Disable, _) | (_, None) => {
                if matches!(mode, SslMode::Require) {
                    return Err(Error::config("sslmode=require needs a TLS configuration"));
                }
                return Ok(Stream::Tcp(tcp));
            }
            (_, Some(tls)) => tls,
        };
        let mut request = BytesMut::new();
        postgres_protocol::message::frontend::ssl_request(&mut request);
        tcp.write_all(&request).map_err(Error::io)?;
        let mut answer = [0_u8; 1];
        tcp.read_exact(&mut answer).map_err(Error::io)?;
        if answer[0] != b'S' {
            if matches!(mode, SslMode::Require) {
                return Err(Error::config("the server does not support TLS"));
            }
            return Ok(Stream::Tcp(tcp));
        }
        let name = ServerName::try_from(host.to_owned()).map_err(|error| {
            Error::config(format!("`{host}` is not a TLS server name: {error}"))
        })?;
        let mut connection = rustls::ClientConnection::new(Arc::clone(tls), name)
            .map_err(|error| Error::io(io::Error::other(error)))?;
        // The handshake now, so that a rejected certificate fails the connect, not a query.
        while connection.is_handshaking() {
            connection.complete_io(&mut tcp).map_err(Error::io)?;
        }
        Ok(Stream::Tls(Box::new(rustls::StreamOwned::new(
            connection, tcp,
        ))))
    }
}

impl Stream {
    /// How long a read may wait (`None`: for ever).
    pub(crate) fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Tcp(stream) => stream.set_read_timeout(timeout),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.set_read_timeout(timeout),
            Stream::Tls(stream) => stream.sock.set_read_timeout(timeout),
        }
    }

    /// How long a write may wait (`None`: for ever).
    pub(crate) fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Tcp(stream) => stream.set_write_timeout(timeout),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.set_write_timeout(timeout),
            Stream::Tls(stream) => stream.sock.set_write_timeout(timeout),
        }
    }

    /// The TCP socket under the stream (none for a Unix socket).
    pub(crate) fn tcp_socket(&self) -> Option<&TcpStream> {
        match self {
            Stream::Tcp(stream) => Some(stream),
            #[cfg(unix)]
            Stream::Unix(_) => None,
            Stream::Tls(stream) => Some(&stream.sock),
        }
    }
}

/// TCP keepalives as the settings ask (libpq's `keepalives`, `keepalives_idle`,
/// `keepalives_interval`, `keepalives_retries`) and `tcp_user_timeout`: with them a server
/// that vanished (a dead host, a dropped route) is noticed while the client waits on it,
/// where the socket would otherwise wait for ever. std sets none of these, hence socket2.
pub(crate) fn set_keepalives(tcp: &TcpStream, config: &postgres::Config) -> io::Result<()> {
    let socket = socket2::SockRef::from(tcp);
    if config.get_keepalives() {
        let mut keepalive = socket2::TcpKeepalive::new().with_time(config.get_keepalives_idle());
        #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
        if let Some(interval) = config.get_keepalives_interval() {
            keepalive = keepalive.with_interval(interval);
        }
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        if let Some(retries) = config.get_keepalives_retries() {
            keepalive = keepalive.with_retries(retries);
        }
        socket.set_tcp_keepalive(&keepalive)?;
    } else {
        socket.set_keepalive(false)?;
    }
    #[cfg(target_os = "linux")]
    if let Some(timeout) = config.get_tcp_user_timeout() {
        socket.set_tcp_user_timeout(Some(*timeout))?;
    }
    Ok(())
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(stream) => stream.read(buf),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.read(buf),
            Stream::Tls(stream) => stream.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(stream) => stream.write(buf),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.write(buf),
            Stream::Tls(stream) => stream.write(buf),
        }
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Stream::Tcp(stream) => stream.write_all(buf),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.write_all(buf),
            Stream::Tls(stream) => {
                stream.write_all(buf)?;
                stream.flush()
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Tcp(stream) => stream.flush(),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.flush(),
            Stream::Tls(stream) => stream.flush(),
        }
    }
}
