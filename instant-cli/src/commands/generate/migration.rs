//! `instant g:migration [NAME]`: an empty migration (`up` and `down` empty) with the next id,
//! to fill in by hand. instant.dev asks for its commands one by one instead.

use clap::Args;
use instant_schema::MigrationBuilder;
use instant_schema::inflection::underscore;
use instant_schema::migration_json::validate_name;

use super::{Target, suggest_migrate};
use crate::ProjectDir;
use crate::terminal::outln;

/// `g:migration`'s arguments.
#[derive(Debug, Args)]
pub struct MigrationArgs {
    #[command(flatten)]
    pub project: ProjectDir,
    /// The migration's name, in snake_case in the file name (`AddIndexes` → `add_indexes`);
    /// without one the file is named by its id alone.
    pub name: Option<String>,
}

pub fn run(args: &MigrationArgs) -> Result<(), String> {
    let target = Target::open(&args.project.dir)?;
    let name = args.name.as_deref().map(underscore).unwrap_or_default();
    validate_name(&name)?;
    let migration = MigrationBuilder::new(target.schema.clone())
        .with_id(target.next_id())
        .with_name(name)
        .build()
        .map_err(|error| error.to_string())?;
    target.write_migration(&migration)?;
    outln!("Add its commands to \"up\" (\"down\" undoes them, last first).");
    suggest_migrate();
    Ok(())
}
