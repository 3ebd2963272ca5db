//! What an application gives its own `instant` binary: its compiled models.

use instant_runtime::seed::Models;

/// The application the `instant` command runs for. The plain `instant` binary has none of its
/// code, so it reads rows from the schema alone; an application that builds its own binary
/// (`src/bin/instant.rs`) with its models gets their behaviour: `query` prints rows as the
/// models serialize them (hidden fields dropped, calculated fields added) and `seed` saves
/// rows through them (validations, verifications, hooks).
///
/// ```no_run
/// // src/bin/instant.rs of an application whose build.rs generates `models`
/// # mod models { pub fn seed_models() -> instant_runtime::seed::Models { Default::default() } }
/// use std::process::ExitCode;
///
/// fn main() -> ExitCode {
///     // `.with::<MyUser>()` on the models puts a hand-written model in its table's place.
///     instant_cli::main_with(instant_cli::App::new().models(models::seed_models()))
/// }
/// ```
#[derive(Debug, Clone, Default)]
pub struct App {
    pub(crate) models: Models,
}

impl App {
    /// No compiled models: rows are read and seeded from the schema alone.
    pub fn new() -> Self {
        App::default()
    }

    /// The models rows go through, by table (the generated `seed_models()`, with
    /// hand-written models put in their tables' place).
    pub fn models(mut self, models: Models) -> Self {
        self.models = models;
        self
    }
}
