//! Nested JSON queries in InstantDB's shape, on the schema alone (no compiled models): a
//! namespace per table, `$` for the table's options, and a key per relationship to load with
//! each row.
//!
//! ```json
//! {"parents": {"$": {"where": {"name__istartswith": "a"}, "order": "name DESC", "limit": 2},
//!              "children": {"$": {"where": {"age__gte": 18}}, "pets": {}}}}
//! ```
//!
//! gives `{"parents": [{…columns…, "children": [{…, "pets": […]}]}]}`. Rows are loaded as the
//! typed joins load them: one statement per relationship level, the keys bound as one array.
//! A one-to-many relationship gives an array (empty when nothing matched); the others an
//! object or `null`.

use std::collections::HashMap;

use sea_query::extension::postgres::PgFunc;
use sea_query::{Alias, Expr, ExprTrait, Func, NullOrdering, Order, PostgresQueryBuilder};
use sea_query_postgres::PostgresBinder;
use serde_json::{Map, Value as Json};

use super::where_object::{Hidden, order, parse};
use crate::db::{Connection, Executor};
use crate::descriptor::{ColumnInfo, RelationInfo, RelationKind, TableInfo};
use crate::error::{Error, Result};
use crate::model::statements::quote;
use crate::query::filter::Scope;
use crate::query::join::{Key, KeyFamily};

/// Runs a nested JSON query against the tables of `schema` (the generated `TABLES`).
pub fn json_query(
    mut executor: impl Executor,
    schema: &[&'static TableInfo],
    query: &Json,
) -> Result<Json> {
    let Json::Object(namespaces) = query else {
        return Err(invalid(
            "query",
            format!("must be an object with a key per table, found {query}"),
        ));
    };
    executor.with_connection(|connection| {
        let mut result = Map::new();
        for (name, node) in namespaces {
            let table = schema
                .iter()
                .copied()
                .find(|table| table.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = schema.iter().map(|table| table.name).collect();
                    invalid(name, format!("no such table; tables: {}", names.join(", ")))
                })?;
            let rows = load(connection, schema, table, node, name, None)?;
            result.insert(
                name.clone(),
                Json::Array(rows.into_iter().map(|(row, _)| Json::Object(row)).collect()),
            );
        }
        Ok(Json::Object(result))
    })
}

/// A row as JSON, with its key in the column that restricted the load (if any).
type LoadedRow = (Map<String, Json>, Option<Key>);

/// The options of a node (`$`) and its relationships to load.
struct Node<'a> {
    conditions: Option<&'a Json>,
    order: Option<&'a Json>,
    limit: Option<u64>,
    offset: Option<u64>,
    children: Vec<(&'a String, &'a Json)>,
}

fn node<'a>(value: &'a Json, at: &str) -> Result<Node<'a>> {
    let Json::Object(map) = value else {
        return Err(invalid(at, format!("must be an object, found {value}")));
    };
    let mut node = Node {
        conditions: None,
        order: None,
        limit: None,
        offset: None,
        children: Vec::new(),
    };
    for (key, value) in map {
        if key != "$" {
            node.children.push((key, value));
            continue;
        }
        let Json::Object(options) = value else {
            return Err(invalid(
                &format!("{at}.$"),
                format!("must be an object, found {value}"),
            ));
        };
        for (option, value) in options {
            let at = format!("{at}.$.{option}");
            match option.as_str() {
                "where" => node.conditions = Some(value),
                "order" => node.order = Some(value),
                "limit" => node.limit = Some(whole(value, &at)?),
                "offset" => node.offset = Some(whole(value, &at)?),
                other => {
                    return Err(invalid(
                        &at,
                        format!("unknown option `{other}`; options: where, order, limit, offset"),
                    ));
                }
            }
        }
    }
    Ok(node)
}

/// The rows of `table` (restricted to the given keys of `restrict`'s column), each with its
/// relationships loaded, and each row's key in the restricting column.
fn load(
    connection: &mut Connection,
    schema: &[&'static TableInfo],
    table: &'static TableInfo,
    value: &Json,
    at: &str,
    restrict: Option<(&'static ColumnInfo, KeyFamily, &[&Key])>,
) -> Result<Vec<LoadedRow>> {
    let node = node(value, at)?;
    if restrict.is_some() && (node.limit.is_some() || node.offset.is_some()) {
        return Err(invalid(
            at,
            "a relationship loads every related row: limit and offset apply to the top level only",
        ));
    }
    let scope = Scope::root(table.name);
    let mut select = sea_query::Query::select();
    select
        .expr(Expr::cust(format!("to_jsonb({})", quote(table.name))))
        .from(Alias::new(table.name));
    if let Some(conditions) = node.conditions {
        let hidden = Hidden {
            fields: &[],
            drop: false,
        };
        let (filter, directives) = parse(table, schema, conditions, hidden)
            .map_err(|error| relocate(error, &format!("{at}.$.")))?;
        select.cond_where(filter.render(&scope));
        for (column, descending) in directives.order {
            select.order_by_expr_with_nulls(
                scope.column(column.name),
                direction(descending),
                NullOrdering::Last,
            );
        }
    }
    if let Some(terms) = node.order {
        let no_hidden = Hidden {
            fields: &[],
            drop: false,
        };
        for (column, descending) in order(table, terms, &format!("{at}.$.order"), no_hidden)? {
            select.order_by_expr_with_nulls(
                scope.column(column.name),
                direction(descending),
                NullOrdering::Last,
            );
        }
    }
    if let Some((column, family, keys)) = restrict {
        let expr = Expr::col((Alias::new(table.name), Alias::new(column.name)));
        select.expr(family.select(expr.clone()));
        select.and_where(expr.eq(PgFunc::any(Func::cast_as(
            Expr::val(family.array(keys)),
            Alias::new(family.array_type()),
        ))));
    }
    if let Some(limit) = node.limit {
        select.limit(limit);
    }
    if let Some(offset) = node.offset {
        select.offset(offset);
    }
    let (sql, values) = select.build_postgres(PostgresQueryBuilder);
    let rows = connection.query(&sql, &values.as_params())?;
    let mut loaded = Vec::with_capacity(rows.len());
    for row in &rows {
        let Json::Object(object) = row.try_get::<_, Json>(0)? else {
            continue;
        };
        let key = match restrict {
            Some((_, family, _)) => Some(family.read(row, 1)?),
            None => None,
        };
        loaded.push((object, key));
    }
    for (name, child) in node.children {
        let at = format!("{at}.{name}");
        let relation = table.relation(name).ok_or_else(|| {
            let names: Vec<&str> = table
                .relations
                .iter()
                .map(|relation| relation.name)
                .collect();
            invalid(
                &at,
                format!(
                    "`{}` has no relationship \"{name}\"; relationships: {}",
                    table.name,
                    names.join(", ")
                ),
            )
        })?;
        attach(connection, schema, table, relation, child, &at, &mut loaded)?;
    }
    Ok(loaded)
}

/// Loads `relation`'s rows for `rows` and puts them under the relationship's name.
fn attach(
    connection: &mut Connection,
    schema: &[&'static TableInfo],
    table: &'static TableInfo,
    relation: &'static RelationInfo,
    child: &Json,
    at: &str,
    rows: &mut [LoadedRow],
) -> Result<()> {
    let target = schema
        .iter()
        .copied()
        .find(|info| info.name == relation.to_table)
        .ok_or_else(|| {
            invalid(
                at,
                format!("table `{}` is not in the schema", relation.to_table),
            )
        })?;
    let (Some(from), Some(to)) = (
        table.column(relation.from_column),
        target.column(relation.to_column),
    ) else {
        return Err(invalid(
            at,
            "the relationship's columns are not in the schema",
        ));
    };
    let family = KeyFamily::of_column(from).ok_or_else(|| {
        invalid(
            at,
            format!(
                "cannot load `{}` on a key of type {}",
                relation.name, from.rust_type
            ),
        )
    })?;
    let keys: Vec<Option<Key>> = rows
        .iter()
        .map(|(row, _)| row.get(from.name).and_then(|value| key_of(family, value)))
        .collect();
    let mut distinct: Vec<&Key> = keys.iter().flatten().collect();
    distinct.sort();
    distinct.dedup();
    let mut by_key: HashMap<Key, Vec<Json>> = HashMap::new();
    if !distinct.is_empty() {
        for (row, key) in load(
            connection,
            schema,
            target,
            child,
            at,
            Some((to, family, &distinct)),
        )? {
            if let Some(key) = key {
                by_key.entry(key).or_default().push(Json::Object(row));
            }
        }
    }
    for ((row, _), key) in rows.iter_mut().zip(&keys) {
        let found = key
            .as_ref()
            .and_then(|key| by_key.get(key))
            .cloned()
            .unwrap_or_default();
        let value = match relation.kind {
            RelationKind::OneToMany => Json::Array(found),
            RelationKind::OneToOne | RelationKind::BelongsTo => {
                found.into_iter().next().unwrap_or(Json::Null)
            }
        };
        row.insert(relation.name.to_string(), value);
    }
    Ok(())
}

fn key_of(family: KeyFamily, value: &Json) -> Option<Key> {
    match (family, value) {
        (KeyFamily::Int, Json::Number(number)) => number.as_i64().map(Key::Int),
        (KeyFamily::Text, Json::String(text)) => Some(Key::Text(text.clone())),
        (KeyFamily::Uuid, Json::String(text)) => text.parse().ok().map(Key::Uuid),
        _ => None,
    }
}

fn direction(descending: bool) -> Order {
    if descending { Order::Desc } else { Order::Asc }
}

fn whole(value: &Json, at: &str) -> Result<u64> {
    value
        .as_u64()
        .ok_or_else(|| invalid(at, format!("must be a whole number, found {value}")))
}

/// A where-object error, located inside the query (`parents.$.where…`).
fn relocate(error: Error, prefix: &str) -> Error {
    match error {
        Error::Input { message } => Error::Input {
            message: format!("{prefix}{message}"),
        },
        other => other,
    }
}

fn invalid(at: &str, message: impl Into<String>) -> Error {
    Error::Input {
        message: format!("{at}: {}", message.into()),
    }
}
