//! `instant g:relationship PARENT CHILD [--one-to-one]`: the child's reference column and its
//! foreign key to the parent, from which both models get their relationship.

use clap::Args;
use instant_schema::generate::{Relationship, relationship_migration};

use super::{Target, suggest_migrate};
use crate::ProjectDir;
use crate::terminal::outln;

/// `g:relationship`'s arguments: instant.dev's prompts as arguments and flags.
#[derive(Debug, Args)]
pub struct RelationshipArgs {
    #[command(flatten)]
    pub project: ProjectDir,
    /// The parent table (`users`): each child row belongs to one of its rows.
    pub parent: String,
    /// The child table (`posts`): it gets the reference column.
    pub child: String,
    /// One-to-one: a parent has at most one child (the child's column is unique).
    /// One-to-many otherwise.
    #[arg(long)]
    pub one_to_one: bool,
    /// The parent's referenced column.
    #[arg(long, value_name = "COLUMN", default_value = "id")]
    pub parent_column: String,
    /// The child's column (default: the parent's singular and the parent column, `user_id`).
    /// An existing column is used as it is; a missing one is added.
    #[arg(long, value_name = "COLUMN")]
    pub column: Option<String>,
}

pub fn run(args: &RelationshipArgs) -> Result<(), String> {
    let target = Target::open(&args.project.dir)?;
    let relationship = Relationship {
        parent: args.parent.clone(),
        child: args.child.clone(),
        parent_column: args.parent_column.clone(),
        column: args.column.clone(),
        one_to_one: args.one_to_one,
    };
    let migration = relationship_migration(&target.schema, &relationship, target.next_id())
        .map_err(|error| error.to_string())?;
    target.write_migration(&migration)?;
    outln!(
        "\"{}\".\"{}\" references \"{}\".\"{}\" ({})",
        relationship.child,
        relationship.column(),
        relationship.parent,
        relationship.parent_column,
        if relationship.one_to_one {
            "one-to-one"
        } else {
            "one-to-many"
        }
    );
    suggest_migrate();
    Ok(())
}
