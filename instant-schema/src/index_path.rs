//! JSON-path index columns: `createIndex("posts", "body->'meta'->>'lang'")`.
//!
//! instant.dev indexes a column containing `->` as the expression it spells, pasted into the
//! SQL, so a migration could run any SQL through it (`data->'a')); DROP TABLE x; --`). Here the
//! path is read as what instant.dev's users write, a column followed by `->` / `->>` steps with
//! `'string'`, bare-word (`data->name`) or integer keys, and written back quoted: the column as
//! an identifier, the keys as literals (a bare word as the key it names, where PostgreSQL would
//! have read a column). Anything else is refused where the migration is read.

use std::fmt;

/// A column followed by one or more `->` / `->>` steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonIndexPath {
    /// The text before the first `->`, as written: replay looks it up among the table's
    /// columns.
    pub column: String,
    pub steps: Vec<PathStep>,
}

/// One `->` (JSON) or `->>` (text) step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// `->>`: the step yields text rather than JSON.
    pub as_text: bool,
    pub key: PathKey,
}

/// What a step selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathKey {
    /// An object field: `->'name'` (or `->name`).
    Field(String),
    /// An array element: `->0` (negative counts from the end).
    Element(i64),
}

impl JsonIndexPath {
    /// Reads an index column: `Ok(None)` for a plain column (no `->`), the path for a JSON
    /// path, and an error saying what was expected where the text stops being one.
    ///
    /// ```
    /// use instant_schema::index_path::JsonIndexPath;
    ///
    /// let path = JsonIndexPath::parse("body->'meta'->>'lang'").unwrap().unwrap();
    /// assert_eq!(path.to_sql(), r#""body"->'meta'->>'lang'"#);
    /// assert!(JsonIndexPath::parse("body->'a')); DROP TABLE x; --").is_err());
    /// ```
    pub fn parse(written: &str) -> Result<Option<JsonIndexPath>, String> {
        let Some(first) = written.find("->") else {
            return Ok(None);
        };
        let column = &written[..first];
        if column.is_empty() {
            return Err(format!(
                "a JSON path index starts with a column name, found \"{written}\""
            ));
        }
        if column.contains('\0') || written.contains('\0') {
            return Err("a JSON path index may not contain a NUL character".to_string());
        }
        let mut reader = Reader { written, at: first };
        let mut steps = Vec::new();
        while reader.at < written.len() {
            steps.push(reader.step()?);
            reader.skip_spaces();
        }
        Ok(Some(JsonIndexPath {
            column: column.to_string(),
            steps,
        }))
    }

    /// The path as a SQL expression, the column quoted as an identifier and each key as a
    /// literal (an `E''` literal when it holds a backslash, so the server's
    /// `standard_conforming_strings` cannot change its meaning).
    pub fn to_sql(&self) -> String {
        let mut sql = format!("\"{}\"", self.column.replace('"', "\"\""));
        for step in &self.steps {
            sql.push_str(if step.as_text { "->>" } else { "->" });
            match &step.key {
                PathKey::Element(index) => sql.push_str(&index.to_string()),
                PathKey::Field(name) if name.contains('\\') => {
                    let escaped = name.replace('\\', "\\\\").replace('\'', "''");
                    sql.push_str(&format!("E'{escaped}'"));
                }
                PathKey::Field(name) => sql.push_str(&format!("'{}'", name.replace('\'', "''"))),
            }
        }
        sql
    }
}

impl fmt::Display for JsonIndexPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_sql())
    }
}

/// What a JSON path index is, for error messages.
pub const SHAPE: &str = "a JSON path index is a column, then `->` or `->>` and a key \
                         ('quoted', a bare word or an integer), repeated";

struct Reader<'a> {
    written: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.written[self.at..]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn expected(&self, what: &str) -> String {
        let found = match self.rest().chars().next() {
            Some(_) => format!("\"{}\"", self.rest()),
            None => "the end".to_string(),
        };
        format!(
            "expected {what} at character {} of the JSON path index \"{}\", found {found} \
             ({SHAPE})",
            self.written[..self.at].chars().count() + 1,
            self.written
        )
    }

    fn step(&mut self) -> Result<PathStep, String> {
        let as_text = if self.rest().starts_with("->>") {
            self.at += 3;
            true
        } else if self.rest().starts_with("->") {
            self.at += 2;
            false
        } else {
            return Err(self.expected("`->` or `->>`"));
        };
        self.skip_spaces();
        let key = match self.rest().chars().next() {
            Some('\'') => PathKey::Field(self.string()?),
            Some(c) if c.is_alphabetic() || c == '_' => PathKey::Field(self.word()),
            _ => PathKey::Element(self.integer()?),
        };
        Ok(PathStep { as_text, key })
    }

    /// `'…'` with `''` for a quote, as a standard SQL string.
    fn string(&mut self) -> Result<String, String> {
        let mut text = String::new();
        let mut chars = self.rest()[1..].char_indices();
        while let Some((offset, c)) = chars.next() {
            if c != '\'' {
                text.push(c);
                continue;
            }
            if self.rest()[1 + offset + 1..].starts_with('\'') {
                text.push('\'');
                chars.next();
                continue;
            }
            self.at += 1 + offset + 1;
            return Ok(text);
        }
        Err(self.expected("a key closed by '"))
    }

    /// A bare word (`data->name`), as instant.dev's users write keys: the key `'name'`.
    fn word(&mut self) -> String {
        let word: String = self
            .rest()
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '_' || c == '$')
            .collect();
        self.at += word.len();
        word
    }

    fn integer(&mut self) -> Result<i64, String> {
        let rest = self.rest();
        let sign = usize::from(rest.starts_with('-'));
        let digits = rest[sign..]
            .bytes()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if digits == 0 {
            return Err(self.expected("a key"));
        }
        let text = &rest[..sign + digits];
        let value = text.parse::<i64>().map_err(|_| {
            format!(
                "the array index {text} in the JSON path index \"{}\" is out of range",
                self.written
            )
        })?;
        self.at += sign + digits;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(written: &str) -> String {
        match JsonIndexPath::parse(written) {
            Ok(Some(path)) => path.to_sql(),
            Ok(None) => "(plain column)".to_string(),
            Err(message) => message,
        }
    }

    #[test]
    fn paths_are_quoted_piece_by_piece() {
        assert_eq!(sql("body->>'lang'"), r#""body"->>'lang'"#);
        assert_eq!(sql("body->'meta'->>'lang'"), r#""body"->'meta'->>'lang'"#);
        assert_eq!(sql("body -> 'a' ->> 0"), r#""body "->'a'->>0"#);
        assert_eq!(sql("tags->-1"), r#""tags"->-1"#);
        assert_eq!(sql("body->>'it''s'"), r#""body"->>'it''s'"#);
        assert_eq!(sql(r"body->>'a\'"), r#""body"->>E'a\\'"#);
        assert_eq!(sql(r#"we"ird->'k'"#), r#""we""ird"->'k'"#);
        assert_eq!(
            sql("data->name->>first_name"),
            r#""data"->'name'->>'first_name'"#
        );
        assert_eq!(sql("body"), "(plain column)");
    }

    #[test]
    fn anything_else_is_refused_where_it_stops_being_a_path() {
        assert_eq!(
            sql("data->'a')); DROP TABLE x; --"),
            format!(
                "expected `->` or `->>` at character 10 of the JSON path index \"data->'a')); \
                 DROP TABLE x; --\", found \")); DROP TABLE x; --\" ({SHAPE})"
            )
        );
        assert_eq!(
            sql("data->name'); DROP TABLE x; --"),
            format!(
                "expected `->` or `->>` at character 11 of the JSON path index \"data->name'); \
                 DROP TABLE x; --\", found \"'); DROP TABLE x; --\" ({SHAPE})"
            )
        );
        assert_eq!(
            sql("data->'open"),
            format!(
                "expected a key closed by ' at character 7 of the JSON path index \
                 \"data->'open\", found \"'open\" ({SHAPE})"
            )
        );
        assert_eq!(
            sql("data->!"),
            format!(
                "expected a key at character 7 of the JSON path index \"data->!\", found \"!\" \
                 ({SHAPE})"
            )
        );
        assert_eq!(
            sql("data->"),
            format!(
                "expected a key at character 7 of the JSON path index \"data->\", found the \
                 end ({SHAPE})"
            )
        );
        assert_eq!(
            sql("->'a'"),
            "a JSON path index starts with a column name, found \"->'a'\""
        );
        assert_eq!(
            sql("data->99999999999999999999"),
            "the array index 99999999999999999999 in the JSON path index \
             \"data->99999999999999999999\" is out of range"
        );
        assert_eq!(
            sql("data->'a\0'"),
            "a JSON path index may not contain a NUL character"
        );
        assert_eq!(
            sql("(data->>'a')::int"),
            format!(
                "expected `->` or `->>` at character 12 of the JSON path index \
                 \"(data->>'a')::int\", found \")::int\" ({SHAPE})"
            )
        );
    }
}
