//! Queries from data (API endpoints, admin tools, the command line): instant.dev's
//! where-object syntax read at run time and checked against the schema's descriptors.

mod value;
mod where_object;

pub(crate) use where_object::{Hidden, parse};
