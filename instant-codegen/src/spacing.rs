//! The blank lines between items that prettyplease does not write.

/// Appends `code` to `spaced` with a blank line between items. prettyplease puts items on
/// consecutive lines; a hand-written file separates them with a blank line. An item starts at a doc comment, an attribute, `pub` or `impl` right after a
/// line that ends an item (`}` or `;`) at the same indentation. Generated string literals never
/// span lines, so this cannot change one.
pub fn space_items(code: &str, spaced: &mut String) {
    // The previous line's indentation, and whether it ends an item.
    let mut previous: Option<(usize, bool)> = None;
    for line in code.lines() {
        let content = trim_start(line);
        let indent = line.len() - content.len();
        if let Some((previous_indent, ends_item)) = previous {
            let starts_item = ["///", "#[", "pub ", "impl "]
                .iter()
                .any(|start| content.starts_with(start));
            if starts_item && ends_item && indent == previous_indent {
                spaced.push('\n');
            }
        }
        spaced.push_str(line);
        spaced.push('\n');
        let trimmed = trim_end(content);
        let ends_item = (trimmed.ends_with('}') || trimmed.ends_with(';'))
            && !trimmed.starts_with("///")
            && !trimmed.starts_with("#[");
        previous = Some((indent, ends_item));
    }
}

/// `line.trim_start()`, quicker for the usual line: spaces, then an ASCII character that is
/// not whitespace.
fn trim_start(line: &str) -> &str {
    let spaces = line.bytes().take_while(|&byte| byte == b' ').count();
    match line.as_bytes().get(spaces) {
        Some(byte) if byte.is_ascii() && !byte.is_ascii_whitespace() => &line[spaces..],
        _ => line.trim_start(),
    }
}

/// `line.trim_end()`, quicker when the line ends in an ASCII character that is not whitespace.
fn trim_end(line: &str) -> &str {
    match line.as_bytes().last() {
        Some(byte) if byte.is_ascii() && !byte.is_ascii_whitespace() => line,
        _ => line.trim_end(),
    }
}
