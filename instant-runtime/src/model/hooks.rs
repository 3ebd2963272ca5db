//! Lifecycle hooks, instant.dev's `beforeValidate`, `beforeSave`, `afterSave`,
//! `beforeDestroy` and `afterDestroy`.

/// Code run around a model's save and destroy. Every method has a no-op default;
/// `#[derive(Model)]` implements the trait empty unless the struct says `#[instant(hooks)]`,
/// in which case the user writes `impl Hooks for MyModel { … }` with the hooks it needs.
///
/// The save pipeline (instant.dev's order): `before_validate`, validations (errors stop the
/// save before any SQL), verifications, `before_save`, the write, `after_save`. A hook that
/// returns an error aborts the save and rolls back the transaction the ORM opened.
pub trait Hooks {
    /// First thing in a save, before the validations are checked.
    fn before_validate(&mut self) {}

    /// After the verifications, before the INSERT or UPDATE, inside the save's transaction.
    fn before_save(&mut self, transaction: &mut postgres::Transaction<'_>) -> crate::Result<()> {
        let _ = transaction;
        Ok(())
    }

    /// After the write, inside the save's transaction.
    fn after_save(&mut self, transaction: &mut postgres::Transaction<'_>) -> crate::Result<()> {
        let _ = transaction;
        Ok(())
    }

    /// Before the DELETE.
    fn before_destroy(&mut self, transaction: &mut postgres::Transaction<'_>) -> crate::Result<()> {
        let _ = transaction;
        Ok(())
    }

    /// After the DELETE.
    fn after_destroy(&mut self, transaction: &mut postgres::Transaction<'_>) -> crate::Result<()> {
        let _ = transaction;
        Ok(())
    }
}
