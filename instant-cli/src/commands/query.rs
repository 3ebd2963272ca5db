//! `instant query`: runs a nested JSON query (InstantDB's shape, with instant.dev's
//! where-objects) on the project's database and prints the rows as JSON, each as the
//! application's model serializes it when the binary has one ([`crate::App`]); `--explain`
//! prints the SQL statements and their values instead, without connecting.

use clap::Args;
use instant_runtime::query::{explain_json_query, json_query};
use instant_runtime::schema_tables::leak_tables;

use super::json_input::JsonInput;
use super::json_output::print_json;
use super::{load, one_line, pool};
use crate::App;
use crate::cli::NamedDatabaseArgs;
use crate::terminal::outln;

/// `instant query`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub input: JsonInput,
    #[command(flatten)]
    pub database: NamedDatabaseArgs,
    /// Indent the JSON.
    #[arg(long)]
    pub pretty: bool,
    /// Print the SQL statements and their bound values instead of running them.
    #[arg(long)]
    pub explain: bool,
}

pub fn run(app: &App, args: &QueryArgs) -> Result<(), String> {
    let query = args.input.read("the query")?;
    let schema = load(&args.database.db)?
        .schema()
        .map_err(|error| error.to_string())?;
    // Built once for this one run: leaked, as the query engine wants `'static` tables.
    let tables = leak_tables(&schema).map_err(one_line)?;
    if args.explain {
        let statements = explain_json_query(tables, &query).map_err(one_line)?;
        let text: Vec<String> = statements.iter().map(ToString::to_string).collect();
        outln!("{}", text.join("\n\n"));
        return Ok(());
    }
    let db = pool(&args.database)?;
    let rows = json_query(&db, tables, &query).map_err(one_line)?;
    let rows = app
        .models
        .present_query(tables, &query, rows)
        .map_err(one_line)?;
    print_json(&rows, args.pretty)
}
