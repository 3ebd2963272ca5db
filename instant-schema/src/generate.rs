//! The migrations the `instant` generators write (`init`, `g:model`, `g:migration`,
//! `g:relationship`, `kit`), as pure functions of the current schema.
//!
//! instant.dev's generators prompt for each answer and then call the `Migration` methods; here
//! each answer is an argument (`email:string:unique`), parsed and checked before anything is
//! built, so a bad answer fails with one message and nothing written. The migrations come out
//! of [`MigrationBuilder`](crate::MigrationBuilder), so their `down` lists, names and
//! normalization are the ones instant.dev gives.
//!
//! ```
//! use instant_schema::Schema;
//! use instant_schema::generate::{ColumnSpec, create_table_migration};
//!
//! let specs = vec![ColumnSpec::parse("email:string:not_null:unique:index")?];
//! let migration = create_table_migration(&Schema::empty(), "users", &specs, 20250101000000)?;
//! assert_eq!(migration.filename(), "20250101000000__create_users.json");
//! assert_eq!(migration.up.len(), 2); // createTable, createIndex
//! # Ok::<(), instant_schema::Error>(())
//! ```

mod column_spec;
mod initial;
mod relationship;
mod table;
mod template;

pub use column_spec::{ColumnSpec, FLAGS, VECTOR_DEFAULT_LENGTH};
pub use initial::{initial_migration, initial_migration_text};
pub use relationship::{Relationship, relationship_migration};
pub use table::{create_table_migration, model_table_name};
pub use template::migration_from_template;

use crate::builder::timestamp_id;
use crate::migration::Migration;

/// The id for a new migration after `existing`: the current UTC timestamp (instant.dev's
/// default), or one more than the last id when that is not earlier (two generators in the
/// same second, or a folder whose ids run ahead of the clock), so ids always increase.
///
/// ```
/// use instant_schema::generate::next_id;
/// assert_eq!(next_id(&[]).to_string().len(), 14);
/// ```
pub fn next_id(existing: &[Migration]) -> i64 {
    let last = existing.iter().map(|migration| migration.id).max();
    match last {
        Some(last) => timestamp_id().max(last.saturating_add(1)),
        None => timestamp_id(),
    }
}
