//! Walks through the relationship graph: instant.dev's `RelationshipPath`, `find` and
//! `findExplicit`.
//!
//! A query names related rows by a path of relation names (`user__posts__comments`). instant.dev
//! resolves such a name hop by hop (`findExplicit`) or, given only the last name, searches the
//! whole graph breadth first (`find`). Either way the result is a path that can tell whether it
//! reaches many rows (`multiple`) and how it is named from either end (`joinName`), which is
//! what a join or a cascade needs.

use std::collections::{HashSet, VecDeque};
use std::fmt;

use super::{Edge, PathError, Relation, RelationKind, RelationshipGraph};

/// Relations followed one after another from one table.
///
/// instant.dev stores a path as `[target, edge, node, edge, …, start]`; here it is the list of
/// hops from the start, each a [`Relation`] that knows its direction, so a self-referencing
/// foreign key never leaves the direction in doubt.
#[derive(Clone)]
pub struct RelationshipPath<'g> {
    graph: &'g RelationshipGraph,
    table: &'g str,
    hops: Vec<&'g Relation>,
}

impl<'g> RelationshipPath<'g> {
    /// The table the path starts from.
    pub fn table(&self) -> &'g str {
        self.table
    }

    /// The table the path ends at (instant.dev's `getModel()`): the rows a join on this path
    /// attaches.
    pub fn target(&self) -> &'g str {
        self.hops
            .last()
            .map_or(self.table, |hop| hop.target_table.as_str())
    }

    /// The relations followed, from the start.
    pub fn hops(&self) -> &[&'g Relation] {
        &self.hops
    }

    /// The foreign-key edge of each hop, from the start; an edge knows its parent and child
    /// whichever way the hop crosses it.
    pub fn edges(&self) -> impl Iterator<Item = &'g Edge> + '_ {
        let edges = self.graph.edges();
        self.hops.iter().map(move |hop| &edges[hop.edge])
    }

    /// True when the path can reach many rows from one starting row: some hop goes from a
    /// parent to its many children. A join on such a path gives a list, otherwise one row.
    pub fn multiple(&self) -> bool {
        self.hops.iter().any(|hop| hop.kind.is_many())
    }

    /// True when the last hop alone goes from a parent to its many children (instant.dev's
    /// `immediateMultiple()`): the target is a list on the row just before it.
    pub fn immediate_multiple(&self) -> bool {
        self.hops.last().is_some_and(|hop| hop.kind.is_many())
    }

    /// The path's name from its start, as `join()` and `a__b__column` filters spell it
    /// (instant.dev's `joinName()`).
    ///
    /// ```
    /// # use instant_schema::relationships::RelationshipGraph;
    /// # use instant_schema::{Column, ForeignKey, ForeignKeyBehavior, Schema, Table};
    /// # let mut schema = Schema::empty();
    /// # for (name, columns) in [("parents", vec!["id"]), ("children", vec!["id", "parent_id"])] {
    /// #     let columns = columns.into_iter().map(|c| Column::new(c, "int")).collect();
    /// #     schema.tables.insert(name.into(), Table { name: name.into(), columns });
    /// # }
    /// # schema.foreign_keys.push(ForeignKey { table: "children".into(), column: "parent_id".into(),
    /// #     parent_table: "parents".into(), parent_column: "id".into(), behavior: ForeignKeyBehavior::default() });
    /// // children.parent_id references parents.id:
    /// let graph = RelationshipGraph::from_schema(&schema)?;
    /// let path = graph.find_explicit("children", "parent__children")?;
    /// assert_eq!(path.join_name(), "parent__children");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn join_name(&self) -> String {
        let names: Vec<&str> = self.hops.iter().map(|hop| hop.name.as_str()).collect();
        names.join("__")
    }

    /// The path's name walked back from its target to its start (instant.dev's
    /// `joinName(true)`): how the target's rows reach the starting table.
    ///
    /// ```
    /// # use instant_schema::relationships::RelationshipGraph;
    /// # use instant_schema::{Column, ForeignKey, ForeignKeyBehavior, Schema, Table};
    /// # let mut schema = Schema::empty();
    /// # for (name, columns) in [("parents", vec!["id"]), ("children", vec!["id", "parent_id"])] {
    /// #     let columns = columns.into_iter().map(|c| Column::new(c, "int")).collect();
    /// #     schema.tables.insert(name.into(), Table { name: name.into(), columns });
    /// # }
    /// # schema.foreign_keys.push(ForeignKey { table: "children".into(), column: "parent_id".into(),
    /// #     parent_table: "parents".into(), parent_column: "id".into(), behavior: ForeignKeyBehavior::default() });
    /// // children.parent_id references parents.id:
    /// let graph = RelationshipGraph::from_schema(&schema)?;
    /// let path = graph.find_explicit("parents", "children")?;
    /// assert_eq!(path.reverse_join_name(), "parent");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reverse_join_name(&self) -> String {
        let edges = self.graph.edges();
        let names: Vec<&str> = self
            .hops
            .iter()
            .rev()
            .map(|hop| {
                let edge = &edges[hop.edge];
                match hop.kind {
                    RelationKind::BelongsTo => edge.alias.as_str(),
                    RelationKind::OneToOne | RelationKind::OneToMany => edge.parent_alias.as_str(),
                }
            })
            .collect();
        names.join("__")
    }
}

impl fmt::Debug for RelationshipPath<'_> {
    /// The start and the name: the graph behind the path is too large to print usefully.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelationshipPath")
            .field("table", &self.table)
            .field("path", &self.join_name())
            .field("target", &self.target())
            .finish()
    }
}

impl RelationshipGraph {
    /// Resolves `a__b__c` from `table` hop by hop, as [`RelationshipGraph::find_path`] does,
    /// into a [`RelationshipPath`] (instant.dev's `findExplicit`, which gives `null` where this
    /// gives the error).
    pub fn find_explicit(
        &self,
        table: &str,
        path: &str,
    ) -> Result<RelationshipPath<'_>, PathError> {
        let hops = self.find_path(table, path)?;
        let table = self
            .relations
            .get_key_value(table)
            .map(|(name, _)| name.as_str())
            .ok_or_else(|| PathError::UnknownTable {
                table: table.to_string(),
            })?;
        Ok(RelationshipPath {
            graph: self,
            table,
            hops,
        })
    }

    /// The shortest path from `table` whose last relation is called `name`, searched breadth
    /// first over the whole graph (instant.dev's `find`): `find("avatars", "comments")` is
    /// `user__posts__comments`. Among paths of one length, relations are tried in foreign-key
    /// order. Each foreign key is crossed at most once along the search, so cycles end.
    ///
    /// Unlike instant.dev, a hop matches only by its own name from the table it leaves: a
    /// child's name on its parent (`as`) is not matched when walking from the child.
    ///
    /// ```
    /// # use instant_schema::relationships::RelationshipGraph;
    /// # use instant_schema::{Column, ForeignKey, ForeignKeyBehavior, Schema, Table};
    /// # let mut schema = Schema::empty();
    /// # for (name, columns) in [("parents", vec!["id"]), ("children", vec!["id", "parent_id"]),
    /// #     ("pets", vec!["id", "parent_id"])] {
    /// #     let columns = columns.into_iter().map(|c| Column::new(c, "int")).collect();
    /// #     schema.tables.insert(name.into(), Table { name: name.into(), columns });
    /// # }
    /// # for child in ["children", "pets"] {
    /// #     schema.foreign_keys.push(ForeignKey { table: child.into(), column: "parent_id".into(),
    /// #         parent_table: "parents".into(), parent_column: "id".into(), behavior: ForeignKeyBehavior::default() });
    /// # }
    /// // children.parent_id and pets.parent_id reference parents.id:
    /// let graph = RelationshipGraph::from_schema(&schema)?;
    /// let path = graph.find("children", "pets").expect("a path");
    /// assert_eq!(path.join_name(), "parent__pets");
    /// assert!(path.multiple());
    /// assert!(graph.find("children", "toys").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn find(&self, table: &str, name: &str) -> Option<RelationshipPath<'_>> {
        let (start, relations) = self.relations.get_key_value(table)?;
        let mut queue: VecDeque<(&Relation, Vec<&Relation>)> = relations
            .iter()
            .map(|relation| (relation, Vec::new()))
            .collect();
        let mut crossed = HashSet::new();
        // A relation reached again by a later (never shorter) path can only enqueue what its
        // first visit already did, so it is expanded once.
        let mut expanded = HashSet::new();
        while let Some((relation, before)) = queue.pop_front() {
            crossed.insert(relation.edge);
            let mut hops = before;
            hops.push(relation);
            if relation.name == name {
                return Some(RelationshipPath {
                    graph: self,
                    table: start,
                    hops,
                });
            }
            if !expanded.insert((relation.edge, relation.kind)) {
                continue;
            }
            for next in self.relations(&relation.target_table) {
                if !crossed.contains(&next.edge) {
                    queue.push_back((next, hops.clone()));
                }
            }
        }
        None
    }
}
