//! Cancelling a running statement: the CancelRequest a connection's key allows, sent as libpq
//! sends it, over a fresh socket to the same server (TCP or Unix, never TLS), then waiting
//! for the server to close that socket, which says the request was handed to the backend.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use postgres_protocol::message::frontend;

use crate::error::Error;

/// Where the server that runs a connection listens.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Tcp(SocketAddr),
    #[cfg_attr(not(unix), allow(dead_code))]
    Unix(PathBuf),
}

/// What cancels the statement a [`Client`](crate::Client) is running, from any thread: the
/// server's address and the connection's key. Get one with
/// [`Client::cancel_token`](crate::Client::cancel_token).
///
/// A cancel that arrives when the connection is idle does nothing; one that arrives while the
/// connection already runs its next statement cancels that one (as in libpq): cancel only
/// what you are waiting for.
#[derive(Debug, Clone)]
pub struct CancelToken {
    pub(crate) target: Option<Target>,
    pub(crate) process_id: i32,
    pub(crate) secret_key: i32,
}

impl CancelToken {
    /// Asks the server to cancel the connection's running statement, waiting at most 10 s
    /// for it to take the request. The statement then fails with SQLSTATE 57014
    /// (`query_canceled`), unless it finished first.
    pub fn cancel(&self) -> Result<(), Error> {
        self.cancel_within(Duration::from_secs(10))
    }

    /// [`cancel`](CancelToken::cancel) within `timeout`.
    pub(crate) fn cancel_within(&self, timeout: Duration) -> Result<(), Error> {
        let deadline = Instant::now() + timeout;
        let Some(target) = &self.target else {
            return Err(Error::usage(
                "this connection has no cancel key (the server sent none)",
            ));
        };
        let mut request = BytesMut::with_capacity(16);
        frontend::cancel_request(self.process_id, self.secret_key, &mut request);
        match target {
            Target::Tcp(address) => {
                let mut socket = TcpStream::connect_timeout(address, timeout).map_err(Error::io)?;
                send(&mut socket, &request, deadline, |socket, wait| {
                    socket.set_read_timeout(Some(wait))?;
                    socket.set_write_timeout(Some(wait))
                })
            }
            #[cfg(unix)]
            Target::Unix(path) => {
                let mut socket = UnixStream::connect(path).map_err(Error::io)?;
                send(&mut socket, &request, deadline, |socket, wait| {
                    socket.set_read_timeout(Some(wait))?;
                    socket.set_write_timeout(Some(wait))
                })
            }
            #[cfg(not(unix))]
            Target::Unix(_) => Err(Error::usage("Unix sockets are not supported here")),
        }
    }
}

/// Writes `request` and reads until the server closes the socket (or `deadline`).
fn send<S: Read + Write>(
    socket: &mut S,
    request: &[u8],
    deadline: Instant,
    set_timeouts: impl Fn(&S, Duration) -> std::io::Result<()>,
) -> Result<(), Error> {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1));
    set_timeouts(socket, left).map_err(Error::io)?;
    socket.write_all(request).map_err(Error::io)?;
    let mut answer = [0_u8; 16];
    loop {
        match socket.read(&mut answer) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(Error::io(error)),
        }
    }
}
