//! The SQL of an `executeSql` entry, split into its statements.
//!
//! A migration runs in one transaction, and an `executeSql` entry must not be able to end it
//! (`CREATE TABLE t(id int); COMMIT; SELECT 1/0` would leave `t` behind with no history row).
//! So the entry is cut into statements here, each is checked for transaction control before
//! anything runs, and the migrator sends them one by one through the extended protocol, which
//! runs exactly one statement per message.
//!
//! The cut needs to know where a `;` is really a separator: not inside `'strings'` (with `''`),
//! `E'escape strings'` (with `\'`), `"identifiers"`, `$tag$dollar quotes$tag$`, `-- line` or
//! nested `/* block */` comments, nor inside the `BEGIN ATOMIC … END` body of a SQL-standard
//! `CREATE FUNCTION`/`CREATE PROCEDURE`. This is a lexer of PostgreSQL's quoting rules only,
//! not a parser: what it cannot classify is left for the server to accept or reject.

/// The statements of `sql`, in order, each without its `;`, leading comments and surrounding
/// whitespace; a piece holding only comments or whitespace is no statement.
///
/// ```
/// use instant_schema::sql_script::statements;
///
/// let sql = "CREATE TABLE a (s text DEFAULT ';'); -- a; b\nCREATE TABLE \"b;\" (x int);";
/// assert_eq!(
///     statements(sql),
///     ["CREATE TABLE a (s text DEFAULT ';')", "CREATE TABLE \"b;\" (x int)"]
/// );
/// ```
pub fn statements(sql: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut current = Piece::default();
    for token in Lexer::new(sql) {
        match token.kind {
            Kind::Semicolon if current.atomic_depth == 0 => {
                if let Some(text) = current.text(sql) {
                    found.push(text);
                }
                current = Piece::default();
            }
            Kind::Space | Kind::Comment => {}
            kind => current.add(&sql[token.start..token.end], kind, token.start, token.end),
        }
    }
    if let Some(text) = current.text(sql) {
        found.push(text);
    }
    found
}

/// The transaction control `statement` is, named by its keywords (`"COMMIT"`,
/// `"SET TRANSACTION"`), or `None` when it does not end, open or change a transaction.
///
/// ```
/// use instant_schema::sql_script::transaction_control;
///
/// assert_eq!(transaction_control("commit"), Some("COMMIT".to_string()));
/// assert_eq!(transaction_control("Set Transaction read only"), Some("SET TRANSACTION".to_string()));
/// assert_eq!(transaction_control("SELECT 'COMMIT'"), None);
/// ```
pub fn transaction_control(statement: &str) -> Option<String> {
    let words: Vec<String> = Lexer::new(statement)
        .filter(|token| !matches!(token.kind, Kind::Space | Kind::Comment))
        .take(3)
        .map_while(|token| {
            (token.kind == Kind::Word).then(|| statement[token.start..token.end].to_uppercase())
        })
        .collect();
    let first = words.first()?.as_str();
    let second = words.get(1).map(String::as_str);
    let third = words.get(2).map(String::as_str);
    let name = match (first, second) {
        ("COMMIT" | "ROLLBACK", Some("PREPARED")) => format!("{first} PREPARED"),
        ("START", _) => "START TRANSACTION".to_string(),
        ("BEGIN" | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT" | "RELEASE", _) => {
            first.to_string()
        }
        ("PREPARE" | "SET", Some("TRANSACTION")) => format!("{first} TRANSACTION"),
        ("SET", Some("SESSION")) if third == Some("CHARACTERISTICS") => {
            "SET SESSION CHARACTERISTICS".to_string()
        }
        _ => return None,
    };
    Some(name)
}

/// The statement being gathered: where its significant text starts and ends, and enough of
/// its words to know whether a `;` belongs to a `BEGIN ATOMIC` body.
#[derive(Default)]
struct Piece {
    span: Option<(usize, usize)>,
    words: usize,
    /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE`: only there does `BEGIN ATOMIC` open a body.
    creates: bool,
    routine: bool,
    previous_word: String,
    atomic_depth: u32,
}

impl Piece {
    fn add(&mut self, text: &str, kind: Kind, start: usize, end: usize) {
        self.span = Some(match self.span {
            Some((first, _)) => (first, end),
            None => (start, end),
        });
        if kind != Kind::Word {
            return;
        }
        let word = text.to_uppercase();
        self.words += 1;
        match (self.words, word.as_str()) {
            (1, "CREATE") => self.creates = true,
            (2..=4, "FUNCTION" | "PROCEDURE") if self.creates => self.routine = true,
            (_, "ATOMIC") if self.routine && self.previous_word == "BEGIN" => {
                self.atomic_depth += 1
            }
            (_, "CASE") if self.atomic_depth > 0 => self.atomic_depth += 1,
            (_, "END") if self.atomic_depth > 0 => self.atomic_depth -= 1,
            _ => {}
        }
        self.previous_word = word;
    }

    fn text<'a>(&self, sql: &'a str) -> Option<&'a str> {
        self.span.and_then(|(start, end)| sql.get(start..end))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A keyword or unquoted identifier.
    Word,
    /// A string, quoted identifier or dollar-quoted text.
    Quoted,
    Comment,
    Space,
    Semicolon,
    /// Anything else: numbers, operators, punctuation, parameters.
    Other,
}

#[derive(Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// PostgreSQL's tokens, as far as quoting goes. Every delimiter is ASCII, so each cut falls on
/// a character boundary of the UTF-8 text. Unterminated quotes and comments run to the end.
struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.at + offset).copied()
    }

    /// `'…'` from the opening quote at `self.at`; `backslash` for `E'…'`, where `\` escapes
    /// the next character.
    fn string(&mut self, backslash: bool) {
        self.at += 1;
        while let Some(byte) = self.peek(0) {
            self.at += 1;
            match byte {
                b'\\' if backslash => self.at += 1,
                b'\'' if self.peek(0) == Some(b'\'') => self.at += 1,
                b'\'' => return,
                _ => {}
            }
        }
        self.at = self.at.min(self.bytes.len());
    }

    fn quoted_identifier(&mut self) {
        self.at += 1;
        while let Some(byte) = self.peek(0) {
            self.at += 1;
            if byte == b'"' {
                if self.peek(0) == Some(b'"') {
                    self.at += 1;
                } else {
                    return;
                }
            }
        }
    }

    /// `$tag$…$tag$` when a dollar quote opens at `self.at`; `false` (nothing consumed) for
    /// a `$` that opens none (`$1`, a lone `$`).
    fn dollar_quote(&mut self) -> bool {
        let rest = &self.bytes[self.at + 1..];
        let tag_length = rest
            .iter()
            .take_while(|&&byte| is_word_byte(byte) && byte != b'$')
            .count();
        let starts_tag = rest.first().is_some_and(|&byte| !byte.is_ascii_digit());
        if rest.get(tag_length) != Some(&b'$') || (tag_length > 0 && !starts_tag) {
            return false;
        }
        let delimiter = &self.text[self.at..self.at + tag_length + 2];
        let body = self.at + delimiter.len();
        self.at = match self.text[body..].find(delimiter) {
            Some(found) => body + found + delimiter.len(),
            None => self.bytes.len(),
        };
        true
    }

    fn block_comment(&mut self) {
        self.at += 2;
        let mut depth = 1u32;
        while depth > 0 && self.at < self.bytes.len() {
            match (self.peek(0), self.peek(1)) {
                (Some(b'/'), Some(b'*')) => {
                    depth += 1;
                    self.at += 2;
                }
                (Some(b'*'), Some(b'/')) => {
                    depth -= 1;
                    self.at += 2;
                }
                _ => self.at += 1,
            }
        }
        self.at = self.at.min(self.bytes.len());
    }

    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        while self.peek(0).is_some_and(&keep) {
            self.at += 1;
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.at;
        let byte = self.peek(0)?;
        let kind = match (byte, self.peek(1)) {
            (b'-', Some(b'-')) => {
                self.skip_while(|byte| byte != b'\n');
                Kind::Comment
            }
            (b'/', Some(b'*')) => {
                self.block_comment();
                Kind::Comment
            }
            (b'\'', _) => {
                self.string(false);
                Kind::Quoted
            }
            (b'E' | b'e', Some(b'\'')) => {
                self.at += 1;
                self.string(true);
                Kind::Quoted
            }
            (b'"', _) => {
                self.quoted_identifier();
                Kind::Quoted
            }
            (b'$', _) if self.dollar_quote() => Kind::Quoted,
            (b';', _) => {
                self.at += 1;
                Kind::Semicolon
            }
            _ if byte.is_ascii_whitespace() => {
                self.skip_while(|byte| byte.is_ascii_whitespace());
                Kind::Space
            }
            _ if is_word_byte(byte) && !byte.is_ascii_digit() && byte != b'$' => {
                self.skip_while(is_word_byte);
                Kind::Word
            }
            _ if byte.is_ascii_digit() => {
                // A number, with its exponent and any letters glued to it (`1e5`, `0x1F`).
                self.skip_while(|byte| is_word_byte(byte) || byte == b'.');
                Kind::Other
            }
            (b'$', _) => {
                // A parameter (`$1`) or a lone `$`.
                self.at += 1;
                self.skip_while(|byte| byte.is_ascii_digit());
                Kind::Other
            }
            _ => {
                // One character of punctuation or an operator, whole when not ASCII.
                let width = self.text[self.at..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                self.at += width;
                Kind::Other
            }
        };
        Some(Token {
            kind,
            start,
            end: self.at,
        })
    }
}

/// A byte that continues an unquoted identifier: letters, digits, `_`, `$`, and every byte of
/// a non-ASCII character (PostgreSQL accepts those in identifiers).
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' || byte >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_statements_split_on_semicolons() {
        assert_eq!(
            statements("CREATE TABLE a (x int);\n  CREATE TABLE b (y int) ;;\n"),
            ["CREATE TABLE a (x int)", "CREATE TABLE b (y int)"]
        );
        assert_eq!(statements("SELECT 1"), ["SELECT 1"]);
        assert!(statements("").is_empty());
        assert!(statements(" ; ;\n").is_empty());
    }

    #[test]
    fn semicolons_inside_strings_do_not_split() {
        assert_eq!(
            statements("SELECT 'a;b', 'it''s; here'; SELECT 2"),
            ["SELECT 'a;b', 'it''s; here'", "SELECT 2"]
        );
        // A backslash is an ordinary character in a standard string ...
        assert_eq!(
            statements(r"SELECT 'a\'; SELECT 2"),
            [r"SELECT 'a\'", "SELECT 2"]
        );
        // ... and an escape in an E'' string.
        assert_eq!(
            statements(r"SELECT E'a\'; COMMIT'; SELECT e'\\'; SELECT 3"),
            [r"SELECT E'a\'; COMMIT'", r"SELECT e'\\'", "SELECT 3"]
        );
        // An identifier ending in e is not an E'' string.
        assert_eq!(
            statements(r"SELECT type 'a\'; SELECT 2"),
            [r"SELECT type 'a\'", "SELECT 2"]
        );
    }

    #[test]
    fn semicolons_inside_quoted_identifiers_do_not_split() {
        assert_eq!(
            statements(r#"CREATE TABLE "a;""b" (x int); SELECT 1"#),
            [r#"CREATE TABLE "a;""b" (x int)"#, "SELECT 1"]
        );
    }

    #[test]
    fn dollar_quotes_hold_semicolons_and_other_quotes() {
        let function = "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE \
                        plpgsql";
        assert_eq!(
            statements(&format!("{function}; SELECT f()")),
            [function, "SELECT f()"]
        );
        let tagged = "DO $body$ BEGIN PERFORM '$$;'; COMMIT; END $body$";
        assert_eq!(
            statements(&format!("{tagged};SELECT 1")),
            [tagged, "SELECT 1"]
        );
        // $1 is a parameter and a$b$ an identifier, not dollar quotes.
        assert_eq!(
            statements("SELECT $1; SELECT a$b$; SELECT 2"),
            ["SELECT $1", "SELECT a$b$", "SELECT 2"]
        );
        // An unterminated dollar quote runs to the end.
        assert_eq!(statements("SELECT $x$ a; b"), ["SELECT $x$ a; b"]);
    }

    #[test]
    fn comments_hold_semicolons_and_are_not_statements() {
        assert_eq!(
            statements(
                "-- first; still a comment\nSELECT 1; /* a; /* nested; */ still; */ SELECT 2"
            ),
            ["SELECT 1", "SELECT 2"]
        );
        assert!(statements("-- invert: CREATE TABLE t (x int); COMMIT").is_empty());
        assert!(statements("/* only; a comment */ ; -- and this").is_empty());
        assert_eq!(statements("SELECT 1 -- trailing; comment"), ["SELECT 1"]);
        assert_eq!(
            statements("SELECT 1 - -2; SELECT 3"),
            ["SELECT 1 - -2", "SELECT 3"]
        );
    }

    #[test]
    fn begin_atomic_bodies_keep_their_semicolons() {
        let function = "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC \
                        SELECT CASE WHEN true THEN 1 END; SELECT 2; END";
        assert_eq!(
            statements(&format!("{function}; SELECT 3")),
            [function, "SELECT 3"]
        );
        assert_eq!(
            statements("BEGIN; END; SELECT 1"),
            ["BEGIN", "END", "SELECT 1"]
        );
    }

    #[test]
    fn non_ascii_text_is_kept_whole() {
        assert_eq!(
            statements("SELECT 'é;ü' AS «x»; SELECT ñ"),
            ["SELECT 'é;ü' AS «x»", "SELECT ñ"]
        );
    }

    #[test]
    fn transaction_control_is_named() {
        let named = |sql: &str| transaction_control(sql);
        for (sql, name) in [
            ("BEGIN", "BEGIN"),
            ("begin isolation level serializable", "BEGIN"),
            ("START TRANSACTION", "START TRANSACTION"),
            ("COMMIT", "COMMIT"),
            ("commit prepared 'x'", "COMMIT PREPARED"),
            ("END", "END"),
            ("ROLLBACK", "ROLLBACK"),
            ("ROLLBACK TO SAVEPOINT a", "ROLLBACK"),
            ("rollback prepared 'x'", "ROLLBACK PREPARED"),
            ("ABORT", "ABORT"),
            ("SAVEPOINT a", "SAVEPOINT"),
            ("RELEASE SAVEPOINT a", "RELEASE"),
            ("PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION"),
            ("SET TRANSACTION READ ONLY", "SET TRANSACTION"),
            (
                "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
                "SET SESSION CHARACTERISTICS",
            ),
            ("/* c */ -- d\n Commit", "COMMIT"),
        ] {
            assert_eq!(named(sql), Some(name.to_string()), "{sql}");
        }
        for sql in [
            "SELECT 'COMMIT'",
            "CREATE TABLE commit_log (x int)",
            "PREPARE q AS SELECT 1",
            "SET search_path TO public",
            "DO $$ BEGIN NULL; END $$",
            "\"commit\"",
            "(SELECT 1)",
        ] {
            assert_eq!(named(sql), None, "{sql}");
        }
    }
}
