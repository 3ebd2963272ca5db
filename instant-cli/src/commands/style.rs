//! Colors for a terminal, plain text otherwise (pipes, files, CI logs). ANSI codes by hand:
//! four colors do not justify a dependency. `NO_COLOR` (any value) turns them off.

use std::io::IsTerminal;

/// Whether stdout gets colors.
pub fn colors_on() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `text` in `color` (an SGR code such as `32` for green) when `on`.
pub fn paint(text: &str, color: &str, on: bool) -> String {
    if on {
        format!("\x1b[{color}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub const GREEN: &str = "32";
pub const RED: &str = "31";
pub const YELLOW: &str = "33";
pub const BOLD: &str = "1";

/// A text diff line (`+ `, `- `, `? `, two spaces) in its color.
pub fn diff_line(line: &str, on: bool) -> String {
    let color = match line.get(..2) {
        Some("+ ") => GREEN,
        Some("- ") => RED,
        Some("? ") => YELLOW,
        _ => return line.to_string(),
    };
    paint(line, color, on)
}
