//! Seeding a table that has no model: PostgreSQL converts the row's JSON to the column types
//! (`json_populate_record`), timestamps are set as a model save sets them, and an explicit
//! value for an auto-increment primary key is ignored, as instant.dev ignores it.

use instant_schema::schema::Table;
use instant_schema::seed::SeedRow;
use serde_json::Value;

use crate::db::Transaction;
use crate::error::Result;
use crate::model::statements::quote;

/// Inserts `rows` into `table`, one statement per row (rows may name different columns;
/// columns a row leaves out get their defaults), returning each new row's primary key.
pub(crate) fn insert(
    transaction: &mut Transaction<'_>,
    table: &Table,
    rows: &[SeedRow],
) -> Result<Vec<Value>> {
    let key = table
        .columns
        .iter()
        .find(|column| column.properties.primary_key == Some(true) || column.name == "id")
        .map(|column| column.name.as_str());
    let is_timestamp = |name: &str| {
        (name == "created_at" || name == "updated_at")
            && table
                .columns
                .iter()
                .any(|column| column.name == name && column.column_type == "datetime")
    };
    let now = chrono::Local::now().naive_local();
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        let mut columns: Vec<&str> = row
            .keys()
            .map(String::as_str)
            .filter(|name| Some(*name) != key && !is_timestamp(name))
            .collect();
        let mut values: Vec<String> = columns.iter().map(|name| quote(name)).collect();
        for name in ["created_at", "updated_at"] {
            if is_timestamp(name) {
                columns.push(name);
                values.push("$2".to_string());
            }
        }
        let list: Vec<String> = columns.iter().map(|name| quote(name)).collect();
        let returning = key.map_or("NULL".to_string(), quote);
        let sql = if columns.is_empty() {
            format!(
                "INSERT INTO {} DEFAULT VALUES RETURNING to_jsonb({returning})",
                quote(&table.name)
            )
        } else {
            format!(
                "INSERT INTO {table} ({list}) SELECT {values} \
                 FROM json_populate_record(NULL::{table}, $1::text::json) RETURNING to_jsonb({returning})",
                table = quote(&table.name),
                list = list.join(", "),
                values = values.join(", "),
            )
        };
        let json = Value::Object(row.clone()).to_string();
        let inserted = if columns.is_empty() {
            transaction.query_one(&sql, &[])?
        } else if values.iter().any(|value| value == "$2") {
            transaction.query_one(&sql, &[&json, &now])?
        } else {
            transaction.query_one(&sql, &[&json])?
        };
        ids.push(inserted.try_get::<_, Value>(0)?);
    }
    Ok(ids)
}
