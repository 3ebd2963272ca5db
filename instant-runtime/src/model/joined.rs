//! Related records attached to a record (instant.dev's `setJoined` / `joined`): loaded by a
//! query's `join`, by `include`, or set by hand.

use std::any::Any;
use std::fmt;

use super::interface::Interface;
use super::{Model, Record, Records};

/// What a relationship holds once joined, whatever the related model: many records
/// ([`Records<M>`]), or one record or none (`Option<Record<M>>`).
pub trait AnyJoined: Any + Send + Sync {
    /// The JSON of the joined value: an array for many, an object (or null) for one.
    fn to_json_with(&self, interface: Option<&Interface>) -> serde_json::Value;
    /// For downcasting to the concrete type.
    fn as_any(&self) -> &dyn Any;
    /// A boxed copy.
    fn clone_box(&self) -> Box<dyn AnyJoined>;
    /// How many records are held.
    fn len(&self) -> usize;
    /// True when no record is held.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<M: Model> AnyJoined for Records<M> {
    fn to_json_with(&self, interface: Option<&Interface>) -> serde_json::Value {
        match interface {
            Some(interface) => Records::to_json_with(self, interface),
            None => self.to_json(),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn clone_box(&self) -> Box<dyn AnyJoined> {
        Box::new(self.clone())
    }

    fn len(&self) -> usize {
        Vec::len(self)
    }
}

impl<M: Model> AnyJoined for Option<Record<M>> {
    fn to_json_with(&self, interface: Option<&Interface>) -> serde_json::Value {
        match (self, interface) {
            (Some(record), Some(interface)) => record.to_json_with(interface),
            (Some(record), None) => record.to_json(),
            (None, _) => serde_json::Value::Null,
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn clone_box(&self) -> Box<dyn AnyJoined> {
        Box::new(self.clone())
    }

    fn len(&self) -> usize {
        usize::from(self.is_some())
    }
}

/// The value joined under one relationship.
pub struct Joined(Box<dyn AnyJoined>);

impl Joined {
    /// Any joined value (`Records<M>` or `Option<Record<M>>`).
    pub fn new(value: impl AnyJoined) -> Joined {
        Joined(Box::new(value))
    }

    /// One related record.
    pub fn one<M: Model>(record: Record<M>) -> Joined {
        Joined::new(Some(record))
    }

    /// Joined, but no related record was found (one-to-one or belongs-to).
    pub fn none<M: Model>() -> Joined {
        Joined::new(None::<Record<M>>)
    }

    /// Many related records (possibly none).
    pub fn many<M: Model>(records: impl IntoIterator<Item = Record<M>>) -> Joined {
        Joined::new(records.into_iter().collect::<Records<M>>())
    }

    /// The value as `T` (`Records<Post>`, `Option<Record<User>>`), when it is one.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref()
    }

    /// The JSON of the joined value: an object (or null) for one, an array for many.
    pub fn to_json_with(&self, interface: Option<&Interface>) -> serde_json::Value {
        self.0.to_json_with(interface)
    }

    /// How many records are joined.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no record is joined.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Clone for Joined {
    fn clone(&self) -> Self {
        Joined(self.0.clone_box())
    }
}

impl fmt::Debug for Joined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Joined({} records)", self.0.len())
    }
}

/// The joined values of a record, by relationship name, in the order they were set. A record
/// has a few at most, so a list searched in order beats a hash map (no hashing, one
/// allocation): this is built once per loaded row.
#[derive(Debug, Clone, Default)]
pub(crate) struct JoinedMap(Vec<(&'static str, Joined)>);

impl JoinedMap {
    /// Sets the value of `name`, replacing (in place) the one it had.
    pub(crate) fn insert(&mut self, name: &'static str, value: Joined) {
        match self.0.iter_mut().find(|(key, _)| *key == name) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((name, value)),
        }
    }

    /// Removes `name`, keeping the others in order.
    pub(crate) fn shift_remove(&mut self, name: &str) -> Option<Joined> {
        let index = self.0.iter().position(|(key, _)| *key == name)?;
        Some(self.0.remove(index).1)
    }

    /// The value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Joined> {
        self.0
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }
}
