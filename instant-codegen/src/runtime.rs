//! How generated code names the runtime: the `runtime_path` of [`Options`](crate::Options)
//! as text, and the runtime items every table refers to through it.

use syn::Path;

use crate::error::Error;
use crate::ty::Ty;

/// The runtime path and the paths built from it, written once for every table.
#[derive(Debug)]
pub struct Runtime {
    /// `::instant_runtime`, as prettyplease prints the path.
    pub path: String,
    /// `::instant_runtime::check::contains`.
    pub check_contains: String,
    /// `::instant_runtime::check::ColumnOf`.
    pub column_of: String,
    /// `::instant_runtime::query::Loads`.
    pub loads: String,
    /// `::instant_runtime::query::ToOne`.
    pub to_one: String,
    /// `::instant_runtime::query::JoinByName`.
    pub join_by_name: String,
    /// `Table`, the argument of `ColumnOf`.
    pub table_ty: Ty,
    /// `::instant_runtime::Model`, in a model's derives.
    pub model_derive: String,
    /// `::instant_runtime::Model<Table = Self>`, the bound of `join_by_name`'s model.
    pub model_bound: Ty,
    /// `::instant_runtime::Query<M>`, `join_by_name`'s query.
    pub query_of_m: Ty,
    /// `::instant_runtime::query::JoinRequest<'_>`, `join_by_name`'s request.
    pub join_request: Ty,
    /// `::core::option::Option<::instant_runtime::Result<::instant_runtime::Query<M>>>`, what
    /// `join_by_name` returns.
    pub join_output: Ty,
}

impl Runtime {
    /// Reads `runtime_path`, which must be a path without generic arguments (as any path to
    /// a crate or module is).
    pub fn parse(runtime_path: &str) -> Result<Runtime, Error> {
        let invalid = || Error::InvalidRuntimePath(runtime_path.to_string());
        let parsed: Path = syn::parse_str(runtime_path).map_err(|_| invalid())?;
        let mut path = String::new();
        for (index, segment) in parsed.segments.iter().enumerate() {
            if !segment.arguments.is_none() {
                return Err(invalid());
            }
            if index > 0 || parsed.leading_colon.is_some() {
                path.push_str("::");
            }
            path.push_str(&segment.ident.to_string());
        }
        Ok(Runtime {
            check_contains: format!("{path}::check::contains"),
            column_of: format!("{path}::check::ColumnOf"),
            loads: format!("{path}::query::Loads"),
            to_one: format!("{path}::query::ToOne"),
            join_by_name: format!("{path}::query::JoinByName"),
            table_ty: Ty::plain("Table"),
            model_derive: format!("{path}::Model"),
            model_bound: Ty::plain(format!("{path}::Model")).with_arg(Ty::plain("Table = Self")),
            query_of_m: Ty::plain(format!("{path}::Query")).with_arg(Ty::plain("M")),
            join_request: Ty::plain(format!("{path}::query::JoinRequest"))
                .with_arg(Ty::plain("'_")),
            join_output: Ty::plain("::core::option::Option").with_arg(
                Ty::plain(format!("{path}::Result"))
                    .with_arg(Ty::plain(format!("{path}::Query")).with_arg(Ty::plain("M"))),
            ),
            path,
        })
    }
}
