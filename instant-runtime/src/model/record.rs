//! Change tracking: a model together with the values last loaded from (or written to) the
//! database, so an update writes only what changed.

use std::ops::{Deref, DerefMut};

use crate::check::ColumnOf;
use crate::model::Model;

/// A model and what the database holds for it. Dereferences to the model, so fields are read
/// and assigned as usual (`user.email = …`); [`has_changed`](Record::has_changed) compares with
/// the snapshot.
#[derive(Debug, Clone)]
pub struct Record<M: Model> {
    model: M,
    /// The model as last loaded or saved; `None` for a model not in storage yet.
    stored: Option<M>,
}

impl<M: Model> Record<M> {
    /// A model not in storage yet: every field counts as changed.
    pub fn new(model: M) -> Self {
        Record {
            model,
            stored: None,
        }
    }

    /// A model just read from the database: nothing has changed.
    pub fn loaded(model: M) -> Self {
        Record {
            stored: Some(model.clone()),
            model,
        }
    }

    /// True once the model has been loaded from or written to the database.
    pub fn in_storage(&self) -> bool {
        self.stored.is_some()
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

    /// Takes the current values as the stored ones (after a save).
    pub fn mark_stored(&mut self) {
        self.stored = Some(self.model.clone());
    }

    /// The model, without the tracking.
    pub fn into_inner(self) -> M {
        self.model
    }

    fn field_changed(&self, index: usize) -> bool {
        match &self.stored {
            Some(stored) => !self.model.field_eq(stored, index),
            None => true,
        }
    }

    fn position(column: &str) -> Option<usize> {
        M::COLUMNS.iter().position(|info| info.name == column)
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
        &mut self.model
    }
}
