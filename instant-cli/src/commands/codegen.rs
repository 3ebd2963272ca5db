//! `instant codegen`: prints the Rust code `build.rs` would generate for the project, to read
//! or to commit instead of generating at build time.

use instant_codegen::{Options, generate_project};
use instant_schema::Project;

use crate::ProjectDir;
use crate::terminal::write_stdout;

pub fn run(args: &ProjectDir) -> Result<(), String> {
    let project = Project::load(&args.dir).map_err(|error| error.to_string())?;
    let code =
        generate_project(&project, &Options::default()).map_err(|error| error.to_string())?;
    write_stdout(&code);
    Ok(())
}
