//! Framing: whole messages read from the socket into one buffer that is reused, requests
//! written whole.
//!
//! The hot messages (data rows, completions, ready-for-query) are read in place by the client;
//! the rest go through `postgres-protocol`'s parser.
//!
//! What the server says a message's length is decides nothing about memory: the buffer grows
//! as the message's bytes actually arrive, and a length over the client's limit is refused
//! (the connection is then out of step and closed). A deadline, when the client has one, is
//! checked only when a read would block.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use postgres_protocol::message::backend::Message;

use crate::error::{Error, grouped};
use crate::stream::Stream;

/// How much is read at once, and the buffer's starting size: a 10 000-row result arrives in
/// a few dozen reads.
const READ_SIZE: usize = 64 * 1024;

/// Up to this size a message's buffer is made whole as soon as its header is read; beyond it
/// the buffer doubles as the bytes arrive, so a header alone never costs more than this.
const EAGER_GROWTH: usize = 16 * 1024 * 1024;

/// The largest message accepted from the server unless the client says otherwise: 1 GiB, what
/// a PostgreSQL server can send (its buffers stop at 1 GiB).
pub(crate) const DEFAULT_MAX_MESSAGE_SIZE: usize = 1 << 30;

/// A request buffer that grew past this (a large COPY or value) is given back after it is
/// sent, so one large request does not pin its memory for the life of the connection.
const KEPT_OUT_CAPACITY: usize = 4 * 1024 * 1024;

pub(crate) struct Wire {
    stream: Stream,
    /// Bytes read from the socket: `buf[start..end]` is not consumed yet. Its length is its
    /// capacity, zeroed when it grows.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// The request being written; sent whole by [`Wire::send`].
    pub(crate) out: BytesMut,
    /// The largest message length (its header's value) accepted from the server.
    pub(crate) max_message: usize,
    /// When reads must have returned: set for a call with a deadline, and while connecting.
    deadline: Option<Instant>,
    /// How long one read may block when there is no deadline (`None`: for ever); set on the
    /// socket once, and again only after a deadline changed it.
    read_timeout: Option<Duration>,
}

impl Wire {
    pub(crate) fn new(stream: Stream) -> Wire {
        Wire {
            stream,
            buf: vec![0; READ_SIZE],
            start: 0,
            end: 0,
            out: BytesMut::with_capacity(1024),
            max_message: DEFAULT_MAX_MESSAGE_SIZE,
            deadline: None,
            read_timeout: None,
        }
    }

    /// Writes the request in `out` to the socket.
    #[inline]
    pub(crate) fn send(&mut self) -> Result<(), Error> {
        let sent = self.stream.write_all(&self.out);
        if self.out.len() > KEPT_OUT_CAPACITY {
            self.give_back_out();
        }
        self.out.clear();
        sent.map_err(Error::io)
    }

    /// A fresh request buffer in place of one a large request grew.
    #[cold]
    fn give_back_out(&mut self) {
        self.out = BytesMut::with_capacity(1024);
    }

    /// Drops what was written to `out` from `mark` on (a request that could not be encoded
    /// whole), giving back memory it took.
    pub(crate) fn unwrite(&mut self, mark: usize) {
        self.out.truncate(mark);
        self.trim_out();
    }

    /// Gives back the memory of a request buffer that a large request, sent or refused, grew.
    #[cold]
    pub(crate) fn trim_out(&mut self) {
        if self.out.capacity() > KEPT_OUT_CAPACITY {
            let kept = BytesMut::from(&self.out[..]);
            self.out = kept;
        }
    }

    /// The next message's tag and body length, once the whole message is in the buffer; its
    /// body is [`Wire::body`] until [`Wire::consume`].
    pub(crate) fn frame(&mut self) -> Result<(u8, usize), Error> {
        loop {
            let available = self.end - self.start;
            if available >= 5 {
                let header = &self.buf[self.start..self.start + 5];
                let length = u32::from_be_bytes([header[1], header[2], header[3], header[4]]);
                let length = length as usize;
                if length < 4 {
                    return Err(Error::protocol(format!(
                        "message length {length} is below 4"
                    )));
                }
                if available > length {
                    return Ok((header[0], length - 4));
                }
                // Checked only for a message still to come: what is buffered is already paid.
                if length > self.max_message {
                    return Err(self.too_long(length));
                }
                self.fill(1 + length)?;
            } else {
                self.fill(5)?;
            }
        }
    }

    #[cold]
    fn too_long(&self, length: usize) -> Error {
        Error::limit(format!(
            "the server announced a message of {} bytes, over the limit of {} \
             (max_message_size)",
            grouped(length as u64),
            grouped(self.max_message as u64)
        ))
    }

    /// Whether a whole message is buffered: reading it would not wait on the socket.
    pub(crate) fn has_message(&self) -> bool {
        let available = self.end - self.start;
        available >= 5 && {
            let header = &self.buf[self.start + 1..self.start + 5];
            available > u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize
        }
    }

    /// The body of the message [`Wire::frame`] returned.
    pub(crate) fn body(&self, length: usize) -> &[u8] {
        &self.buf[self.start + 5..self.start + 5 + length]
    }

    /// Moves past the message [`Wire::frame`] returned.
    pub(crate) fn consume(&mut self, length: usize) {
        self.start += 5 + length;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// The next message, parsed by `postgres-protocol` (for the messages the client does not
    /// read in place).
    pub(crate) fn message(&mut self) -> Result<Message, Error> {
        let (_, length) = self.frame()?;
        let mut bytes = BytesMut::from(&self.buf[self.start..self.start + 5 + length]);
        self.consume(length);
        match Message::parse(&mut bytes) {
            Ok(Some(message)) => Ok(message),
            Ok(None) => Err(Error::protocol("a message cut short")),
            Err(error) => Err(Error::protocol(error.to_string())),
        }
    }

    /// Reads until `buf[start..]` holds at least `needed` bytes. Past [`EAGER_GROWTH`] the
    /// buffer grows at most to twice its size at each step, and only when full, so a length
    /// the server announced is allocated as its bytes come.
    fn fill(&mut self, needed: usize) -> Result<(), Error> {
        while self.end - self.start < needed {
            if self.buf.len() - self.start < needed.max(READ_SIZE / 4) {
                // Move what is left to the front, and grow if a message is larger than that.
                if self.start > 0 {
                    self.buf.copy_within(self.start..self.end, 0);
                    self.end -= self.start;
                    self.start = 0;
                }
                if self.buf.len() < needed {
                    if needed <= EAGER_GROWTH {
                        let size = needed.max(self.buf.len() * 2);
                        self.buf.resize(size, 0);
                    } else if self.buf.len() - self.end < READ_SIZE / 4 {
                        let size = needed.min(self.buf.len() * 2);
                        self.buf.resize(size, 0);
                    }
                }
            }
            let read = self.read_some()?;
            if read == 0 {
                return Err(Error::hung_up());
            }
            self.end += read;
        }
        Ok(())
    }

    /// One read into the free end of the buffer, within the deadline when there is one.
    #[inline]
    fn read_some(&mut self) -> Result<usize, Error> {
        loop {
            if let Some(deadline) = self.deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::deadline_passed());
                }
                let wait = match self.read_timeout {
                    Some(timeout) => left.min(timeout),
                    None => left,
                };
                self.stream
                    .set_read_timeout(Some(wait))
                    .map_err(Error::io)?;
            }
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(read) => return Ok(read),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    if self
                        .deadline
                        .is_some_and(|deadline| Instant::now() >= deadline)
                    {
                        return Err(Error::deadline_passed());
                    }
                    return Err(Error::io(error));
                }
                Err(error) => return Err(Error::io(error)),
            }
        }
    }

    /// Sets the deadline reads must meet (`None`: none), putting the socket's own read
    /// timeout back when a deadline is lifted.
    pub(crate) fn set_deadline(&mut self, deadline: Option<Instant>) -> Result<(), Error> {
        let had = self.deadline.is_some();
        self.deadline = deadline;
        if had && deadline.is_none() {
            self.stream
                .set_read_timeout(self.read_timeout)
                .map_err(Error::io)?;
        }
        Ok(())
    }

    /// How long one read may block (`None`: for ever), outside deadlines.
    pub(crate) fn set_read_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        // A socket refuses a zero timeout: wait a microsecond instead.
        let timeout = timeout.map(|timeout| timeout.max(Duration::from_micros(1)));
        self.read_timeout = timeout;
        self.stream.set_read_timeout(timeout).map_err(Error::io)
    }

    pub(crate) fn read_timeout(&self) -> Option<Duration> {
        self.read_timeout
    }

    /// How long one write may block (`None`: for ever).
    pub(crate) fn set_write_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        let timeout = timeout.map(|timeout| timeout.max(Duration::from_micros(1)));
        self.stream.set_write_timeout(timeout).map_err(Error::io)
    }

    pub(crate) fn stream(&self) -> &Stream {
        &self.stream
    }
}
