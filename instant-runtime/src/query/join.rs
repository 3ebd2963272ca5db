//! Joins (instant.dev's `join`): related rows loaded with the query's rows and attached to
//! them, one query per relationship level with the parents' keys bound as one array
//! (`WHERE child.parent_id = ANY($1)`). The first join of a query is usually loaded by the
//! query's own statement instead ([`inline`](super::inline)), which saves a round trip.
//!
//! A join never filters the query's rows; its own filters only choose which related rows are
//! attached (none found gives an empty `Records` for one-to-many, `None` otherwise). Joins
//! nest: the joined query may join further.

use std::collections::HashMap;
use std::sync::Arc;

use sea_query::extension::postgres::PgFunc;
use sea_query::{Alias, ArrayType, Expr, ExprTrait, Func, PostgresQueryBuilder, Value};
use sea_query_postgres::{PostgresBinder, PostgresValue};

use super::select::Query;
use super::shape::{Bindings, BuildShapeHasher, Kind, Shape};
use crate::db::Connection;
use crate::descriptor::{Relation, RelationInfo, RelationKind, Table};
use crate::error::{Error, Result};
use crate::model::{AnyJoined, Joined, Model, Record, Records};

/// A relationship whose related rows can be loaded into records: implemented by the generated
/// code for every relationship marker, naming the generated model of the related table and
/// what a record holds once joined (`Records<Post>` for one-to-many, `Option<Record<User>>`
/// otherwise).
pub trait Loads: Relation {
    /// The model related rows load as.
    type Model: Model<Table = Self::To>;
    /// What the joined value is.
    type Loaded: Loaded<Self::Model>;
}

/// A joined value built from the related records found for one row.
pub trait Loaded<C: Model>: AnyJoined + Sized {
    /// The joined value of `records` (the first, for one-to-one and belongs-to).
    fn from_records(records: Vec<Record<C>>) -> Self;
}

impl<C: Model> Loaded<C> for Records<C> {
    fn from_records(records: Vec<Record<C>>) -> Self {
        Records::from(records)
    }
}

impl<C: Model> Loaded<C> for Option<Record<C>> {
    fn from_records(records: Vec<Record<C>>) -> Self {
        records.into_iter().next()
    }
}

/// Loads one relationship's rows into records of `M`.
pub(crate) trait Load<M: Model>: Send + Sync {
    /// The relationship's name (the joined value's key).
    fn name(&self) -> &'static str;
    /// Loads and attaches the related rows of `records`.
    fn load(&self, records: &mut [Record<M>], connection: &mut Connection) -> Result<()>;
    /// The statement that loads the related rows (with a placeholder array), for `to_sql`.
    fn sql(&self) -> Vec<String>;
    /// Runs `root` (the query of the rows, ordered by `order`) with the related rows
    /// `LEFT JOIN`ed, and returns the rows with the related ones attached; `None` (nothing
    /// run) when the join cannot be loaded so.
    fn load_with_root(
        &self,
        root: &Query<M>,
        order: &[(&'static crate::descriptor::ColumnInfo, bool)],
        connection: &mut Connection,
    ) -> Result<Option<Vec<Record<M>>>>;
    /// The statement [`load_with_root`](Load::load_with_root) runs, if it can run one.
    fn sql_with_root(
        &self,
        root: &Query<M>,
        order: &[(&'static crate::descriptor::ColumnInfo, bool)],
    ) -> Option<String>;
}

/// A join of `relation` loading `C` through `query` (its filters, order and nested joins).
pub(crate) struct Join<C: Model> {
    pub relation: &'static RelationInfo,
    pub query: Query<C>,
    /// Builds the joined value of a row's related records.
    pub build: fn(Vec<Record<C>>) -> Joined,
}

/// The joined value for a relationship of `kind`, when the model was named by the caller.
pub(crate) fn build_for<C: Model>(kind: RelationKind) -> fn(Vec<Record<C>>) -> Joined {
    match kind {
        RelationKind::OneToMany => |records| Joined::new(Records::from(records)),
        RelationKind::OneToOne | RelationKind::BelongsTo => {
            |records: Vec<Record<C>>| Joined::new(records.into_iter().next())
        }
    }
}

/// The joined value through a relationship's own `Loaded` type.
pub(crate) fn build_loaded<R: Loads>(records: Vec<Record<R::Model>>) -> Joined {
    Joined::new(R::Loaded::from_records(records))
}

impl<M: Model, C: Model> Load<M> for Join<C> {
    fn name(&self) -> &'static str {
        self.relation.name
    }

    fn load(&self, records: &mut [Record<M>], connection: &mut Connection) -> Result<()> {
        let relation = self.relation;
        let Some(from) = M::COLUMNS
            .iter()
            .position(|column| column.name == relation.from_column)
        else {
            return Err(Error::Input {
                message: format!(
                    "cannot join `{}`: the {} model has no `{}` field",
                    relation.name,
                    <M::Table as Table>::INFO.model,
                    relation.from_column
                ),
            });
        };
        let keys: Vec<Option<Key>> = records
            .iter()
            .map(|record| Key::of(&record.value(from)))
            .collect::<Result<_>>()?;
        let Some(family) = keys.iter().flatten().next().map(Key::family) else {
            let empty = (self.build)(Vec::new());
            for record in records.iter_mut() {
                record.attach(relation.name, empty.clone());
            }
            return Ok(());
        };
        let mut distinct: Vec<&Key> = keys.iter().flatten().collect();
        distinct.sort();
        distinct.dedup();

        let key_at = self.key_column().unwrap_or(C::COLUMNS.len());
        let bucket_of: HashMap<&Key, usize, BuildShapeHasher> = distinct
            .iter()
            .enumerate()
            .map(|(bucket, key)| (*key, bucket))
            .collect();
        // Each related row's bucket, as the rows arrive; a row whose key is no parent's cannot
        // come back, and is skipped if it does.
        let mut key_column = None;
        let mut owner_of = |row: &instant_pg::Row| -> Result<Option<usize>> {
            let key_column =
                *key_column.get_or_insert_with(|| KeyColumn::of(family, row.columns(), key_at));
            Ok(key_column
                .read(row)?
                .and_then(|key| bucket_of.get(&key).copied()))
        };
        // Rows with the same key (a belongs-to parent) share its joined value.
        let (values, empty) = if self.query.joins.is_empty() {
            // The last level: each row decoded straight into its parent's bucket as it
            // arrives, with no list of every related record to move them out of.
            let mut buckets: Vec<Vec<Record<C>>> = Vec::new();
            buckets.resize_with(distinct.len(), Vec::new);
            self.related_each(family, &distinct, connection, |row| {
                if let Some(bucket) = owner_of(row)? {
                    buckets[bucket].push(Record::loaded(C::from_row(row)?));
                }
                Ok(())
            })?;
            self.values_of(buckets)
        } else {
            let mut related: Vec<Record<C>> = Vec::new();
            let mut related_owners: Vec<usize> = Vec::new();
            self.related_each(family, &distinct, connection, |row| {
                if let Some(bucket) = owner_of(row)? {
                    related.push(Record::loaded(C::from_row(row)?));
                    related_owners.push(bucket);
                }
                Ok(())
            })?;
            for join in &self.query.joins {
                join.load(&mut related, connection)?;
            }
            self.joined_values(related, &related_owners, distinct.len())
        };
        for (record, key) in records.iter_mut().zip(&keys) {
            let value = key
                .as_ref()
                .and_then(|key| bucket_of.get(key))
                .map_or(&empty, |bucket| &values[*bucket]);
            record.attach(relation.name, value.clone());
        }
        Ok(())
    }

    fn load_with_root(
        &self,
        root: &Query<M>,
        order: &[(&'static crate::descriptor::ColumnInfo, bool)],
        connection: &mut Connection,
    ) -> Result<Option<Vec<Record<M>>>> {
        super::inline::load_with_root(self, root, order, connection)
    }

    fn sql_with_root(
        &self,
        root: &Query<M>,
        order: &[(&'static crate::descriptor::ColumnInfo, bool)],
    ) -> Option<String> {
        super::inline::sql(self, root, order)
    }

    fn sql(&self) -> Vec<String> {
        let mut statements = Vec::new();
        if let Ok((sql, _)) = self.statement(KeyFamily::Int, &[]) {
            statements.push(sql);
        }
        for join in &self.query.joins {
            statements.extend(join.sql());
        }
        statements
    }
}

impl<C: Model> Join<C> {
    /// The joined value of each of `count` owners: `related` grouped by `owners` (each
    /// record's owner, in order) into buckets sized before they are filled; owners without
    /// related rows share one empty value, which is returned too.
    pub(crate) fn joined_values(
        &self,
        related: Vec<Record<C>>,
        owners: &[usize],
        count: usize,
    ) -> (Vec<Joined>, Joined) {
        let mut sizes = vec![0_usize; count];
        for owner in owners {
            sizes[*owner] += 1;
        }
        let mut buckets: Vec<Vec<Record<C>>> = sizes.into_iter().map(Vec::with_capacity).collect();
        for (record, owner) in related.into_iter().zip(owners) {
            buckets[*owner].push(record);
        }
        self.values_of(buckets)
    }

    /// The joined value of each bucket of related records; empty buckets share one empty
    /// value, which is returned too.
    fn values_of(&self, buckets: Vec<Vec<Record<C>>>) -> (Vec<Joined>, Joined) {
        let empty = (self.build)(Vec::new());
        let values = buckets
            .into_iter()
            .map(|bucket| {
                if bucket.is_empty() {
                    empty.clone()
                } else {
                    (self.build)(bucket)
                }
            })
            .collect();
        (values, empty)
    }

    /// Where a related row's key is read: the position of the relationship's column among
    /// `C`'s columns when `C` reads it as it is, else `None` (the statement then selects the
    /// key, cast to its family's type, after `C`'s columns).
    pub(crate) fn key_column(&self) -> Option<usize> {
        C::COLUMNS
            .iter()
            .position(|column| column.name == self.relation.to_column && !column.read_as_text)
    }

    /// Runs the statement of the related rows of `keys` (the one kept for the join's shape,
    /// or built now) and hands each row to `each` as it arrives.
    fn related_each(
        &self,
        family: KeyFamily,
        keys: &[&Key],
        connection: &mut Connection,
        each: impl FnMut(&instant_pg::Row) -> Result<()>,
    ) -> Result<u64> {
        self.check_unlimited()?;
        let render = || self.render(family, keys);
        let mut shape = Shape::new(Kind::Related);
        if !self.query.shape(&mut shape) {
            let (sql, values) = render();
            return connection.query_each(&sql, &values.as_params(), each);
        }
        shape.relation(self.relation);
        shape.word(family as u64);
        shape.flag(self.key_column().is_some());
        let mut values = Bindings::new();
        self.query.bind_filters(&mut values);
        values.push(PostgresValue(family.array(keys)));
        self.query.bind_order(&mut values);
        connection.query_shaped(shape, values, render, each)
    }

    /// A join loads every related row: a limit or offset on its query is an error.
    fn check_unlimited(&self) -> Result<()> {
        if self.query.limit.is_some() || self.query.offset.is_some() {
            return Err(Error::Input {
                message: format!(
                    "the join of `{}` has a limit or offset: a join loads every related row",
                    self.relation.name
                ),
            });
        }
        Ok(())
    }

    /// The SQL and values of the related rows of `keys`.
    fn statement(
        &self,
        family: KeyFamily,
        keys: &[&Key],
    ) -> Result<(String, sea_query_postgres::PostgresValues)> {
        self.check_unlimited()?;
        Ok(self.render(family, keys))
    }

    /// `SELECT <C's columns> FROM <table> WHERE <filters> AND <key> = ANY($n) ORDER BY …`,
    /// with the key cast to its family's type after `C`'s columns when `C` does not read it.
    fn render(
        &self,
        family: KeyFamily,
        keys: &[&Key],
    ) -> (String, sea_query_postgres::PostgresValues) {
        let table = <C::Table as Table>::INFO.name;
        let column = Expr::col((Alias::new(table), Alias::new(self.relation.to_column)));
        let mut select = self.query.statement();
        if self.key_column().is_none() {
            select.expr(family.select(column.clone()));
        }
        select.and_where(column.eq(PgFunc::any(Func::cast_as(
            Expr::val(family.array(keys)),
            Alias::new(family.array_type()),
        ))));
        select.build_postgres(PostgresQueryBuilder)
    }
}

/// A join key, normalized so that both sides of a foreign key compare equal whatever the
/// widths of their integer types.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Key {
    Int(i64),
    Text(String),
    Uuid(uuid::Uuid),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyFamily {
    Int,
    Text,
    Uuid,
}

impl Key {
    /// The key of a field value; `None` for NULL (joins nothing).
    pub(crate) fn of(value: &Value) -> Result<Option<Key>> {
        Ok(match value {
            Value::SmallInt(v) => v.map(|v| Key::Int(v.into())),
            Value::Int(v) => v.map(|v| Key::Int(v.into())),
            Value::BigInt(v) => v.map(Key::Int),
            Value::String(v) => v.clone().map(Key::Text),
            Value::Uuid(v) => v.map(Key::Uuid),
            other => {
                return Err(Error::Input {
                    message: format!("cannot join on a key of type {other:?}"),
                });
            }
        })
    }

    pub(crate) fn family(&self) -> KeyFamily {
        match self {
            Key::Int(_) => KeyFamily::Int,
            Key::Text(_) => KeyFamily::Text,
            Key::Uuid(_) => KeyFamily::Uuid,
        }
    }
}

impl KeyFamily {
    /// The family of a key column, from its Rust type; `None` for a type keys cannot have.
    pub(crate) fn of_column(column: &crate::descriptor::ColumnInfo) -> Option<KeyFamily> {
        match super::dynamic::scalar_type(column) {
            "i16" | "i32" | "i64" => Some(KeyFamily::Int),
            "String" => Some(KeyFamily::Text),
            "uuid::Uuid" => Some(KeyFamily::Uuid),
            _ => None,
        }
    }

    pub(crate) fn array_type(self) -> &'static str {
        match self {
            KeyFamily::Int => "bigint[]",
            KeyFamily::Text => "text[]",
            KeyFamily::Uuid => "uuid[]",
        }
    }

    /// The keys as one array value.
    pub(crate) fn array(self, keys: &[&Key]) -> Value {
        let (kind, items) = match self {
            KeyFamily::Int => (
                ArrayType::BigInt,
                keys.iter()
                    .filter_map(|key| match key {
                        Key::Int(v) => Some(Value::BigInt(Some(*v))),
                        _ => None,
                    })
                    .collect(),
            ),
            KeyFamily::Text => (
                ArrayType::String,
                keys.iter()
                    .filter_map(|key| match key {
                        Key::Text(v) => Some(Value::String(Some(v.clone()))),
                        _ => None,
                    })
                    .collect(),
            ),
            KeyFamily::Uuid => (
                ArrayType::Uuid,
                keys.iter()
                    .filter_map(|key| match key {
                        Key::Uuid(v) => Some(Value::Uuid(Some(*v))),
                        _ => None,
                    })
                    .collect(),
            ),
        };
        Value::Array(kind, Some(Box::new(items)))
    }

    /// The key in column `index` of `row`, selected cast to the family's type.
    pub(crate) fn read(self, row: &instant_pg::Row, index: usize) -> Result<Key> {
        Ok(match self {
            KeyFamily::Int => Key::Int(row.try_get(index)?),
            KeyFamily::Text => Key::Text(row.try_get(index)?),
            KeyFamily::Uuid => Key::Uuid(row.try_get(index)?),
        })
    }

    /// The key column as the last selected column, in this family's type.
    pub(crate) fn select(self, column: Expr) -> Expr {
        match self {
            KeyFamily::Int => column.cast_as(Alias::new("bigint")),
            KeyFamily::Text => column.cast_as(Alias::new("text")),
            KeyFamily::Uuid => column,
        }
    }
}

/// Where and how the rows of a statement hold a key: the column, and its type, which is found
/// once from the statement's columns instead of for every row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeyColumn {
    SmallInt(usize),
    Int(usize),
    BigInt(usize),
    /// A column of another type where an integer key was expected.
    Decoded(usize),
    Text(usize),
    Uuid(usize),
}

impl KeyColumn {
    /// Column `index` of `columns` read as a key of `family` (any integer width for
    /// [`KeyFamily::Int`]).
    pub(crate) fn of(family: KeyFamily, columns: &[instant_pg::Column], index: usize) -> KeyColumn {
        use instant_pg::types::Type;
        match family {
            KeyFamily::Int => match columns.get(index).map(instant_pg::Column::type_) {
                Some(&Type::INT2) => KeyColumn::SmallInt(index),
                Some(&Type::INT4) => KeyColumn::Int(index),
                Some(&Type::INT8) => KeyColumn::BigInt(index),
                // Not an integer column (or no rows): decoded, and refused, as `bigint`.
                _ => KeyColumn::Decoded(index),
            },
            KeyFamily::Text => KeyColumn::Text(index),
            KeyFamily::Uuid => KeyColumn::Uuid(index),
        }
    }

    /// The key of `row`; `None` for NULL.
    pub(crate) fn read(self, row: &instant_pg::Row) -> Result<Option<Key>> {
        Ok(match self {
            // Integer keys straight from their bytes: the column's type is known, and every
            // row of a join is read this way.
            KeyColumn::SmallInt(index) => int_key::<2>(row, index)?,
            KeyColumn::Int(index) => int_key::<4>(row, index)?,
            KeyColumn::BigInt(index) => int_key::<8>(row, index)?,
            KeyColumn::Decoded(index) => row.try_get::<_, Option<i64>>(index)?.map(Key::Int),
            KeyColumn::Text(index) => row.try_get::<_, Option<String>>(index)?.map(Key::Text),
            KeyColumn::Uuid(index) => row.try_get::<_, Option<uuid::Uuid>>(index)?.map(Key::Uuid),
        })
    }
}

/// The big-endian integer of `WIDTH` bytes in column `index` of `row` (the binary format of
/// `int2`, `int4` and `int8`); `None` for NULL.
fn int_key<const WIDTH: usize>(row: &instant_pg::Row, index: usize) -> Result<Option<Key>> {
    let Some(bytes) = row.raw(index) else {
        return Ok(None);
    };
    let bytes: [u8; WIDTH] = bytes.try_into().map_err(|_| Error::Input {
        message: format!(
            "a key column held {} bytes, not the {WIDTH} of its integer type",
            bytes.len()
        ),
    })?;
    let mut wide = if bytes[0] & 0x80 == 0 {
        [0; 8]
    } else {
        [0xff; 8]
    };
    wide[8 - WIDTH..].copy_from_slice(&bytes);
    Ok(Some(Key::Int(i64::from_be_bytes(wide))))
}

/// Loads every join of a query into `records`.
pub(crate) fn load_all<M: Model>(
    joins: &[Arc<dyn Load<M>>],
    records: &mut [Record<M>],
    connection: &mut Connection,
) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    for join in joins {
        join.load(records, connection)?;
    }
    Ok(())
}

impl<M: Model> Record<M> {
    /// Loads the rows related through `relation` into this record (instant.dev's
    /// `include`), replacing what was joined there, and returns them.
    pub fn include<R: Loads<From = M::Table>>(
        &mut self,
        mut executor: impl crate::db::Executor,
        relation: R,
    ) -> Result<&R::Loaded> {
        let join = Join {
            relation: R::INFO,
            query: Query::<R::Model>::new(),
            build: build_loaded::<R>,
        };
        executor.with_connection(|connection| {
            Load::<M>::load(&join, std::slice::from_mut(self), connection)
        })?;
        self.joined(relation).ok_or_else(|| Error::Input {
            message: format!("`{}` was not loaded", R::INFO.name),
        })
    }
}

/// Joins by relationship name, for joins that come as data (instant.dev's `join('children')`,
/// `join('children__pets', {age__gte: 18})`): implemented by the generated code for every
/// table marker.
pub trait JoinByName: Table + Sized {
    /// `query` joined with relationship `name` as `request` says; `None` when the table has
    /// no relationship called `name`.
    fn join_by_name<M: Model<Table = Self>>(
        query: &Query<M>,
        name: &str,
        request: &JoinRequest<'_>,
    ) -> Option<Result<Query<M>>>;
}

/// The rest of a join named at run time: the path after the first relationship, the
/// where-object for the last level's rows, and whether hidden fields are dropped from it.
#[derive(Debug, Clone, Copy)]
pub struct JoinRequest<'a> {
    rest: Option<&'a str>,
    conditions: Option<&'a serde_json::Value>,
    safe: bool,
}

impl<M: Model> Query<M>
where
    M::Table: JoinByName,
{
    /// Joins a relationship named at run time: `"children"`, or a path `"children__pets"`
    /// that joins every level. An unknown name is instant.dev's error: `Model Child does not
    /// have relationship "parents".` followed by the valid names.
    pub fn join_named(&self, path: &str) -> Result<Self> {
        self.join_by_path(path, None, false)
    }

    /// Joins a path named at run time, choosing the last level's rows with an instant.dev
    /// where-object (`join_where("children", &json!({"age__gte": 18}))`); joining never
    /// filters the query's rows.
    pub fn join_where(&self, path: &str, conditions: &serde_json::Value) -> Result<Self> {
        self.join_by_path(path, Some(conditions), false)
    }

    /// instant.dev's `safeJoin`, for untrusted input: a path that is not a relationship
    /// leaves the query unchanged, and conditions on hidden fields of the joined model are
    /// dropped.
    pub fn safe_join(&self, path: &str, conditions: Option<&serde_json::Value>) -> Result<Self> {
        if !is_relationship_path(<M::Table as Table>::INFO, <M::Table as Table>::SCHEMA, path) {
            return Ok(self.clone());
        }
        self.join_by_path(path, conditions, true)
    }

    fn join_by_path(
        &self,
        path: &str,
        conditions: Option<&serde_json::Value>,
        safe: bool,
    ) -> Result<Self> {
        // Each relationship of the path is joined by a call nested in the previous one's.
        let limits = crate::limits::Limits::default();
        let hops = path.matches("__").count() + 1;
        if hops > limits.max_path_hops {
            return Err(crate::limits::exceeded(
                "join",
                &format!("path walks {} relationships", crate::limits::grouped(hops)),
                limits.max_path_hops,
                "max_path_hops",
            ));
        }
        let (name, rest) = match path.split_once("__") {
            Some((name, rest)) => (name, Some(rest)),
            None => (path, None),
        };
        let request = JoinRequest {
            rest,
            conditions,
            safe,
        };
        <M::Table as JoinByName>::join_by_name(self, name, &request).unwrap_or_else(|| {
            let info = <M::Table as Table>::INFO;
            let valid: Vec<String> = info
                .relations
                .iter()
                .map(|relation| format!("\"{}\"", relation.name))
                .collect();
            Err(Error::Input {
                message: format!(
                    "Model {} does not have relationship \"{name}\".\nValid relationships are: {}",
                    info.model,
                    valid.join(", ")
                ),
            })
        })
    }

    /// Joins `relation` as `request` says (the generated `join_by_name` calls this).
    pub fn join_request<R>(&self, relation: R, request: &JoinRequest<'_>) -> Result<Self>
    where
        R: Loads<From = M::Table>,
        <R::Model as Model>::Table: JoinByName,
    {
        let mut nested = Query::<R::Model>::new();
        match request.rest {
            Some(rest) => nested = nested.join_by_path(rest, request.conditions, request.safe)?,
            None => {
                if let Some(conditions) = request.conditions {
                    nested = nested.with_where(
                        conditions,
                        request.safe,
                        &crate::limits::Limits::default(),
                    )?;
                }
            }
        }
        Ok(self.join_with(relation, |_| nested))
    }
}

/// Whether every segment of `path` is a relationship, from `table` on.
fn is_relationship_path(
    table: &'static crate::descriptor::TableInfo,
    schema: &[&'static crate::descriptor::TableInfo],
    path: &str,
) -> bool {
    let mut current = table;
    for name in path.split("__") {
        let Some(relation) = current.relation(name) else {
            return false;
        };
        match schema.iter().find(|info| info.name == relation.to_table) {
            Some(next) => current = next,
            None => return false,
        }
    }
    true
}
