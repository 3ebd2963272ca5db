//! `instant fs:fastForward`, `fs:rewind [--steps N]`, `fs:rewindSync`: bring the folder to the
//! database (write the migrations only it has, or delete files from the end). The database is
//! only read.

use instant_runtime::migrate::filesystem;

use super::{connect_only, load, one_line};
use crate::DatabaseArgs;
use crate::terminal::outln;

pub fn fast_forward(args: &DatabaseArgs) -> Result<(), String> {
    let project = load(args)?;
    let (mut client, _) = connect_only(args)?;
    let written = filesystem::fast_forward(&mut client, &project).map_err(one_line)?;
    for migration in &written {
        outln!("wrote {}", migration.filename());
    }
    if written.is_empty() {
        outln!("Already synced; nothing to write");
    } else {
        outln!(
            "Fast-forward complete: wrote {} migration(s)",
            written.len()
        );
    }
    Ok(())
}

pub fn rewind(args: &DatabaseArgs, steps: Option<u32>) -> Result<(), String> {
    let project = load(args)?;
    let before: Vec<String> = project
        .migrations
        .iter()
        .map(|(_, m)| m.filename())
        .collect();
    if filesystem::rewind(&project, steps.unwrap_or(1)).map_err(one_line)? {
        report_removed(args, &before)?;
    } else {
        outln!("No migrations to rewind");
    }
    Ok(())
}

pub fn rewind_sync(args: &DatabaseArgs) -> Result<(), String> {
    let project = load(args)?;
    let before: Vec<String> = project
        .migrations
        .iter()
        .map(|(_, m)| m.filename())
        .collect();
    let (mut client, _) = connect_only(args)?;
    if filesystem::rewind_sync(&mut client, &project).map_err(one_line)? {
        report_removed(args, &before)?;
    } else {
        outln!("Already synced; nothing to rewind");
    }
    Ok(())
}

fn report_removed(args: &DatabaseArgs, before: &[String]) -> Result<(), String> {
    let after = load(args)?;
    let kept: Vec<String> = after.migrations.iter().map(|(_, m)| m.filename()).collect();
    for name in before.iter().filter(|name| !kept.contains(name)) {
        outln!("removed {name}");
    }
    Ok(())
}
