//! The schema JSON: `_instant/cache/schema.json`, the `schema` column of `_instant_migrations`
//! and the argument of `setSchema`, in instant.dev's exact shape.
//!
//! Serializing a [`Schema`] gives the JSON instant.dev writes: implicit columns present, empty
//! `properties` and `behavior` left out, `indices` and `foreign_keys` sorted. Properties keep
//! exactly the keys that were given (instant.dev keeps `"nullable": true` when written out), so
//! they are `Option`s: `None` means "not given".

use std::cmp::Ordering;

use indexmap::IndexMap;
use serde::Serialize;

use crate::column_type;

/// A whole database schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schema {
    /// The id of the last migration applied, `null` before any.
    pub migration_id: Option<i64>,
    /// Kept sorted by `table|column|type`.
    pub indices: Vec<Index>,
    /// Kept sorted by `table|column|parentTable|parentColumn`.
    pub foreign_keys: Vec<ForeignKey>,
    /// Tables in the order they were created.
    pub tables: IndexMap<String, Table>,
}

/// One table: its name and its columns in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub name: String,
    /// An alias (`string`), the extension type `vector`, or a raw PostgreSQL type (`uuid`).
    #[serde(rename = "type")]
    pub column_type: String,
    #[serde(skip_serializing_if = "ColumnProperties::is_empty")]
    pub properties: ColumnProperties,
}

/// Column properties as given; `None` means "not given" (the default applies).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ColumnProperties {
    /// Stored and exposed, but never emitted as a SQL `DEFAULT` by instant.dev.
    /// `Some(Value::Null)` is an explicit `"defaultValue": null`.
    #[serde(rename = "defaultValue", skip_serializing_if = "Option::is_none")]
    pub default_value: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nullable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_increment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub array: Option<bool>,
    /// `varchar(255)`, `vector(1536)`. `Some(None)` is an explicit `"length": null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<Option<i64>>,
}

/// A single-column index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    pub table: String,
    pub column: String,
    /// `btree`, `hash`, `gist` or `gin`, or a vector index in its explicit form (`hnsw:cosine`,
    /// `ivfflat:ip`; see [`crate::index_type`]).
    #[serde(rename = "type")]
    pub index_type: String,
}

/// A foreign key from `table.column` to `parentTable.parentColumn`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    #[serde(rename = "parentTable")]
    pub parent_table: String,
    #[serde(rename = "parentColumn")]
    pub parent_column: String,
    #[serde(skip_serializing_if = "ForeignKeyBehavior::is_empty")]
    pub behavior: ForeignKeyBehavior,
}

/// How a foreign key behaves; `None` means "not given" (the default applies).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ForeignKeyBehavior {
    /// Schema-only: no constraint is created in the database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mock: Option<bool>,
    /// `ON DELETE CASCADE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cascade: Option<bool>,
    /// The child's relationship name on the parent (`as`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The parent's relationship name on the child (`name`).
    #[serde(rename = "parentAlias", skip_serializing_if = "Option::is_none")]
    pub parent_alias: Option<String>,
}

impl Schema {
    /// instant.dev's `SchemaManager.emptySchema()`.
    pub fn empty() -> Self {
        Schema {
            migration_id: None,
            indices: Vec::new(),
            foreign_keys: Vec::new(),
            tables: IndexMap::new(),
        }
    }

    /// The schema as a JSON value, in instant.dev's shape.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The schema as `_instant/cache/schema.json` is written: two-space indentation.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// The index on `table.column`, if any.
    pub fn index(&self, table: &str, column: &str) -> Option<&Index> {
        self.indices
            .iter()
            .find(|index| index.table == table && index.column == column)
    }

    /// The foreign key on `table.column`, if any.
    pub fn foreign_key(&self, table: &str, column: &str) -> Option<&ForeignKey> {
        self.foreign_keys
            .iter()
            .find(|fk| fk.table == table && fk.column == column)
    }

    /// Restores instant.dev's sort order of `indices` and `foreign_keys`.
    ///
    /// Replaying calls this after every `createIndex` and `createForeignKey`, so it compares the
    /// `|`-joined keys without building them: a history of 500 foreign keys would otherwise
    /// format over a million keys.
    pub fn sort(&mut self) {
        self.indices
            .sort_by(|a, b| cmp_joined(&a.sort_key_parts(), &b.sort_key_parts()));
        self.foreign_keys
            .sort_by(|a, b| cmp_joined(&a.sort_key_parts(), &b.sort_key_parts()));
    }
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// The column called `name`, for changing it.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|column| column.name == name)
    }
}

impl Column {
    /// A column of `column_type` with no properties given.
    pub fn new(name: impl Into<String>, column_type: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            column_type: column_type.into(),
            properties: ColumnProperties::default(),
        }
    }

    /// The effective properties: given ones, then the alias's implied ones, then the defaults
    /// (instant.dev's `getColumnProperties`).
    pub fn effective(&self) -> EffectiveProperties {
        let implied = column_type::alias(&self.column_type)
            .map(|alias| alias.implied)
            .unwrap_or_default();
        let p = &self.properties;
        EffectiveProperties {
            nullable: p.nullable.unwrap_or(!implied.nullable_false),
            unique: p.unique.unwrap_or(false),
            primary_key: p.primary_key.unwrap_or(implied.primary_key),
            auto_increment: p.auto_increment.unwrap_or(implied.auto_increment),
            array: p.array.unwrap_or(false),
            length: p.length.flatten(),
            default_value: p.default_value.clone().filter(|v| !v.is_null()),
        }
    }
}

/// A column's properties with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveProperties {
    pub nullable: bool,
    pub unique: bool,
    pub primary_key: bool,
    pub auto_increment: bool,
    pub array: bool,
    pub length: Option<i64>,
    pub default_value: Option<serde_json::Value>,
}

impl ColumnProperties {
    /// True when no property was given.
    pub fn is_empty(&self) -> bool {
        *self == ColumnProperties::default()
    }
}

impl ForeignKeyBehavior {
    /// True when no behavior was given.
    pub fn is_empty(&self) -> bool {
        *self == ForeignKeyBehavior::default()
    }
}

impl Index {
    /// instant.dev sorts indices by `table|column|type`.
    fn sort_key_parts(&self) -> [&str; 3] {
        [&self.table, &self.column, &self.index_type]
    }
}

impl ForeignKey {
    /// instant.dev sorts foreign keys by `table|column|parentTable|parentColumn`.
    fn sort_key_parts(&self) -> [&str; 4] {
        [
            &self.table,
            &self.column,
            &self.parent_table,
            &self.parent_column,
        ]
    }
}

/// Compares `a` and `b` as the strings `a.join("|")` and `b.join("|")` would compare (byte by
/// byte), without joining them. Not the same as comparing the parts one by one: `ab|x` sorts
/// after `ab!|x`, but `ab` sorts before `ab!`.
fn cmp_joined(a: &[&str], b: &[&str]) -> Ordering {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if x == y {
            continue;
        }
        let common = x.len().min(y.len());
        return match x.as_bytes()[..common].cmp(&y.as_bytes()[..common]) {
            // One part is a prefix of the other: what follows it (`|` or the next part)
            // decides, so compare the rest byte by byte.
            Ordering::Equal => joined_bytes(&a[i..]).cmp(joined_bytes(&b[i..])),
            unequal => unequal,
        };
    }
    a.len().cmp(&b.len())
}

fn joined_bytes<'a>(parts: &'a [&'a str]) -> impl Iterator<Item = u8> + 'a {
    parts
        .iter()
        .enumerate()
        .flat_map(|(i, part)| (i > 0).then_some(b'|').into_iter().chain(part.bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_compare_as_their_joined_keys() {
        let words = ["", "a", "ab", "ab!", "ab~", "ab|", "b", "é", "a|b"];
        for a1 in words {
            for a2 in words {
                for b1 in words {
                    for b2 in words {
                        let (a, b) = ([a1, a2], [b1, b2]);
                        assert_eq!(
                            cmp_joined(&a, &b),
                            a.join("|").cmp(&b.join("|")),
                            "{a:?} vs {b:?}"
                        );
                    }
                }
            }
        }
    }
}
