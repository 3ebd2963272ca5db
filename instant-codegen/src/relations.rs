//! Relationship descriptors, planned from instant.dev's relationship graph.

use std::collections::HashMap;

use instant_schema::Schema;
use instant_schema::inflection::{classify, underscore};
use instant_schema::relationships::{RelationKind, RelationshipGraph};
use std::borrow::Cow;

use crate::emitter::{Emitter, INDENT, List};
use crate::error::Error;
use crate::ident::{ident_text, sanitize};
use crate::literal::str_lit;
use crate::plan::TablePlan;
use crate::runtime::Runtime;
use crate::table_module::use_descriptor;
use crate::ty::Ty;

/// One relationship of a table, ready to runtime.
#[derive(Debug, Clone)]
pub struct RelationPlan {
    /// instant.dev's name, the one `join` takes (`blogPosts`).
    pub name: String,
    /// The unit struct's identifier (`blog_posts`).
    pub ident: String,
    pub kind: RelationKind,
    pub from_table: String,
    pub from_column: String,
    pub to_table: String,
    /// The identifier of the module of `to_table`.
    pub to_module: String,
    /// The generated model struct of `to_table`.
    pub to_model: String,
    pub to_column: String,
}

/// Names the `relations` module imports, which a relationship's unit struct must not reuse.
const RELATIONS_MODULE_ITEMS: &[&str] = &["descriptor", "RelationInfo"];

/// Every table's relationships, keyed by table name, in instant.dev's naming (the graph
/// refuses two relationships of one table with the same name).
/// `classes` holds instant.dev's class name of every table (`classify`).
pub fn plan_relations(
    schema: &Schema,
    classes: &HashMap<&str, String>,
) -> Result<HashMap<String, Vec<RelationPlan>>, Error> {
    let graph = RelationshipGraph::from_schema(schema)?;
    let mut plans = HashMap::new();
    for table in schema.tables.keys() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut relations = Vec::new();
        for relation in graph.relations(table) {
            let invalid = || Error::InvalidName {
                kind: "relationship",
                table: table.clone(),
                name: relation.name.clone(),
            };
            // `blogPosts` → `blog_posts`, then the identifier rule.
            let mut ident = sanitize(&underscore(&relation.name)).ok_or_else(invalid)?;
            if RELATIONS_MODULE_ITEMS.contains(&ident.as_str()) {
                ident.push('_');
            }
            if let Some(first) = seen.insert(ident.clone(), &relation.name) {
                return Err(Error::DuplicateIdentifier {
                    kind: "relationship",
                    table: table.clone(),
                    first: first.to_string(),
                    second: relation.name.clone(),
                    ident,
                });
            }
            let to_module = sanitize(&relation.target_table).ok_or_else(|| Error::InvalidName {
                kind: "table",
                table: relation.target_table.clone(),
                name: relation.target_table.clone(),
            })?;
            let class = match classes.get(relation.target_table.as_str()) {
                Some(class) => Cow::Borrowed(class.as_str()),
                None => Cow::Owned(classify(&relation.target_table)),
            };
            let to_model = sanitize(&class).ok_or_else(|| Error::InvalidName {
                kind: "table",
                table: relation.target_table.clone(),
                name: relation.target_table.clone(),
            })?;
            relations.push(RelationPlan {
                name: relation.name.clone(),
                ident,
                kind: relation.kind,
                from_table: relation.table.clone(),
                from_column: relation.column.clone(),
                to_table: relation.target_table.clone(),
                to_module,
                to_model,
                to_column: relation.target_column.clone(),
            });
        }
        plans.insert(table.clone(), relations);
    }
    Ok(plans)
}

/// One `RelationInfo { … },` element of the table's `INFO`, at `indent`: always one field per
/// line, as a struct literal this long always is.
pub fn relation_info(out: &mut Emitter, indent: usize, relation: &RelationPlan) {
    let kind = match relation.kind {
        RelationKind::BelongsTo => "RelationKind::BelongsTo",
        RelationKind::OneToOne => "RelationKind::OneToOne",
        RelationKind::OneToMany => "RelationKind::OneToMany",
    };
    let field = |out: &mut Emitter, name: &str, value: &str| {
        out.start_line_at(indent + INDENT);
        out.push(name);
        out.push(": ");
        out.push(value);
        out.push(",");
        out.end_line();
    };
    out.start_line_at(indent);
    out.push("RelationInfo {");
    out.end_line();
    field(out, "name", &str_lit(&relation.name));
    field(out, "kind", kind);
    field(out, "from_table", &str_lit(&relation.from_table));
    field(out, "from_column", &str_lit(&relation.from_column));
    field(out, "to_table", &str_lit(&relation.to_table));
    field(out, "to_column", &str_lit(&relation.to_column));
    out.start_line_at(indent);
    out.push("},");
    out.end_line();
}

/// `pub mod relations { … }` with one unit struct per relationship (nothing when the table has
/// none), then the `JoinByName` impl.
pub fn relations_module(out: &mut Emitter, runtime: &Runtime, table: &TablePlan<'_>) {
    if !table.relations.is_empty() {
        out.blank_line();
        out.doc(&format!(
            "The relationships of `{}`, named as instant.dev names them for `join`.",
            table.table.name
        ));
        out.open_block("pub mod relations");
        use_descriptor(out, runtime, &["self", "RelationInfo"]);
        for (index, relation) in table.relations.iter().enumerate() {
            out.blank_line();
            relation_marker(out, runtime, relation, index);
        }
        out.close_block();
    }
    // Right after the previous item, without a blank line: generated files have always been
    // written so, and keeping them byte for byte keeps every snapshot meaningful.
    join_by_name(out, runtime, table);
}

/// The unit struct of one relationship and its `Relation` and `Loads` impls (and `ToOne` for
/// a relationship that loads one row).
fn relation_marker(out: &mut Emitter, runtime: &Runtime, relation: &RelationPlan, index: usize) {
    for line in relation_doc(relation) {
        out.doc(&line);
    }
    let ident = ident_text(&relation.ident);
    let to_model = format!("super::super::{}", ident_text(&relation.to_model));
    out.attr("#[allow(", &["non_camel_case_types"]);
    out.attr("#[derive(", &["Debug", "Clone", "Copy", "Default"]);
    out.line(&format!("pub struct {ident};"));
    out.blank_line();
    out.open_impl("descriptor::Relation", None, &ident);
    out.line("type From = super::Table;");
    out.line(&format!(
        "type To = super::super::{}::Table;",
        ident_text(&relation.to_module)
    ));
    // At most 70 bytes and an index at the impl's fixed indentation: always one line.
    out.line(&format!(
        "const INFO: &'static RelationInfo = &super::INFO.relations[{index}];"
    ));
    out.close_block();
    out.blank_line();
    out.open_impl(&runtime.loads, None, &ident);
    out.line(&format!("type Model = {to_model};"));
    let to_model = Ty::plain(to_model);
    let loaded = match relation.kind {
        RelationKind::OneToMany => {
            Ty::plain(format!("{}::Records", runtime.path)).with_arg(to_model)
        }
        _ => Ty::plain("::core::option::Option")
            .with_arg(Ty::plain(format!("{}::Record", runtime.path)).with_arg(to_model)),
    };
    out.impl_type("Loaded", &loaded);
    out.close_block();
    if relation.kind != RelationKind::OneToMany {
        out.blank_line();
        out.empty_impl(&runtime.to_one, None, &ident);
    }
}

/// `impl JoinByName for Table`: a relationship's name (instant.dev's, as `join` takes it) to
/// its typed join. In a module of its own: the parameters' names cannot meet the table's
/// column markers.
///
/// The signature never fits on one line (its parameters alone take 70 bytes after 12 of
/// indentation and the generic parameter), so the parameters are always one per line; the
/// generic parameter and the return type are split only when their own line does not fit.
/// For the same reason a match arm's body never fits after its pattern and always goes into
/// braces.
fn join_by_name(out: &mut Emitter, runtime: &Runtime, table: &TablePlan<'_>) {
    out.open_block("mod join_by_name");
    out.open_impl(&runtime.join_by_name, None, "super::Table");
    let indent = out.indent();
    out.start_line();
    out.push("fn join_by_name<");
    if out.fits(3 + runtime.model_bound.flat().len() + 2) {
        out.push("M: ");
        out.push(runtime.model_bound.flat());
        out.push(">(");
    } else {
        out.end_line();
        out.start_line_at(indent + INDENT);
        out.push("M: ");
        out.ty(&runtime.model_bound, indent + 2 * INDENT, 0);
        out.push(",");
        out.end_line();
        out.start_line();
        out.push(">(");
    }
    out.end_line();
    // The comma after `query` counts in its width, the one after the last parameter does not.
    let parameter = |out: &mut Emitter, name: &str, ty: &Ty, comma: usize| {
        out.start_line_at(indent + INDENT);
        out.push(name);
        out.ty(ty, indent + INDENT, comma);
        out.push(",");
        out.end_line();
    };
    parameter(out, "query: &", &runtime.query_of_m, 1);
    out.start_line_at(indent + INDENT);
    out.push("name: &str,");
    out.end_line();
    parameter(out, "request: &", &runtime.join_request, 0);
    out.start_line();
    out.push(") -> ");
    out.ty(&runtime.join_output, indent, 2);
    out.push(" {");
    out.end_line();
    if table.relations.is_empty() {
        out.start_line_at(indent + INDENT);
        out.push("let _ = (query, name, request);");
        out.end_line();
        out.start_line_at(indent + INDENT);
        out.push("::core::option::Option::None");
        out.end_line();
    } else {
        let arm = indent + 2 * INDENT;
        out.start_line_at(indent + INDENT);
        out.push("match name {");
        out.end_line();
        for relation in &table.relations {
            out.start_line_at(arm);
            out.push(&str_lit(&relation.name));
            out.push(" => {");
            out.end_line();
            out.start_line_at(arm + INDENT);
            out.push("::core::option::Option::Some(");
            out.end_line();
            join_request(out, arm + 2 * INDENT, &relation.ident);
            out.start_line_at(arm + INDENT);
            out.push(")");
            out.end_line();
            out.start_line_at(arm);
            out.push("}");
            out.end_line();
        }
        out.start_line_at(arm);
        out.push("_ => ::core::option::Option::None,");
        out.end_line();
        out.start_line_at(indent + INDENT);
        out.push("}");
        out.end_line();
    }
    out.start_line();
    out.push("}");
    out.end_line();
    out.close_block();
    out.close_block();
}

/// `query.join_request(super::relations::posts, request),` at `indent`: the chain split
/// before `.join_request` when the line does not fit, and its arguments too when that line
/// does not fit either. prettyplease measures the room on the chain's second line from the
/// chain's own indentation, not from the indent it writes the line at, so that line may run
/// [`INDENT`] bytes past the margin before its arguments are split; the same measure is
/// taken here so that the output stays prettyplease's.
fn join_request(out: &mut Emitter, indent: usize, ident: &str) {
    let relation = format!("super::relations::{}", ident_text(ident));
    out.start_line_at(indent);
    // `query.join_request(` … `, request)`
    if out.fits(19 + relation.len() + 10) {
        out.push("query.join_request(");
        out.push(&relation);
        out.push(", request),");
    } else {
        out.push("query");
        out.end_line();
        out.start_line_at(indent + INDENT);
        let arguments = List {
            open: "(",
            items: &[&relation, "request"],
            close: ")",
            last_comma: true,
        };
        // `.join_request(` … `, request),`, measured from `indent`.
        if out.fits(14 + relation.len() + 11 - INDENT) {
            out.push(".join_request(");
            out.push(&relation);
            out.push(", request)");
        } else {
            out.push(".join_request");
            out.list(arguments, indent + INDENT, 1);
        }
        out.push(",");
    }
    out.end_line();
}

/// `` `posts` (one-to-many): the `posts` rows whose `user_id` / is this row's `id`. ``, as two
/// lines to keep the line short.
fn relation_doc(relation: &RelationPlan) -> Vec<String> {
    let RelationPlan {
        name,
        to_table,
        from_column,
        to_column,
        ..
    } = relation;
    let (kind, rows) = match relation.kind {
        RelationKind::OneToMany => ("one-to-many", "rows"),
        RelationKind::OneToOne => ("one-to-one", "row"),
        RelationKind::BelongsTo => ("belongs-to", "row"),
    };
    vec![
        format!("`{name}` ({kind}): the `{to_table}` {rows} whose `{to_column}`"),
        format!("is this row's `{from_column}`."),
    ]
}
