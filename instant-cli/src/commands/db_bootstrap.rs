//! `instant db:bootstrap [--ext NAME]… [--yes]`: destroys everything in the database's
//! `public` schema, enables the extensions, re-creates `_instant_migrations` and applies every
//! migration. It asks first (or needs `--yes` outside a terminal).

use instant_runtime::migrate::{self, lifecycle};
use instant_schema::seed::Seed;

use super::confirm::confirm;
use super::{one_line, open};
use crate::DatabaseArgs;

pub fn run(args: &DatabaseArgs, extensions: &[String], yes: bool) -> Result<(), String> {
    let (project, mut client, source) = open(args)?;
    confirm(
        &format!("db:bootstrap destroys every table in the database ({source})"),
        yes,
    )?;
    let names: Vec<&str> = extensions.iter().map(String::as_str).collect();
    let migrated = migrate::bootstrap(&mut client, &project, &names).map_err(one_line)?;
    for name in &names {
        println!("enabled extension \"{name}\"");
    }
    println!(
        "Bootstrapped ({source}): applied {} migration{}",
        migrated.applied.len(),
        if migrated.applied.len() == 1 { "" } else { "s" }
    );
    // The seam for issue 4: seeding goes through the model pipeline.
    let seed = Seed::load(project.dir.join("seed.json")).map_err(one_line)?;
    if seed.is_some_and(|seed| seed.row_count() > 0) {
        println!(
            "note: _instant/seed.json was not loaded: {}",
            lifecycle::SEEDING_NOT_AVAILABLE
        );
    }
    Ok(())
}
