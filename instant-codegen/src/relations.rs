//! Relationship descriptors, planned from instant.dev's relationship graph.

use std::collections::HashMap;

use instant_schema::Schema;
use instant_schema::inflection::{classify, underscore};
use instant_schema::relationships::{RelationKind, RelationshipGraph};
use std::borrow::Cow;

use crate::error::Error;
use crate::ident::{ident_text, sanitize};
use crate::plan::TablePlan;
use crate::printer::{INDENT, Printer};
use crate::runtime::Runtime;
use crate::syntax::{
    Ty, attr, call_args, close_block, close_struct_literal, doc, field_word, generic, impl_type,
    impl_type_path, indexed_constant, open_block, open_impl, open_struct_literal, str_lit, ty,
    unit_struct,
};
use crate::table_module::use_descriptor;

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

/// One `RelationInfo { … }` literal of the table's `INFO`.
pub fn relation_info<'a>(p: &mut Printer<'a>, relation: &'a RelationPlan) {
    let kind = match relation.kind {
        RelationKind::BelongsTo => "RelationKind::BelongsTo",
        RelationKind::OneToOne => "RelationKind::OneToOne",
        RelationKind::OneToMany => "RelationKind::OneToMany",
    };
    open_struct_literal(p, "RelationInfo");
    field_word(p, "name", false, str_lit(&relation.name));
    field_word(p, "kind", false, kind);
    field_word(p, "from_table", false, str_lit(&relation.from_table));
    field_word(p, "from_column", false, str_lit(&relation.from_column));
    field_word(p, "to_table", false, str_lit(&relation.to_table));
    field_word(p, "to_column", true, str_lit(&relation.to_column));
    close_struct_literal(p);
}

/// `pub mod relations { … }` with one unit struct per relationship (nothing when the table has
/// none), then the `JoinByName` impl.
pub fn relations_module<'a>(p: &mut Printer<'a>, runtime: &'a Runtime, table: &'a TablePlan<'a>) {
    if !table.relations.is_empty() {
        doc(
            p,
            format!(
                "The relationships of `{}`, named as instant.dev names them for `join`.",
                table.table.name
            ),
        );
        open_block(p, "pub mod relations");
        use_descriptor(p, runtime, &["self", "RelationInfo"]);
        for (index, relation) in table.relations.iter().enumerate() {
            relation_marker(p, runtime, relation, index);
        }
        close_block(p);
    }
    join_by_name(p, runtime, table);
}

/// The unit struct of one relationship and its `Relation` and `Loads` impls.
fn relation_marker<'a>(
    p: &mut Printer<'a>,
    runtime: &'a Runtime,
    relation: &'a RelationPlan,
    index: usize,
) {
    for line in relation_doc(relation) {
        doc(p, line);
    }
    let ident = ident_text(&relation.ident);
    let to_model = Ty::plain(format!("super::super::{}", ident_text(&relation.to_model)));
    attr(p, "allow", ["non_camel_case_types"]);
    attr(p, "derive", ["Debug", "Clone", "Copy", "Default"]);
    unit_struct(p, ident.clone());
    open_impl(p, "descriptor::Relation", None, ident.clone());
    impl_type_path(p, "From", "super::Table");
    impl_type_path(
        p,
        "To",
        format!("super::super::{}::Table", ident_text(&relation.to_module)),
    );
    indexed_constant(
        p,
        "const INFO: &'static RelationInfo",
        "super::INFO",
        "relations",
        index,
    );
    close_block(p);
    open_impl(p, runtime.loads.as_str(), None, ident.clone());
    impl_type(p, "Model", &to_model);
    let loaded = match relation.kind {
        RelationKind::OneToMany => {
            Ty::plain(format!("{}::Records", runtime.path)).with_arg(to_model)
        }
        _ => Ty::plain("::core::option::Option")
            .with_arg(Ty::plain(format!("{}::Record", runtime.path)).with_arg(to_model)),
    };
    impl_type(p, "Loaded", &loaded);
    close_block(p);
    if relation.kind != RelationKind::OneToMany {
        open_impl(p, runtime.to_one.as_str(), None, ident);
        close_block(p);
    }
}

/// `impl JoinByName for Table`: a relationship's name (instant.dev's, as `join` takes it) to
/// its typed join. In a module of its own: the parameters' names cannot meet the table's
/// column markers.
fn join_by_name<'a>(p: &mut Printer<'a>, runtime: &'a Runtime, table: &'a TablePlan<'a>) {
    let path = &runtime.path;
    open_block(p, "mod join_by_name");
    open_impl(p, runtime.join_by_name.as_str(), None, "super::Table");
    p.cbox(INDENT);
    p.word("fn join_by_name<");
    p.cbox(0);
    p.zerobreak();
    p.word("M");
    p.ibox(INDENT);
    p.word(": ");
    generic(p, format!("{path}::Model"), &Ty::plain("Table = Self"));
    p.end();
    p.trailing_comma(true);
    p.offset(-INDENT);
    p.end();
    p.word(">(");
    p.neverbreak();
    p.cbox(0);
    p.zerobreak();
    p.word("query: &");
    generic(p, format!("{path}::Query"), &Ty::plain("M"));
    p.trailing_comma(false);
    p.word("name: &str");
    p.trailing_comma(false);
    p.word("request: &");
    generic(p, format!("{path}::query::JoinRequest"), &Ty::plain("'_"));
    p.trailing_comma(true);
    p.offset(-INDENT);
    p.end();
    p.word(")");
    p.cbox(-INDENT);
    p.word(" -> ");
    let output = Ty::plain("::core::option::Option").with_arg(
        Ty::plain(format!("{path}::Result"))
            .with_arg(Ty::plain(format!("{path}::Query")).with_arg(Ty::plain("M"))),
    );
    ty(p, &output);
    p.end();
    p.word(" {");
    p.hardbreak_if_nonempty();
    p.indent_by(INDENT);
    if table.relations.is_empty() {
        p.ibox(0);
        p.word("let _ = ");
        p.neverbreak();
        p.word("(");
        p.cbox(INDENT);
        p.zerobreak();
        p.word("query");
        p.trailing_comma(false);
        p.word("name");
        p.trailing_comma(false);
        p.word("request");
        p.trailing_comma(true);
        p.offset(-INDENT);
        p.end();
        p.word(")");
        p.end();
        p.word(";");
        p.hardbreak();
        p.ibox(0);
        p.word("::core::option::Option::None");
        p.end();
        p.hardbreak();
    } else {
        p.ibox(0);
        p.ibox(0);
        p.word("match ");
        p.cbox(0);
        p.word("name");
        p.nbsp();
        p.end();
        p.word("{");
        p.neverbreak();
        p.cbox(INDENT);
        p.hardbreak_if_nonempty();
        for relation in &table.relations {
            match_arm(p, str_lit(&relation.name), |p| {
                p.word("::core::option::Option::Some(");
                p.cbox(INDENT);
                p.zerobreak();
                p.cbox(INDENT);
                p.word("query");
                p.zerobreak();
                p.word(".join_request");
                p.cbox(0);
                call_args(
                    p,
                    [
                        Cow::Owned(format!("super::relations::{}", ident_text(&relation.ident))),
                        Cow::Borrowed("request"),
                    ],
                );
                p.end();
                p.end();
                p.trailing_comma(true);
                p.offset(-INDENT);
                p.end();
                p.word(")");
            });
            p.hardbreak();
        }
        match_arm(p, "_".into(), |p| p.word("::core::option::Option::None"));
        p.hardbreak();
        p.offset(-INDENT);
        p.end();
        p.word("}");
        p.end();
        p.end();
        p.hardbreak();
    }
    close_block(p);
    close_block(p);
    close_block(p);
}

/// `pattern => body,`, whose body moves into braces on the next lines when it does not fit.
fn match_arm<'a>(p: &mut Printer<'a>, pattern: String, body: impl FnOnce(&mut Printer<'a>)) {
    p.ibox(0);
    p.word(pattern);
    p.word(" => ");
    p.neverbreak();
    p.cbox(INDENT);
    p.arm_break(0, Some('{'), "", None);
    body(p);
    p.arm_break(-INDENT, None, "}", Some(','));
    p.end();
    p.end();
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
