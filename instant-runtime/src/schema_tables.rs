//! Table descriptors built at run time from a schema, for a program that has the `_instant/`
//! folder but no generated code: the `instant` command's `query` runs [`json_query`] on them.
//!
//! They are the descriptors `instant-codegen` writes as constants (`TABLES`), built the same
//! way: properties from [`Column::effective`] (a primary key is never nullable), relationships
//! from instant.dev's [`RelationshipGraph`] of the foreign keys, and the one Rust type per
//! column type that the generated model fields have ([`instant_schema::rust_type`], the table
//! both use; the dynamic queries read it to convert values). The `tests` crate checks them
//! against the generated `TABLES` of every fixture.
//!
//! The query engine takes `&'static` descriptors, as generated code has them. Built at run
//! time they are leaked (`Box::leak`): a command-line tool builds them once and exits, so the
//! memory is never wanted back. A long-running program should build them once (or use the
//! generated `TABLES`), not once per request.
//!
//! ```
//! use instant_runtime::schema_tables::leak_tables;
//! # use instant_schema::{Column, ColumnProperties, Schema, Table};
//! let mut schema = Schema::empty();
//! let columns = vec![Column::new("id", "serial"), Column::new("email", "string")];
//! schema.tables.insert("users".into(), Table { name: "users".into(), columns });
//!
//! let tables = leak_tables(&schema)?;
//! assert_eq!(tables[0].model, "User");
//! assert_eq!(tables[0].primary_key, Some("id"));
//! assert_eq!(tables[0].column("email").map(|c| c.rust_type), Some("Option<String>"));
//! # Ok::<(), instant_runtime::Error>(())
//! ```
//!
//! [`json_query`]: crate::query::json_query
//! [`Column::effective`]: instant_schema::Column::effective

use instant_schema::inflection::classify;
use instant_schema::relationships::{self, RelationshipGraph};
use instant_schema::rust_type::{RustType, Scalar};
use instant_schema::{Column, Schema, Table};

use crate::descriptor::{ColumnInfo, RelationInfo, RelationKind, TableInfo};
use crate::error::{Error, Result};

/// Every table of `schema`, in schema order, as the generated `TABLES` describes them; leaked
/// (see the module documentation).
pub fn leak_tables(schema: &Schema) -> Result<&'static [&'static TableInfo]> {
    let graph = RelationshipGraph::from_schema(schema)?;
    let tables = schema
        .tables
        .values()
        .map(|table| table_info(&graph, table).map(|info| &*Box::leak(Box::new(info))))
        .collect::<Result<Vec<&'static TableInfo>>>()?;
    Ok(Vec::leak(tables))
}

fn table_info(graph: &RelationshipGraph, table: &Table) -> Result<TableInfo> {
    let columns = table
        .columns
        .iter()
        .map(|column| column_info(table, column))
        .collect::<Result<Vec<_>>>()?;
    let primary_key = columns
        .iter()
        .find(|column| column.primary_key)
        .map(|column| column.name);
    let relations = graph
        .relations(&table.name)
        .iter()
        .map(|relation| RelationInfo {
            name: leak(&relation.name),
            kind: match relation.kind {
                relationships::RelationKind::BelongsTo => RelationKind::BelongsTo,
                relationships::RelationKind::OneToOne => RelationKind::OneToOne,
                relationships::RelationKind::OneToMany => RelationKind::OneToMany,
            },
            from_table: leak(&relation.table),
            from_column: leak(&relation.column),
            to_table: leak(&relation.target_table),
            to_column: leak(&relation.target_column),
        })
        .collect::<Vec<_>>();
    Ok(TableInfo {
        name: leak(&table.name),
        model: leak(&classify(&table.name)),
        primary_key,
        columns: Vec::leak(columns),
        relations: Vec::leak(relations),
    })
}

fn column_info(table: &Table, column: &Column) -> Result<ColumnInfo> {
    let mut properties = column.effective();
    properties.nullable &= !properties.primary_key;
    let rust_type = RustType {
        scalar: Scalar::of(&column.column_type),
        array: properties.array,
        nullable: properties.nullable,
    };
    let mut info = ColumnInfo::new(
        leak(&column.name),
        leak(&column.column_type),
        leak(&rust_type.to_string()),
    );
    if !properties.nullable {
        info = info.not_null();
    }
    if properties.unique {
        info = info.unique();
    }
    if properties.primary_key {
        info = info.primary_key();
    }
    if properties.auto_increment {
        info = info.auto_increment();
    } else if properties.default_value.is_some() {
        info = info.has_default();
    }
    if properties.array {
        info = info.array();
    }
    if let Some(length) = properties.length {
        let length = u32::try_from(length)
            .ok()
            .filter(|length| *length > 0)
            .ok_or_else(|| Error::Input {
                message: format!(
                    "{}.{}: the length {length} is not a positive whole number",
                    table.name, column.name
                ),
            })?;
        info = info.length(length);
    }
    if rust_type.read_as_text() {
        info = info.read_as_text();
    }
    Ok(info)
}

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

#[cfg(test)]
mod tests {
    use instant_schema::{ColumnProperties, ForeignKey, ForeignKeyBehavior};

    use super::*;

    fn schema() -> Schema {
        let mut schema = Schema::empty();
        let mut age = Column::new("age", "integer");
        age.properties = ColumnProperties {
            nullable: Some(false),
            default_value: Some(serde_json::json!(0)),
            ..ColumnProperties::default()
        };
        let mut tags = Column::new("tags", "string");
        tags.properties = ColumnProperties {
            array: Some(true),
            length: Some(Some(40)),
            ..ColumnProperties::default()
        };
        for (name, columns) in [
            ("parents", vec![Column::new("id", "serial"), tags]),
            (
                "children",
                vec![
                    Column::new("id", "serial"),
                    Column::new("parent_id", "int"),
                    age,
                    Column::new("paid", "money"),
                ],
            ),
        ] {
            schema.tables.insert(
                name.into(),
                Table {
                    name: name.into(),
                    columns,
                },
            );
        }
        schema.foreign_keys.push(ForeignKey {
            table: "children".into(),
            column: "parent_id".into(),
            parent_table: "parents".into(),
            parent_column: "id".into(),
            behavior: ForeignKeyBehavior::default(),
        });
        schema
    }

    #[test]
    fn columns_have_the_generated_properties() {
        let tables = leak_tables(&schema()).unwrap();
        let parents = tables[0];
        assert_eq!(parents.model, "Parent");
        assert_eq!(
            parents.columns[0],
            ColumnInfo::new("id", "serial", "i64")
                .not_null()
                .primary_key()
                .auto_increment()
        );
        assert_eq!(
            parents.columns[1],
            ColumnInfo::new("tags", "string", "Option<Vec<String>>")
                .array()
                .length(40)
        );
        let children = tables[1];
        assert_eq!(
            children.column("age").copied(),
            Some(
                ColumnInfo::new("age", "integer", "i32")
                    .not_null()
                    .has_default()
            )
        );
        assert_eq!(
            children.column("paid").copied(),
            Some(ColumnInfo::new("paid", "money", "Option<String>").read_as_text())
        );
    }

    #[test]
    fn relationships_come_from_the_foreign_keys() {
        let tables = leak_tables(&schema()).unwrap();
        let children = tables[0].relation("children").unwrap();
        assert_eq!(children.kind, RelationKind::OneToMany);
        assert_eq!(
            (children.from_column, children.to_table, children.to_column),
            ("id", "children", "parent_id")
        );
        let parent = tables[1].relation("parent").unwrap();
        assert_eq!(parent.kind, RelationKind::BelongsTo);
        assert_eq!((parent.from_column, parent.to_column), ("parent_id", "id"));
    }
}
