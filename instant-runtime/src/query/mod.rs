//! Typed queries: instant.dev's composer (`Model.query().where({...}).orderBy(...)`) as
//! compile-checked Rust, built with sea-query.
//!
//! Filters are [`Condition`]s on one table, made from the generated column markers with
//! [`ColumnExt`] comparators and from relationship markers with [`RelationExt`]. The
//! comparators a column has depend on its Rust type, and a condition only fits a query of its
//! own table, so a misspelt column, a text comparator on a number or a filter on another table
//! is a compile error. Every value is bound as a parameter, never written into the SQL.
//!
//! ```ignore
//! use instant_runtime::query::prelude::*;
//!
//! // instant.dev: Parent.query()
//! //   .where({name__istartswith: 'a', pets__name: 'Ruby', pets__animal: 'Cat'}, {shirt: null})
//! //   .orderBy('name').limit(10)
//! let parents = query::<Parent>()
//!     .filter(or!(
//!         parents::name.istartswith("a").and(
//!             parents::relations::pets.any(pets::name.eq("Ruby").and(pets::animal.eq("Cat"))),
//!         ),
//!         parents::shirt.eq(None),
//!     ))
//!     .order_by(parents::name.asc())
//!     .limit(10)
//!     .select(&db)?;
//! ```

mod assignment;
mod column;
mod condition;
mod dynamic;
mod filter;
mod group;
mod inline;
mod join;
mod order;
mod relation;
mod select;
pub(crate) mod shape;
pub mod value;
mod vector;

pub use assignment::{AssignExt, Assignment};
pub use column::ColumnExt;
pub use condition::Condition;
pub use dynamic::{
    COMPARATORS, ExplainedStatement, ExplainedValue, GraphNode, explain_json_query,
    explain_json_query_with, graph_query, graph_query_with, json_query, json_query_with,
};
pub use group::Grouped;
pub use join::{JoinByName, JoinRequest, Loaded, Loads};
pub use order::Order;
pub use relation::{RelationExt, ToOne};
pub use select::{Query, query};

/// Everything a query needs in scope: `use instant_runtime::query::prelude::*`.
pub mod prelude {
    pub use super::{AssignExt, ColumnExt, Condition, Order, Query, RelationExt, query};
    pub use crate::{and, or};
}
