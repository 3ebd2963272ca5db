//! Types the server defines beyond PostgreSQL's built-in ones (an extension's `vector`, an
//! enum, a domain, an array of them …), looked up in `pg_type` the first time a statement
//! names one.

use postgres_types::{Field, Kind, Oid, Type};

use crate::client::Client;
use crate::error::Error;

const TYPE: &str = "SELECT t.typname, t.typtype, t.typelem, r.rngsubtype, t.typbasetype, \
    n.nspname, t.typrelid \
    FROM pg_catalog.pg_type t \
    LEFT OUTER JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid \
    INNER JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid \
    WHERE t.oid = $1";

const ENUM_LABELS: &str =
    "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = $1 ORDER BY enumsortorder";

const FIELDS: &str = "SELECT attname, atttypid FROM pg_catalog.pg_attribute \
    WHERE attrelid = $1 AND NOT attisdropped AND attnum > 0 ORDER BY attnum";

/// The type with `oid`, from the catalog. The queries name only built-in types, so looking
/// one up never needs another look-up but for the type's own parts (elements, base type).
///
/// The queries are prepared as named statements: a look-up happens while a statement is being
/// prepared, possibly the unnamed one, which an unnamed statement here would replace.
pub(crate) fn look_up(client: &mut Client, oid: Oid) -> Result<Type, Error> {
    let statement = client.prepare(TYPE)?;
    let row = client.query_opt(&statement, &[&oid])?.ok_or_else(|| {
        Error::protocol(format!("the server named type {oid}, which pg_type lacks"))
    })?;
    let name: String = row.try_get(0)?;
    let kind_code: i8 = row.try_get(1)?;
    let element: Oid = row.try_get(2)?;
    let range_element: Option<Oid> = row.try_get(3)?;
    let base: Oid = row.try_get(4)?;
    let schema: String = row.try_get(5)?;
    let relation: Oid = row.try_get(6)?;
    let kind = if kind_code == b'e' as i8 {
        let statement = client.prepare(ENUM_LABELS)?;
        let labels = client
            .query(&statement, &[&oid])?
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<Vec<String>, Error>>()?;
        Kind::Enum(labels)
    } else if kind_code == b'p' as i8 {
        Kind::Pseudo
    } else if base != 0 {
        Kind::Domain(client.type_of(base)?)
    } else if element != 0 {
        Kind::Array(client.type_of(element)?)
    } else if let Some(element) = range_element {
        Kind::Range(client.type_of(element)?)
    } else if relation != 0 {
        let mut fields = Vec::new();
        let statement = client.prepare(FIELDS)?;
        for row in client.query(&statement, &[&relation])? {
            let name: String = row.try_get(0)?;
            let field_type: Oid = row.try_get(1)?;
            fields.push(Field::new(name, client.type_of(field_type)?));
        }
        Kind::Composite(fields)
    } else {
        Kind::Simple
    };
    Ok(Type::new(name, oid, kind, schema))
}
