//! `instant seed`: inserts rows given in seed.json's format (an array of batches, or one batch:
//! an object of tables) in one transaction, through the application's models when the binary
//! has them ([`crate::App`]), and prints the new rows' primary keys by table. On any error
//! nothing is written. `db:seed` stays for the project's own `_instant/seed.json`.

use clap::Args;
use instant_runtime::seed;
use instant_schema::seed::Seed;
use serde_json::{Map, Value};

use super::json_input::JsonInput;
use super::json_output::print_json;
use super::{load, one_line, pool};
use crate::App;
use crate::cli::NamedDatabaseArgs;

/// `instant seed`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub input: JsonInput,
    #[command(flatten)]
    pub database: NamedDatabaseArgs,
    /// Indent the JSON.
    #[arg(long)]
    pub pretty: bool,
}

pub fn run(app: &App, args: &SeedArgs) -> Result<(), String> {
    let rows = match args.input.read("the seed")? {
        batch @ Value::Object(_) => Value::Array(vec![batch]),
        other => other,
    };
    let seed = Seed::from_json(&rows).map_err(one_line)?;
    let schema = load(&args.database.db)?
        .schema()
        .map_err(|error| error.to_string())?;
    seed.check(&schema).map_err(one_line)?;
    let db = pool(&args.database)?;
    let mut transaction = db.transaction().map_err(one_line)?;
    // Inside the caller's transaction the seed commits nothing itself: dropping the
    // transaction on an error rolls every batch back.
    let report =
        seed::seed_with(&mut transaction, &schema, &seed, &app.models).map_err(one_line)?;
    transaction.commit().map_err(one_line)?;
    let ids: Map<String, Value> = report
        .tables
        .into_iter()
        .map(|(table, ids)| (table, Value::Array(ids)))
        .collect();
    let ids = Value::Object(ids);
    print_json(&ids, args.pretty)
}
