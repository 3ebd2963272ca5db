//! How `query` and `seed` print their result: one JSON document on standard output, compact
//! for a script to read, or indented with `--pretty` for a person.

use serde_json::Value;

use crate::terminal::{escape_json_controls, write_stdout};

/// Prints `value` on standard output as one line of JSON, or indented when `pretty`.
pub fn print_json(value: &Value, pretty: bool) -> Result<(), String> {
    write_stdout(&format!(
        "{}\n",
        escape_json_controls(&render(value, pretty)?)
    ));
    Ok(())
}

fn render(value: &Value, pretty: bool) -> Result<String, String> {
    if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn compact_is_one_line_and_pretty_is_indented() {
        let value = json!({"users": [1, 2]});
        assert_eq!(render(&value, false).unwrap(), r#"{"users":[1,2]}"#);
        assert_eq!(
            render(&value, true).unwrap(),
            "{\n  \"users\": [\n    1,\n    2\n  ]\n}"
        );
    }
}
