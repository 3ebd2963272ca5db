//! A query's first join loaded by the query's own statement: the related table `LEFT JOIN`ed
//! to the root rows, one round trip for both levels.
//!
//! ```sql
//! SELECT "users"."id", …, "posts"."id", …
//! FROM "users"
//! LEFT JOIN "posts" ON <the join's filters> AND "posts"."user_id" = "users"."id"
//! WHERE <the query's filters>
//! ORDER BY <the root order>, <the join's order>
//! ```
//!
//! When the query has a limit or an offset (which count root rows, not joined ones), or joins
//! its own table, the root rows' statement is a subquery instead:
//! `FROM (SELECT … FROM "users" WHERE … ORDER BY … LIMIT …) AS "__root" LEFT JOIN "posts" …`.
//! The keys are read from the models' own columns; a model that reads a key column as text
//! gets the keys selected again after its columns, cast to their family's type.
//!
//! A root row comes back once per related row (once with NULLs when it has none); it is
//! decoded the first time its key is seen, its related rows collected in row order. Deeper
//! levels and the other joins are loaded afterwards, one statement per level. The root rows
//! keep their order (the outer `ORDER BY` repeats it); without one, their order is the
//! database's, as it is for any query without an order.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use sea_query::{Alias, ExprTrait, JoinType, NullOrdering, Order, PostgresQueryBuilder};
use sea_query_postgres::{PostgresBinder, PostgresValues};

use super::filter::{Scope, column_expr};
use super::join::{Join, Key, KeyColumn, KeyFamily};
use super::select::Query;
use super::shape::{Bindings, BuildShapeHasher, Kind, Shape};
use crate::db::Connection;
use crate::descriptor::{ColumnInfo, Table, TableInfo};
use crate::error::Result;
use crate::model::{Model, Record};

/// The root rows' alias in the statement, when they are a subquery.
const ROOT: &str = "__root";

/// How the statement is written, from the query's shape.
struct Plan {
    relation: &'static crate::descriptor::RelationInfo,
    root_table: &'static TableInfo,
    table: &'static TableInfo,
    root_key: &'static ColumnInfo,
    from: &'static ColumnInfo,
    to: &'static ColumnInfo,
    root_family: KeyFamily,
    family: KeyFamily,
    /// The root rows as a subquery (`__root`), not the root table itself.
    subquery: bool,
    /// Where the root and related keys are read: their own columns, or two selected after
    /// the models' columns.
    keys_at: Option<(usize, usize)>,
}

/// See the module documentation; `None` (nothing run) when the join has a limit, an offset,
/// computed columns or an order that is not by columns, or a key cannot be read.
pub(crate) fn load_with_root<M: Model, C: Model>(
    join: &Join<C>,
    root: &Query<M>,
    order: &[(&'static ColumnInfo, bool)],
    connection: &mut Connection,
) -> Result<Option<Vec<Record<M>>>> {
    let Some(plan) = plan::<M, C>(join, root) else {
        return Ok(None);
    };
    let root_columns = M::COLUMNS.len();
    let (root_key_at, key_at) = plan.keys_at.unwrap_or_else(|| {
        let keys = root_columns + C::COLUMNS.len();
        (keys, keys + 1)
    });
    // Where the keys are, found from the first row's columns.
    let mut key_columns = None;
    let mut roots: Vec<Record<M>> = Vec::new();
    let mut seen: HashMap<Key, usize, BuildShapeHasher> = HashMap::default();
    let mut last: Option<(Key, usize)> = None;
    let mut related: Vec<Record<C>> = Vec::new();
    let mut owners: Vec<usize> = Vec::new();
    // Each row decoded as it arrives, while the server sends the rest.
    let each = |row: &instant_pg::Row| -> Result<()> {
        let (root_key_column, key_column) = *key_columns.get_or_insert_with(|| {
            (
                KeyColumn::of(plan.root_family, row.columns(), root_key_at),
                KeyColumn::of(plan.family, row.columns(), key_at),
            )
        });
        let Some(key) = root_key_column.read(row)? else {
            return Ok(());
        };
        // Rows of one root usually come together: check the last root before the map.
        let owner = match &last {
            Some((last_key, owner)) if *last_key == key => *owner,
            _ => {
                let owner = match seen.entry(key.clone()) {
                    Entry::Occupied(seen) => *seen.get(),
                    Entry::Vacant(unseen) => {
                        roots.push(Record::loaded(M::from_row(row)?));
                        *unseen.insert(roots.len() - 1)
                    }
                };
                last = Some((key, owner));
                owner
            }
        };
        if key_column.read(row)?.is_some() {
            related.push(Record::loaded(C::from_row_at(row, root_columns)?));
            owners.push(owner);
        }
        Ok(())
    };
    let render = || statement(&plan, join, root, order);
    let mut shape = Shape::new(Kind::RowsJoined);
    if root.shape(&mut shape) && join.query.shape(&mut shape) {
        shape.relation(plan.relation);
        let mut values = Bindings::new();
        if plan.subquery {
            root.bind(&mut values);
            join.query.bind(&mut values);
        } else {
            join.query.bind(&mut values);
            root.bind(&mut values);
        }
        connection.query_shaped(shape, values, render, each)?;
    } else {
        let (sql, values) = render();
        connection.query_each(&sql, &values.as_params(), each)?;
    }
    for nested in &join.query.joins {
        nested.load(&mut related, connection)?;
    }
    let (values, _) = join.joined_values(related, &owners, roots.len());
    for (record, value) in roots.iter_mut().zip(values) {
        record.attach(plan.relation.name, value);
    }
    Ok(Some(roots))
}

/// The statement [`load_with_root`] runs, `None` when it runs none.
pub(crate) fn sql<M: Model, C: Model>(
    join: &Join<C>,
    root: &Query<M>,
    order: &[(&'static ColumnInfo, bool)],
) -> Option<String> {
    let plan = plan::<M, C>(join, root)?;
    Some(statement(&plan, join, root, order).0)
}

/// How to load `join` with `root`'s rows, or `None` when it cannot be.
fn plan<M: Model, C: Model>(join: &Join<C>, root: &Query<M>) -> Option<Plan> {
    let relation = join.relation;
    let root_table = <M::Table as Table>::INFO;
    let table = <C::Table as Table>::INFO;
    let root_key_index = M::PRIMARY_KEY?;
    join.query.column_order()?;
    if !join.query.is_plain() {
        return None;
    }
    let root_key = M::COLUMNS[root_key_index];
    let from = M::COLUMNS
        .iter()
        .copied()
        .find(|column| column.name == relation.from_column)?;
    let to = table.column(relation.to_column)?;
    let root_family = KeyFamily::of_column(root_key)?;
    let family = KeyFamily::of_column(to)?;
    if KeyFamily::of_column(from) != Some(family) {
        return None;
    }
    let subquery = root.limit.is_some() || root.offset.is_some() || root_table.name == table.name;
    let keys_at = match join.key_column() {
        Some(to_index) if !root_key.read_as_text => {
            Some((root_key_index, M::COLUMNS.len() + to_index))
        }
        _ => None,
    };
    Some(Plan {
        relation,
        root_table,
        table,
        root_key,
        from,
        to,
        root_family,
        family,
        subquery,
        keys_at,
    })
}

/// The statement of `plan`, built with sea-query.
fn statement<M: Model, C: Model>(
    plan: &Plan,
    join: &Join<C>,
    root: &Query<M>,
    order: &[(&'static ColumnInfo, bool)],
) -> (String, PostgresValues) {
    let root_scope = Scope::root(if plan.subquery {
        ROOT
    } else {
        plan.root_table.name
    });
    let scope = Scope::root(plan.table.name);
    let mut select = sea_query::Query::select();
    for column in M::COLUMNS {
        if plan.subquery {
            // The subquery already reads the column as the model does.
            select.expr(root_scope.column(column.name));
        } else {
            select.expr(column_expr(&root_scope, column));
        }
    }
    for column in C::COLUMNS {
        select.expr(column_expr(&scope, column));
    }
    if plan.keys_at.is_none() {
        select
            .expr(
                plan.root_family
                    .select(root_scope.column(plan.root_key.name)),
            )
            .expr(plan.family.select(scope.column(plan.to.name)));
    }
    if plan.subquery {
        select.from_subquery(root.statement(), Alias::new(ROOT));
    } else {
        select.from(Alias::new(plan.root_table.name));
    }
    select.join(
        JoinType::LeftJoin,
        Alias::new(plan.table.name),
        join.query
            .condition(&scope)
            .add(scope.column(plan.to.name).equals((
                Alias::new(root_scope.alias.as_str()),
                Alias::new(plan.from.name),
            ))),
    );
    if !plan.subquery {
        select.cond_where(root.condition(&root_scope));
    }
    for (column, descending) in order {
        select.order_by_expr_with_nulls(
            root_scope.column(column.name),
            direction(*descending),
            NullOrdering::Last,
        );
    }
    for (column, descending) in join.query.column_order().unwrap_or_default() {
        select.order_by_expr_with_nulls(
            scope.column(column.name),
            direction(descending),
            NullOrdering::Last,
        );
    }
    select.build_postgres(PostgresQueryBuilder)
}

fn direction(descending: bool) -> Order {
    if descending { Order::Desc } else { Order::Asc }
}
