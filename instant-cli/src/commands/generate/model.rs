//! `instant g:model NAME COLUMN:TYPE[:FLAG]...`: a `createTable` migration
//! (`<id>__create_<table>.json`) and the model file `src/models/<singular>.rs`.

use clap::Args;
use instant_schema::generate::{ColumnSpec, FLAGS, create_table_migration, model_table_name};

use super::model_file::{self, ModelFile};
use super::{Target, suggest_migrate};
use crate::ProjectDir;

/// `g:model`'s arguments: instant.dev's prompts as arguments and flags.
#[derive(Debug, Args)]
#[command(after_help = after_help())]
pub struct ModelArgs {
    #[command(flatten)]
    pub project: ProjectDir,
    /// The model: `BlogPost` or `blog_post` make the table `blog_posts`.
    pub name: String,
    /// The columns besides the implicit `id`, `created_at` and `updated_at`, as
    /// `name:type[:flag]...`, e.g. `email:string:not_null:unique`.
    #[arg(value_name = "COLUMN:TYPE[:FLAG]")]
    pub columns: Vec<String>,
    /// Use NAME in snake_case as the table name instead of its plural.
    #[arg(long)]
    pub no_pluralize: bool,
    /// Write only the migration, not `src/models/<name>.rs`.
    #[arg(long)]
    pub no_model: bool,
}

fn after_help() -> String {
    format!(
        "Flags: {}. `vector` columns get length=1536 unless given.\n\
         Types: instant.dev's aliases (serial, int, float, string, text, datetime, boolean, json), \
         vector, and PostgreSQL types (uuid, numeric, \"timestamp with time zone\", …).",
        FLAGS.join(", ")
    )
}

pub fn run(args: &ModelArgs) -> Result<(), String> {
    let target = Target::open(&args.project.dir)?;
    let table = model_table_name(&args.name, !args.no_pluralize).map_err(|e| e.to_string())?;
    let specs = args
        .columns
        .iter()
        .map(|spec| ColumnSpec::parse(spec))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| error.to_string())?;
    let migration = create_table_migration(&target.schema, &table, &specs, target.next_id())
        .map_err(|error| error.to_string())?;
    let model = if args.no_model {
        None
    } else {
        let mut schema = target.schema.clone();
        instant_schema::apply_migration(&mut schema, &migration)
            .map_err(|error| error.to_string())?;
        Some(ModelFile::for_table(&target, &schema, &table)?)
    };
    let path = target.write_migration(&migration)?;
    if let Some(model) = model
        && let Err(error) = model_file::write(&target, &[model])
    {
        // Leave the project as it was: the migration without its model is half a model.
        let _ = std::fs::remove_file(&path);
        return Err(error);
    }
    suggest_migrate();
    Ok(())
}
