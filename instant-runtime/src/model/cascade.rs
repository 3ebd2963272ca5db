//! Cascading deletes (instant.dev's `destroyCascade`): every row that depends on the roots
//! through foreign keys, at any depth, deleted deepest first, then the roots.

use sea_query_postgres::{PostgresValue, PostgresValues};

use super::statements::quote;
use super::{Model, SqlValue};
use crate::db::Transaction;
use crate::descriptor::{RelationKind, Table, TableInfo};
use crate::error::{Error, Result};

/// Deletes the rows of `M`'s table whose primary key is one of `keys`, and their
/// descendants. No hooks run. Each path of foreign keys from the root is followed (a table
/// reached by two paths is cleared along both); a path never visits a table twice.
pub(crate) fn destroy<M: Model>(
    transaction: &mut Transaction<'_>,
    keys: Vec<SqlValue>,
) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let root = <M::Table as Table>::INFO;
    let schema = <M::Table as Table>::SCHEMA;
    let Some(key) = root.primary_key else {
        return Err(Error::Input {
            message: format!(
                "cannot destroy rows of `{}`: it has no primary key",
                root.name
            ),
        });
    };
    let placeholders: Vec<String> = (1..=keys.len()).map(|n| format!("${n}")).collect();
    let root_rows = format!("{} IN ({})", quote(key), placeholders.join(", "));

    let mut deletes: Vec<(usize, String)> = Vec::new();
    let mut pending: Vec<(Vec<&'static str>, &TableInfo, String)> =
        vec![(vec![root.name], root, root_rows.clone())];
    while let Some((path, table, rows)) = pending.pop() {
        for relation in table.relations {
            if relation.kind == RelationKind::BelongsTo || path.contains(&relation.to_table) {
                continue;
            }
            let child_rows = format!(
                "{} IN (SELECT {} FROM {} WHERE {rows})",
                quote(relation.to_column),
                quote(relation.from_column),
                quote(table.name),
            );
            deletes.push((
                path.len(),
                format!(
                    "DELETE FROM {} WHERE {child_rows}",
                    quote(relation.to_table)
                ),
            ));
            if let Some(child) = schema.iter().find(|info| info.name == relation.to_table) {
                let mut child_path = path.clone();
                child_path.push(child.name);
                pending.push((child_path, child, child_rows));
            }
        }
    }
    // Deepest first: a level's rows are found through its parents, still there.
    deletes.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
    let params = PostgresValues(keys.into_iter().map(PostgresValue).collect());
    let params = params.as_params();
    for (_, sql) in &deletes {
        transaction.execute(sql, &params)?;
    }
    transaction.execute(
        &format!("DELETE FROM {} WHERE {root_rows}", quote(root.name)),
        &params,
    )?;
    Ok(())
}
