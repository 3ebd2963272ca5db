//! `instant db:state`: where the folder and the database stand (`synced`, `filesystem_ahead`,
//! `database_ahead`, `unsynced`, `mismatch`) and the text diff instant.dev prints, one
//! `<prefix><file>` line per migration: two spaces in both, `+ ` folder only, `- ` database
//! only, `? ` different. Colored on a terminal.

use instant_runtime::migrate::{self, Status};

use super::style::{self, BOLD, GREEN, RED, YELLOW};
use super::{one_line, open};
use crate::DatabaseArgs;
use crate::terminal::{escape_controls, write_stdout};

pub fn run(args: &DatabaseArgs) -> Result<(), String> {
    let (project, mut client, source) = open(args)?;
    let state = migrate::state(&mut client, &project).map_err(one_line)?;
    let on = style::colors_on();
    let color = match state.status {
        Status::Synced => GREEN,
        Status::FilesystemAhead => YELLOW,
        _ => RED,
    };
    // Colors are added after the pieces are escaped, so they are the only escapes printed.
    let source = escape_controls(&source.to_string()).into_owned();
    write_stdout(&format!(
        "{} ({source})\n",
        style::paint(&format!("\"{}\"", state.status), color, on)
    ));
    let diff = state.text_diff();
    for line in diff.lines() {
        write_stdout(&format!(
            "{}\n",
            style::diff_line(&escape_controls(line), on)
        ));
    }
    let hint = match state.status {
        Status::Synced => None,
        Status::FilesystemAhead => Some("run `instant db:migrate` to apply the `+ ` migrations"),
        Status::DatabaseAhead => Some(
            "run `instant fs:fastForward` to write the `- ` migrations, or \
             `instant db:rollbackSync` to undo them",
        ),
        Status::Unsynced | Status::Mismatch => Some(
            "run `instant db:rollbackSync` to roll the database back to the last migration \
             both share, then `instant db:migrate`",
        ),
    };
    if let Some(hint) = hint {
        write_stdout(&format!("{}\n", style::paint(hint, BOLD, on)));
    }
    Ok(())
}
