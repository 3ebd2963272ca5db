//! Many records of one model (instant.dev's `ModelArray`): what a query returns, saved or
//! destroyed together, serialized with the query's `meta`.

use std::ops::{Deref, DerefMut};

use serde::{Serialize, Serializer};

use super::interface::Interface;
use super::record::Stored;
use super::save::{save_batch, validate};
use super::{Model, Record};
use crate::db::Executor;
use crate::error::{Error, Result};

/// Records of model `M`, with the query's `total` (rows without the last limit) and
/// `offset`. Dereferences to `Vec<Record<M>>`.
#[derive(Debug, Clone)]
pub struct Records<M: Model> {
    items: Vec<Record<M>>,
    total: Option<u64>,
    offset: u64,
}

impl<M: Model> Records<M> {
    /// No records.
    pub fn new() -> Self {
        Records {
            items: Vec::new(),
            total: None,
            offset: 0,
        }
    }

    /// No records, with room for `capacity`.
    pub fn with_capacity(capacity: usize) -> Self {
        Records {
            items: Vec::with_capacity(capacity),
            total: None,
            offset: 0,
        }
    }

    /// New records (not in storage) of `models`.
    pub fn from_models(models: impl IntoIterator<Item = M>) -> Self {
        models.into_iter().map(Record::new).collect()
    }

    /// Sets what [`to_query_json`](Records::to_query_json) reports: the total number of
    /// rows the query matched and the offset it started at.
    pub fn set_meta(&mut self, total: u64, offset: u64) {
        self.total = Some(total);
        self.offset = offset;
    }

    /// The number of rows the query matched without its limit (at least the number held).
    pub fn total(&self) -> u64 {
        self.total.unwrap_or(0).max(self.items.len() as u64)
    }

    /// The offset the query started at.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The records, without the meta.
    pub fn into_vec(self) -> Vec<Record<M>> {
        self.items
    }

    /// The models, without tracking.
    pub fn into_models(self) -> Vec<M> {
        self.items.into_iter().map(Record::into_inner).collect()
    }

    /// Saves every record in one transaction (instant.dev's `saveAll`): all validations
    /// first, then the verifications and `before_save` hooks, the writes (new records in
    /// multi-row INSERTs, in order) and the `after_save` hooks. All or nothing: on an error
    /// no record is written and each is as it was.
    pub fn save_all(&mut self, mut executor: impl Executor) -> Result<&mut Self> {
        for record in &mut self.items {
            record.touch();
            record.model.before_validate();
            validate(&record.model)?;
        }
        if !M::SAVES_IN_STEPS
            && !self.items.is_empty()
            && self.items.iter().all(|r| !r.in_storage())
        {
            // One multi-row INSERT, atomic by itself: no BEGIN/COMMIT round trips.
            let items = &mut self.items;
            let done = executor
                .with_write(|connection| super::save::insert_in_one_statement(items, connection));
            match done {
                Ok(true) => return Ok(self),
                Ok(false) => {}
                Err(error) => {
                    for record in &mut self.items {
                        record.stored = Stored::Not;
                    }
                    return Err(error);
                }
            }
        }
        let stored: Vec<Stored<M>> = self.items.iter().map(|r| r.stored.clone()).collect();
        let result = executor
            .with_transaction(|transaction| save_batch(&mut self.items, transaction, false));
        if result.is_err() {
            for (record, stored) in self.items.iter_mut().zip(stored) {
                record.stored = stored;
            }
        }
        result.map(|()| self)
    }

    /// Deletes every record in one transaction (instant.dev's `destroyAll`): each
    /// `before_destroy`, one DELETE, each `after_destroy`. Every record must be in storage.
    pub fn destroy_all(&mut self, mut executor: impl Executor) -> Result<&mut Self> {
        let keys = self.keys()?;
        if keys.is_empty() {
            return Ok(self);
        }
        let statements = super::statements::of::<M>();
        executor.with_transaction(|transaction| {
            for record in &mut self.items {
                record.model.before_destroy(transaction)?;
            }
            let key = statements.primary_key.as_deref().unwrap_or("NULL");
            let placeholders: Vec<String> = (1..=keys.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "DELETE FROM {} WHERE {key} IN ({})",
                statements.table,
                placeholders.join(", ")
            );
            let params = sea_query_postgres::PostgresValues(
                keys.iter()
                    .cloned()
                    .map(sea_query_postgres::PostgresValue)
                    .collect(),
            );
            transaction.execute(&sql, &params.as_params())?;
            for record in &mut self.items {
                record.model.after_destroy(transaction)?;
            }
            Ok(())
        })?;
        for record in &mut self.items {
            record.stored = Stored::Not;
        }
        Ok(self)
    }

    /// Deletes every record and all rows depending on them, deepest first, in one
    /// transaction, without hooks (instant.dev's `destroyCascade`).
    pub fn destroy_cascade(&mut self, mut executor: impl Executor) -> Result<&mut Self> {
        let keys = self.keys()?;
        executor.with_transaction(|transaction| super::cascade::destroy::<M>(transaction, keys))?;
        for record in &mut self.items {
            record.stored = Stored::Not;
        }
        Ok(self)
    }

    fn keys(&self) -> Result<Vec<super::SqlValue>> {
        self.items
            .iter()
            .map(|record| record.key_for("destroy"))
            .collect::<Result<_>>()
            .map_err(|error| match error {
                Error::Input { message } if message == "Model has not been saved" => Error::Input {
                    message: "Not all models are in storage".to_string(),
                },
                other => other,
            })
    }

    /// Each record's [`to_json`](Record::to_json).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Array(self.items.iter().map(Record::to_json).collect())
    }

    /// Each record through `interface`.
    pub fn to_json_with(&self, interface: &Interface) -> serde_json::Value {
        serde_json::Value::Array(
            self.items
                .iter()
                .map(|record| record.to_json_with(interface))
                .collect(),
        )
    }

    /// instant.dev's `toQueryJSON`: `{"meta": {"total", "count", "offset"}, "data": […]}`.
    pub fn to_query_json(&self, interface: Option<&Interface>) -> serde_json::Value {
        let data = match interface {
            Some(interface) => self.to_json_with(interface),
            None => self.to_json(),
        };
        query_json(self.total(), self.items.len(), self.offset, data)
    }
}

/// `{"meta": {"total", "count", "offset"}, "data": data}`.
pub(crate) fn query_json(
    total: u64,
    count: usize,
    offset: u64,
    data: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "meta": {"total": total, "count": count, "offset": offset},
        "data": data,
    })
}

impl<M: Model> Record<M> {
    /// instant.dev's `toQueryJSON` for one model: a result of one.
    pub fn to_query_json(&self, interface: Option<&Interface>) -> serde_json::Value {
        let data = match interface {
            Some(interface) => self.to_json_with(interface),
            None => self.to_json(),
        };
        query_json(1, 1, 0, serde_json::Value::Array(vec![data]))
    }
}

impl<M: Model> Default for Records<M> {
    fn default() -> Self {
        Records::new()
    }
}

impl<M: Model> Deref for Records<M> {
    type Target = Vec<Record<M>>;

    fn deref(&self) -> &Vec<Record<M>> {
        &self.items
    }
}

impl<M: Model> DerefMut for Records<M> {
    fn deref_mut(&mut self) -> &mut Vec<Record<M>> {
        &mut self.items
    }
}

impl<M: Model> FromIterator<Record<M>> for Records<M> {
    fn from_iter<I: IntoIterator<Item = Record<M>>>(iter: I) -> Self {
        Records {
            items: iter.into_iter().collect(),
            total: None,
            offset: 0,
        }
    }
}

impl<M: Model> From<Vec<Record<M>>> for Records<M> {
    fn from(items: Vec<Record<M>>) -> Self {
        items.into_iter().collect()
    }
}

impl<M: Model> IntoIterator for Records<M> {
    type Item = Record<M>;
    type IntoIter = std::vec::IntoIter<Record<M>>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, M: Model> IntoIterator for &'a Records<M> {
    type Item = &'a Record<M>;
    type IntoIter = std::slice::Iter<'a, Record<M>>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Serializes as [`Records::to_json`] does.
impl<M: Model> Serialize for Records<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}
