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
//!
//! [`explain_json_query`] builds the same statements without running them.
//!
//! What one query may ask for is bounded by [`Limits`]: its JSON depth and its levels are
//! checked before anything runs, and the rows it returns (a related row attached to several
//! rows counted once per copy) are counted as they are loaded, so a deep query whose result
//! would grow exponentially stops with an error instead of exhausting memory.

use std::collections::HashMap;

use instant_pg::types::Type;
use instant_schema::rust_type::Scalar;
use sea_query::extension::postgres::PgFunc;
use sea_query::{
    Alias, Expr, ExprTrait, Func, NullOrdering, Order, PostgresQueryBuilder, SelectStatement, Value,
};
use sea_query_postgres::PostgresBinder;
use serde_json::{Map, Value as Json};

use super::where_object::{Hidden, Sort, order, parse, whole_number};
use crate::db::{Connection, Executor};
use crate::descriptor::{ColumnInfo, RelationInfo, RelationKind, TableInfo};
use crate::error::{Error, Result};
use crate::limits::{Limits, exceeded, grouped};
use crate::query::filter::Scope;
use crate::query::join::{Key, KeyColumn, KeyFamily};
use crate::query::shape::BuildShapeHasher;

/// Runs a nested JSON query against the tables of `schema` (the generated `TABLES`), within
/// the executor's [`limits`](Executor::limits) (a [`Db`](crate::Db)'s own).
pub fn json_query(
    executor: impl Executor,
    schema: &[&'static TableInfo],
    query: &Json,
) -> Result<Json> {
    let limits = executor.limits();
    json_query_with(executor, schema, query, &limits)
}

/// [`json_query`] within `limits`.
pub fn json_query_with(
    mut executor: impl Executor,
    schema: &[&'static TableInfo],
    query: &Json,
    limits: &Limits,
) -> Result<Json> {
    let namespaces = checked(query, limits)?;
    executor.with_connection(|connection| {
        let mut budget = Budget {
            left: limits.max_query_rows,
            limits,
        };
        let mut result = Map::new();
        for (name, node) in namespaces {
            let table = table_named(schema, name)?;
            let rows = load(connection, schema, table, node, name, None, &mut budget)?;
            result.insert(
                name.clone(),
                Json::Array(
                    rows.into_iter()
                        .map(|row| Json::Object(row.object))
                        .collect(),
                ),
            );
        }
        Ok(Json::Object(result))
    })
}

/// The rows a query may still return, and the limits it runs within.
struct Budget<'l> {
    left: usize,
    limits: &'l Limits,
}

impl Budget<'_> {
    /// Counts `rows` more rows (loaded at, or copied to, `at`), or refuses them.
    fn spend(&mut self, rows: usize, at: &str) -> Result<()> {
        match self.left.checked_sub(rows) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(exceeded(
                at,
                &format!(
                    "the query returns more than {} rows",
                    grouped(self.limits.max_query_rows)
                ),
                self.limits.max_query_rows,
                "max_query_rows",
            )),
        }
    }
}

/// The namespaces of `query`, once its JSON depth and its levels are within `limits`:
/// checked before any statement runs, walking the query without recursion.
fn checked<'q>(query: &'q Json, limits: &Limits) -> Result<&'q Map<String, Json>> {
    limits.check_json_depth(query, "query")?;
    let namespaces = namespaces(query)?;
    let mut pending: Vec<(&Json, String, usize)> = namespaces
        .iter()
        .map(|(name, node)| (node, name.clone(), 1))
        .collect();
    while let Some((node, at, depth)) = pending.pop() {
        if depth > limits.max_query_depth {
            return Err(exceeded(
                &at,
                &format!("the query is {} levels deep here", grouped(depth)),
                limits.max_query_depth,
                "max_query_depth",
            ));
        }
        if let Json::Object(keys) = node {
            for (name, child) in keys {
                if name != "$" {
                    pending.push((child, format!("{at}.{name}"), depth + 1));
                }
            }
        }
    }
    Ok(namespaces)
}

/// A statement a nested query runs, as [`explain_json_query`] shows it. Displayed as SQL with
/// a comment line before it naming what it loads and one after it per bound value.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedStatement {
    /// What the statement loads: a table (`parents`) or a relationship path
    /// (`parents.children`).
    pub at: String,
    /// The SQL, with `$1…` placeholders.
    pub sql: String,
    /// The bound values, `$1` first.
    pub values: Vec<ExplainedValue>,
}

/// A value bound to an explained statement.
#[derive(Debug, Clone, PartialEq)]
pub enum ExplainedValue {
    /// A value of the query (a condition's, a limit, an offset), as JSON.
    Value(Json),
    /// The keys a relationship's rows are loaded for, known only once the rows above them
    /// are: which column of which rows (`the id of each parents row`).
    Keys(String),
}

impl std::fmt::Display for ExplainedStatement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "-- {}", self.at)?;
        write!(f, "{};", self.sql)?;
        for (index, value) in self.values.iter().enumerate() {
            match value {
                ExplainedValue::Value(value) => write!(f, "\n-- ${} = {value}", index + 1)?,
                ExplainedValue::Keys(keys) => write!(f, "\n-- ${} = {keys}", index + 1)?,
            }
        }
        Ok(())
    }
}

/// The statements [`json_query`] would run for `query`, in order, without running them: the
/// query is checked against `schema` as `json_query` checks it, and no connection is needed.
///
/// ```
/// use instant_runtime::descriptor::{ColumnInfo, TableInfo};
/// use instant_runtime::query::{ExplainedValue, explain_json_query};
/// use serde_json::json;
///
/// const USERS: TableInfo = TableInfo {
///     name: "users",
///     model: "User",
///     primary_key: Some("id"),
///     columns: &[ColumnInfo::new("id", "serial", "i64").not_null().primary_key()],
///     relations: &[],
/// };
/// let statements =
///     explain_json_query(&[&USERS], &json!({"users": {"$": {"where": {"id__gt": 3}}}}))?;
/// assert_eq!(
///     statements[0].sql,
///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" > $1"#
/// );
/// assert_eq!(statements[0].values, [ExplainedValue::Value(json!(3))]);
/// # Ok::<(), instant_runtime::Error>(())
/// ```
pub fn explain_json_query(
    schema: &[&'static TableInfo],
    query: &Json,
) -> Result<Vec<ExplainedStatement>> {
    explain_json_query_with(schema, query, &Limits::default())
}

/// [`explain_json_query`] within `limits`.
pub fn explain_json_query_with(
    schema: &[&'static TableInfo],
    query: &Json,
    limits: &Limits,
) -> Result<Vec<ExplainedStatement>> {
    let mut statements = Vec::new();
    for (name, node) in checked(query, limits)? {
        let table = table_named(schema, name)?;
        explain(schema, table, node, name, None, limits, &mut statements)?;
    }
    Ok(statements)
}

fn namespaces(query: &Json) -> Result<&Map<String, Json>> {
    match query {
        Json::Object(namespaces) => Ok(namespaces),
        _ => Err(invalid(
            "query",
            format!("must be an object with a key per table, found {query}"),
        )),
    }
}

fn table_named(schema: &[&'static TableInfo], name: &str) -> Result<&'static TableInfo> {
    schema
        .iter()
        .copied()
        .find(|table| table.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = schema.iter().map(|table| table.name).collect();
            invalid(name, format!("no such table; tables: {}", names.join(", ")))
        })
}

/// A row as JSON, with its key in the column that restricted the load (if any).
struct LoadedRow {
    object: Map<String, Json>,
    key: Option<Key>,
    /// How many rows `object` holds, itself and the related rows attached to it at every
    /// level: what a copy of it costs the query's [`Budget`].
    rows: usize,
}

/// A column read straight into JSON from its binary value; every other column is selected as
/// `to_json(column)` and parsed, so that its JSON is PostgreSQL's own (timestamps, numerics,
/// floats such as `3` rather than `3.0`, arrays, vectors …).
#[derive(Debug, Clone, Copy)]
enum Native {
    Int,
    Text,
    Bool,
}

impl Native {
    fn of(column: &ColumnInfo) -> Option<Native> {
        if column.array || column.read_as_text {
            return None;
        }
        match Scalar::of(column.sql_type) {
            Scalar::I16 | Scalar::I32 | Scalar::I64 => Some(Native::Int),
            Scalar::String => Some(Native::Text),
            Scalar::Bool => Some(Native::Bool),
            _ => None,
        }
    }

    /// Column `index` of `row` as JSON (`null` for NULL).
    fn read(self, row: &instant_pg::Row, index: usize) -> Result<Json> {
        let type_ = row.columns()[index].type_();
        Ok(match (self, type_) {
            (Native::Int, &Type::INT2) => row.try_get::<_, Option<i16>>(index)?.into(),
            (Native::Int, &Type::INT4) => row.try_get::<_, Option<i32>>(index)?.into(),
            (Native::Int, _) => row.try_get::<_, Option<i64>>(index)?.into(),
            (Native::Text, _) => row.try_get::<_, Option<&str>>(index)?.into(),
            (Native::Bool, _) => row.try_get::<_, Option<bool>>(index)?.into(),
        })
    }
}

/// Where the key `column` of `family` is among `table`'s selected columns, when it is
/// selected as it is (else the statement selects it once more, cast to the family's type,
/// after them).
fn key_among_columns(table: &TableInfo, column: &ColumnInfo, family: KeyFamily) -> Option<usize> {
    let index = table.columns.iter().position(|c| c.name == column.name)?;
    match (Native::of(&table.columns[index])?, family) {
        (Native::Int, KeyFamily::Int) | (Native::Text, KeyFamily::Text) => Some(index),
        _ => None,
    }
}

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
                "limit" => node.limit = Some(whole_number(value, &at)?),
                "offset" => node.offset = Some(whole_number(value, &at)?),
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

/// The rows of a relationship are those whose `column` holds one of the keys of the rows above.
type Restrict<'k> = (&'static ColumnInfo, KeyFamily, &'k [&'k Key]);

/// The `SELECT` of one node: its table's rows as JSON, filtered, ordered and limited as `node`
/// asks, restricted to the given keys for a relationship.
fn statement(
    schema: &[&'static TableInfo],
    table: &'static TableInfo,
    node: &Node<'_>,
    at: &str,
    restrict: Option<Restrict<'_>>,
    limits: &Limits,
) -> Result<SelectStatement> {
    let (mut limit, mut offset) = (node.limit, node.offset);
    let scope = Scope::root(table.name);
    let mut select = sea_query::Query::select();
    select.from(Alias::new(table.name));
    for column in table.columns {
        let expr = Expr::col((Alias::new(table.name), Alias::new(column.name)));
        match Native::of(column) {
            Some(_) => select.expr(expr),
            // `to_json`, not `to_jsonb`: a JSON value's keys stay in their order.
            None => select.expr(Func::cust("to_json").arg(expr)),
        };
    }
    let no_hidden = Hidden {
        fields: &[],
        drop: false,
    };
    if let Some(conditions) = node.conditions {
        let (filter, directives) = parse(table, schema, conditions, no_hidden, limits)
            .map_err(|error| relocate(error, &format!("{at}.$.")))?;
        select.cond_where(filter.render(&scope));
        for sort in directives.order {
            order_by(&mut select, &scope, sort);
        }
        // `__count` and `__offset` page the rows as `limit` and `offset` do (a count of 0
        // means no limit, as instant.dev's); given both ways, they must agree.
        let count = directives.count.map(|count| (count > 0).then_some(count));
        limit = agreed(limit, count, &format!("{at}.$.where.__count"), "limit")?;
        offset = agreed(
            offset,
            directives.offset.map(Some),
            &format!("{at}.$.where.__offset"),
            "offset",
        )?;
    }
    if restrict.is_some() && (limit.is_some() || offset.is_some()) {
        return Err(invalid(
            at,
            "a relationship loads every related row: limit and offset apply to the top level only",
        ));
    }
    if let Some(terms) = node.order {
        for sort in order(table, terms, &format!("{at}.$.order"), no_hidden, limits)? {
            order_by(&mut select, &scope, sort);
        }
    }
    if let Some((column, family, keys)) = restrict {
        let expr = Expr::col((Alias::new(table.name), Alias::new(column.name)));
        if key_among_columns(table, column, family).is_none() {
            select.expr(family.select(expr.clone()));
        }
        select.and_where(expr.eq(PgFunc::any(Func::cast_as(
            Expr::val(family.array(keys)),
            Alias::new(family.array_type()),
        ))));
    }
    if let Some(limit) = limit {
        select.limit(limit);
    }
    if let Some(offset) = offset {
        select.offset(offset);
    }
    Ok(select)
}

/// `ORDER BY` one more term, its NULLs placed as asked.
fn order_by(select: &mut SelectStatement, scope: &Scope, sort: Sort) {
    let nulls = if sort.nulls_first {
        NullOrdering::First
    } else {
        NullOrdering::Last
    };
    select.order_by_expr_with_nulls(
        scope.column(sort.column.name),
        direction(sort.descending),
        nulls,
    );
}

/// A limit or offset given by the node's option (`given`) and by its where-object's
/// directive (`directive`, `Some(None)` for a count of 0): either one, or both when they say
/// the same.
fn agreed(
    given: Option<u64>,
    directive: Option<Option<u64>>,
    at: &str,
    option: &str,
) -> Result<Option<u64>> {
    match (given, directive) {
        (given, None) => Ok(given),
        (None, Some(directive)) => Ok(directive),
        (Some(given), Some(Some(directive))) if given == directive => Ok(Some(given)),
        (Some(given), Some(_)) => Err(invalid(
            at,
            format!("disagrees with the node's `{option}` ({given}); give one of them"),
        )),
    }
}

/// The rows of `table` (restricted to the given keys of `restrict`'s column), each with its
/// relationships loaded, and each row's key in the restricting column.
fn load(
    connection: &mut Connection,
    schema: &[&'static TableInfo],
    table: &'static TableInfo,
    value: &Json,
    at: &str,
    restrict: Option<Restrict<'_>>,
    budget: &mut Budget<'_>,
) -> Result<Vec<LoadedRow>> {
    let node = node(value, at)?;
    let select = statement(schema, table, &node, at, restrict, budget.limits)?;
    let (sql, values) = select.build_postgres(PostgresQueryBuilder);
    let natives: Vec<Option<Native>> = table.columns.iter().map(Native::of).collect();
    let mut loaded = Vec::new();
    let mut key_column = None;
    // Every row's object is a copy of this one (its keys hashed once, here) with its values
    // filled in: the columns in order, then the relationships, attached later.
    let mut template = Map::new();
    for column in table.columns {
        template.insert(column.name.to_string(), Json::Null);
    }
    for (name, _) in &node.children {
        template.insert((*name).clone(), Json::Null);
    }
    // Each row decoded as it arrives, while the server sends the rest.
    connection.query_each(&sql, &values.as_params(), |row| {
        budget.spend(1, at)?;
        let mut object = template.clone();
        for ((index, native), slot) in natives.iter().enumerate().zip(object.values_mut()) {
            *slot = match native {
                Some(native) => native.read(row, index)?,
                None => row.try_get::<_, Option<Json>>(index)?.unwrap_or(Json::Null),
            };
        }
        let key = match restrict {
            Some((column, family, _)) => {
                let key_column = *key_column.get_or_insert_with(|| {
                    let at = key_among_columns(table, column, family).unwrap_or(natives.len());
                    KeyColumn::of(family, row.columns(), at)
                });
                key_column.read(row)?
            }
            None => None,
        };
        loaded.push(LoadedRow {
            object,
            key,
            rows: 1,
        });
        Ok(())
    })?;
    for (name, child) in node.children {
        let at = format!("{at}.{name}");
        let hop = hop(schema, table, name, &at)?;
        attach(connection, schema, &hop, child, &at, &mut loaded, budget)?;
    }
    Ok(loaded)
}

/// A relationship to load: where it leads and the columns that match its rows.
struct Hop {
    relation: &'static RelationInfo,
    target: &'static TableInfo,
    /// The column of the rows above whose values are the keys.
    from: &'static ColumnInfo,
    /// The column of the related rows that holds them.
    to: &'static ColumnInfo,
    family: KeyFamily,
}

/// The relationship `name` of `table`, checked against the schema.
fn hop(schema: &[&'static TableInfo], table: &TableInfo, name: &str, at: &str) -> Result<Hop> {
    let relation = table.relation(name).ok_or_else(|| {
        let names: Vec<&str> = table
            .relations
            .iter()
            .map(|relation| relation.name)
            .collect();
        invalid(
            at,
            format!(
                "`{}` has no relationship \"{name}\"; relationships: {}",
                table.name,
                names.join(", ")
            ),
        )
    })?;
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
    Ok(Hop {
        relation,
        target,
        from,
        to,
        family,
    })
}

/// Loads `hop`'s rows for `rows` and puts them under the relationship's name.
fn attach(
    connection: &mut Connection,
    schema: &[&'static TableInfo],
    hop: &Hop,
    child: &Json,
    at: &str,
    rows: &mut [LoadedRow],
    budget: &mut Budget<'_>,
) -> Result<()> {
    let Hop {
        relation,
        target,
        from,
        to,
        family,
    } = *hop;
    let keys: Vec<Option<Key>> = rows
        .iter()
        .map(|row| {
            row.object
                .get(from.name)
                .and_then(|value| key_of(family, value))
        })
        .collect();
    let mut distinct: Vec<&Key> = keys.iter().flatten().collect();
    distinct.sort();
    distinct.dedup();
    // The related rows of each key, and how many rows they hold in all.
    let mut by_key: HashMap<Key, (Vec<Json>, usize), BuildShapeHasher> = HashMap::default();
    if !distinct.is_empty() {
        for row in load(
            connection,
            schema,
            target,
            child,
            at,
            Some((to, family, &distinct)),
            budget,
        )? {
            if let Some(key) = row.key {
                let (related, held) = by_key.entry(key).or_default();
                related.push(Json::Object(row.object));
                *held += row.rows;
            }
        }
    }
    // How many rows still want each key's related rows: the last one takes them, the others
    // (rows sharing a belongs-to parent) get a copy. With every key distinct (a one-to-many
    // from the parents' primary key), each row takes its own.
    let shared = keys.iter().flatten().count() > distinct.len();
    let mut wanted: HashMap<&Key, usize, BuildShapeHasher> = HashMap::default();
    if shared {
        for key in keys.iter().flatten() {
            *wanted.entry(key).or_default() += 1;
        }
    }
    for (row, key) in rows.iter_mut().zip(&keys) {
        let (found, held) = match key {
            Some(key) => {
                let left = wanted.get_mut(key).map_or(0, |left| {
                    *left -= 1;
                    *left
                });
                if left == 0 {
                    by_key.remove(key).unwrap_or_default()
                } else {
                    // A copy: counted before it is made, so the budget bounds the memory.
                    let held = by_key.get(key).map_or(0, |(_, held)| *held);
                    budget.spend(held, at)?;
                    by_key.get(key).cloned().unwrap_or_default()
                }
            }
            None => (Vec::new(), 0),
        };
        row.rows += held;
        let row = &mut row.object;
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

/// The statements of `table`'s node and of the relationships below it. For a relationship,
/// `restrict` also says in words which keys its statement is bound to (`"the id of each
/// parents row"`).
fn explain(
    schema: &[&'static TableInfo],
    table: &'static TableInfo,
    value: &Json,
    at: &str,
    restrict: Option<(&'static ColumnInfo, KeyFamily, String)>,
    limits: &Limits,
    statements: &mut Vec<ExplainedStatement>,
) -> Result<()> {
    let node = node(value, at)?;
    let select = statement(
        schema,
        table,
        &node,
        at,
        restrict
            .as_ref()
            .map(|(column, family, _)| (*column, *family, &[][..])),
        limits,
    )?;
    let (sql, bound) = select.build(PostgresQueryBuilder);
    let mut values: Vec<ExplainedValue> = bound
        .0
        .iter()
        .map(|value| ExplainedValue::Value(value_json(value)))
        .collect();
    if let Some((_, family, keys)) = restrict {
        // The keys are bound last (a relationship has no limit or offset), as the empty array
        // built in their place.
        let empty = family.array(&[]);
        if let Some(index) = bound.0.iter().rposition(|value| *value == empty) {
            values[index] = ExplainedValue::Keys(keys);
        }
    }
    statements.push(ExplainedStatement {
        at: at.to_string(),
        sql,
        values,
    });
    for (name, child) in node.children {
        let child_at = format!("{at}.{name}");
        let hop = hop(schema, table, name, &child_at)?;
        let keys = format!("the {} of each {at} row", hop.from.name);
        explain(
            schema,
            hop.target,
            child,
            &child_at,
            Some((hop.to, hop.family, keys)),
            limits,
            statements,
        )?;
    }
    Ok(())
}

/// A bound value as JSON, for people to read: bytes as `\x…` hex (as PostgreSQL writes
/// `bytea`), everything else as sea-query writes it.
fn value_json(value: &Value) -> Json {
    match value {
        Value::Bytes(Some(bytes)) => {
            let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
            Json::String(format!("\\x{hex}"))
        }
        Value::Array(_, Some(items)) => Json::Array(items.iter().map(value_json).collect()),
        other => sea_query::value::sea_value_to_json_value(other),
    }
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
