//! A model as stored: the values last loaded from (or written to) the database, for change
//! tracking, plus what queries attach to it (joined records, metafields).

use std::ops::{Deref, DerefMut};

use serde::{Serialize, Serializer};

use super::interface::{Interface, Item};
use super::joined::{Joined, JoinedMap};
use crate::check::ColumnOf;
use crate::descriptor::Table;
use crate::error::{Error, Result};
use crate::model::Model;

/// A model and what the database holds for it. Dereferences to the model, so fields are read
/// and assigned as usual (`user.email = …`); [`has_changed`](Record::has_changed) compares with
/// the snapshot, and [`save`](Record::save) writes only what changed.
#[derive(Debug, Clone)]
pub struct Record<M: Model> {
    pub(crate) model: M,
    /// What the database holds for the model.
    pub(crate) stored: Stored<M>,
    /// Records joined to this one (in the record: a joined query attaches a value to every
    /// row, which then costs no allocation).
    joined: JoinedMap,
    /// Values a query computed for the row (`alias`, `search`, `similarity` …), in the order
    /// they were set; boxed, as most records have none and a smaller record is cheaper to
    /// move. A list, not a hash map: a handful at most.
    #[expect(
        clippy::box_collection,
        reason = "one word in every record instead of a Vec's three; most records have none"
    )]
    metafields: Option<Box<Vec<(String, serde_json::Value)>>>,
}

impl<M: Model> Record<M> {
    /// A model not in storage yet: every field counts as changed.
    pub fn new(model: M) -> Self {
        Record {
            model,
            stored: Stored::Not,
            joined: JoinedMap::default(),
            metafields: None,
        }
    }

    /// A model just read from the database: nothing has changed.
    pub fn loaded(model: M) -> Self {
        Record {
            stored: Stored::Same,
            ..Record::new(model)
        }
    }

    /// True once the model has been loaded from or written to the database (and not
    /// destroyed since).
    pub fn in_storage(&self) -> bool {
        !matches!(self.stored, Stored::Not)
    }

    /// Whether the field of column `C` differs from the stored value (always true before the
    /// first save). A column the model has no field for never changes; a column of another
    /// table does not compile.
    pub fn has_changed<C: ColumnOf<M::Table>>(&self, _column: C) -> bool {
        match Self::position(C::NAME) {
            Some(index) => self.field_changed(index),
            None => false,
        }
    }

    /// Whether any field differs from the stored value.
    pub fn is_changed(&self) -> bool {
        (0..M::COLUMNS.len()).any(|index| self.field_changed(index))
    }

    /// The positions (in `M::COLUMNS`) of the fields that differ from the stored values.
    pub fn changed_fields(&self) -> Vec<usize> {
        (0..M::COLUMNS.len())
            .filter(|&index| self.field_changed(index))
            .collect()
    }

    /// Takes the current values as the stored ones.
    pub fn mark_stored(&mut self) {
        self.stored = Stored::Same;
    }

    /// The model, without the tracking.
    pub fn into_inner(self) -> M {
        self.model
    }

    /// Sets the validation errors the model has now (instant.dev's `getErrors()`): empty
    /// when a save would get past its validations.
    pub fn errors(&self) -> crate::ValidationErrors {
        let mut errors = crate::ValidationErrors::new();
        self.model.validate(&mut errors);
        errors
    }

    /// What a query computed for this row under `name` (`alias`, `search` …).
    pub fn metafield(&self, name: &str) -> Option<&serde_json::Value> {
        self.metafields
            .as_deref()?
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// Records a metafield (what a query computed for this row).
    pub fn set_metafield(&mut self, name: impl Into<String>, value: serde_json::Value) {
        let name = name.into();
        let metafields = self.metafields.get_or_insert_default();
        match metafields.iter_mut().find(|(key, _)| *key == name) {
            Some((_, slot)) => *slot = value,
            None => metafields.push((name, value)),
        }
    }

    /// Attaches related records under relationship `name` of the model's table.
    pub fn set_joined(&mut self, name: &str, value: Joined) -> Result<()> {
        let relation = Self::relation(name)?;
        self.joined.insert(relation, value);
        Ok(())
    }

    /// Forgets the records joined under `name` (nothing to forget is fine).
    pub fn clear_joined(&mut self, name: &str) -> Result<()> {
        let relation = Self::relation(name)?;
        self.joined.shift_remove(relation);
        Ok(())
    }

    /// What is joined under relationship `name`: `None` when it was never joined.
    pub fn joined_by_name(&self, name: &str) -> Option<&Joined> {
        self.joined.get(name)
    }

    /// The records joined through `relation` (a one-to-many relationship gives
    /// `Records<Child>`, the others `Option<Record<Parent>>`); `None` when it was not joined
    /// (or was joined with a hand-written model: see [`joined_as`](Record::joined_as)).
    pub fn joined<R>(&self, relation: R) -> Option<&R::Loaded>
    where
        R: crate::query::Loads<From = M::Table>,
    {
        let _ = relation;
        self.joined.get(R::INFO.name)?.get()
    }

    /// The value joined under relationship `name` as `T` (`Records<MyPost>`,
    /// `Option<Record<MyUser>>`).
    pub fn joined_as<T: 'static>(&self, name: &str) -> Option<&T> {
        self.joined.get(name)?.get()
    }

    /// Attaches a joined value the query engine loaded.
    pub(crate) fn attach(&mut self, relation: &'static str, value: Joined) {
        self.joined.insert(relation, value);
    }

    /// instant.dev's `toJSON()`: every column but the hidden ones, the calculated fields,
    /// and `_metafields` when a query set any. Joined records only appear when an
    /// interface names them ([`to_json_with`](Record::to_json_with)).
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = self.model.to_json();
        self.add_metafields(&mut json);
        json
    }

    /// instant.dev's `toJSON(interface)`: the named columns, calculated fields and joined
    /// relationships, in the interface's order. Hidden fields are dropped even when named.
    pub fn to_json_with(&self, interface: &Interface) -> serde_json::Value {
        let all = self.model.to_json();
        let mut map = serde_json::Map::new();
        for item in &interface.items {
            match item {
                Item::Name(name) => {
                    if M::HIDDEN.contains(&name.as_str()) {
                        continue;
                    }
                    if let Some(value) = all.get(name) {
                        map.insert(name.clone(), value.clone());
                    } else if let Some(joined) = self.joined_by_name(name) {
                        map.insert(name.clone(), joined.to_json_with(None));
                    }
                }
                Item::Nested(name, interface) => {
                    if let Some(joined) = self.joined_by_name(name) {
                        map.insert(name.clone(), joined.to_json_with(Some(interface)));
                    }
                }
            }
        }
        let mut json = serde_json::Value::Object(map);
        self.add_metafields(&mut json);
        json
    }

    fn add_metafields(&self, json: &mut serde_json::Value) {
        let Some(metafields) = self
            .metafields
            .as_deref()
            .filter(|metafields| !metafields.is_empty())
        else {
            return;
        };
        if let serde_json::Value::Object(map) = json {
            let metafields = metafields
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            map.insert(
                "_metafields".to_string(),
                serde_json::Value::Object(metafields),
            );
        }
    }

    fn relation(name: &str) -> Result<&'static str> {
        <M::Table as Table>::INFO
            .relation(name)
            .map(|relation| relation.name)
            .ok_or_else(|| Error::Input {
                message: format!("No relationship named \"{name}\" exists"),
            })
    }

    pub(crate) fn field_changed(&self, index: usize) -> bool {
        match &self.stored {
            Stored::Not => true,
            Stored::Same => false,
            Stored::Was(stored) => !self.model.field_eq(stored, index),
        }
    }

    fn position(column: &str) -> Option<usize> {
        M::COLUMNS.iter().position(|info| info.name == column)
    }
}

/// What the database holds for a record's model. A record just loaded or saved holds the
/// same values as the database, so no copy is kept until the model is first borrowed
/// mutably: reading a thousand rows copies none of them.
#[derive(Debug, Clone)]
pub(crate) enum Stored<M> {
    /// Not in storage.
    Not,
    /// In storage, with exactly the model's values.
    Same,
    /// In storage, with these values (the model may have changed since); boxed, so an
    /// unchanged record is not twice its model's size.
    Was(Box<M>),
}

impl<M: Model> Record<M> {
    /// The values the database holds, when the model is in storage.
    pub(crate) fn stored_model(&self) -> Option<&M> {
        match &self.stored {
            Stored::Not => None,
            Stored::Same => Some(&self.model),
            Stored::Was(stored) => Some(&**stored),
        }
    }

    /// Keeps a copy of the stored values before the model may change.
    pub(crate) fn touch(&mut self) {
        if matches!(self.stored, Stored::Same) {
            self.stored = Stored::Was(Box::new(self.model.clone()));
        }
    }
}

impl<M: Model> Deref for Record<M> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.model
    }
}

impl<M: Model> DerefMut for Record<M> {
    fn deref_mut(&mut self) -> &mut M {
        self.touch();
        &mut self.model
    }
}

/// Serializes as [`Record::to_json`] does.
impl<M: Model> Serialize for Record<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}
