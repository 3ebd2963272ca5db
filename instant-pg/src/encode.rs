//! Requests written whole or not at all: each writer checks what PostgreSQL would refuse or
//! choke on (a NUL byte in SQL text or in a text value, more than 65 535 parameters, a message
//! over 1 GiB) and, on failure, leaves the request buffer as it found it, so nothing half
//! written can go out with the next request and put the connection out of step.
//!
//! Bind is written here rather than by `postgres-protocol`, whose counts are `i16`: PostgreSQL
//! reads them as unsigned, so a statement may have up to 65 535 parameters.
//!
//! Each value goes through [`ToSql::to_sql_checked`], which refuses a Rust type the server's
//! type does not take with an error naming both. That check is only as good as the value's
//! `accepts`: sea-query-postgres's `PostgresValue` (every value the ORM binds) accepts every
//! type and hands the value to its inner type's unchecked `to_sql`, which panics on a mismatch
//! (a `Vec` bound to a `jsonb` parameter: "expected array type"). So encoding runs under
//! [`std::panic::catch_unwind`]: a panic in any `ToSql` becomes an error naming the
//! parameter and the server's type, the request buffer is put back as it was, and the
//! connection goes on. (The panic hook still prints the panic; with `panic = "abort"` the
//! process ends, as for any panic.)

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use bytes::{BufMut, BytesMut};
use postgres_protocol::message::frontend;
use postgres_types::{IsNull, ToSql, Type};

use crate::error::{Error, grouped};

/// The most parameters one statement may have (a 16-bit count on the wire).
pub(crate) const MAX_PARAMETERS: usize = u16::MAX as usize;

/// The largest message PostgreSQL reads from a client (its length field included): one byte
/// under 1 GiB; a longer one ends the session.
pub(crate) const MAX_REQUEST: usize = (1 << 30) - 2;

/// Parse for `sql` as the statement `name`.
pub(crate) fn parse(name: &str, sql: &str, out: &mut BytesMut) -> Result<(), Error> {
    check_sql(sql)?;
    let mark = out.len();
    frontend::parse(name, sql, std::iter::empty(), out).map_err(|error| {
        out.truncate(mark);
        sql_error(sql, error)
    })
}

/// A simple-protocol Query for `sql`.
pub(crate) fn query(sql: &str, out: &mut BytesMut) -> Result<(), Error> {
    check_sql(sql)?;
    let mark = out.len();
    frontend::query(sql, out).map_err(|error| {
        out.truncate(mark);
        sql_error(sql, error)
    })
}

fn check_sql(sql: &str) -> Result<(), Error> {
    if sql.len() > MAX_REQUEST - 64 {
        return Err(Error::encode(format!(
            "the SQL text is {} bytes: PostgreSQL's limit for one message is {} bytes (1 GiB)",
            grouped(sql.len() as u64),
            grouped(MAX_REQUEST as u64)
        )));
    }
    Ok(())
}

/// Why `sql` could not be written: a NUL byte (found here, only once writing failed, so the
/// SQL is not scanned twice when it is fine), or what the writer said.
#[cold]
fn sql_error(sql: &str, error: std::io::Error) -> Error {
    match sql.bytes().position(|byte| byte == 0) {
        Some(offset) => Error::encode(format!(
            "the SQL text contains a NUL byte at offset {offset}: PostgreSQL cannot receive one"
        )),
        None => Error::encode(format!("the SQL text cannot be sent: {error}")),
    }
}

/// Bind of `params` (typed as `types`) to the statement `name` in the unnamed portal, every
/// result column in binary.
pub(crate) fn bind(
    name: &str,
    params: &[&(dyn ToSql + Sync)],
    types: &[Type],
    out: &mut BytesMut,
) -> Result<(), Error> {
    let mark = out.len();
    // One guard for the whole Bind rather than one per value: `at` says whose `ToSql` it was.
    let mut at = 0;
    let written = catch_unwind(AssertUnwindSafe(|| {
        write_bind(name, params, types, out, &mut at)
    }))
    .unwrap_or_else(|payload| Err(panicked(payload, at, types)));
    if written.is_err() {
        out.truncate(mark);
    }
    written
}

#[cold]
fn panicked(payload: Box<dyn Any + Send>, at: usize, types: &[Type]) -> Error {
    let place = format!("${}", at + 1);
    match types.get(at) {
        Some(type_) => Refused::Panic(payload).describe(&place, type_),
        None => Error::encode(format!(
            "{place} cannot be sent: its ToSql implementation panicked"
        )),
    }
}

fn write_bind(
    name: &str,
    params: &[&(dyn ToSql + Sync)],
    types: &[Type],
    out: &mut BytesMut,
    at: &mut usize,
) -> Result<(), Error> {
    if params.len() > MAX_PARAMETERS {
        return Err(too_many_parameters(params.len()));
    }
    let start = out.len();
    out.put_u8(b'B');
    out.put_i32(0);
    out.put_u8(0); // the unnamed portal
    out.put_slice(name.as_bytes()); // `i<n>` or empty: no NUL
    out.put_u8(0);
    out.put_u16(params.len() as u16);
    for (param, type_) in params.iter().zip(types) {
        out.put_i16(param.encode_format(type_) as i16);
    }
    out.put_u16(params.len() as u16);
    for (index, (param, type_)) in params.iter().zip(types).enumerate() {
        *at = index;
        let start_of_value = out.len();
        out.put_i32(0);
        let length = match param.to_sql_checked(type_, out) {
            Ok(IsNull::Yes) => -1,
            Ok(IsNull::No) => {
                let value = &out[start_of_value + 4..];
                // `contains` is memchr: a word at a time.
                if holds_text(type_) && value.contains(&0) {
                    return Err(nul_in_value(value, index, type_));
                }
                i32::try_from(value.len()).map_err(|_| too_large(out.len() - start - 1))?
            }
            Err(refused) => return Err(Refused::Error(refused).into_error(index, type_)),
        };
        out[start_of_value..start_of_value + 4].copy_from_slice(&length.to_be_bytes());
    }
    out.put_i16(1);
    out.put_i16(1); // every result column in binary
    let length = out.len() - start - 1;
    if length > MAX_REQUEST {
        return Err(too_large(length));
    }
    out[start + 1..start + 5].copy_from_slice(&(length as i32).to_be_bytes());
    Ok(())
}

/// Why a value could not be encoded: its `ToSql` refused it, or panicked.
pub(crate) enum Refused {
    Error(Box<dyn std::error::Error + Sync + Send>),
    Panic(Box<dyn Any + Send>),
}

impl Refused {
    /// The error for the value of parameter `index` (0-based) as `type_`.
    #[cold]
    pub(crate) fn into_error(self, index: usize, type_: &Type) -> Error {
        let place = format!("${}", index + 1);
        self.describe(&place, type_)
    }

    /// The error for the value at `place` (`$2`, `row 3, column 1`) as `type_`.
    #[cold]
    pub(crate) fn describe(self, place: &str, type_: &Type) -> Error {
        match self {
            Refused::Error(error) => Error::encode_value(place, type_.name(), error),
            Refused::Panic(payload) => {
                let said = payload
                    .downcast_ref::<&str>()
                    .map(|said| (*said).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "no message".to_owned());
                Error::encode_value(
                    place,
                    type_.name(),
                    format!(
                        "its ToSql implementation panicked ({said}); it does not check the \
                         type it is asked for, so the value's Rust type is probably not one \
                         {} takes",
                        type_.name()
                    )
                    .into(),
                )
            }
        }
    }
}

/// `value` appended to `out` as `type_` through [`ToSql::to_sql_checked`], a panic caught.
/// On failure `out` may hold part of the value: the caller truncates.
#[inline]
pub(crate) fn encode_value(
    value: &(dyn ToSql + Sync),
    type_: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, Refused> {
    match catch_unwind(AssertUnwindSafe(|| value.to_sql_checked(type_, out))) {
        Ok(Ok(is_null)) => Ok(is_null),
        Ok(Err(error)) => Err(Refused::Error(error)),
        Err(payload) => Err(Refused::Panic(payload)),
    }
}

#[cold]
fn nul_in_value(value: &[u8], index: usize, type_: &Type) -> Error {
    let offset = value.iter().position(|byte| *byte == 0).unwrap_or_default();
    Error::encode(format!(
        "the value of ${} ({}) contains a NUL byte at offset {offset}: PostgreSQL's text \
         cannot hold one",
        index + 1,
        type_.name()
    ))
}

/// Types whose binary form is their text: a NUL in it is refused by the server.
fn holds_text(type_: &Type) -> bool {
    matches!(
        type_.oid(),
        // text, varchar, bpchar, name
        25 | 1043 | 1042 | 19
    )
}

pub(crate) fn too_many_parameters(count: usize) -> Error {
    Error::encode(format!(
        "the statement has {} parameters: PostgreSQL's limit is {}",
        grouped(count as u64),
        grouped(MAX_PARAMETERS as u64)
    ))
}

/// A message of `length` bytes, over [`MAX_REQUEST`].
pub(crate) fn too_large(length: usize) -> Error {
    Error::encode(format!(
        "the request is {} bytes: PostgreSQL's limit for one message is {} bytes (1 GiB)",
        grouped(length as u64),
        grouped(MAX_REQUEST as u64)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_in_sql_writes_nothing_and_names_its_offset() {
        let mut out = BytesMut::new();
        out.put_slice(b"kept");
        let error = parse("i1", "SELECT 'a\0b'", &mut out).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the SQL text contains a NUL byte at offset 9: PostgreSQL cannot receive one"
        );
        assert_eq!(&out[..], b"kept");
        let error = query("SELECT 1;\0", &mut out).unwrap_err();
        assert!(error.to_string().contains("offset 9"), "{error}");
        assert_eq!(&out[..], b"kept");
    }

    #[test]
    fn a_nul_in_a_text_value_writes_nothing() {
        let mut out = BytesMut::new();
        let error = bind("", &[&1_i32, &"a\0"], &[Type::INT4, Type::TEXT], &mut out).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the value of $2 (text) contains a NUL byte at offset 1: PostgreSQL's text cannot \
             hold one"
        );
        assert!(out.is_empty());
        // bytea holds any byte.
        bind("", &[&&b"a\0"[..]], &[Type::BYTEA], &mut out).unwrap();
        assert!(!out.is_empty());
    }

    /// A value whose `ToSql` writes part of itself and panics.
    #[derive(Debug)]
    struct HalfWritten;

    impl ToSql for HalfWritten {
        fn to_sql(
            &self,
            _: &Type,
            out: &mut BytesMut,
        ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
            out.put_slice(b"half");
            panic!("gave up")
        }

        fn accepts(_: &Type) -> bool {
            true
        }

        postgres_types::to_sql_checked!();
    }

    #[test]
    fn a_panicking_value_writes_nothing_and_is_named() {
        let mut out = BytesMut::new();
        out.put_slice(b"kept");
        let error = bind(
            "",
            &[&1_i32, &HalfWritten],
            &[Type::INT4, Type::JSONB],
            &mut out,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "$2 cannot be sent as jsonb: its ToSql implementation panicked (gave up); it does \
             not check the type it is asked for, so the value's Rust type is probably not one \
             jsonb takes"
        );
        assert_eq!(&out[..], b"kept");
    }

    #[test]
    fn more_parameters_than_postgresql_takes_are_refused() {
        let mut out = BytesMut::new();
        let one: &(dyn ToSql + Sync) = &1_i32;
        let params = vec![one; MAX_PARAMETERS + 1];
        let types = vec![Type::INT4; MAX_PARAMETERS + 1];
        let error = bind("", &params, &types, &mut out).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the statement has 65 536 parameters: PostgreSQL's limit is 65 535"
        );
        assert!(out.is_empty());
        // 40 000 fit (beyond an i16 count).
        bind("", &params[..40_000], &types[..40_000], &mut out).unwrap();
        assert_eq!(u16::from_be_bytes([out[7], out[8]]), 40_000);
    }
}
