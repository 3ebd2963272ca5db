//! Locations inside a JSON document, written the way a reader points at them:
//! `up[2][3].properties.nullable`.

use std::fmt;

/// A path from the root of a JSON document to one value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Key(String),
    Index(usize),
}

impl JsonPath {
    /// The document itself.
    pub fn root() -> Self {
        Self::default()
    }

    /// The value under `key` of the object at this path.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.into()));
        next
    }

    /// The element `index` of the array at this path.
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }

    /// True for the document itself.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) => {
                    let plain = !key.is_empty()
                        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !plain {
                        write!(f, "[{key:?}]")?;
                    } else if i == 0 {
                        f.write_str(key)?;
                    } else {
                        write!(f, ".{key}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_an_accessor() {
        let path = JsonPath::root()
            .key("up")
            .index(2)
            .index(3)
            .key("properties")
            .key("nullable");
        assert_eq!(path.to_string(), "up[2][3].properties.nullable");
        assert_eq!(
            JsonPath::root().index(0).key("my table").to_string(),
            "[0][\"my table\"]"
        );
        assert_eq!(JsonPath::root().to_string(), "(root)");
    }
}
