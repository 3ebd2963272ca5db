//! `instant kit NAME`: installs a kit's migration and Rust models into the project.
//!
//! A kit is instant.dev's: its migration templates (`id: null`) get the next id, as
//! `createFromTemplate` gives them, and its models are the JavaScript ones translated to
//! Rust. instant.dev's `kit` also installs npm dependencies, endpoints and tests, and runs
//! `db:migrate`; here nothing touches the database (run `instant db:migrate` after).

use clap::{Args, ValueEnum};
use instant_schema::generate::migration_from_template;

use super::generate::Target;
use super::generate::model_file::{self, ModelFile};
use crate::ProjectDir;
use crate::terminal::outln;

/// `kit`'s arguments.
#[derive(Debug, Args)]
pub struct KitArgs {
    #[command(flatten)]
    pub project: ProjectDir,
    /// The kit to install.
    #[arg(value_enum)]
    pub name: Kit,
}

/// The kits this version ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kit {
    /// `users` (email, hashed password) and `access_tokens`, with sign-up, login and
    /// authentication by bearer token.
    Auth,
}

/// One kit's files.
struct KitFiles {
    /// Migration templates, applied in order.
    migrations: &'static [&'static str],
    /// Model files as `(module, source)`.
    models: &'static [(&'static str, &'static str)],
}

impl Kit {
    fn files(self) -> KitFiles {
        match self {
            Kit::Auth => KitFiles {
                migrations: &[include_str!(
                    "../kits/auth/migrations/create_users_and_access_tokens.json"
                )],
                models: &[
                    ("user", include_str!("../kits/auth/models/user.rs")),
                    (
                        "access_token",
                        include_str!("../kits/auth/models/access_token.rs"),
                    ),
                ],
            },
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kit::Auth => "auth",
        }
    }
}

pub fn run(args: &KitArgs) -> Result<(), String> {
    let target = Target::open(&args.project.dir)?;
    let kit = args.name;
    let files = kit.files();
    let fail = |error: String| format!("kit {}: {error}", kit.name());

    let mut schema = target.schema.clone();
    let mut id = target.next_id();
    let mut migrations = Vec::new();
    for template in files.migrations {
        let template: serde_json::Value = serde_json::from_str(template)
            .map_err(|error| fail(format!("its migration template does not parse: {error}")))?;
        let migration = migration_from_template(&schema, &template, id)
            .map_err(|error| fail(error.to_string()))?;
        instant_schema::apply_migration(&mut schema, &migration)
            .map_err(|error| fail(error.to_string()))?;
        id = migration.id + 1;
        migrations.push(migration);
    }
    let models = files
        .models
        .iter()
        .map(|(module, source)| ModelFile::fixed(&target, module, source))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;

    let mut written = Vec::new();
    for migration in &migrations {
        // Ids increase from one template to the next, so the folder as loaded is enough to
        // check each against.
        match target.write_migration(migration) {
            Ok(path) => written.push(path),
            Err(error) => {
                undo(&written);
                return Err(fail(error));
            }
        }
    }
    if let Err(error) = model_file::write(&target, &models) {
        undo(&written);
        return Err(fail(error));
    }
    outln!(
        "Installed kit {}. Run `instant db:migrate` to create its tables.",
        kit.name()
    );
    Ok(())
}

fn undo(paths: &[std::path::PathBuf]) {
    for path in paths {
        let _ = std::fs::remove_file(path);
    }
}
