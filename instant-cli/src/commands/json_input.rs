//! Where the JSON of `query` and `seed` comes from: the argument, a file, or standard input.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

/// The JSON a command works on.
#[derive(Debug, Clone, Args)]
pub struct JsonInput {
    /// The JSON; without it, `--file`, else standard input.
    #[arg(value_name = "JSON", conflicts_with = "file")]
    pub json: Option<String>,
    /// Read the JSON from this file.
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

impl JsonInput {
    /// The JSON, parsed; `what` names it in messages (`the query`).
    pub fn read(&self, what: &str) -> Result<Value, String> {
        let (text, from) = match (&self.json, &self.file) {
            (Some(text), _) => (text.clone(), String::new()),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                (text, format!(" in {}", path.display()))
            }
            (None, None) => {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|error| format!("cannot read standard input: {error}"))?;
                (text, " on standard input".to_string())
            }
        };
        if text.trim().is_empty() {
            return Err(format!(
                "{what}{from} is empty: give it as an argument, with --file, or on standard input"
            ));
        }
        serde_json::from_str(&text)
            .map_err(|error| format!("{what}{from} is not valid JSON: {error}"))
    }
}
