//! The migration history that builds the designed schema: an initial `setSchema`, then tables
//! created in batches and changed by later migrations (`renameTable`, `addColumn`,
//! `renameColumn`, `alterColumn`, `createIndex`, `createForeignKey`, `dropIndex`,
//! `dropColumn`), each migration built with [`MigrationBuilder`] so its `down` is the real
//! inverse, then written in instant.dev's file format.

use std::error::Error;
use std::fs;
use std::path::Path;

use instant_schema::{Column, Command, Migration, MigrationBuilder, Schema};

use crate::design::{ColumnHistory, Rng, Size, TableDesign};

/// The kinds of command in the order a migration lists them, so that within one migration a
/// table exists before it is renamed, a column before it is renamed or indexed, and an index
/// or column before it is dropped.
#[derive(Debug, Clone, Copy)]
enum Step {
    CreateTable,
    RenameTable,
    AddColumn,
    RenameColumn,
    AlterColumn,
    CreateIndex,
    CreateForeignKey,
    DropIndex,
    DropColumn,
}

const STEPS: usize = 9;

/// The history: one [`Migration`] per file, in order, and the schema they give.
pub fn history(
    size: Size,
    tables: &[TableDesign],
) -> Result<(Vec<Migration>, Schema), Box<dyn Error>> {
    let last = size.migrations.max(2);
    let mut planned: Vec<[Vec<Command>; STEPS]> = (0..=last)
        .map(|_| std::array::from_fn(|_| Vec::new()))
        .collect();
    let mut at = |migration: usize, step: Step, command: Command| {
        planned[migration.min(last)][step as usize].push(command);
    };
    for (i, table) in tables.iter().enumerate() {
        let ready = table.ready_in();
        // Later changes land anywhere in a part of the rest of the history: `within(a, b)` is a
        // migration between `a` and `b` sixths of the way from the table's final name to the
        // last migration (never the one that gave it).
        let mut rng = Rng::new(0x5CA1_E000 + i as u64);
        let rest = last.saturating_sub(ready);
        let mut within = |from: usize, to: usize| {
            let thousandths = from * 1000 + rng.below((to - from) * 1000);
            ready + 1 + rest * thousandths / 6000
        };
        let name = &table.name;
        let created: Vec<Column> = table
            .columns
            .iter()
            .filter_map(|design| match &design.history {
                ColumnHistory::Created => Some(design.column.clone()),
                ColumnHistory::Renamed { old_name } => Some(Column {
                    name: old_name.clone(),
                    ..design.column.clone()
                }),
                ColumnHistory::Altered { old } => Some(old.clone()),
                ColumnHistory::Added { .. } => None,
            })
            .collect();
        at(
            table.created_in,
            Step::CreateTable,
            Command::CreateTable {
                table: table.created_as.clone(),
                columns: created,
            },
        );
        if table.created_as != table.name {
            at(
                ready,
                Step::RenameTable,
                Command::RenameTable {
                    table: table.created_as.clone(),
                    new_table: name.clone(),
                },
            );
        }
        for design in &table.columns {
            let column = &design.column;
            let properties = Some(column.properties.clone()).filter(|p| !p.is_empty());
            match &design.history {
                ColumnHistory::Created => {}
                ColumnHistory::Renamed { old_name } => at(
                    within(0, 6),
                    Step::RenameColumn,
                    Command::RenameColumn {
                        table: name.clone(),
                        column: old_name.clone(),
                        new_column: column.name.clone(),
                    },
                ),
                ColumnHistory::Altered { old } => at(
                    within(0, 6),
                    Step::AlterColumn,
                    Command::AlterColumn {
                        table: name.clone(),
                        column: column.name.clone(),
                        column_type: (old.column_type != column.column_type)
                            .then(|| column.column_type.clone()),
                        properties,
                    },
                ),
                ColumnHistory::Added { batch } => at(
                    within(2 * batch, 2 * batch + 2),
                    Step::AddColumn,
                    Command::AddColumn {
                        table: name.clone(),
                        column: column.name.clone(),
                        column_type: column.column_type.clone(),
                        properties,
                    },
                ),
            }
        }
        for column in &table.indexes {
            at(
                within(0, 3),
                Step::CreateIndex,
                Command::CreateIndex {
                    table: name.clone(),
                    column: column.clone(),
                    index_type: None,
                },
            );
        }
        for (column, parent) in &table.references {
            let parent = &tables[*parent];
            at(
                within(0, 2).max(parent.ready_in() + 1),
                Step::CreateForeignKey,
                Command::CreateForeignKey {
                    table: name.clone(),
                    column: column.clone(),
                    parent_table: parent.name.clone(),
                    parent_column: "id".to_string(),
                    behavior: None,
                },
            );
        }
        if let Some(column) = &table.dropped_index {
            at(
                within(0, 2),
                Step::CreateIndex,
                Command::CreateIndex {
                    table: name.clone(),
                    column: column.clone(),
                    index_type: None,
                },
            );
            at(
                within(3, 6),
                Step::DropIndex,
                Command::DropIndex {
                    table: name.clone(),
                    column: column.clone(),
                },
            );
        }
        if let Some(column) = &table.dropped_column {
            at(
                within(0, 2),
                Step::AddColumn,
                Command::AddColumn {
                    table: name.clone(),
                    column: column.name.clone(),
                    column_type: column.column_type.clone(),
                    properties: Some(column.properties.clone()),
                },
            );
            at(
                within(3, 6),
                Step::DropColumn,
                Command::DropColumn {
                    table: name.clone(),
                    column: column.name.clone(),
                },
            );
        }
    }

    let mut schema = Schema::empty();
    let mut migrations = Vec::with_capacity(last);
    for (number, steps) in planned.into_iter().enumerate().skip(1) {
        let mut builder = MigrationBuilder::new(schema).with_id(migration_id(number));
        if number == 1 {
            let mut initial = Schema::empty();
            initial.migration_id = Some(1);
            builder = builder.with_name("initial_migration");
            builder.set_schema(initial)?;
        }
        for command in steps.into_iter().flatten() {
            builder.add(command)?;
        }
        schema = builder.schema().clone();
        let migration = builder.build()?;
        if migration.up.is_empty() {
            return Err(format!(
                "migration {number} of {last} has no commands: use fewer migrations"
            )
            .into());
        }
        migrations.push(migration);
    }
    schema.migration_id = migrations.last().map(|m| m.id);
    Ok((migrations, schema))
}

/// The initial migration is `1`, as instant.dev writes it; the others are daily timestamps
/// (`20250101120000`, `20250102120000`, …), 28 days a month.
fn migration_id(number: usize) -> i64 {
    if number <= 1 {
        return 1;
    }
    let day = (number - 2) as i64;
    20_250_000_000_000 + (1 + day / 28) * 100_000_000 + (1 + day % 28) * 1_000_000 + 120_000
}

/// Writes `_instant/migrations/*.json` and `_instant/cache/schema.json` under `dir`, two-space
/// indented as instant.dev writes them.
pub fn write_project(
    dir: &Path,
    migrations: &[Migration],
    schema: &Schema,
) -> Result<(), Box<dyn Error>> {
    let instant = dir.join("_instant");
    let migrations_dir = instant.join("migrations");
    let cache = instant.join("cache");
    fs::create_dir_all(&migrations_dir)?;
    fs::create_dir_all(&cache)?;
    for migration in migrations {
        let text = serde_json::to_string_pretty(&migration.to_json())?;
        fs::write(migrations_dir.join(migration.filename()), text)?;
    }
    fs::write(cache.join("schema.json"), schema.to_pretty_json())?;
    Ok(())
}
