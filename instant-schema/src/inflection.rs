//! Rails-style inflection exactly as instant.dev does it, with the rules of the `i` npm package.
//!
//! instant.dev derives names from table names with these functions: the model class of
//! `blog_comment_likes` is `BlogCommentLike`, the default name of its relationship on a parent
//! is `blogCommentLikes`, and `Instant.Model("BlogCommentLike")` finds the table again. To read
//! an `_instant/` folder the way instant.dev does, the port must produce the same names, quirks
//! included, so every function here mirrors its `i` counterpart character for character
//! (checked against the JavaScript library in `tests/inflection.rs`).
//!
//! ```
//! use instant_schema::inflection::{classify, pluralize, singularize, camelize_lower};
//! assert_eq!(classify("children"), "Child");
//! assert_eq!(classify("blog_comment_likes"), "BlogCommentLike");
//! assert_eq!(pluralize("person"), "people");
//! assert_eq!(singularize("indices"), "index");
//! assert_eq!(pluralize(&camelize_lower("BlogPost")), "blogPosts");
//! ```

mod lookup;
mod pattern;
mod rules;

pub use lookup::{LookupError, model_lookup};

use rules::DEFAULTS;

/// The plural of `word`: `post` → `posts`, `person` → `people`, `sheep` → `sheep`.
pub fn pluralize(word: &str) -> String {
    DEFAULTS.pluralize(word)
}

/// The singular of `word`: `posts` → `post`, `children` → `child`, `statuses` → `status`.
pub fn singularize(word: &str) -> String {
    DEFAULTS.singularize(word)
}

/// `UpperCamelCase` from `snake_case`: `blog_post` → `BlogPost`; `a/b` → `A.B` as in `i`.
pub fn camelize(word: &str) -> String {
    upcase(&camelize_parts(word))
}

/// `lowerCamelCase`: `blog_post` → `blogPost`, `BlogPost` → `blogPost`. instant.dev names
/// relationships this way.
pub fn camelize_lower(word: &str) -> String {
    downcase(&camelize_parts(word))
}

/// `snake_case` from `CamelCase`: `BlogPost` → `blog_post`, `SSLError` → `ssl_error`.
pub fn underscore(word: &str) -> String {
    let chars: Vec<char> = word
        .chars()
        .map(|c| if c == '.' { '/' } else { c })
        .collect();
    // `([A-Z])([A-Z][a-z])` → `$1_$2`: the end of an acronym before a capitalized word.
    let mut split_acronyms = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len()
            && chars[i].is_ascii_uppercase()
            && chars[i + 1].is_ascii_uppercase()
            && chars[i + 2].is_ascii_lowercase()
        {
            split_acronyms.extend([chars[i], '_', chars[i + 1], chars[i + 2]]);
            i += 3;
        } else {
            split_acronyms.push(chars[i]);
            i += 1;
        }
    }
    // `([a-z\d])([A-Z])` → `$1_$2`: a lower-case letter or digit before a capital.
    let mut result = String::with_capacity(split_acronyms.len() + 4);
    let mut i = 0;
    while i < split_acronyms.len() {
        let c = split_acronyms[i];
        result.push(if c == '-' { '_' } else { c });
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && split_acronyms
                .get(i + 1)
                .is_some_and(char::is_ascii_uppercase)
        {
            result.push('_');
            result.push(split_acronyms[i + 1]);
            i += 2;
        } else {
            i += 1;
        }
    }
    result.to_lowercase()
}

/// The class name instant.dev gives the model of `table`: `children` → `Child`.
///
/// This is `i`'s `classify` (the singular, camelized, after any `schema.` prefix) plus
/// instant.dev's one special case: a table ending in `bases` ends in `Base` (`i` alone would
/// say `knowledge_bases` → `KnowledgeBasis`).
pub fn classify(table: &str) -> String {
    let table = match table.strip_suffix("bases") {
        Some(stem) => format!("{stem}base"),
        None => table.to_string(),
    };
    classify_plain(&table)
}

/// `i`'s `classify` without instant.dev's `bases` special case.
pub fn classify_plain(table: &str) -> String {
    camelize(&singularize(strip_namespace(table)))
}

/// The table name for a class name: `BlogPost` → `blog_posts`.
pub fn tableize(class_name: &str) -> String {
    pluralize(&underscore(class_name))
}

/// Human-readable text: `author_id` → `Author`, `employee_salary` → `Employee salary`.
pub fn humanize(word: &str) -> String {
    let word = word.strip_suffix("_id").unwrap_or(word).replace('_', " ");
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `i` drops everything up to the last `.` on the first line (`^.*\.`).
fn strip_namespace(table: &str) -> &str {
    let first_line = table
        .find(is_line_terminator)
        .map_or(table, |end| &table[..end]);
    match first_line.rfind('.') {
        Some(dot) => &table[dot + 1..],
        None => table,
    }
}

/// JavaScript's `.` matches anything but these.
fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// `camelize` before its final case change: `/x` → `.X` and `_x` → `X`.
fn camelize_parts(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut dotted = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '/' {
            dotted.push('.');
            match chars.get(i + 1) {
                Some(&next) if !is_line_terminator(next) => {
                    dotted.extend(next.to_uppercase());
                    i += 2;
                }
                // `(.?)` matched nothing, so `i` upcases the `/` itself.
                _ => {
                    dotted.push('/');
                    i += 1;
                }
            }
        } else {
            dotted.push(chars[i]);
            i += 1;
        }
    }
    let mut result = String::with_capacity(dotted.len());
    let mut i = 0;
    while i < dotted.len() {
        match dotted.get(i + 1) {
            Some(&next) if dotted[i] == '_' && !is_line_terminator(next) => {
                result.extend(next.to_uppercase());
                i += 2;
            }
            _ => {
                result.push(dotted[i]);
                i += 1;
            }
        }
    }
    result
}

/// `i`'s `upcase`: a letter after `_` or `/` and the first character become upper case.
fn upcase(word: &str) -> String {
    change_case(word, |c| c.is_ascii_lowercase(), true)
}

/// `i`'s `downcase`: a capital after `_` or `/` and the first character become lower case.
fn downcase(word: &str) -> String {
    change_case(word, |c| c.is_ascii_uppercase(), false)
}

fn change_case(word: &str, applies: impl Fn(char) -> bool, upper: bool) -> String {
    let convert = |c: char, out: &mut String| {
        if upper {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    };
    let chars: Vec<char> = word.chars().collect();
    // One pass does `i`'s two (`_x`, then `/x`): neither can create a match for the other.
    let mut result = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let first = i == 0;
        if (c == '_' || c == '/') && chars.get(i + 1).is_some_and(|&next| applies(next)) {
            result.push(c);
            convert(chars[i + 1], &mut result);
            i += 2;
            continue;
        }
        if first {
            convert(c, &mut result);
        } else {
            result.push(c);
        }
        i += 1;
    }
    result
}
