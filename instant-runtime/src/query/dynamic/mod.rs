//! Queries from data (API endpoints, admin tools, the command line): instant.dev's
//! where-object syntax read at run time and checked against the schema's descriptors.

mod graph;
mod nested;
mod value;
mod where_object;

pub use graph::{GraphNode, graph_query, graph_query_with};
pub use nested::{
    ExplainedStatement, ExplainedValue, explain_json_query, explain_json_query_with, json_query,
    json_query_with,
};
pub(crate) use value::scalar as scalar_type;

pub use where_object::COMPARATORS;
pub(crate) use where_object::{Hidden, parse};
