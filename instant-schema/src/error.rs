//! One error type for everything read from an `_instant/` folder.
//!
//! Every error says where: the file (when there is one), the JSON location inside it, and what
//! was expected there. Nothing in this crate panics on bad input.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::json_path::JsonPath;

/// What went wrong reading or applying `_instant/` data.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid JSON.
    #[error("{}: malformed JSON at line {line}, column {column}: {message}", file.display())]
    Json {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A value is not what instant.dev expects at its location.
    #[error("{}", Located { file: file.as_deref(), at, message })]
    Invalid {
        file: Option<PathBuf>,
        at: JsonPath,
        message: String,
    },
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A value at `at` that is not what was expected; `message` says what was.
    pub fn invalid(at: &JsonPath, message: impl Into<String>) -> Self {
        Error::Invalid {
            file: None,
            at: at.clone(),
            message: message.into(),
        }
    }

    /// A failed read of `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A JSON syntax error in `file`.
    pub fn json(file: impl Into<PathBuf>, source: &serde_json::Error) -> Self {
        let message = source.to_string();
        // serde_json appends " at line L column C"; we report the position in our own words.
        let message = match message.rfind(" at line ") {
            Some(cut) => message[..cut].to_string(),
            None => message,
        };
        Error::Json {
            file: file.into(),
            line: source.line(),
            column: source.column(),
            message,
        }
    }

    /// Attaches the file an [`Error::Invalid`] came from, unless it already names one.
    pub fn in_file(self, path: impl AsRef<Path>) -> Self {
        match self {
            Error::Invalid {
                file: None,
                at,
                message,
            } => Error::Invalid {
                file: Some(path.as_ref().to_path_buf()),
                at,
                message,
            },
            other => other,
        }
    }

    /// The JSON location of an [`Error::Invalid`].
    pub fn location(&self) -> Option<&JsonPath> {
        match self {
            Error::Invalid { at, .. } => Some(at),
            _ => None,
        }
    }
}

struct Located<'a> {
    file: Option<&'a Path>,
    at: &'a JsonPath,
    message: &'a str,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file, self.at.is_root()) {
            (Some(file), false) => write!(f, "{} at {}: {}", file.display(), self.at, self.message),
            (Some(file), true) => write!(f, "{}: {}", file.display(), self.message),
            (None, false) => write!(f, "at {}: {}", self.at, self.message),
            (None, true) => f.write_str(self.message),
        }
    }
}

/// Describes a JSON value for "expected X, found Y" messages: the type and a short rendering.
pub fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    let rendered = value.to_string();
    let short = if rendered.chars().count() > 40 {
        let cut: String = rendered.chars().take(37).collect();
        format!("{cut}...")
    } else {
        rendered
    };
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(_) => format!("boolean {short}"),
        Value::Number(_) => format!("number {short}"),
        Value::String(_) => format!("string {short}"),
        Value::Array(_) => format!("array {short}"),
        Value::Object(_) => format!("object {short}"),
    }
}
