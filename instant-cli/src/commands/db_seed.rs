//! `instant db:seed`: loads `_instant/seed.json` into the database (rows added to what is
//! there; `db:bootstrap` rebuilds first). Each seed element is one transaction. The CLI has no
//! compiled models, so rows are seeded from the schema: timestamps set, values converted by
//! PostgreSQL, explicit ids ignored.

use instant_runtime::{Connection, seed};

use super::{one_line, open};
use crate::DatabaseArgs;
use crate::terminal::outln;

pub fn run(args: &DatabaseArgs) -> Result<(), String> {
    let (project, client, source) = open(args)?;
    let path = project.dir.join("seed.json");
    if !path.is_file() {
        return Err(format!("there is no {}", path.display()));
    }
    let mut connection = Connection::new(client);
    let report =
        seed::seed_project(&mut connection, &project, &seed::Models::new()).map_err(one_line)?;
    outln!("{report}");
    outln!("({source})");
    Ok(())
}
