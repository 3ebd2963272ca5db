//! Prepared statements and the columns they return.

use std::fmt;
use std::sync::{Arc, Mutex};

use postgres_types::Type;

/// A statement prepared on one [`Client`](crate::Client): its parameter types and result
/// columns. Cheap to clone; the server forgets it (Close) once every clone is dropped, at the
/// client's next request.
#[derive(Clone)]
pub struct Statement(Arc<Inner>);

struct Inner {
    name: String,
    params: Vec<Type>,
    columns: Arc<[Column]>,
    /// The client's list of statements to close; `None` for the unnamed statement, which the
    /// server replaces by itself.
    closer: Option<Closer>,
}

/// Names of dropped statements, closed by the client with its next request.
pub(crate) type Closer = Arc<Mutex<Vec<String>>>;

impl Statement {
    pub(crate) fn new(
        name: String,
        params: Vec<Type>,
        columns: Vec<Column>,
        closer: Option<Closer>,
    ) -> Statement {
        Statement(Arc::new(Inner {
            name,
            params,
            columns: columns.into(),
            closer,
        }))
    }

    pub(crate) fn name(&self) -> &str {
        &self.0.name
    }

    /// The types of the statement's parameters, `$1` first.
    pub fn params(&self) -> &[Type] {
        &self.0.params
    }

    /// The columns the statement returns (none for a statement without rows).
    pub fn columns(&self) -> &[Column] {
        &self.0.columns
    }

    pub(crate) fn shared_columns(&self) -> &Arc<[Column]> {
        &self.0.columns
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(closer) = &self.closer
            && let Ok(mut names) = closer.lock()
        {
            names.push(std::mem::take(&mut self.name));
        }
    }
}

impl fmt::Debug for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Statement")
            .field("name", &self.0.name)
            .field("params", &self.0.params)
            .field("columns", &self.0.columns)
            .finish()
    }
}

/// A result column: its name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub(crate) name: String,
    pub(crate) type_: Type,
    pub(crate) table_oid: Option<u32>,
    pub(crate) column_id: Option<i16>,
}

impl Column {
    /// The column's name (its alias when the statement gives one).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The column's type.
    pub fn type_(&self) -> &Type {
        &self.type_
    }

    /// The table the column comes from, when it is a table's column.
    pub fn table_oid(&self) -> Option<u32> {
        self.table_oid
    }

    /// The column's number in that table.
    pub fn column_id(&self) -> Option<i16> {
        self.column_id
    }
}

/// What a call runs: SQL text, prepared as the unnamed statement on the way (two messages
/// in one round trip, and the server replaces it with the next), or a [`Statement`] prepared
/// before. The query methods take anything that converts into one: `&str`, `&String`,
/// `&Statement`.
///
/// An enum rather than a trait: the two kinds are all there is, the client branches on them
/// once, and a caller that holds either (the ORM's cache hands out one or the other) passes
/// it on by value, without a trait object or a generic of its own.
#[derive(Debug, Clone, Copy)]
pub enum Sql<'a> {
    /// SQL text.
    Text(&'a str),
    /// A statement prepared on the same client.
    Prepared(&'a Statement),
}

impl<'a> From<&'a str> for Sql<'a> {
    fn from(text: &'a str) -> Self {
        Sql::Text(text)
    }
}

impl<'a> From<&'a String> for Sql<'a> {
    fn from(text: &'a String) -> Self {
        Sql::Text(text)
    }
}

/// For a `&str` passed by reference, as a `String` is.
impl<'a> From<&'a &str> for Sql<'a> {
    fn from(text: &'a &str) -> Self {
        Sql::Text(text)
    }
}

impl<'a> From<&'a Statement> for Sql<'a> {
    fn from(statement: &'a Statement) -> Self {
        Sql::Prepared(statement)
    }
}
