//! A progress bar for steps that take a while (applying many migrations), on stderr when it
//! is a terminal; plain lines on stdout otherwise, so logs and pipes read as before.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::terminal::{escape_controls, outln};

/// Reports `total` steps: a bar on a terminal (for two steps or more), else one line each.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A report of `total` steps, each called a `what` (`migration`).
    pub fn new(total: usize, what: &str) -> Progress {
        let on_terminal = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let bar = (on_terminal && total >= 2).then(|| {
            let bar = ProgressBar::new(total as u64);
            let template = format!("{{bar:30}} {{pos}}/{{len}} {what}s {{wide_msg}}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress { bar }
    }

    /// One step done, described by `line`.
    pub fn step(&self, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.println(escape_controls(line));
                bar.inc(1);
            }
            None => outln!("{line}"),
        }
    }

    /// Removes the bar, leaving the lines it printed.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
