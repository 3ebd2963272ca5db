//! The relationship graph that instant.dev derives from a schema's foreign keys.
//!
//! instant.dev never declares relationships by hand for generated models: on `setSchema` it calls
//! `Child.joinsTo(Parent, …)` once per foreign key, and queries then `join('children')` or
//! filter on `parent__name`. This module computes the same edges and the same names, so code
//! generation can turn each name into a typed relation and the query layer can resolve
//! `a__b__c` paths.
//!
//! For a foreign key `table.column -> parentTable.parentColumn`:
//! - the child reaches its parent by `behavior.parentAlias`, by default the parent's class name
//!   in camelCase (`parent`, `blogPost`) — not the column name;
//! - the parent reaches its children by `behavior.alias`, by default the child's class name in
//!   camelCase, pluralized when the child column is not unique (`children`, `blogPosts`);
//! - a unique child column makes the edge one-to-one, otherwise it is one-to-many.
//!
//! One difference from instant.dev, on purpose: two relations with the same name on one table
//! (typically two foreign keys to the same parent with default names) are an error here,
//! because instant.dev silently merges the second edge into the first and its joins then follow
//! the wrong column. [`RelationshipGraph::build`] offers instant.dev's first-one-wins reading
//! together with the collisions, for callers that prefer a warning.
//!
//! ```
//! use instant_schema::relationships::RelationshipGraph;
//! # use instant_schema::{Column, ColumnProperties, ForeignKey, ForeignKeyBehavior, Schema, Table};
//! # let mut schema = Schema::empty();
//! # for (name, columns) in [("parents", vec!["id"]), ("children", vec!["id", "parent_id"])] {
//! #     let columns = columns.into_iter().map(|c| Column::new(c, "int")).collect();
//! #     schema.tables.insert(name.into(), Table { name: name.into(), columns });
//! # }
//! # schema.foreign_keys.push(ForeignKey { table: "children".into(), column: "parent_id".into(),
//! #     parent_table: "parents".into(), parent_column: "id".into(), behavior: ForeignKeyBehavior::default() });
//! // A schema where children.parent_id references parents.id:
//! let graph = RelationshipGraph::from_schema(&schema)?;
//! let hops = graph.find_path("parents", "children__parent")?;
//! assert_eq!(hops[0].target_table, "children");
//! assert_eq!(hops[1].target_table, "parents");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::error::Error;
use crate::inflection::{camelize_lower, classify, pluralize};
use crate::json_path::JsonPath;
use crate::schema::Schema;

mod paths;

pub use paths::RelationshipPath;

/// All relationships of a schema: the foreign-key edges and, per table, the relations that
/// start there.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationshipGraph {
    edges: Vec<Edge>,
    /// Every table of the schema, in schema order, with its relations in foreign-key order.
    relations: IndexMap<String, Vec<Relation>>,
}

/// One foreign key seen as a relationship: instant.dev's `RelationshipEdge`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The child table, which holds the foreign key.
    pub child_table: String,
    /// The foreign-key column (instant.dev's `via`).
    pub child_column: String,
    pub parent_table: String,
    /// The referenced column (instant.dev's `using`).
    pub parent_column: String,
    /// True when one parent can have many children: the child column is not unique.
    pub multiple: bool,
    /// The child's name on the parent (instant.dev's `as`).
    pub alias: String,
    /// The parent's name on the child (instant.dev's `name`).
    pub parent_alias: String,
    /// The position of the foreign key in `Schema::foreign_keys`.
    pub foreign_key: usize,
}

/// How a relation reaches its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationKind {
    /// From a child to its one parent.
    BelongsTo,
    /// From a parent to its one child (the child column is unique).
    OneToOne,
    /// From a parent to its many children.
    OneToMany,
}

/// A relation as seen from one table: `join(name)` from `table` lands on `target_table`, matching
/// `table.column = target_table.target_column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub name: String,
    pub kind: RelationKind,
    pub table: String,
    pub column: String,
    pub target_table: String,
    pub target_column: String,
    /// The index of the [`Edge`] (and of the foreign key in `Schema::foreign_keys`).
    pub edge: usize,
}

/// A relationship path that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The starting table is not in the schema.
    #[error("No such table: \"{table}\"")]
    UnknownTable { table: String },
    /// One hop of the path names no relation of the table it starts from.
    #[error(
        "Model {model} does not have relationship \"{name}\"{}.\n{}",
        in_path(path, name),
        valid_list(valid)
    )]
    UnknownRelationship {
        /// The class name of the table the hop starts from.
        model: String,
        table: String,
        /// The hop that failed.
        name: String,
        /// The whole path asked for.
        path: String,
        /// The relation names of `table`.
        valid: Vec<String>,
    },
}

fn in_path(path: &str, name: &str) -> String {
    if path == name {
        String::new()
    } else {
        format!(" (in \"{path}\")")
    }
}

fn valid_list(valid: &[String]) -> String {
    if valid.is_empty() {
        "It has no relationships".to_string()
    } else {
        format!("Valid relationships are: \"{}\"", valid.join("\", \""))
    }
}

impl RelationKind {
    /// True when following the relation can give many rows.
    pub fn is_many(self) -> bool {
        self == RelationKind::OneToMany
    }
}

impl RelationshipGraph {
    /// The graph of `schema`; an error when a foreign key names a missing table or column, or
    /// when two relations of one table share a name.
    pub fn from_schema(schema: &Schema) -> Result<RelationshipGraph, Error> {
        let (graph, mut problems) = Self::build(schema);
        if problems.is_empty() {
            Ok(graph)
        } else {
            Err(problems.remove(0))
        }
    }

    /// The graph of `schema` read as instant.dev reads it, with every problem found.
    ///
    /// A foreign key on a missing table or column is left out. When two relations of one table
    /// share a name, the first keeps it and the second can only be reached through
    /// [`RelationshipGraph::edges`], which is how instant.dev resolves such names (it merges
    /// the second edge into the first).
    pub fn build(schema: &Schema) -> (RelationshipGraph, Vec<Error>) {
        let mut problems = Vec::new();
        let mut graph = RelationshipGraph {
            edges: Vec::new(),
            relations: schema
                .tables
                .keys()
                .map(|table| (table.clone(), Vec::new()))
                .collect(),
        };
        for (index, fk) in schema.foreign_keys.iter().enumerate() {
            let at = JsonPath::root().key("foreign_keys").index(index);
            let Some(child) = schema.table(&fk.table) else {
                problems.push(Error::invalid(
                    &at.key("table"),
                    format!("Invalid foreign key: \"{}\" not found", fk.table),
                ));
                continue;
            };
            let Some(column) = child.column(&fk.column) else {
                problems.push(Error::invalid(
                    &at.key("column"),
                    format!("Column \"{}\" not found for \"{}\"", fk.column, fk.table),
                ));
                continue;
            };
            let Some(parent) = schema.table(&fk.parent_table) else {
                problems.push(Error::invalid(
                    &at.key("parentTable"),
                    format!("Invalid foreign key: \"{}\" not found", fk.parent_table),
                ));
                continue;
            };
            if parent.column(&fk.parent_column).is_none() {
                problems.push(Error::invalid(
                    &at.key("parentColumn"),
                    format!(
                        "Column \"{}\" not found for \"{}\"",
                        fk.parent_column, fk.parent_table
                    ),
                ));
                continue;
            }
            let multiple = !column.effective().unique;
            let given = |name: &Option<String>| name.clone().filter(|name| !name.is_empty());
            let child_name = camelize_lower(&classify(&fk.table));
            let edge = Edge {
                child_table: fk.table.clone(),
                child_column: fk.column.clone(),
                parent_table: fk.parent_table.clone(),
                parent_column: fk.parent_column.clone(),
                multiple,
                alias: given(&fk.behavior.alias).unwrap_or_else(|| {
                    if multiple {
                        pluralize(&child_name)
                    } else {
                        child_name
                    }
                }),
                parent_alias: given(&fk.behavior.parent_alias)
                    .unwrap_or_else(|| camelize_lower(&classify(&fk.parent_table))),
                foreign_key: index,
            };
            let edge_index = graph.edges.len();
            let up = Relation {
                name: edge.parent_alias.clone(),
                kind: RelationKind::BelongsTo,
                table: edge.child_table.clone(),
                column: edge.child_column.clone(),
                target_table: edge.parent_table.clone(),
                target_column: edge.parent_column.clone(),
                edge: edge_index,
            };
            let down = Relation {
                name: edge.alias.clone(),
                kind: if multiple {
                    RelationKind::OneToMany
                } else {
                    RelationKind::OneToOne
                },
                table: edge.parent_table.clone(),
                column: edge.parent_column.clone(),
                target_table: edge.child_table.clone(),
                target_column: edge.child_column.clone(),
                edge: edge_index,
            };
            for (relation, behavior_key) in [(up, "parentAlias"), (down, "alias")] {
                match graph.relation(&relation.table, &relation.name) {
                    Some(taken) => {
                        let message = if taken.edge == edge_index {
                            format!(
                                "this self-referencing foreign key names both its parent and its \
                                 child \"{}\" on table \"{}\"; set \"alias\" or \"parentAlias\" \
                                 in its \"behavior\" to tell them apart",
                                relation.name, relation.table
                            )
                        } else {
                            let other = &graph.edges[taken.edge];
                            format!(
                                "relationship name \"{}\" on table \"{}\" is already used by the \
                                 foreign key {}.{} -> {}.{} (foreign_keys[{}]); give this one \
                                 another name with \"{behavior_key}\" in its \"behavior\" \
                                 (instant.dev would silently merge the two)",
                                relation.name,
                                relation.table,
                                other.child_table,
                                other.child_column,
                                other.parent_table,
                                other.parent_column,
                                other.foreign_key,
                            )
                        };
                        problems.push(Error::invalid(&at, message));
                    }
                    None => {
                        if let Some(list) = graph.relations.get_mut(&relation.table) {
                            list.push(relation);
                        }
                    }
                }
            }
            graph.edges.push(edge);
        }
        (graph, problems)
    }

    /// Every edge, one per valid foreign key, in `Schema::foreign_keys` order.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The relations that start at `table` (empty for an unknown table).
    pub fn relations(&self, table: &str) -> &[Relation] {
        self.relations.get(table).map_or(&[], Vec::as_slice)
    }

    /// The relation `name` of `table`.
    pub fn relation(&self, table: &str, name: &str) -> Option<&Relation> {
        self.relations(table)
            .iter()
            .find(|relation| relation.name == name)
    }

    /// Resolves `a__b__c` from `table`, hop by hop, as `join('a__b__c')` and `a__b__c__column`
    /// filters do.
    ///
    /// Unlike instant.dev, a child's name on its parent (`as`) is only followed from the parent:
    /// instant.dev also follows it backwards from the child, which makes `join('children')`
    /// from a child land on its parent.
    pub fn find_path(&self, table: &str, path: &str) -> Result<Vec<&Relation>, PathError> {
        if !self.relations.contains_key(table) {
            return Err(PathError::UnknownTable {
                table: table.to_string(),
            });
        }
        let mut hops = Vec::new();
        let mut at = table;
        for name in path.split("__") {
            let Some(relation) = self.relation(at, name) else {
                return Err(PathError::UnknownRelationship {
                    model: classify(at),
                    table: at.to_string(),
                    name: name.to_string(),
                    path: path.to_string(),
                    valid: self
                        .relations(at)
                        .iter()
                        .map(|relation| relation.name.clone())
                        .collect(),
                });
            };
            hops.push(relation);
            at = &relation.target_table;
        }
        Ok(hops)
    }

    /// Every path from `table` down to the rows that depend on it (children, their children, …),
    /// breadth first: the order in which instant.dev's `destroyCascade` visits them. A path never
    /// follows the same edge twice, so self-references and cycles end.
    pub fn cascade(&self, table: &str) -> Vec<Vec<&Relation>> {
        let downward = |table: &str| {
            self.relations(table)
                .iter()
                .filter(|relation| relation.kind != RelationKind::BelongsTo)
                .collect::<Vec<_>>()
        };
        let mut paths: Vec<Vec<&Relation>> = downward(table).into_iter().map(|r| vec![r]).collect();
        let mut next = 0;
        while next < paths.len() {
            let path = paths[next].clone();
            next += 1;
            let used: HashSet<usize> = path.iter().map(|relation| relation.edge).collect();
            let Some(last) = path.last() else { continue };
            for relation in downward(&last.target_table) {
                if !used.contains(&relation.edge) {
                    let mut longer = path.clone();
                    longer.push(relation);
                    paths.push(longer);
                }
            }
        }
        paths
    }
}
