//! `instant schema`: prints the schema that replaying `_instant/migrations` gives, as
//! `_instant/cache/schema.json` would hold it (two-space JSON).

use instant_schema::Project;

use crate::ProjectDir;
use crate::terminal::{escape_json_controls, write_stdout};

/// Loads the project in `args.dir`, replays its migrations and prints the schema JSON.
pub fn run(args: &ProjectDir) -> Result<(), String> {
    let project = Project::load(&args.dir).map_err(|error| error.to_string())?;
    let schema = project.schema().map_err(|error| error.to_string())?;
    write_stdout(&format!(
        "{}\n",
        escape_json_controls(&schema.to_pretty_json())
    ));
    Ok(())
}
