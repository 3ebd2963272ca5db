//! How an identifier is written: `blog_post` ↔ `BlogPost` ↔ `blogPost`, and a label for people.
//!
//! The results are the names instant.dev gives (its inflector is the `i` npm package), down to
//! the edge cases a table name can reach: a doubled `_`, a trailing `_`, a `/` module path,
//! letters outside ASCII. Where a rule looks arbitrary, the comment says which name it keeps.

/// The case the first character of a camelized name takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Initial {
    /// `BlogPost`: a class name.
    Upper,
    /// `blogPost`: a relationship name.
    Lower,
}

/// `blog_post` → `BlogPost` / `blogPost`; `admin/user_roles` → `Admin.UserRoles`.
///
/// Two things happen: the words are joined ([`join_words`]), then every word start takes the
/// case asked for ([`recase_word_starts`]).
pub(super) fn camelize(word: &str, initial: Initial) -> String {
    recase_word_starts(&join_words(word), initial)
}

/// A separator read but not yet written: what it becomes depends on the character after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    Nothing,
    Underscore,
    Slash,
}

/// Joins snake_case words: an `_` disappears and capitalizes the character after it, and a `/`
/// (a module path) becomes `.` and capitalizes the character after it.
///
/// What follows a separator is taken as it is, even another separator: in `a__b` the second
/// `_` is the character the first one capitalizes, so one `_` stays (the class is `A_B`, not
/// `AB`); in `_/x` the `_` capitalizes the `.` the `/` becomes (`.X`). A separator with
/// nothing after it on its line stays: `trailing_` keeps its `_`, and a trailing `/` is
/// written `./`, as instant.dev writes them.
fn join_words(word: &str) -> String {
    let mut joined = String::with_capacity(word.len());
    let mut held = Held::Nothing;
    for c in word.chars() {
        held = match (held, c) {
            (held, c) if is_line_break(c) => {
                release(held, &mut joined);
                joined.push(c);
                Held::Nothing
            }
            (Held::Nothing, '_') => Held::Underscore,
            (Held::Nothing, '/') => Held::Slash,
            (Held::Nothing, c) => {
                joined.push(c);
                Held::Nothing
            }
            (Held::Underscore, '/') => Held::Slash,
            (Held::Underscore, c) => {
                joined.extend(c.to_uppercase());
                Held::Nothing
            }
            (Held::Slash, '_') => {
                joined.push('.');
                Held::Underscore
            }
            (Held::Slash, c) => {
                joined.push('.');
                joined.extend(c.to_uppercase());
                Held::Nothing
            }
        };
    }
    release(held, &mut joined);
    joined
}

/// Writes a separator that found nothing to capitalize.
fn release(held: Held, joined: &mut String) {
    match held {
        Held::Nothing => {}
        Held::Underscore => joined.push('_'),
        Held::Slash => joined.push_str("./"),
    }
}

/// The first character takes `initial`'s case, and so does an ASCII letter right after `_` or
/// `/` (the separators [`join_words`] leaves in place). Only the first character is changed
/// beyond ASCII (`écoles` → `Écoles`), as instant.dev does.
fn recase_word_starts(text: &str, initial: Initial) -> String {
    let mut recased = String::with_capacity(text.len());
    let mut previous = None;
    for c in text.chars() {
        match (previous, initial) {
            (None, Initial::Upper) => recased.extend(c.to_uppercase()),
            (None, Initial::Lower) => recased.extend(c.to_lowercase()),
            (Some('_' | '/'), Initial::Upper) => recased.push(c.to_ascii_uppercase()),
            (Some('_' | '/'), Initial::Lower) => recased.push(c.to_ascii_lowercase()),
            _ => recased.push(c),
        }
        previous = Some(c);
    }
    recased
}

/// `BlogPost` → `blog_post`, `SSLError` → `ssl_error`, `a.b` → `a/b`, `with-dash` → `with_dash`.
///
/// An `_` goes wherever a new word starts (see [`starts_word`]), then everything is lower-cased.
pub(super) fn underscore(word: &str) -> String {
    let mut snake = String::with_capacity(word.len() + 4);
    let mut chars = word.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        if previous.is_some_and(|before| starts_word(before, c, chars.peek().copied())) {
            snake.push('_');
        }
        snake.push(match c {
            '.' => '/',
            '-' => '_',
            c => c,
        });
        previous = Some(c);
    }
    snake.to_lowercase()
}

/// True when the capital `c` begins a word: after a lower-case letter or digit (`blogPost`,
/// `x1Y2`), or after another capital when a lower-case letter follows — the last capital of an
/// acronym starts the next word (`SSLError` → `SSL` + `Error`). ASCII only, as instant.dev's.
fn starts_word(before: char, c: char, after: Option<char>) -> bool {
    c.is_ascii_uppercase()
        && (before.is_ascii_lowercase()
            || before.is_ascii_digit()
            || (before.is_ascii_uppercase() && after.is_some_and(|a| a.is_ascii_lowercase())))
}

/// `author_id` → `Author`, `employee_salary` → `Employee salary`: a label for people, so a
/// foreign key reads as the thing it points to.
pub(super) fn humanize(word: &str) -> String {
    let spaced = word
        .strip_suffix("_id")
        .unwrap_or(word)
        .replace('_', " ")
        .to_lowercase();
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `public.users` → `users`: the part after the last `.` of the first line, where instant.dev
/// looks for a schema-qualified name.
pub(super) fn strip_namespace(table: &str) -> &str {
    let first_line = table.split(is_line_break).next().unwrap_or(table);
    match first_line.rfind('.') {
        Some(dot) => &table[dot + 1..],
        None => table,
    }
}

/// The characters that end a line for instant.dev's name patterns (JavaScript's `.` stops at
/// them): a separator before one of these has nothing to capitalize.
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_with_nothing_after_them_stay() {
        assert_eq!(join_words("trailing_"), "trailing_");
        assert_eq!(join_words("a/"), "a./");
        assert_eq!(join_words("a_\nb"), "a_\nb");
        assert_eq!(join_words("a__b"), "a_b");
        assert_eq!(join_words("_/x"), ".X");
        assert_eq!(join_words("/_x"), ".X");
        assert_eq!(join_words("//a"), "./a");
    }

    #[test]
    fn word_starts_take_the_case_asked_for() {
        assert_eq!(recase_word_starts("a_b/c", Initial::Upper), "A_B/C");
        assert_eq!(recase_word_starts("A_B/C", Initial::Lower), "a_b/c");
        assert_eq!(recase_word_starts("ßa", Initial::Upper), "SSa");
        assert_eq!(camelize("//a", Initial::Upper), "./A");
    }

    #[test]
    fn acronyms_end_before_a_capitalized_word() {
        assert_eq!(underscore("HTMLParser"), "html_parser");
        assert_eq!(underscore("ABCd"), "ab_cd");
        assert_eq!(underscore("aAB"), "a_ab");
    }
}
