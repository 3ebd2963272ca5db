//! Framing: whole messages read from the socket into one buffer that is reused, requests
//! written whole.
//!
//! The hot messages (data rows, completions, ready-for-query) are read in place by the client;
//! the rest go through `postgres-protocol`'s parser.

use std::io::{Read, Write};

use bytes::BytesMut;
use postgres_protocol::message::backend::Message;

use crate::error::Error;
use crate::stream::Stream;

/// How much is read at once, and the buffer's starting size: a 10 000-row result arrives in
/// a few dozen reads.
const READ_SIZE: usize = 64 * 1024;

pub(crate) struct Wire {
    stream: Stream,
    /// Bytes read from the socket: `buf[start..end]` is not consumed yet. Its length is its
    /// capacity, zeroed once when it grows.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// The request being written; sent whole by [`Wire::send`].
    pub(crate) out: BytesMut,
}

impl Wire {
    pub(crate) fn new(stream: Stream) -> Wire {
        Wire {
            stream,
            buf: vec![0; READ_SIZE],
            start: 0,
            end: 0,
            out: BytesMut::with_capacity(1024),
        }
    }

    /// Writes the request in `out` to the socket.
    pub(crate) fn send(&mut self) -> Result<(), Error> {
        let sent = self.stream.write_all(&self.out);
        self.out.clear();
        sent.map_err(Error::io)
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
                self.fill(1 + length)?;
            } else {
                self.fill(5)?;
            }
        }
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

    /// Reads until `buf[start..]` holds at least `needed` bytes.
    fn fill(&mut self, needed: usize) -> Result<(), Error> {
        while self.end - self.start < needed {
            if self.buf.len() - self.start < needed.max(READ_SIZE / 4) {
                // Move what is left to the front, and grow if a message is larger than that.
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
                if self.buf.len() < needed {
                    let size = needed.max(self.buf.len() * 2);
                    self.buf.resize(size, 0);
                }
            }
            let read = loop {
                match self.stream.read(&mut self.buf[self.end..]) {
                    Ok(read) => break read,
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(error) => return Err(Error::io(error)),
                }
            };
            if read == 0 {
                return Err(Error::closed());
            }
            self.end += read;
        }
        Ok(())
    }

    pub(crate) fn set_read_timeout(
        &self,
        timeout: Option<std::time::Duration>,
    ) -> Result<(), Error> {
        self.stream.set_read_timeout(timeout).map_err(Error::io)
    }
}
