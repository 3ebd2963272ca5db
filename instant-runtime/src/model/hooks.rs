//! Lifecycle hooks, instant.dev's `beforeValidate`, `beforeSave`, `afterSave`,
//! `beforeDestroy` and `afterDestroy`.

use crate::db::Transaction;

/// Code run around a model's save and destroy. Every method has a no-op default;
/// `#[derive(Model)]` implements the trait empty unless the struct says `#[instant(hooks)]`,
/// in which case the user writes `impl Hooks for MyModel { … }` with the hooks it needs.
///
/// The save pipeline (instant.dev's order): `before_validate`, validations (errors stop the
/// save before any SQL), verifications, `before_save`, the write, `after_save`. A hook that
/// returns an error aborts the save and rolls back the transaction the ORM opened (a
/// caller's transaction is left to the caller). Bulk updates and cascading deletes run no
/// hooks, as in instant.dev.
pub trait Hooks {
    /// First thing in a save, before the validations are checked.
    fn before_validate(&mut self) {}

    /// After the verifications, before the INSERT or UPDATE, inside the save's transaction.
    fn before_save(&mut self, transaction: &mut Transaction<'_>, save: Save) -> crate::Result<()> {
        let _ = (transaction, save);
        Ok(())
    }

    /// After the write (the row the database returned is loaded into `self`: a new model
    /// has its id), inside the save's transaction.
    fn after_save(&mut self, transaction: &mut Transaction<'_>, save: Save) -> crate::Result<()> {
        let _ = (transaction, save);
        Ok(())
    }

    /// Before the DELETE, inside the destroy's transaction.
    fn before_destroy(&mut self, transaction: &mut Transaction<'_>) -> crate::Result<()> {
        let _ = transaction;
        Ok(())
    }

    /// After the DELETE, inside the destroy's transaction.
    fn after_destroy(&mut self, transaction: &mut Transaction<'_>) -> crate::Result<()> {
        let _ = transaction;
        Ok(())
    }
}

/// What kind of save a hook runs in (instant.dev's `isCreating()` and `isSeeding()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Save {
    pub(crate) creating: bool,
    pub(crate) seeding: bool,
}

impl Save {
    /// True while inserting a model not in storage yet; false for an update.
    pub fn is_creating(self) -> bool {
        self.creating
    }

    /// True while a seed file is being loaded.
    pub fn is_seeding(self) -> bool {
        self.seeding
    }
}
