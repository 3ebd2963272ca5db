//! `instant db:rollback [--steps N | --to ID]` and `instant db:rollbackSync`: undo the
//! database's last migrations with the `down` commands it stored, each step in its own
//! transaction, then write `_instant/cache/schema.json`. The files stay.

use instant_runtime::migrate;

use super::{one_line, open};
use crate::DatabaseArgs;
use crate::terminal::outln;

pub fn run(args: &DatabaseArgs, steps: Option<u32>, to: Option<i64>) -> Result<(), String> {
    let (project, mut client, _) = open(args)?;
    match to {
        Some(id) => {
            let done = migrate::rollback_to(&mut client, &project, id).map_err(one_line)?;
            if done {
                outln!("Rolled back to migration (id={id})");
            } else {
                outln!("Already at migration (id={id}); nothing to roll back");
            }
        }
        None => {
            let done =
                migrate::rollback(&mut client, &project, steps.unwrap_or(1)).map_err(one_line)?;
            for migration in &done.migrations {
                outln!("rolled back {}", migration.filename());
            }
            let count = done.migrations.len();
            outln!(
                "Rolled back {count} migration{}; now at {}",
                if count == 1 { "" } else { "s" },
                done.schema
                    .migration_id
                    .map_or("nothing".to_string(), |id| format!("(id={id})"))
            );
        }
    }
    Ok(())
}

pub fn run_sync(args: &DatabaseArgs) -> Result<(), String> {
    let (project, mut client, _) = open(args)?;
    if migrate::rollback_sync(&mut client, &project).map_err(one_line)? {
        outln!("Rolled back the database to the last migration it shares with the folder");
    } else {
        outln!("Already synced; nothing to roll back");
    }
    Ok(())
}
