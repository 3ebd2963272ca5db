//! `g:relationship`'s migration: the child's reference column (when it has none yet) and the
//! foreign key to the parent, which is what relationships are derived from.

use crate::builder::MigrationBuilder;
use crate::column_type;
use crate::error::{Error, Result};
use crate::inflection::singularize;
use crate::json_path::JsonPath;
use crate::migration::Migration;
use crate::schema::{ColumnProperties, Schema};

/// A relationship to add: each `child` row belongs to one `parent` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub parent: String,
    pub child: String,
    /// The parent's referenced column (instant.dev's prompt default: `id`).
    pub parent_column: String,
    /// The child's column; `None` for `<singular(parent)>_<parent_column>` (`user_id`).
    pub column: Option<String>,
    /// One-to-one: the child's column is unique, so a parent has at most one child.
    pub one_to_one: bool,
}

impl Relationship {
    /// One-to-many from `parent.id` to `child.<singular(parent)>_id`.
    pub fn new(parent: impl Into<String>, child: impl Into<String>) -> Self {
        Relationship {
            parent: parent.into(),
            child: child.into(),
            parent_column: "id".to_string(),
            column: None,
            one_to_one: false,
        }
    }

    /// The child's column.
    pub fn column(&self) -> String {
        self.column
            .clone()
            .unwrap_or_else(|| format!("{}_{}", singularize(&self.parent), self.parent_column))
    }
}

/// The migration adding `relationship` on top of `schema`, as instant.dev's `g:relationship`
/// writes it: `addColumn` of the child's column with the parent column's database type and
/// `{"unique": one_to_one}` (named `add_<child>_column_<column>`), then `createForeignKey`.
///
/// instant.dev requires the child's column to be new; here an existing column is used as it
/// is (made unique first for a one-to-one), so a column created by `g:model` can be linked.
///
/// ```
/// use instant_schema::Schema;
/// use instant_schema::generate::{ColumnSpec, Relationship, create_table_migration, relationship_migration};
///
/// let mut schema = Schema::empty();
/// for (i, table) in ["users", "posts"].into_iter().enumerate() {
///     let spec = ColumnSpec::parse("title:string")?;
///     let migration = create_table_migration(&schema, table, &[spec], i as i64 + 1)?;
///     instant_schema::apply_migration(&mut schema, &migration).unwrap();
/// }
/// let migration = relationship_migration(&schema, &Relationship::new("users", "posts"), 3)?;
/// assert_eq!(migration.name, "add_posts_column_user_id");
/// assert_eq!(
///     migration.up[0].to_json(),
///     serde_json::json!(["addColumn", "posts", "user_id", "bigint", {"unique": false}])
/// );
/// # Ok::<(), instant_schema::Error>(())
/// ```
pub fn relationship_migration(
    schema: &Schema,
    relationship: &Relationship,
    id: i64,
) -> Result<Migration> {
    let fail = |message: String| Error::invalid(&JsonPath::root(), message);
    let Relationship {
        parent,
        child,
        parent_column,
        one_to_one,
        ..
    } = relationship;
    let column = relationship.column();
    let table = |name: &str| {
        schema
            .table(name)
            .ok_or_else(|| fail(format!("table \"{name}\" does not exist")))
    };
    let parent_table = table(parent)?;
    let child_table = table(child)?;
    let Some(referenced) = parent_table.column(parent_column) else {
        return Err(fail(format!(
            "column \"{parent}\".\"{parent_column}\" does not exist"
        )));
    };
    if let Some(existing) = schema.foreign_key(child, &column) {
        return Err(fail(format!(
            "\"{child}\".\"{column}\" already references \"{}\".\"{}\"",
            existing.parent_table, existing.parent_column
        )));
    }
    let mut builder = MigrationBuilder::new(schema.clone()).with_id(id);
    match child_table.column(&column) {
        None => {
            let properties = ColumnProperties {
                unique: Some(*one_to_one),
                ..ColumnProperties::default()
            };
            builder.add_column(
                child,
                &column,
                reference_type(&referenced.column_type),
                Some(properties),
            )?;
        }
        Some(existing) if *one_to_one && !existing.effective().unique => {
            let properties = ColumnProperties {
                unique: Some(true),
                ..ColumnProperties::default()
            };
            builder.alter_column(child, &column, None, Some(properties))?;
        }
        Some(_) => {}
    }
    builder.create_foreign_key(child, &column, parent, parent_column, None)?;
    builder.build()
}

/// The type of a column referencing one of `column_type`: its database type (`serial` and
/// `int` are `bigint`), without a sequence of its own (`bigserial` is `bigint`).
fn reference_type(column_type: &str) -> String {
    match column_type::db_name(column_type) {
        "bigserial" | "serial8" => "bigint",
        "serial" | "serial4" => "integer",
        "smallserial" | "serial2" => "smallint",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{ColumnSpec, create_table_migration};
    use serde_json::json;

    fn schema(tables: &[(&str, &str)]) -> Schema {
        let mut schema = Schema::empty();
        for (i, (table, spec)) in tables.iter().enumerate() {
            let specs = [ColumnSpec::parse(spec).unwrap()];
            let migration = create_table_migration(&schema, table, &specs, i as i64 + 1).unwrap();
            crate::apply_migration(&mut schema, &migration).unwrap();
        }
        schema
    }

    #[test]
    fn one_to_one_adds_a_unique_column_as_the_auth_kit_does() {
        let schema = schema(&[("users", "email:string"), ("profiles", "bio:text")]);
        let mut relationship = Relationship::new("users", "profiles");
        relationship.one_to_one = true;
        let migration = relationship_migration(&schema, &relationship, 9).unwrap();
        assert_eq!(
            migration.to_json(),
            json!({
                "id": 9,
                "name": "add_profiles_column_user_id",
                "up": [
                    ["addColumn", "profiles", "user_id", "bigint", {"unique": true}],
                    ["createForeignKey", "profiles", "user_id", "users", "id"]
                ],
                "down": [
                    ["dropForeignKey", "profiles", "user_id"],
                    ["dropColumn", "profiles", "user_id"]
                ]
            })
        );
    }

    #[test]
    fn an_existing_column_is_linked_as_it_is() {
        let schema = schema(&[("users", "email:string"), ("posts", "user_id:int")]);
        let migration =
            relationship_migration(&schema, &Relationship::new("users", "posts"), 9).unwrap();
        assert_eq!(migration.name, "add_foreign_key_on_posts_column_user_id");
        assert_eq!(migration.up.len(), 1);

        let mut one_to_one = Relationship::new("users", "posts");
        one_to_one.one_to_one = true;
        let migration = relationship_migration(&schema, &one_to_one, 9).unwrap();
        assert_eq!(
            migration.up[0].to_json(),
            json!(["alterColumn", "posts", "user_id", null, {"unique": true}])
        );
    }

    #[test]
    fn missing_tables_and_duplicate_keys_are_refused() {
        let schema = schema(&[("users", "email:string"), ("posts", "title:string")]);
        let error = |relationship: &Relationship, schema: &Schema| {
            relationship_migration(schema, relationship, 9)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error(&Relationship::new("authors", "posts"), &schema),
            "table \"authors\" does not exist"
        );
        let mut by_name = Relationship::new("users", "posts");
        by_name.parent_column = "name".to_string();
        assert_eq!(
            error(&by_name, &schema),
            "column \"users\".\"name\" does not exist"
        );

        let linked =
            relationship_migration(&schema, &Relationship::new("users", "posts"), 9).unwrap();
        let mut schema = schema;
        crate::apply_migration(&mut schema, &linked).unwrap();
        assert_eq!(
            error(&Relationship::new("users", "posts"), &schema),
            "\"posts\".\"user_id\" already references \"users\".\"id\""
        );
    }
}
