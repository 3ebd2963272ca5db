//! `instant db:migrate [--env ENV] [--dir DIR]`: applies every pending migration of
//! `_instant/migrations`, each in its own transaction, then writes `_instant/cache/schema.json`.
//!
//! The database is `DATABASE_URL` when set, else `_instant/db.json` for the environment
//! (`--env`, else `INSTANT_ENV`, else `NODE_ENV`, else `development`).

use instant_runtime::{connect, migrate};
use instant_schema::Project;

use crate::DatabaseArgs;

pub fn run(args: &DatabaseArgs) -> Result<(), String> {
    let project = Project::load(&args.project.dir).map_err(|error| error.to_string())?;
    // A folder that does not replay is reported before any connection is made.
    project.schema().map_err(|error| error.to_string())?;
    let (config, source) =
        connect::config(&args.project.dir, args.env.as_deref()).map_err(|e| e.to_string())?;
    let mut client = connect::connect_with(&config, &source).map_err(|e| e.to_string())?;
    let applied = migrate::migrate_reporting(&mut client, &project, |migration| {
        println!("applied {}", migration.filename());
    })
    .map_err(|error| error.to_string())?;

    let latest = project.migrations.last().map(|(_, m)| m.filename());
    match (applied.len(), latest) {
        (_, None) => println!("No migrations in {}", project.migrations_dir().display()),
        (0, Some(latest)) => println!("Already up to date at {latest} ({source})"),
        (count, Some(latest)) => println!(
            "Applied {count} migration{} ({source}); now at {latest}",
            if count == 1 { "" } else { "s" }
        ),
    }
    Ok(())
}
