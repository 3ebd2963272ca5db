//! `instant db:prepare` (re-create an empty `_instant_migrations`) and `instant db:forget`
//! (drop it). The tables stay; only the record of which migrations ran changes.

use instant_runtime::migrate;

use super::{connect_only, one_line};
use crate::DatabaseArgs;
use crate::terminal::outln;

pub fn prepare(args: &DatabaseArgs) -> Result<(), String> {
    let (mut client, source) = connect_only(args)?;
    migrate::prepare(&mut client).map_err(one_line)?;
    outln!("Table \"_instant_migrations\" prepared for new migrations ({source})");
    Ok(())
}

pub fn forget(args: &DatabaseArgs) -> Result<(), String> {
    let (mut client, source) = connect_only(args)?;
    migrate::forget(&mut client).map_err(one_line)?;
    outln!("Table \"_instant_migrations\" dropped ({source})");
    Ok(())
}
