//! The baseline: the `postgres` crate used directly, as a careful hand-written data layer
//! would use it. Every statement is prepared once, up front, and rows are decoded by column
//! index into the same `User` struct the ORM returns.

use instant_runtime::chrono::{Local, NaiveDateTime};
use postgres::types::ToSql;
use postgres::{Client, Error, Row, Statement};

use crate::blog::User;

/// The columns read back, in `User`'s field order (the order the ORM selects them too).
const COLUMNS: &str = "id, email, username, biography, is_admin, created_at, updated_at";

/// The columns written: everything but the serial id, timestamps set by the client as the
/// ORM sets them.
const INSERT_COLUMNS: &str = "email, username, biography, is_admin, created_at, updated_at";
const PARAMETERS_PER_ROW: usize = 6;

/// A connection with the benchmarks' statements prepared on it.
pub struct RawUsers {
    client: Client,
    find: Statement,
    insert: Statement,
    /// One multi-row INSERT for `batch_size` rows.
    insert_batch: Statement,
    batch_size: usize,
    select_limited: Statement,
}

impl RawUsers {
    /// Prepares every statement on `client`; multi-row inserts take `batch_size` rows.
    pub fn prepare(mut client: Client, batch_size: usize) -> Result<RawUsers, Error> {
        let find = client.prepare(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))?;
        let insert = client.prepare(&insert_sql(1))?;
        let insert_batch = client.prepare(&insert_sql(batch_size))?;
        let select_limited = client.prepare(&format!("SELECT {COLUMNS} FROM users LIMIT $1"))?;
        Ok(RawUsers {
            client,
            find,
            insert,
            insert_batch,
            batch_size,
            select_limited,
        })
    }

    /// The user with primary key `id` (an error when there is none).
    pub fn find(&mut self, id: i64) -> Result<User, Error> {
        let row = self.client.query_one(&self.find, &[&id])?;
        Ok(user_from_row(&row))
    }

    /// Inserts `user` and returns the row as stored.
    pub fn insert(&mut self, user: &User) -> Result<User, Error> {
        let now = now();
        let row = self.client.query_one(
            &self.insert,
            &[
                &user.email,
                &user.username,
                &user.biography,
                &user.is_admin,
                &now,
                &now,
            ],
        )?;
        Ok(user_from_row(&row))
    }

    /// Inserts `users` (exactly the prepared batch size) in one multi-row INSERT and returns
    /// the rows as stored.
    ///
    /// # Panics
    ///
    /// When `users.len()` is not the batch size given to [`prepare`](RawUsers::prepare).
    pub fn insert_batch(&mut self, users: &[User]) -> Result<Vec<User>, Error> {
        assert_eq!(
            users.len(),
            self.batch_size,
            "prepared for another batch size"
        );
        let now = now();
        let mut params: Vec<&(dyn ToSql + Sync)> =
            Vec::with_capacity(users.len() * PARAMETERS_PER_ROW);
        for user in users {
            params.extend_from_slice(&[
                &user.email,
                &user.username,
                &user.biography,
                &user.is_admin,
                &now,
                &now,
            ]);
        }
        let rows = self.client.query(&self.insert_batch, &params)?;
        Ok(rows.iter().map(user_from_row).collect())
    }

    /// The first `limit` users the server returns (no ORDER BY, as the ORM's query).
    pub fn select_limited(&mut self, limit: i64) -> Result<Vec<User>, Error> {
        let rows = self.client.query(&self.select_limited, &[&limit])?;
        Ok(rows.iter().map(user_from_row).collect())
    }

    /// The connection, for setup between measurements.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// `INSERT INTO users (…) VALUES ($1, …), … RETURNING …` for `rows` rows.
fn insert_sql(rows: usize) -> String {
    let mut sql = format!("INSERT INTO users ({INSERT_COLUMNS}) VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        let first = row * PARAMETERS_PER_ROW;
        let placeholders: Vec<String> = (1..=PARAMETERS_PER_ROW)
            .map(|n| format!("${}", first + n))
            .collect();
        sql.push('(');
        sql.push_str(&placeholders.join(", "));
        sql.push(')');
    }
    sql.push_str(" RETURNING ");
    sql.push_str(COLUMNS);
    sql
}

/// The time written to `created_at`/`updated_at`, as the ORM computes it.
fn now() -> NaiveDateTime {
    Local::now().naive_local()
}

/// Decodes a row of [`COLUMNS`] by index.
fn user_from_row(row: &Row) -> User {
    User {
        id: row.get(0),
        email: row.get(1),
        username: row.get(2),
        biography: row.get(3),
        is_admin: row.get(4),
        created_at: row.get(5),
        updated_at: row.get(6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_the_parameters_of_every_row() {
        assert_eq!(
            insert_sql(2),
            "INSERT INTO users (email, username, biography, is_admin, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12) \
             RETURNING id, email, username, biography, is_admin, created_at, updated_at"
        );
    }
}
