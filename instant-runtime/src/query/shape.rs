//! Statement shapes: what decides a statement's SQL text apart from the values it binds.
//!
//! Building a statement with sea-query (the tree, the text, the values) costs more client time
//! than the rest of a one-row query. A query built the same way every time — the usual case
//! in application code — has the same SQL every time with different values, so a connection
//! keeps the prepared statement of each shape it has run ([`Connection::query_shaped`]), and
//! later runs only collect the values. The values are collected by walking the query in the
//! order its SQL text binds them; the first run of a shape checks that walk against what
//! sea-query bound, and a shape is only kept when they agree.
//!
//! A shape is a list of words: a kind, the addresses of the `'static` descriptors a query is
//! made of (tables, columns, relationships: the same address means the same content, so the
//! same SQL), operator codes and the kinds of the bound values. Anything a shape cannot
//! describe (vector searches, computed columns) makes the query unshaped, and it is built
//! with sea-query every time.
//!
//! [`Connection::query_shaped`]: crate::db::Connection::query_shaped

use std::hash::{BuildHasherDefault, Hash, Hasher};

use sea_query::Value;
use sea_query_postgres::PostgresValue;

use super::filter::{Filter, Test};
use super::order::Term;
use crate::descriptor::{ColumnInfo, RelationInfo, TableInfo};

/// The statement kinds whose shapes are kept, the first word of a shape.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    /// A query's rows (`Query::select`).
    Rows = 1,
    /// A query's rows with their first join `LEFT JOIN`ed.
    RowsJoined,
    /// A join's related rows, by an array of keys.
    Related,
    /// A model's multi-row `INSERT … RETURNING` for a number of rows.
    Insert,
    /// The same `INSERT` without `RETURNING`, for a number of rows.
    InsertWithoutReturning,
}

/// See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape(Vec<u64>);

/// Word by word: a slice of `u64`s would be hashed as bytes, eight at a time.
impl Hash for Shape {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for word in &self.0 {
            state.write_u64(*word);
        }
    }
}

/// The values a statement binds, `$1…` in order.
pub(crate) type Bindings = Vec<PostgresValue>;

impl Shape {
    pub fn new(kind: Kind) -> Shape {
        // Room for a joined query's words (over 16 for the medium query), so that the list is
        // allocated once: growing it cost ~700 instructions a query.
        let mut words = Vec::with_capacity(32);
        words.push(kind as u64);
        Shape(words)
    }

    pub fn word(&mut self, word: u64) {
        self.0.push(word);
    }

    pub fn flag(&mut self, flag: bool) {
        self.0.push(flag.into());
    }

    /// A `'static` descriptor, by address.
    pub fn item<T>(&mut self, item: &'static T) {
        self.0.push(item as *const T as usize as u64);
    }

    /// A `'static` list of descriptors, by address and length.
    pub fn items<T>(&mut self, items: &'static [T]) {
        self.0.push(items.as_ptr() as usize as u64);
        self.0.push(items.len() as u64);
    }

    pub fn table(&mut self, table: &'static TableInfo) {
        self.item(table);
    }

    pub fn column(&mut self, column: &'static ColumnInfo) {
        self.item(column);
    }

    pub fn relation(&mut self, relation: &'static RelationInfo) {
        self.item(relation);
    }

    /// The kind of a bound value (a `NULL` of a type is a kind of its own).
    fn value(&mut self, value: &Value) {
        let mut hasher = ShapeHasher::default();
        std::mem::discriminant(value).hash(&mut hasher);
        if let Value::Array(kind, items) = value {
            std::mem::discriminant(kind).hash(&mut hasher);
            items.is_some().hash(&mut hasher);
        }
        self.0.push(hasher.finish());
    }
}

/// The hasher of shapes and join keys: their words come from the program and the database,
/// not from an attacker who could pick colliding ones, so a multiply-rotate (FxHash's)
/// replaces SipHash, whose cost showed per query and per row.
#[derive(Default)]
pub(crate) struct ShapeHasher(u64);

/// A `HashMap` hasher of [`ShapeHasher`]s.
pub(crate) type BuildShapeHasher = BuildHasherDefault<ShapeHasher>;

impl Hasher for ShapeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_i64(&mut self, value: i64) {
        self.write_u64(value as u64);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn write_isize(&mut self, value: isize) {
        self.write_u64(value as u64);
    }
}

impl Filter {
    /// The filter's shape; every filter has one.
    pub(crate) fn shape(&self, shape: &mut Shape) {
        match self {
            Filter::Test { column, test } => {
                shape.word(1);
                shape.column(column);
                test.shape(shape);
            }
            Filter::All(filters) | Filter::Any(filters) => {
                shape.word(if matches!(self, Filter::All(_)) { 2 } else { 3 });
                shape.word(filters.len() as u64);
                for filter in filters {
                    filter.shape(shape);
                }
            }
            Filter::Not(filter) => {
                shape.word(4);
                filter.shape(shape);
            }
            Filter::Exists { relation, filter } => {
                shape.word(5);
                shape.relation(relation);
                filter.shape(shape);
            }
        }
    }

    /// The filter's values, in the order its SQL binds them.
    pub(crate) fn bind(&self, values: &mut Bindings) {
        match self {
            Filter::Test { test, .. } => test.bind(values),
            Filter::All(filters) | Filter::Any(filters) => {
                for filter in filters {
                    filter.bind(values);
                }
            }
            Filter::Not(filter) | Filter::Exists { filter, .. } => filter.bind(values),
        }
    }
}

impl Test {
    fn shape(&self, shape: &mut Shape) {
        match self {
            Test::Compare(comparison, value) => {
                shape.word(10 + *comparison as u64);
                shape.value(value);
            }
            Test::Is(keyword) => shape.word(20 + *keyword as u64),
            Test::Like {
                case_insensitive,
                negated,
                ..
            } => {
                shape.word(30);
                shape.flag(*case_insensitive);
                shape.flag(*negated);
            }
            Test::In(values) => {
                shape.word(31);
                shape.value(values);
            }
            Test::NotIn(values) => {
                shape.word(32);
                shape.value(values);
            }
            Test::ArrayContains { values, negated } => {
                shape.word(33);
                shape.value(values);
                shape.flag(*negated);
            }
            Test::ArrayIntersects { values, negated } => {
                shape.word(34);
                shape.value(values);
                shape.flag(*negated);
            }
            Test::KeyEq { value, .. } => {
                shape.word(35);
                shape.flag(value.is_some());
            }
            Test::HasKey(_) => shape.word(36),
            Test::Never => shape.word(37),
        }
    }

    fn bind(&self, values: &mut Bindings) {
        let mut push = |value: Value| values.push(PostgresValue(value));
        match self {
            Test::Compare(_, value)
            | Test::In(value)
            | Test::NotIn(value)
            | Test::ArrayContains { values: value, .. }
            | Test::ArrayIntersects { values: value, .. } => push(value.clone()),
            Test::Like { pattern, .. } => push(Value::from(pattern.as_str())),
            Test::KeyEq { key, value } => {
                push(Value::from(key.as_str()));
                if let Some(value) = value {
                    push(Value::from(value.as_str()));
                }
            }
            Test::HasKey(key) => push(Value::from(key.as_str())),
            Test::Is(_) | Test::Never => {}
        }
    }
}

impl Term {
    /// The term's shape; `false` for a vector search, which has none.
    pub(crate) fn shape(&self, descending: bool, shape: &mut Shape) -> bool {
        shape.flag(descending);
        match self {
            Term::Column(column) => {
                shape.word(1);
                shape.column(column);
            }
            Term::ColumnNullsFirst(column) => {
                shape.word(4);
                shape.column(column);
            }
            Term::Related(relation, column) => {
                shape.word(2);
                shape.relation(relation);
                shape.column(column);
            }
            Term::Sql(sql, params) => {
                shape.word(3);
                shape.word(sql.as_ptr() as usize as u64);
                shape.word(sql.len() as u64);
                shape.word(params.len() as u64);
                for param in params {
                    shape.value(param);
                }
            }
            Term::Search(_) => return false,
        }
        true
    }

    pub(crate) fn bind(&self, values: &mut Bindings) {
        if let Term::Sql(_, params) = self {
            values.extend(params.iter().cloned().map(PostgresValue));
        }
    }
}

/// The most values a statement kept for its shape binds. Telling them apart compares every
/// pair, which for the 50 000 values of a long OR took half a minute; a statement that large
/// is a one-off, not worth keeping anyway.
const MOST_KEPT_VALUES: usize = 256;

/// Whether `shaped` (the values collected for a shape) are what sea-query bound for the
/// statement, in the same order, and tell the order apart: all different, so that no two
/// values could have been bound the other way round. Never for more than
/// [`MOST_KEPT_VALUES`] values.
pub(crate) fn binds_as(shaped: &[PostgresValue], rendered: &[PostgresValue]) -> bool {
    shaped.len() <= MOST_KEPT_VALUES
        && shaped == rendered
        && shaped
            .iter()
            .enumerate()
            .all(|(index, value)| !shaped[index + 1..].contains(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(value: impl Into<Value>) -> PostgresValue {
        PostgresValue(value.into())
    }

    #[test]
    fn only_distinct_values_in_the_same_order_bind_as_rendered() {
        let shaped = [value(1_i64), value("a")];
        assert!(binds_as(&shaped, &[value(1_i64), value("a")]));
        assert!(!binds_as(&shaped, &[value("a"), value(1_i64)]));
        let repeated = [value("a"), value("a")];
        assert!(!binds_as(&repeated, &repeated));
        let many: Vec<PostgresValue> = (0..=MOST_KEPT_VALUES as i64).map(value).collect();
        assert!(!binds_as(&many, &many));
        assert!(binds_as(&many[1..], &many[1..]));
    }
}
