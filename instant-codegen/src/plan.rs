//! The first step of generation: every name resolved to its Rust identifier, every column to its
//! Rust type, every relationship to its ends, and every conflict reported. Emitting code from a
//! plan cannot fail.

use std::collections::HashMap;

use instant_schema::inflection::classify;
use instant_schema::schema::EffectiveProperties;
use instant_schema::{Column, ForeignKey, Schema, Table};

use crate::error::Error;
use crate::ident::{sanitize, sanitize_column};
use crate::relations::{RelationPlan, plan_relations};
use crate::rust_type::{RustType, Scalar};

/// One table, ready to emit.
#[derive(Debug)]
pub struct TablePlan<'a> {
    pub table: &'a Table,
    /// The model struct's identifier: instant.dev's class name (`Child` for `children`).
    pub model: String,
    /// The table module's identifier (`children`).
    pub module: String,
    pub primary_key: Option<&'a str>,
    pub columns: Vec<ColumnPlan<'a>>,
    pub relations: Vec<RelationPlan>,
}

/// One column, ready to emit.
#[derive(Debug)]
pub struct ColumnPlan<'a> {
    pub column: &'a Column,
    /// The field and unit struct identifier (before raw-ification of keywords).
    pub ident: String,
    pub properties: EffectiveProperties,
    pub rust_type: RustType,
    pub length: Option<u32>,
    /// The foreign key this column is the child side of.
    pub references: Option<&'a ForeignKey>,
}

impl ColumnPlan<'_> {
    /// The database fills the column in when an insert omits it: a sequence, or a
    /// `defaultValue` (which this port emits as a SQL `DEFAULT`).
    pub fn has_default(&self) -> bool {
        self.properties.auto_increment || self.properties.default_value.is_some()
    }
}

/// Plans every table of `schema`, in schema order.
pub fn plan(schema: &Schema) -> Result<Vec<TablePlan<'_>>, Error> {
    // Inflection is the slow part of naming: each table's class name is computed once, for its
    // model and for every relationship that reaches it.
    let classes: HashMap<&str, String> = schema
        .tables
        .keys()
        .map(|name| (name.as_str(), classify(name)))
        .collect();
    let mut relations = plan_relations(schema, &classes)?;
    // The first foreign key of each column, as `Schema::foreign_key` finds it, without a scan
    // of every foreign key per column.
    let mut references: HashMap<(&str, &str), &ForeignKey> = HashMap::new();
    for fk in &schema.foreign_keys {
        references
            .entry((fk.table.as_str(), fk.column.as_str()))
            .or_insert(fk);
    }
    let mut tables: Vec<TablePlan<'_>> = Vec::with_capacity(schema.tables.len());
    for table in schema.tables.values() {
        let model = sanitize(&classes[table.name.as_str()])
            .ok_or_else(|| invalid("table", table, &table.name))?;
        let module = sanitize(&table.name).ok_or_else(|| invalid("table", table, &table.name))?;
        let columns = plan_columns(&references, table)?;
        let primary_key = columns
            .iter()
            .find(|column| column.properties.primary_key)
            .map(|column| column.column.name.as_str());
        tables.push(TablePlan {
            table,
            model,
            module,
            primary_key,
            columns,
            relations: relations.remove(&table.name).unwrap_or_default(),
        });
    }
    check_top_level_names(&tables)?;
    Ok(tables)
}

fn plan_columns<'a>(
    references: &HashMap<(&str, &str), &'a ForeignKey>,
    table: &'a Table,
) -> Result<Vec<ColumnPlan<'a>>, Error> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut columns = Vec::with_capacity(table.columns.len());
    for column in &table.columns {
        let ident =
            sanitize_column(&column.name).ok_or_else(|| invalid("column", table, &column.name))?;
        if let Some(first) = seen.insert(ident.clone(), &column.name) {
            return Err(Error::DuplicateIdentifier {
                kind: "column",
                table: table.name.clone(),
                first: first.to_string(),
                second: column.name.clone(),
                ident,
            });
        }
        let mut properties = column.effective();
        // A primary key is `NOT NULL` whatever `nullable` says.
        properties.nullable &= !properties.primary_key;
        let length = properties
            .length
            .map(|length| {
                u32::try_from(length)
                    .ok()
                    .filter(|length| *length > 0)
                    .ok_or_else(|| Error::InvalidLength {
                        table: table.name.clone(),
                        column: column.name.clone(),
                        length,
                    })
            })
            .transpose()?;
        let rust_type = RustType {
            scalar: Scalar::of(&column.column_type),
            array: properties.array,
            nullable: properties.nullable,
        };
        columns.push(ColumnPlan {
            column,
            ident,
            rust_type,
            length,
            references: references
                .get(&(table.name.as_str(), column.name.as_str()))
                .copied(),
            properties,
        });
    }
    Ok(columns)
}

/// Model structs and table modules share the file's type namespace.
fn check_top_level_names(tables: &[TablePlan<'_>]) -> Result<(), Error> {
    let mut models: HashMap<&str, &str> = HashMap::new();
    for table in tables {
        if let Some(first) = models.insert(&table.model, &table.table.name) {
            return Err(Error::DuplicateModel {
                model: table.model.clone(),
                first: first.to_string(),
                second: table.table.name.clone(),
            });
        }
    }
    let mut modules: HashMap<&str, &str> = HashMap::new();
    for table in tables {
        if let Some(other) = models.get(table.module.as_str()) {
            return Err(Error::ModuleClash {
                table: table.table.name.clone(),
                item: "model struct",
                other: other.to_string(),
                ident: table.module.clone(),
            });
        }
        if let Some(other) = modules.insert(&table.module, &table.table.name) {
            return Err(Error::ModuleClash {
                table: table.table.name.clone(),
                item: "module",
                other: other.to_string(),
                ident: table.module.clone(),
            });
        }
    }
    Ok(())
}

fn invalid(kind: &'static str, table: &Table, name: &str) -> Error {
    Error::InvalidName {
        kind,
        table: table.name.clone(),
        name: name.to_string(),
    }
}
