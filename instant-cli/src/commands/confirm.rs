//! Confirmation before destroying data. `--yes` answers it; without it, a terminal is asked and
//! anything else (a script, CI) is refused at once, so nothing ever blocks waiting for input.

use std::io::{BufRead, IsTerminal};

use crate::terminal::{escape_controls, write_stdout};

/// Ok when `yes` was given or the user typed `yes` on the terminal.
pub fn confirm(what: &str, yes: bool) -> Result<(), String> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(format!(
            "{what}: refusing without confirmation; pass --yes to run it from a script"
        ));
    }
    write_stdout(&format!(
        "{}. Type \"yes\" to continue: ",
        escape_controls(what)
    ));
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|error| error.to_string())?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err("cancelled".to_string())
    }
}
