//! Replaying migrations: each `up` command applied in order to a schema.

use crate::error::{Error, Result};
use crate::json_path::JsonPath;
use crate::migration::Migration;
use crate::schema::Schema;

/// The schema that applying `migrations` in order to the empty schema gives.
pub fn replay(migrations: &[Migration]) -> Result<Schema> {
    let _ = migrations;
    Err(Error::invalid(&JsonPath::root(), "replay: in progress"))
}
