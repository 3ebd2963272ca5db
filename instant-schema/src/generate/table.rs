//! `g:model`'s migration: one `createTable`, then a `createIndex` per indexed column.

use crate::builder::MigrationBuilder;
use crate::error::{Error, Result};
use crate::generate::ColumnSpec;
use crate::inflection::{pluralize, underscore};
use crate::json_path::JsonPath;
use crate::migration::Migration;
use crate::schema::Schema;

/// The table for a model called `name`: snake_case and, unless `pluralize_name` is false,
/// plural (`BlogPost` → `blog_posts`). instant.dev's prompt defaults to `underscore(name)`
/// and offers the plural when it differs; the command line takes the plural unless told.
///
/// ```
/// use instant_schema::generate::model_table_name;
/// assert_eq!(model_table_name("BlogPost", true)?, "blog_posts");
/// assert_eq!(model_table_name("person", true)?, "people");
/// assert_eq!(model_table_name("staff", false)?, "staff");
/// assert!(model_table_name("2fa", true).is_err());
/// # Ok::<(), instant_schema::Error>(())
/// ```
pub fn model_table_name(name: &str, pluralize_name: bool) -> Result<String> {
    let table = if pluralize_name {
        underscore(&pluralize(name))
    } else {
        underscore(name)
    };
    let mut chars = table.chars();
    let starts_well = chars
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first == '_');
    if starts_well && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        Ok(table)
    } else {
        Err(Error::invalid(
            &JsonPath::root(),
            format!(
                "invalid model name \"{name}\" (table \"{table}\"): use letters, digits and `_`, starting with a letter"
            ),
        ))
    }
}

/// The migration creating `table` with `columns` on top of `schema`, as instant.dev's
/// `g:model` writes it (`<id>__create_<table>.json`, `down` = `dropTable`), with a
/// `createIndex` after the table for each column that asks for one.
///
/// Fails, before building anything, when the table exists or a column is given twice.
pub fn create_table_migration(
    schema: &Schema,
    table: &str,
    columns: &[ColumnSpec],
    id: i64,
) -> Result<Migration> {
    let fail = |message: String| Error::invalid(&JsonPath::root(), message);
    if schema.table(table).is_some() {
        return Err(fail(format!("table \"{table}\" already exists")));
    }
    for (i, spec) in columns.iter().enumerate() {
        let name = &spec.column.name;
        if columns[..i]
            .iter()
            .any(|earlier| &earlier.column.name == name)
        {
            return Err(fail(format!("column \"{name}\" is given twice")));
        }
    }
    let mut builder = MigrationBuilder::new(schema.clone()).with_id(id);
    builder.create_table(
        table,
        columns.iter().map(|spec| spec.column.clone()).collect(),
    )?;
    for spec in columns.iter().filter(|spec| spec.index) {
        builder.create_index(table, &spec.column.name, spec.index_type.clone())?;
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn creates_the_table_then_its_indexes() {
        let specs = [
            ColumnSpec::parse("title:string:not_null").unwrap(),
            ColumnSpec::parse("body:jsonb:index=gin").unwrap(),
        ];
        let migration = create_table_migration(&Schema::empty(), "posts", &specs, 7).unwrap();
        assert_eq!(
            migration.to_json(),
            json!({
                "id": 7,
                "name": "create_posts",
                "up": [
                    ["createTable", "posts", [
                        {"name": "title", "type": "string", "properties": {"nullable": false}},
                        {"name": "body", "type": "jsonb"}
                    ]],
                    ["createIndex", "posts", "body", "gin"]
                ],
                "down": [["dropIndex", "posts", "body"], ["dropTable", "posts"]]
            })
        );
    }

    #[test]
    fn refuses_an_existing_table_and_twice_given_columns() {
        let specs = [ColumnSpec::parse("title:string").unwrap()];
        let migration = create_table_migration(&Schema::empty(), "posts", &specs, 1).unwrap();
        let mut schema = Schema::empty();
        crate::apply_migration(&mut schema, &migration).unwrap();
        assert_eq!(
            create_table_migration(&schema, "posts", &specs, 2)
                .unwrap_err()
                .to_string(),
            "table \"posts\" already exists"
        );
        let twice = [specs[0].clone(), specs[0].clone()];
        assert_eq!(
            create_table_migration(&Schema::empty(), "posts", &twice, 2)
                .unwrap_err()
                .to_string(),
            "column \"title\" is given twice"
        );
    }
}
