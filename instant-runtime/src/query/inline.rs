//! A query's first join loaded by the query's own statement: the root rows' statement as a
//! subquery, the related table `LEFT JOIN`ed to it, one round trip for both levels.
//!
//! ```sql
//! SELECT "root"."id", …, "posts"."id", …, CAST("root"."id" AS bigint), CAST("posts"."user_id" AS bigint)
//! FROM (SELECT … FROM "users" WHERE … ORDER BY … LIMIT …) AS "root"
//! LEFT JOIN "posts" ON "posts"."user_id" = "root"."id" AND <the join's filters>
//! ORDER BY <the root order>, <the join's order>
//! ```
//!
//! A root row comes back once per related row (once with NULLs when it has none); it is
//! decoded the first time its key is seen, its related rows collected in row order. Deeper
//! levels and the other joins are loaded afterwards, one statement per level. The root rows
//! keep their order (the outer `ORDER BY` repeats it); without one, their order is the
//! database's, as it is for any query without an order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use sea_query::{
    Alias, ExprTrait, JoinType, NullOrdering, Order, PostgresQueryBuilder, SelectStatement,
};
use sea_query_postgres::PostgresBinder;

use super::filter::{Scope, column_expr};
use super::join::{Join, Key, KeyFamily};
use crate::db::Connection;
use crate::descriptor::{ColumnInfo, Table};
use crate::error::Result;
use crate::model::{Model, Record};

/// The root rows' alias in the statement.
const ROOT: &str = "__root";

/// See the module documentation; `None` (nothing run) when the join has a limit, an offset,
/// computed columns or an order that is not by columns, or a key cannot be read.
pub(crate) fn load_with_root<M: Model, C: Model>(
    join: &Join<C>,
    root: SelectStatement,
    order: &[(&'static ColumnInfo, bool)],
    connection: &mut Connection,
) -> Result<Option<Vec<Record<M>>>> {
    let relation = join.relation;
    let table = <C::Table as Table>::INFO;
    let (Some(key_index), Some(related_order)) = (M::PRIMARY_KEY, join.query.column_order()) else {
        return Ok(None);
    };
    if !join.query.is_plain() {
        return Ok(None);
    }
    let root_key = M::COLUMNS[key_index];
    let from = M::COLUMNS
        .iter()
        .copied()
        .find(|column| column.name == relation.from_column);
    let to = table.column(relation.to_column);
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(None);
    };
    let (Some(root_family), Some(family)) =
        (KeyFamily::of_column(root_key), KeyFamily::of_column(to))
    else {
        return Ok(None);
    };
    if KeyFamily::of_column(from) != Some(family) {
        return Ok(None);
    }

    let root_scope = Scope::root(ROOT);
    let scope = Scope::root(table.name);
    let mut select = sea_query::Query::select();
    for column in M::COLUMNS {
        select.expr(root_scope.column(column.name));
    }
    for column in C::COLUMNS {
        select.expr(column_expr(&scope, column));
    }
    select
        .expr(root_family.select(root_scope.column(root_key.name)))
        .expr(family.select(scope.column(to.name)))
        .from_subquery(root, Alias::new(ROOT))
        .join(
            JoinType::LeftJoin,
            Alias::new(table.name),
            join.query.condition(&scope).add(
                scope
                    .column(to.name)
                    .equals((Alias::new(ROOT), Alias::new(from.name))),
            ),
        );
    for (column, descending) in order {
        select.order_by_expr_with_nulls(
            root_scope.column(column.name),
            direction(*descending),
            NullOrdering::Last,
        );
    }
    for (column, descending) in related_order {
        select.order_by_expr_with_nulls(
            scope.column(column.name),
            direction(descending),
            NullOrdering::Last,
        );
    }
    let (sql, values) = select.build_postgres(PostgresQueryBuilder);
    let rows = connection.query(&sql, &values.as_params())?;

    let root_columns = M::COLUMNS.len();
    let keys = root_columns + C::COLUMNS.len();
    let mut roots: Vec<Record<M>> = Vec::with_capacity(rows.len());
    let mut seen: HashMap<Key, usize, BuildHasherDefault<KeyHasher>> =
        HashMap::with_capacity_and_hasher(rows.len(), BuildHasherDefault::default());
    let mut last: Option<(Key, usize)> = None;
    let mut related: Vec<Record<C>> = Vec::with_capacity(rows.len());
    let mut owners: Vec<usize> = Vec::with_capacity(rows.len());
    for row in &rows {
        let key = root_family.read(row, keys)?;
        // Rows of one root usually come together: check the last root before the map.
        let owner = match &last {
            Some((last_key, owner)) if *last_key == key => *owner,
            _ => {
                let owner = match seen.get(&key) {
                    Some(owner) => *owner,
                    None => {
                        roots.push(Record::loaded(M::from_row(row)?));
                        seen.insert(key.clone(), roots.len() - 1);
                        roots.len() - 1
                    }
                };
                last = Some((key, owner));
                owner
            }
        };
        if present(family, row, keys + 1)? {
            related.push(Record::loaded(C::from_row_at(row, root_columns)?));
            owners.push(owner);
        }
    }
    for nested in &join.query.joins {
        nested.load(&mut related, connection)?;
    }
    let mut buckets: Vec<Vec<Record<C>>> = (0..roots.len()).map(|_| Vec::new()).collect();
    for (record, owner) in related.into_iter().zip(owners) {
        buckets[owner].push(record);
    }
    for (record, bucket) in roots.iter_mut().zip(buckets) {
        record.attach(relation.name, (join.build)(bucket));
    }
    Ok(Some(roots))
}

/// Whether the row has a related row: its join key is not NULL.
fn present(family: KeyFamily, row: &postgres::Row, index: usize) -> Result<bool> {
    Ok(match family {
        KeyFamily::Int => row.try_get::<_, Option<i64>>(index)?.is_some(),
        KeyFamily::Text => row.try_get::<_, Option<&str>>(index)?.is_some(),
        KeyFamily::Uuid => row.try_get::<_, Option<uuid::Uuid>>(index)?.is_some(),
    })
}

fn direction(descending: bool) -> Order {
    if descending { Order::Desc } else { Order::Asc }
}

/// The hasher of the root keys seen: keys come from the database, not from an attacker who
/// could pick colliding ones, so a multiply-rotate (FxHash's) replaces SipHash, whose cost
/// showed per row.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
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
