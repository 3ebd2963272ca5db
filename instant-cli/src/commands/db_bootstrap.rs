//! `instant db:bootstrap [--ext NAME]… [--yes]`: destroys everything in the database's
//! `public` schema, enables the extensions, re-creates `_instant_migrations` and applies every
//! migration, then loads `_instant/seed.json`. It asks first (or needs `--yes` outside a
//! terminal).

use instant_runtime::migrate;
use instant_runtime::{Connection, seed};

use super::confirm::confirm;
use super::{one_line, open};
use crate::DatabaseArgs;
use crate::terminal::outln;

pub fn run(args: &DatabaseArgs, extensions: &[String], yes: bool) -> Result<(), String> {
    let (project, mut client, source) = open(args)?;
    confirm(
        &format!("db:bootstrap destroys every table in the database ({source})"),
        yes,
    )?;
    let names: Vec<&str> = extensions.iter().map(String::as_str).collect();
    let migrated = migrate::bootstrap(&mut client, &project, &names).map_err(one_line)?;
    for name in &names {
        outln!("enabled extension \"{name}\"");
    }
    outln!(
        "Bootstrapped ({source}): applied {} migration{}",
        migrated.applied.len(),
        if migrated.applied.len() == 1 { "" } else { "s" }
    );
    // The CLI has no compiled models: rows are seeded from the schema (timestamps set,
    // values converted by PostgreSQL). An application seeds through its models with
    // `instant_runtime::seed::seed_project(&db, &project, &seed_models())`.
    let mut connection = Connection::new(client);
    let report =
        seed::seed_project(&mut connection, &project, &seed::Models::new()).map_err(one_line)?;
    if report.row_count() > 0 {
        outln!("{report}");
    }
    Ok(())
}
