//! Related records attached to a record (instant.dev's `setJoined` / `joined`): loaded by a
//! query's `join`, by `include`, or set by hand.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use super::interface::Interface;
use super::{Model, Record, Records};

/// What a relationship holds once joined, whatever the related model: many records
/// ([`Records<M>`]), or one record or none (`Option<Record<M>>`).
pub trait AnyJoined: Any + Send + Sync {
    /// The JSON of the joined value: an array for many, an object (or null) for one.
    fn to_json_with(&self, interface: Option<&Interface>) -> serde_json::Value;
    /// For downcasting to the concrete type.
    fn as_any(&self) -> &dyn Any;
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

    fn len(&self) -> usize {
        usize::from(self.is_some())
    }
}

/// The value joined under one relationship. Joined values are never changed once attached,
/// so records share them: a copy of a record shares its joined values, and a join attaches
/// one empty value to every row that has no related rows instead of one each.
#[derive(Clone)]
pub struct Joined(Arc<dyn AnyJoined>);

impl Joined {
    /// Any joined value (`Records<M>` or `Option<Record<M>>`).
    pub fn new(value: impl AnyJoined) -> Joined {
        Joined(Arc::new(value))
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

impl fmt::Debug for Joined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Joined({} records)", self.0.len())
    }
}

/// The joined values of a record, by relationship name, in the order they were set. A record
/// has a few at most, so a list searched in order beats a hash map (no hashing). It lives in
/// the record itself with its first value inline: a join attaches one value to every row it
/// loads, which then costs no allocation; further values (a record joined more than once)
/// go to a boxed list.
#[derive(Debug, Clone, Default)]
pub(crate) struct JoinedMap {
    first: Option<(&'static str, Joined)>,
    #[expect(
        clippy::box_collection,
        reason = "one word in every record instead of a Vec's three; the list is rare"
    )]
    rest: Option<Box<Vec<(&'static str, Joined)>>>,
}

impl JoinedMap {
    /// Sets the value of `name`, replacing (in place) the one it had.
    pub(crate) fn insert(&mut self, name: &'static str, value: Joined) {
        if let Some(slot) = self.slot(name) {
            *slot = value;
        } else if self.first.is_none() {
            self.first = Some((name, value));
        } else {
            self.rest.get_or_insert_default().push((name, value));
        }
    }

    fn entries(&self) -> impl Iterator<Item = &(&'static str, Joined)> {
        self.first
            .iter()
            .chain(self.rest.iter().flat_map(|rest| rest.iter()))
    }

    fn slot(&mut self, name: &str) -> Option<&mut Joined> {
        self.first
            .iter_mut()
            .chain(self.rest.iter_mut().flat_map(|rest| rest.iter_mut()))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// Removes `name`, keeping the others in order.
    pub(crate) fn shift_remove(&mut self, name: &str) -> Option<Joined> {
        let rest = self.rest.as_deref_mut();
        if self.first.as_ref().is_some_and(|(key, _)| *key == name) {
            let removed = self.first.take().map(|(_, value)| value);
            if let Some(rest) = rest
                && !rest.is_empty()
            {
                self.first = Some(rest.remove(0));
            }
            return removed;
        }
        let rest = rest?;
        let index = rest.iter().position(|(key, _)| *key == name)?;
        Some(rest.remove(index).1)
    }

    /// The value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Joined> {
        self.entries()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(count: usize) -> Joined {
        Joined::new(count)
    }

    impl AnyJoined for usize {
        fn to_json_with(&self, _: Option<&Interface>) -> serde_json::Value {
            serde_json::Value::from(*self)
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
        fn len(&self) -> usize {
            *self
        }
    }

    fn names(map: &JoinedMap) -> Vec<(&'static str, usize)> {
        map.entries()
            .map(|(name, value)| (*name, value.len()))
            .collect()
    }

    #[test]
    fn values_keep_the_order_they_were_set_in() {
        let mut map = JoinedMap::default();
        map.insert("a", value(1));
        map.insert("b", value(2));
        map.insert("c", value(3));
        map.insert("a", value(4));
        assert_eq!(names(&map), [("a", 4), ("b", 2), ("c", 3)]);
        assert_eq!(map.get("b").map(Joined::len), Some(2));
        assert_eq!(map.shift_remove("a").map(|value| value.len()), Some(4));
        assert_eq!(names(&map), [("b", 2), ("c", 3)]);
        assert_eq!(map.shift_remove("c").map(|value| value.len()), Some(3));
        assert!(map.shift_remove("c").is_none());
        assert_eq!(names(&map), [("b", 2)]);
        assert!(map.get("a").is_none());
    }
}
