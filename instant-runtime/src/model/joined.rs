//! Related models attached to a record (instant.dev's `setJoined` / `joined`): loaded by a
//! join, or set by hand.

use std::any::Any;
use std::fmt;

use indexmap::IndexMap;

use super::interface::Interface;
use super::{Model, Record};

/// A record of any model, as a joined value is stored.
pub trait AnyRecord: Any + Send + Sync {
    /// The record as JSON, through `interface` when given.
    fn to_json_with(&self, interface: Option<&Interface>) -> serde_json::Value;
    /// For downcasting to `Record<M>`.
    fn as_any(&self) -> &dyn Any;
    /// A boxed copy.
    fn clone_box(&self) -> Box<dyn AnyRecord>;
}

impl<M: Model> AnyRecord for Record<M> {
    fn to_json_with(&self, interface: Option<&Interface>) -> serde_json::Value {
        match interface {
            Some(interface) => self.to_json_with(interface),
            None => self.to_json(),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn clone_box(&self) -> Box<dyn AnyRecord> {
        Box::new(self.clone())
    }
}

/// What a relationship holds once joined: one parent or child (or none found), or many
/// children (empty when none were found: joined, but nothing there).
pub enum Joined {
    One(Option<Box<dyn AnyRecord>>),
    Many(Vec<Box<dyn AnyRecord>>),
}

impl Joined {
    /// One related record.
    pub fn one<M: Model>(record: Record<M>) -> Joined {
        Joined::One(Some(Box::new(record)))
    }

    /// Many related records.
    pub fn many<M: Model>(records: impl IntoIterator<Item = Record<M>>) -> Joined {
        Joined::Many(
            records
                .into_iter()
                .map(|record| Box::new(record) as Box<dyn AnyRecord>)
                .collect(),
        )
    }

    /// The JSON of the joined value: an object (or null) for one, an array for many.
    pub fn to_json_with(&self, interface: Option<&Interface>) -> serde_json::Value {
        match self {
            Joined::One(Some(record)) => record.to_json_with(interface),
            Joined::One(None) => serde_json::Value::Null,
            Joined::Many(records) => serde_json::Value::Array(
                records
                    .iter()
                    .map(|record| record.to_json_with(interface))
                    .collect(),
            ),
        }
    }

    /// The joined record, as `Record<M>`, for a one-to-one or belongs-to relationship.
    pub fn as_one<M: Model>(&self) -> Option<&Record<M>> {
        match self {
            Joined::One(Some(record)) => record.as_any().downcast_ref(),
            _ => None,
        }
    }

    /// The joined records, as `Record<M>`, for a one-to-many relationship (records of
    /// another model are skipped).
    pub fn as_many<M: Model>(&self) -> Vec<&Record<M>> {
        match self {
            Joined::Many(records) => records
                .iter()
                .filter_map(|record| record.as_any().downcast_ref())
                .collect(),
            Joined::One(_) => Vec::new(),
        }
    }
}

impl Clone for Joined {
    fn clone(&self) -> Self {
        match self {
            Joined::One(record) => Joined::One(record.as_ref().map(|record| record.clone_box())),
            Joined::Many(records) => {
                Joined::Many(records.iter().map(|record| record.clone_box()).collect())
            }
        }
    }
}

impl fmt::Debug for Joined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Joined::One(record) => write!(f, "One({})", if record.is_some() { 1 } else { 0 }),
            Joined::Many(records) => write!(f, "Many({})", records.len()),
        }
    }
}

/// The joined values of a record, by relationship name, in the order they were set.
pub(crate) type JoinedMap = IndexMap<&'static str, Joined>;
