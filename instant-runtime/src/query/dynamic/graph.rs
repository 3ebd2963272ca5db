//! instant.dev's GraphQuery (legacy, from Nodal): `users(id: 1) { id, username, threads {
//! id, posts { body } } }` — a table with optional filters, the fields to return, and
//! relationships (with their own filters and fields) nested inside. It runs as a nested JSON
//! query ([`json_query`]) and keeps the fields asked for; a relationship named without
//! braces comes back whole.

use serde_json::{Map, Value as Json};

use super::nested::json_query_with;
use crate::db::Executor;
use crate::descriptor::TableInfo;
use crate::error::{Error, Result};
use crate::limits::{Limits, exceeded, grouped};

/// One `name(args) { fields }` of a graph query.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    /// The table (at the top) or relationship name.
    pub name: String,
    /// `(id: 1, name: "x")`: an instant.dev where-object.
    pub filters: Map<String, Json>,
    /// What to return, in order; `None` for a name given without braces (everything).
    pub fields: Option<Vec<GraphNode>>,
}

impl GraphNode {
    /// Parses a graph query, at most [`Limits::default`]'s `max_query_depth` levels deep.
    pub fn parse(text: &str) -> Result<GraphNode> {
        GraphNode::parse_with(text, &Limits::default())
    }

    /// Parses a graph query, at most `limits.max_query_depth` levels deep: the parser
    /// descends once per level, so the limit also bounds its stack.
    pub fn parse_with(text: &str, limits: &Limits) -> Result<GraphNode> {
        let mut parser = Parser {
            text: text.as_bytes(),
            at: 0,
            depth: 0,
            max_depth: limits.max_query_depth,
        };
        let node = parser.node()?;
        parser.skip_space();
        if parser.at < parser.text.len() {
            return Err(parser.error("expected the end of the query"));
        }
        if node.fields.is_none() {
            return Err(parser.error("expected `{ fields }` after the table name"));
        }
        Ok(node)
    }

    /// The nested JSON query this graph query runs as.
    fn json_query(&self) -> Json {
        let mut node = Map::new();
        if !self.filters.is_empty() {
            node.insert(
                "$".to_string(),
                serde_json::json!({"where": Json::Object(self.filters.clone())}),
            );
        }
        for field in self.fields.iter().flatten() {
            if field.fields.is_some() || !field.filters.is_empty() {
                node.insert(field.name.clone(), field.json_query());
            }
        }
        Json::Object(node)
    }
}

/// Runs a graph query on the tables of `schema`: the rows of its table as JSON objects with
/// the fields asked for, within the executor's [`limits`](Executor::limits).
pub fn graph_query(
    executor: impl Executor,
    schema: &[&'static TableInfo],
    text: &str,
) -> Result<Json> {
    let limits = executor.limits();
    graph_query_with(executor, schema, text, &limits)
}

/// [`graph_query`] within `limits`.
pub fn graph_query_with(
    executor: impl Executor,
    schema: &[&'static TableInfo],
    text: &str,
    limits: &Limits,
) -> Result<Json> {
    let root = GraphNode::parse_with(text, limits)?;
    let table = schema
        .iter()
        .copied()
        .find(|table| table.name == root.name)
        .ok_or_else(|| Error::Input {
            message: format!("graph query: no table `{}`", root.name),
        })?;
    let mut query = root.json_query();
    // A relationship named without braces is loaded too (whole).
    add_bare_relationships(&root, table, schema, &mut query)?;
    let mut result = json_query_with(
        executor,
        schema,
        &Json::Object(Map::from_iter([(root.name.clone(), query)])),
        limits,
    )?;
    let rows = result
        .get_mut(&root.name)
        .map(Json::take)
        .unwrap_or(Json::Array(Vec::new()));
    Ok(project(rows, &root))
}

fn add_bare_relationships(
    node: &GraphNode,
    table: &'static TableInfo,
    schema: &[&'static TableInfo],
    query: &mut Json,
) -> Result<()> {
    for field in node.fields.iter().flatten() {
        if let Some(relation) = table.relation(&field.name) {
            let child = schema
                .iter()
                .copied()
                .find(|info| info.name == relation.to_table)
                .ok_or_else(|| Error::Input {
                    message: format!("graph query: no table `{}`", relation.to_table),
                })?;
            let entry = query.as_object_mut().map(|object| {
                object
                    .entry(field.name.clone())
                    .or_insert_with(|| Json::Object(Map::new()))
            });
            if let Some(entry) = entry {
                add_bare_relationships(field, child, schema, entry)?;
            }
        } else if field.fields.is_some() {
            return Err(Error::Input {
                message: format!(
                    "graph query: `{}` has no relationship \"{}\"",
                    table.name, field.name
                ),
            });
        } else if table.column(&field.name).is_none() {
            return Err(Error::Input {
                message: format!(
                    "graph query: \"{}\" is not a column or relationship of `{}`",
                    field.name, table.name
                ),
            });
        }
    }
    Ok(())
}

/// Keeps the fields `node` asks for, at every level.
fn project(value: Json, node: &GraphNode) -> Json {
    let Some(fields) = &node.fields else {
        return value;
    };
    match value {
        Json::Array(rows) => Json::Array(rows.into_iter().map(|row| project(row, node)).collect()),
        Json::Object(mut row) => {
            let mut kept = Map::new();
            for field in fields {
                if let Some(value) = row.remove(&field.name) {
                    kept.insert(field.name.clone(), project(value, field));
                }
            }
            Json::Object(kept)
        }
        other => other,
    }
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    /// Levels of `{ fields }` open around the node being read.
    depth: usize,
    max_depth: usize,
}

impl Parser<'_> {
    fn node(&mut self) -> Result<GraphNode> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(exceeded(
                &format!("graph query, at character {}", self.at),
                &format!("the query is {} levels deep here", grouped(self.depth)),
                self.max_depth,
                "max_query_depth",
            ));
        }
        let node = self.node_within();
        self.depth -= 1;
        node
    }

    fn node_within(&mut self) -> Result<GraphNode> {
        let name = self.name()?;
        self.skip_space();
        let filters = if self.peek() == Some(b'(') {
            self.at += 1;
            self.arguments()?
        } else {
            Map::new()
        };
        self.skip_space();
        let fields = if self.peek() == Some(b'{') {
            self.at += 1;
            let mut fields = Vec::new();
            loop {
                self.skip_space();
                match self.peek() {
                    Some(b'}') => {
                        self.at += 1;
                        break;
                    }
                    Some(b',') => self.at += 1,
                    Some(_) => fields.push(self.node()?),
                    None => return Err(self.error("expected `}`")),
                }
            }
            Some(fields)
        } else {
            None
        };
        Ok(GraphNode {
            name,
            filters,
            fields,
        })
    }

    fn arguments(&mut self) -> Result<Map<String, Json>> {
        let mut arguments = Map::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some(b')') => {
                    self.at += 1;
                    return Ok(arguments);
                }
                Some(b',') => self.at += 1,
                Some(_) => {
                    let name = self.name()?;
                    self.skip_space();
                    if self.peek() != Some(b':') {
                        return Err(self.error("expected `:` after an argument name"));
                    }
                    self.at += 1;
                    self.skip_space();
                    let value = self.value()?;
                    arguments.insert(name, value);
                }
                None => return Err(self.error("expected `)`")),
            }
        }
    }

    /// `null`, `true`, `false`, a number or a double-quoted string.
    fn value(&mut self) -> Result<Json> {
        if self.peek() == Some(b'"') {
            let start = self.at;
            self.at += 1;
            while let Some(byte) = self.peek() {
                self.at += 1;
                match byte {
                    b'\\' => self.at += 1,
                    b'"' => {
                        let literal = std::str::from_utf8(&self.text[start..self.at]).unwrap_or("");
                        return serde_json::from_str(literal)
                            .map_err(|_| self.error("a malformed string"));
                    }
                    _ => {}
                }
            }
            return Err(self.error("an unterminated string"));
        }
        let start = self.at;
        while let Some(byte) = self.peek() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'+' | b'.' | b'_') {
                self.at += 1;
            } else {
                break;
            }
        }
        let word = std::str::from_utf8(&self.text[start..self.at]).unwrap_or("");
        match word {
            "null" => Ok(Json::Null),
            "true" => Ok(Json::Bool(true)),
            "false" => Ok(Json::Bool(false)),
            number => serde_json::from_str::<serde_json::Number>(number)
                .map(Json::Number)
                .map_err(|_| self.error("expected null, true, false, a number or a \"string\"")),
        }
    }

    fn name(&mut self) -> Result<String> {
        self.skip_space();
        let start = self.at;
        while let Some(byte) = self.peek() {
            if byte.is_ascii_alphanumeric() || byte == b'_' {
                self.at += 1;
            } else {
                break;
            }
        }
        if start == self.at {
            return Err(self.error("expected a name"));
        }
        Ok(String::from_utf8_lossy(&self.text[start..self.at]).into_owned())
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn error(&self, message: &str) -> Error {
        Error::Input {
            message: format!("graph query, at character {}: {message}", self.at),
        }
    }
}
