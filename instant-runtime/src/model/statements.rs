//! The SQL of a model's fixed-shape statements (insert, lookup and delete by primary key),
//! written once per model type and kept for the life of the process.

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{OnceLock, RwLock};

use crate::descriptor::{ColumnInfo, Table};
use crate::model::Model;

/// What an INSERT parameter is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// The model's field at this position in `COLUMNS`.
    Field(usize),
    /// The current time: `created_at` and `updated_at`, maintained as instant.dev does.
    Now,
}

/// A model's statements.
#[derive(Debug)]
pub(crate) struct Statements {
    /// `"table"`, quoted.
    pub table: String,
    /// The model's columns as a select list, in field order (`"id", "ip"::text, …`).
    pub columns: String,
    /// The primary key column, quoted, when the table has one.
    pub primary_key: Option<String>,
    /// `INSERT INTO "t" ("a", "b") VALUES ($1, $2) RETURNING …`.
    pub insert: String,
    /// `("a", "b")`: the insert's column list, for multi-row inserts.
    pub insert_columns: String,
    /// What each insert parameter is, in order.
    pub insert_slots: Vec<Slot>,
    /// The cast each insert parameter needs (`::text::inet`), in order.
    pub insert_casts: Vec<String>,
    /// `SELECT … FROM "t" WHERE "id" = $1`.
    pub find: String,
    /// `DELETE FROM "t" WHERE "id" = $1`.
    pub delete: String,
    /// The table's `updated_at` (a `datetime`), refreshed by every update.
    pub updated_at: Option<&'static ColumnInfo>,
}

/// The statements of `M`, built on first use.
pub(crate) fn of<M: Model>() -> &'static Statements {
    static CACHE: OnceLock<RwLock<HashMap<TypeId, &'static Statements>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = TypeId::of::<M>();
    if let Some(statements) = cache.read().ok().and_then(|map| map.get(&key).copied()) {
        return statements;
    }
    let built: &'static Statements = Box::leak(Box::new(build::<M>()));
    match cache.write() {
        Ok(mut map) => map.entry(key).or_insert(built),
        Err(_) => built,
    }
}

fn build<M: Model>() -> Statements {
    let info = <M::Table as Table>::INFO;
    let table = quote(info.name);
    let columns = select_list(M::COLUMNS);
    let primary_key = info.primary_key.map(quote);
    let timestamp = |name: &str| {
        info.columns
            .iter()
            .find(|column| column.name == name && column.sql_type == "datetime")
    };

    let mut names = Vec::new();
    let mut insert_slots = Vec::new();
    let mut insert_casts = Vec::new();
    for (index, column) in M::COLUMNS.iter().enumerate() {
        if column.primary_key && column.auto_increment {
            continue; // instant.dev ignores an explicit id: the sequence gives it
        }
        let slot = if timestamp(column.name).is_some()
            && (column.name == "created_at" || column.name == "updated_at")
        {
            Slot::Now
        } else {
            Slot::Field(index)
        };
        names.push(quote(column.name));
        insert_slots.push(slot);
        insert_casts.push(cast(column));
    }
    // Timestamps the model has no field for are still maintained.
    for name in ["created_at", "updated_at"] {
        if let Some(column) = timestamp(name)
            && !M::COLUMNS.iter().any(|field| field.name == name)
        {
            names.push(quote(column.name));
            insert_slots.push(Slot::Now);
            insert_casts.push(String::new());
        }
    }
    let insert_columns = format!("({})", names.join(", "));
    let insert = if names.is_empty() {
        format!("INSERT INTO {table} DEFAULT VALUES RETURNING {columns}")
    } else {
        let mut sql = format!("INSERT INTO {table} {insert_columns} VALUES ");
        push_values_row(&mut sql, &insert_casts, 1);
        let _ = write!(sql, " RETURNING {columns}");
        sql
    };
    let key = primary_key.as_deref().unwrap_or("NULL");
    Statements {
        find: format!("SELECT {columns} FROM {table} WHERE {key} = $1"),
        delete: format!("DELETE FROM {table} WHERE {key} = $1"),
        updated_at: timestamp("updated_at"),
        table,
        columns,
        primary_key,
        insert,
        insert_columns,
        insert_slots,
        insert_casts,
    }
}

/// `($first, $first+1, …)` with each parameter's cast.
pub(crate) fn push_values_row(sql: &mut String, casts: &[String], first: usize) {
    sql.push('(');
    for (offset, cast) in casts.iter().enumerate() {
        if offset > 0 {
            sql.push_str(", ");
        }
        let _ = write!(sql, "${}{cast}", first + offset);
    }
    sql.push(')');
}

/// The columns in order, those without a faithful Rust type read as text.
pub(crate) fn select_list(columns: &[&ColumnInfo]) -> String {
    let mut list = String::new();
    for (index, column) in columns.iter().enumerate() {
        if index > 0 {
            list.push_str(", ");
        }
        list.push_str(&quote(column.name));
        if column.read_as_text {
            list.push_str(if column.array { "::text[]" } else { "::text" });
        }
    }
    list
}

/// The cast a parameter for `column` needs: values the driver sends as text (`inet`, and the
/// types read as text) are cast from text to the column's type on the server.
pub(crate) fn cast(column: &ColumnInfo) -> String {
    if column.read_as_text || column.sql_type == "inet" {
        let sql_type = column.sql_type;
        if column.array {
            format!("::text[]::{sql_type}[]")
        } else {
            format!("::text::{sql_type}")
        }
    } else {
        String::new()
    }
}

/// `name` as a quoted identifier.
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
