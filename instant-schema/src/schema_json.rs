//! Reading the schema JSON (`schema.json`, `setSchema`'s argument, `_instant_migrations.schema`)
//! into a [`Schema`], with instant.dev's `SchemaManager.validate` rules and a few stricter ones.
//!
//! instant.dev only checks shapes loosely (an object with at most N keys, some strings). We
//! require the exact keys, typed property values and known column types, so a typo is reported
//! where it is rather than surfacing later as a broken model. Every error names the JSON
//! location and says what was expected and what was found.
//!
//! The small readers at the bottom (`object`, `string`, …) are shared with the migration-file
//! parser so that both speak with one voice.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::column_type;
use crate::error::{Error, Result, describe};
use crate::index_type::IndexType;
use crate::json_path::JsonPath;
use crate::schema::{
    Column, ColumnProperties, ForeignKey, ForeignKeyBehavior, Index, Schema, Table,
};

/// The keys a column's `properties` may hold (instant.dev's `typePropertyDefaults`).
pub const PROPERTY_KEYS: &[&str] = &[
    "defaultValue",
    "nullable",
    "unique",
    "primary_key",
    "auto_increment",
    "array",
    "length",
];

/// The keys a foreign key's `behavior` may hold (instant.dev's `foreignKeyBehaviorDefaults`).
pub const BEHAVIOR_KEYS: &[&str] = &["mock", "cascade", "alias", "parentAlias"];

impl Schema {
    /// Reads a schema JSON value, as `SchemaManager.validate` does, and sorts `indices` and
    /// `foreign_keys` into instant.dev's order.
    ///
    /// ```
    /// use instant_schema::Schema;
    /// let json = serde_json::json!({
    ///     "migration_id": 1, "indices": [], "foreign_keys": [],
    ///     "tables": {"users": {"name": "users", "columns": [{"name": "id", "type": "serial"}]}}
    /// });
    /// let schema = Schema::from_json(&json).unwrap();
    /// assert_eq!(schema.to_json(), json);
    /// ```
    pub fn from_json(value: &Value) -> Result<Schema> {
        parse_schema(value, &JsonPath::root())
    }
}

/// Reads the schema at `at` (the document root, or `up[0][1]` for a `setSchema` argument).
pub(crate) fn parse_schema(value: &Value, at: &JsonPath) -> Result<Schema> {
    const KEYS: &[&str] = &["migration_id", "indices", "foreign_keys", "tables"];
    let map = object(value, at, "a schema")?;
    only_keys(map, at, KEYS, "a schema")?;

    let migration_id = match required(map, at, "migration_id", "a schema")? {
        Value::Null => None,
        value => Some(value.as_i64().ok_or_else(|| {
            Error::invalid(
                &at.key("migration_id"),
                format!(
                    "expected null or an integer migration id, found {}",
                    describe(value)
                ),
            )
        })?),
    };

    let indices_at = at.key("indices");
    let mut indices = Vec::new();
    for (i, entry) in array(
        required(map, at, "indices", "a schema")?,
        &indices_at,
        "the list of indices",
    )?
    .iter()
    .enumerate()
    {
        let entry_at = indices_at.index(i);
        let index = parse_index(entry, &entry_at)?;
        if indices
            .iter()
            .any(|other: &Index| other.table == index.table && other.column == index.column)
        {
            return Err(Error::invalid(
                &entry_at,
                format!(
                    "a second index on \"{}\".\"{}\"; only one index per column is allowed",
                    index.table, index.column
                ),
            ));
        }
        indices.push(index);
    }

    let foreign_keys_at = at.key("foreign_keys");
    let mut foreign_keys = Vec::new();
    for (i, entry) in array(
        required(map, at, "foreign_keys", "a schema")?,
        &foreign_keys_at,
        "the list of foreign keys",
    )?
    .iter()
    .enumerate()
    {
        let entry_at = foreign_keys_at.index(i);
        let foreign_key = parse_foreign_key(entry, &entry_at)?;
        if foreign_keys
            .iter()
            .any(|(_, other): &(JsonPath, ForeignKey)| {
                other.table == foreign_key.table && other.column == foreign_key.column
            })
        {
            return Err(Error::invalid(
                &entry_at,
                format!(
                    "a second foreign key on \"{}\".\"{}\"; only one per column is allowed",
                    foreign_key.table, foreign_key.column
                ),
            ));
        }
        foreign_keys.push((entry_at, foreign_key));
    }

    let tables_at = at.key("tables");
    let tables_map = object(
        required(map, at, "tables", "a schema")?,
        &tables_at,
        "the tables (an object keyed by table name)",
    )?;
    let mut tables = IndexMap::new();
    for (name, table) in tables_map {
        let table = parse_table(name, table, &tables_at.key(name.as_str()))?;
        tables.insert(name.clone(), table);
    }

    // instant.dev's `setSchema` builds a model per table and then joins them along the foreign
    // keys, failing on a table it does not know.
    for (entry_at, foreign_key) in &foreign_keys {
        for (key, table) in [
            ("table", &foreign_key.table),
            ("parentTable", &foreign_key.parent_table),
        ] {
            if !tables.contains_key(table.as_str()) {
                return Err(Error::invalid(
                    &entry_at.key(key),
                    format!("foreign key refers to table \"{table}\", which is not in \"tables\""),
                ));
            }
        }
    }

    // Our extension: a vector index names a distance of a `vector` column, so the column must
    // be there and be one (instant.dev's own index types are not checked against the tables).
    for (i, index) in indices.iter().enumerate() {
        let kind = IndexType::parse(&index.index_type)
            .map_err(|message| Error::invalid(&indices_at.index(i).key("type"), message))?;
        if kind.vector().is_none() {
            continue;
        }
        let column = tables
            .get(index.table.as_str())
            .and_then(|table| table.column(&index.column))
            .ok_or_else(|| {
                Error::invalid(
                    &indices_at.index(i).key("column"),
                    format!(
                        "index type \"{kind}\" on \"{}\".\"{}\", which is not in \"tables\"",
                        index.table, index.column
                    ),
                )
            })?;
        kind.check_column(&index.table, column)
            .map_err(|message| Error::invalid(&indices_at.index(i).key("type"), message))?;
    }

    let mut schema = Schema {
        migration_id,
        indices,
        foreign_keys: foreign_keys.into_iter().map(|(_, fk)| fk).collect(),
        tables,
    };
    schema.sort();
    Ok(schema)
}

fn parse_index(value: &Value, at: &JsonPath) -> Result<Index> {
    const WHAT: &str = "an index";
    let map = object(value, at, WHAT)?;
    only_keys(map, at, &["table", "column", "type"], WHAT)?;
    let table = string(
        required(map, at, "table", WHAT)?,
        &at.key("table"),
        "a table name",
    )?;
    let column = string(
        required(map, at, "column", WHAT)?,
        &at.key("column"),
        "a column name",
    )?;
    crate::command::check_index_column(&column, &at.key("column"))?;
    let type_at = at.key("type");
    let written = string(required(map, at, "type", WHAT)?, &type_at, "an index type")?;
    // Stored explicitly (`hnsw` becomes `hnsw:cosine`), as replay and introspection give it.
    let index_type = check_index_type(&written, &type_at)?.to_string();
    Ok(Index {
        table,
        column,
        index_type,
    })
}

fn parse_foreign_key(value: &Value, at: &JsonPath) -> Result<ForeignKey> {
    const WHAT: &str = "a foreign key";
    let map = object(value, at, WHAT)?;
    only_keys(
        map,
        at,
        &["table", "column", "parentTable", "parentColumn", "behavior"],
        WHAT,
    )?;
    let text = |key: &str, what: &str| string(required(map, at, key, WHAT)?, &at.key(key), what);
    let table = text("table", "a table name")?;
    let column = text("column", "a column name")?;
    let parent_table = text("parentTable", "a table name")?;
    let parent_column = text("parentColumn", "a column name")?;
    // A schema keeps the behavior exactly as given (`"cascade": false` stays); only an empty
    // (or null) behavior is dropped.
    let behavior = match map.get("behavior") {
        None | Some(Value::Null) => ForeignKeyBehavior::default(),
        Some(value) => parse_behavior(value, &at.key("behavior"))?,
    };
    Ok(ForeignKey {
        table,
        column,
        parent_table,
        parent_column,
        behavior,
    })
}

fn parse_table(name: &str, value: &Value, at: &JsonPath) -> Result<Table> {
    const WHAT: &str = "a table";
    let map = object(value, at, WHAT)?;
    only_keys(map, at, &["name", "columns"], WHAT)?;
    let table_name = string(
        required(map, at, "name", WHAT)?,
        &at.key("name"),
        "the table name",
    )?;
    if table_name != name {
        return Err(Error::invalid(
            &at.key("name"),
            format!("expected the table's key \"{name}\", found \"{table_name}\""),
        ));
    }
    let columns_at = at.key("columns");
    let mut columns: Vec<Column> = Vec::new();
    for (i, column) in array(
        required(map, at, "columns", WHAT)?,
        &columns_at,
        "the list of columns",
    )?
    .iter()
    .enumerate()
    {
        let column = parse_column(column, &columns_at.index(i))?;
        if columns.iter().any(|other| other.name == column.name) {
            return Err(Error::invalid(
                &columns_at.index(i).key("name"),
                format!(
                    "a second column named \"{}\" in table \"{name}\"",
                    column.name
                ),
            ));
        }
        columns.push(column);
    }
    Ok(Table {
        name: table_name,
        columns,
    })
}

/// A column `{name, type, properties?}`, as a schema stores it and as `createTable` lists it:
/// properties exactly as given (normalization is the command's business).
pub(crate) fn parse_column(value: &Value, at: &JsonPath) -> Result<Column> {
    let map = object(value, at, "a column")?;
    only_keys(map, at, &["name", "type", "properties"], "a column")?;
    let name = string(
        required(map, at, "name", "a column")?,
        &at.key("name"),
        "a column name",
    )?;
    let column_type = column_type(required(map, at, "type", "a column")?, &at.key("type"))?;
    let properties = match map.get("properties") {
        None => ColumnProperties::default(),
        Some(value) => parse_column_properties(value, &at.key("properties"))?,
    };
    Ok(Column {
        name,
        column_type,
        properties,
    })
}

/// Reads column `properties`: only instant.dev's keys, each with a value of the right type.
pub(crate) fn parse_column_properties(value: &Value, at: &JsonPath) -> Result<ColumnProperties> {
    let map = object(value, at, "column properties")?;
    let mut properties = ColumnProperties::default();
    for (key, value) in map {
        let key_at = at.key(key.as_str());
        match key.as_str() {
            "defaultValue" => properties.default_value = Some(value.clone()),
            "nullable" => properties.nullable = Some(boolean(value, &key_at)?),
            "unique" => properties.unique = Some(boolean(value, &key_at)?),
            "primary_key" => properties.primary_key = Some(boolean(value, &key_at)?),
            "auto_increment" => properties.auto_increment = Some(boolean(value, &key_at)?),
            "array" => properties.array = Some(boolean(value, &key_at)?),
            "length" => {
                properties.length = Some(match value {
                    Value::Null => None,
                    value => Some(value.as_i64().filter(|n| *n > 0).ok_or_else(|| {
                        Error::invalid(
                            &key_at,
                            format!(
                                "expected a length (an integer greater than 0) or null, found {}",
                                describe(value)
                            ),
                        )
                    })?),
                })
            }
            _ => {
                return Err(Error::invalid(
                    &key_at,
                    format!(
                        "unknown column property \"{key}\"; expected one of {}",
                        quoted_list(PROPERTY_KEYS)
                    ),
                ));
            }
        }
    }
    Ok(properties)
}

/// Reads a foreign key `behavior` exactly as given (no defaults removed).
pub(crate) fn parse_behavior(value: &Value, at: &JsonPath) -> Result<ForeignKeyBehavior> {
    let map = object(value, at, "a foreign key behavior")?;
    let mut behavior = ForeignKeyBehavior::default();
    for (key, value) in map {
        let key_at = at.key(key.as_str());
        match key.as_str() {
            "mock" => behavior.mock = Some(boolean(value, &key_at)?),
            "cascade" => behavior.cascade = Some(boolean(value, &key_at)?),
            "alias" => behavior.alias = optional_string(value, &key_at, "a relationship name")?,
            "parentAlias" => {
                behavior.parent_alias = optional_string(value, &key_at, "a relationship name")?
            }
            _ => {
                return Err(Error::invalid(
                    &key_at,
                    format!(
                        "unknown foreign key behavior \"{key}\"; expected one of {}",
                        quoted_list(BEHAVIOR_KEYS)
                    ),
                ));
            }
        }
    }
    Ok(behavior)
}

/// A column type instant.dev accepts: an alias, `vector` or a PostgreSQL type.
pub(crate) fn column_type(value: &Value, at: &JsonPath) -> Result<String> {
    let name = string(value, at, "a column type")?;
    check_column_type(&name, at)?;
    Ok(name)
}

/// Fails unless `name` is a column type instant.dev accepts.
pub(crate) fn check_column_type(name: &str, at: &JsonPath) -> Result<()> {
    if column_type::is_known(name) {
        return Ok(());
    }
    let aliases: Vec<&str> = column_type::ALIASES
        .iter()
        .map(|alias| alias.name)
        .collect();
    Err(Error::invalid(
        at,
        format!(
            "unknown column type \"{name}\"; expected an alias ({}), \"vector\" or a PostgreSQL type such as \"uuid\", \"integer\" or \"timestamp with time zone\"",
            quoted_list(&aliases)
        ),
    ))
}

/// An index type as written: one of instant.dev's methods or a vector index (`hnsw`,
/// `hnsw:ip`, …). A command keeps it so; a schema stores [`IndexType`]'s explicit form.
pub(crate) fn index_type(value: &Value, at: &JsonPath) -> Result<String> {
    let name = string(value, at, "an index type")?;
    check_index_type(&name, at)?;
    Ok(name)
}

/// Fails unless `name` is `btree`, `hash`, `gist`, `gin` or a vector index type.
pub(crate) fn check_index_type(name: &str, at: &JsonPath) -> Result<IndexType> {
    IndexType::parse(name).map_err(|message| Error::invalid(at, message))
}

// ---- small readers shared with the migration parser ----

/// The object at `at`, or an error naming `what` was expected.
pub(crate) fn object<'a>(
    value: &'a Value,
    at: &JsonPath,
    what: &str,
) -> Result<&'a Map<String, Value>> {
    value.as_object().ok_or_else(|| {
        Error::invalid(
            at,
            format!("expected {what} (an object), found {}", describe(value)),
        )
    })
}

/// The array at `at`, or an error naming `what` was expected.
pub(crate) fn array<'a>(value: &'a Value, at: &JsonPath, what: &str) -> Result<&'a Vec<Value>> {
    value.as_array().ok_or_else(|| {
        Error::invalid(
            at,
            format!("expected {what} (an array), found {}", describe(value)),
        )
    })
}

/// Fails on the first key of `map` not in `allowed`.
pub(crate) fn only_keys(
    map: &Map<String, Value>,
    at: &JsonPath,
    allowed: &[&str],
    what: &str,
) -> Result<()> {
    match map.keys().find(|key| !allowed.contains(&key.as_str())) {
        None => Ok(()),
        Some(key) => Err(Error::invalid(
            &at.key(key.as_str()),
            format!(
                "unexpected key \"{key}\" in {what}; expected only {}",
                quoted_list(allowed)
            ),
        )),
    }
}

/// The value under `key`, or an error saying `what` lacks it.
pub(crate) fn required<'a>(
    map: &'a Map<String, Value>,
    at: &JsonPath,
    key: &str,
    what: &str,
) -> Result<&'a Value> {
    map.get(key)
        .ok_or_else(|| Error::invalid(at, format!("{what} is missing the key \"{key}\"")))
}

/// A non-empty string.
pub(crate) fn string(value: &Value, at: &JsonPath, what: &str) -> Result<String> {
    match value.as_str() {
        Some(text) if !text.is_empty() => Ok(text.to_string()),
        _ => Err(Error::invalid(
            at,
            format!(
                "expected {what} (a non-empty string), found {}",
                describe(value)
            ),
        )),
    }
}

fn optional_string(value: &Value, at: &JsonPath, what: &str) -> Result<Option<String>> {
    match value {
        Value::Null => Ok(None),
        value => string(value, at, what).map(Some),
    }
}

/// `true` or `false`.
pub(crate) fn boolean(value: &Value, at: &JsonPath) -> Result<bool> {
    value.as_bool().ok_or_else(|| {
        Error::invalid(
            at,
            format!(
                "expected a boolean (true or false), found {}",
                describe(value)
            ),
        )
    })
}

/// `"a", "b", "c"` for messages.
pub(crate) fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("\"{item}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn error(value: Value) -> String {
        Schema::from_json(&value).unwrap_err().to_string()
    }

    fn schema(tables: Value) -> Value {
        json!({"migration_id": null, "indices": [], "foreign_keys": [], "tables": tables})
    }

    #[test]
    fn round_trips_instant_dev_shape() {
        let json = json!({
            "migration_id": 20230921192702_i64,
            "indices": [{"table": "users", "column": "email", "type": "btree"}],
            "foreign_keys": [{"table": "posts", "column": "user_id", "parentTable": "users",
                              "parentColumn": "id", "behavior": {"cascade": true, "mock": false}}],
            "tables": {
                "users": {"name": "users", "columns": [
                    {"name": "id", "type": "serial"},
                    {"name": "email", "type": "string", "properties": {"nullable": false, "unique": true, "length": null}},
                    {"name": "meta", "type": "json", "properties": {"defaultValue": null}}
                ]},
                "posts": {"name": "posts", "columns": [
                    {"name": "id", "type": "serial"},
                    {"name": "user_id", "type": "int"},
                    {"name": "embedding", "type": "vector", "properties": {"length": 3}}
                ]}
            }
        });
        let schema = Schema::from_json(&json).unwrap();
        assert_eq!(schema.to_json(), json);
    }

    #[test]
    fn drops_empty_properties_and_behavior_and_sorts() {
        let json = json!({
            "migration_id": null,
            "indices": [
                {"table": "b", "column": "x", "type": "btree"},
                {"table": "a", "column": "x", "type": "hash"}
            ],
            "foreign_keys": [{"table": "a", "column": "id", "parentTable": "b", "parentColumn": "id", "behavior": {}}],
            "tables": {
                "a": {"name": "a", "columns": [{"name": "id", "type": "serial", "properties": {}}]},
                "b": {"name": "b", "columns": [{"name": "id", "type": "serial"}]}
            }
        });
        let out = Schema::from_json(&json).unwrap().to_json();
        assert_eq!(out["indices"][0]["table"], "a");
        assert_eq!(
            out["foreign_keys"][0],
            json!({"table": "a", "column": "id", "parentTable": "b", "parentColumn": "id"})
        );
        assert_eq!(
            out["tables"]["a"]["columns"][0],
            json!({"name": "id", "type": "serial"})
        );
    }

    #[test]
    fn reports_where_and_what() {
        assert_eq!(
            error(json!([])),
            "expected a schema (an object), found array []"
        );
        assert_eq!(
            error(
                json!({"migration_id": null, "indices": [], "foreign_keys": [], "tables": {}, "x": 1})
            ),
            "at x: unexpected key \"x\" in a schema; expected only \"migration_id\", \"indices\", \"foreign_keys\", \"tables\""
        );
        assert_eq!(
            error(json!({"migration_id": "1", "indices": [], "foreign_keys": [], "tables": {}})),
            "at migration_id: expected null or an integer migration id, found string \"1\""
        );
        assert_eq!(
            error(json!({"indices": [], "foreign_keys": [], "tables": {}})),
            "a schema is missing the key \"migration_id\""
        );
        assert_eq!(
            error(schema(json!({"users": {"name": "people", "columns": []}}))),
            "at tables.users.name: expected the table's key \"users\", found \"people\""
        );
        assert_eq!(
            error(schema(json!({"users": {"name": "users", "columns": [
                {"name": "a", "type": "string", "properties": {"nullable": "yes"}}]}}))),
            "at tables.users.columns[0].properties.nullable: expected a boolean (true or false), found string \"yes\""
        );
        assert_eq!(
            error(schema(json!({"users": {"name": "users", "columns": [
                {"name": "a", "type": "string", "properties": {"size": 3}}]}}))),
            "at tables.users.columns[0].properties.size: unknown column property \"size\"; expected one of \"defaultValue\", \"nullable\", \"unique\", \"primary_key\", \"auto_increment\", \"array\", \"length\""
        );
        assert!(
            error(schema(
                json!({"users": {"name": "users", "columns": [{"name": "a", "type": "strin"}]}})
            ))
            .starts_with("at tables.users.columns[0].type: unknown column type \"strin\"")
        );
        assert_eq!(
            error(
                json!({"migration_id": null, "indices": [{"table": "a", "column": "b", "type": "fast"}], "foreign_keys": [], "tables": {}})
            ),
            "at indices[0].type: unknown index type \"fast\"; expected one of \"btree\", \"hash\", \"gist\", \"gin\", or for a vector column \"hnsw\" or \"ivfflat\" with an optional distance \":cosine\", \":ip\" or \":l2\""
        );
        assert_eq!(
            error(
                json!({"migration_id": null, "indices": [], "foreign_keys": [
                {"table": "a", "column": "b", "parentTable": "c", "parentColumn": "id"}], "tables": {}})
            ),
            "at foreign_keys[0].table: foreign key refers to table \"a\", which is not in \"tables\""
        );
    }
}
