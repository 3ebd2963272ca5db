//! Everything the `instant` command prints goes through here, for two reasons.
//!
//! - A closed pipe is not an error: `instant db:ext | head -1` closes standard output early,
//!   and `println!` panics on the write that follows. Here that write marks standard output
//!   closed and later ones are dropped; the command finishes its work (a migration run is not
//!   cut short by its reader going away) and exits as it would have.
//! - Text from files and databases (table names, keys, values, paths) may hold control
//!   characters that a terminal would obey (`\u{1b}[2J` clears the screen, `\r` overwrites the
//!   line, U+202E reverses it). Messages show them as visible escapes ([`escape_controls`]);
//!   JSON output keeps its meaning with JSON escapes ([`escape_json_controls`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Prints a message line on standard output, control characters escaped.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::terminal::print_line(&format!($($arg)*))
    };
}
pub(crate) use outln;

/// `text` with every control character but `\n` and `\t` written as a visible escape
/// (`\u{1b}`), and the invisible characters that reorder text (bidirectional overrides and
/// isolates) too.
///
/// ```text
/// "a\u{1b}[31m" → "a\u{1b}[31m" (the backslash and braces printed)
/// ```
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// JSON text with the characters serde_json leaves raw but a terminal obeys (DEL, the C1
/// controls, bidirectional overrides) written as JSON escapes (`\u009b`), so the document
/// still parses to the same value. They can only occur inside strings, where `\uXXXX` means
/// the same character.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    if !json.chars().any(needs_escape) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if needs_escape(c) && !matches!(c, '\n' | '\t' | '\r') {
            let _ = write!(escaped, "\\u{:04x}", u32::from(c));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Prints `line` and a newline on standard output, control characters escaped.
pub fn print_line(line: &str) {
    let mut text = escape_controls(line).into_owned();
    text.push('\n');
    write_stdout(&text);
}

/// Writes `text` to standard output as it is (JSON, generated code, styled lines whose
/// pieces were escaped before being colored). After a closed pipe, nothing is written.
pub fn write_stdout(text: &str) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(error) if error.kind() == ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
        Err(error) => {
            // Nowhere left to report it but standard error.
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            print_error(&format!("could not write to standard output: {error}"));
        }
    }
}

/// Prints `error: <message>` on standard error, control characters escaped; a closed
/// standard error is ignored (there is nowhere else to say it).
pub fn print_error(message: &str) {
    let text = format!("error: {}\n", escape_controls(message));
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_escapes() {
        assert_eq!(escape_controls("plain\nline\tx"), "plain\nline\tx");
        assert_eq!(
            escape_controls("red\u{1b}[31m\r\u{7}\u{7f}\u{9b}\u{202e}txt\u{0}"),
            "red\\u{1b}[31m\\u{d}\\u{7}\\u{7f}\\u{9b}\\u{202e}txt\\u{0}"
        );
    }

    #[test]
    fn json_keeps_its_value_with_json_escapes() {
        let value = serde_json::json!({"k\u{9b}": "v\u{7f}\u{202e}\u{1b}"});
        let json = serde_json::to_string(&value).unwrap();
        let escaped = escape_json_controls(&json);
        assert_eq!(escaped, r#"{"k\u009b":"v\u007f\u202e\u001b"}"#);
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, value);
    }
}
