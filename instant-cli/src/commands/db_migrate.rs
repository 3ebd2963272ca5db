//! `instant db:migrate [--steps N]`: applies the pending migrations of `_instant/migrations`
//! (all, or the first N), each in its own transaction, then writes `_instant/cache/schema.json`.
//! Several concurrent runs apply each migration once: the others wait for the migration lock
//! and find nothing left to do.
//!
//! The database is `DATABASE_URL` when set, else `_instant/db.json` for the environment
//! (`--env`, else `INSTANT_ENV`, else `NODE_ENV`, else `development`).

use instant_runtime::migrate;

use super::progress::Progress;
use super::{one_line, open};
use crate::DatabaseArgs;
use crate::terminal::outln;

pub fn run(args: &DatabaseArgs, steps: Option<u32>) -> Result<(), String> {
    let (project, mut client, source) = open(args)?;
    let pending = migrate::state(&mut client, &project)
        .map(|state| state.pending.len())
        .unwrap_or(0);
    let total = steps.map_or(pending, |steps| pending.min(steps as usize));
    let progress = Progress::new(total, "migration");
    let migrated = migrate::migrate_steps(&mut client, &project, steps, |migration| {
        progress.step(&format!("applied {}", migration.filename()));
    })
    .map_err(one_line);
    progress.finish();
    let migrated = migrated?;

    let now_at = project
        .migrations
        .iter()
        .map(|(_, m)| m)
        .filter(|m| Some(m.id) == migrated.schema.migration_id)
        .map(|m| m.filename())
        .next();
    match (migrated.applied.len(), now_at) {
        (_, None) if project.migrations.is_empty() => {
            outln!("No migrations in {}", project.migrations_dir().display())
        }
        (0, Some(latest)) => outln!("Already up to date at {latest} ({source})"),
        (count, latest) => outln!(
            "Applied {count} migration{} ({source}); now at {}",
            if count == 1 { "" } else { "s" },
            latest.unwrap_or_else(|| "nothing".to_string())
        ),
    }
    Ok(())
}
