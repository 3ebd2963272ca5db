//! The `_instant_migrations` table: which migrations a database has, with the schema after each.
//!
//! Its shape is instant.dev's (`prepare`), so a database migrated by either tool reads as synced
//! by the other: `id bigint NOT NULL` (constraint `_instant_migrations_id_pk`), `name varchar`,
//! `schema jsonb`, `commands jsonb` (the whole migration JSON) and `created_at timestamp`.

use instant_pg::Client;
use instant_schema::{Migration, Schema};
use sea_query::{Alias, Expr, Order, PostgresQueryBuilder, Query};
use sea_query_postgres::PostgresBinder;
use serde_json::Value;

use super::ddl;
use crate::error::Result;

/// The history table's name.
pub const TABLE: &str = "_instant_migrations";

/// One row of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub id: i64,
    pub name: Option<String>,
    /// The migration JSON `{id, name, up, down}` as it was applied.
    pub commands: Option<Value>,
    /// The schema right after the migration.
    pub schema: Option<Value>,
}

/// True when the table exists in the `public` schema (instant.dev's `isEnabled`).
pub fn exists(client: &mut Client) -> Result<bool> {
    let row = client.query_opt(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = $1",
        &[&TABLE],
    )?;
    Ok(row.is_some())
}

/// Creates the table unless it exists; returns whether it did.
pub fn create_if_missing(client: &mut Client) -> Result<bool> {
    if exists(client)? {
        return Ok(false);
    }
    client.batch_execute(&ddl::create_history_table(TABLE).sql)?;
    Ok(true)
}

/// Every row, by id.
pub fn rows(client: &mut Client) -> Result<Vec<HistoryRow>> {
    let (sql, values) = Query::select()
        .columns(["id", "name", "commands", "schema"].map(Alias::new))
        .from(Alias::new(TABLE))
        .order_by(Alias::new("id"), Order::Asc)
        .build_postgres(PostgresQueryBuilder);
    let rows = client.query(&sql, &values.as_params())?;
    rows.iter()
        .map(|row| {
            Ok(HistoryRow {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                commands: row.try_get(2)?,
                schema: row.try_get(3)?,
            })
        })
        .collect()
}

/// Records `migration` as applied, with `schema` the schema after it. Every value is bound.
pub fn insert(client: &mut Client, migration: &Migration, schema: &Schema) -> Result<()> {
    // instant.dev stores the client's local time in a `timestamp` column; so do we.
    let now = chrono::Local::now().naive_local();
    let (sql, values) = Query::insert()
        .into_table(Alias::new(TABLE))
        .columns(["id", "name", "commands", "schema", "created_at"].map(Alias::new))
        .values_panic([
            Expr::val(migration.id),
            Expr::val(migration.name.clone()),
            Expr::val(migration.to_json()),
            Expr::val(schema.to_json()),
            Expr::val(now),
        ])
        .build_postgres(PostgresQueryBuilder);
    client.execute(&sql, &values.as_params())?;
    Ok(())
}
