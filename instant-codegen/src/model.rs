//! The model struct of a table: one public field per column, in the table's order.

use crate::docs::column_doc;
use crate::emitter::Emitter;
use crate::ident::{has_upper_case, ident_text};
use crate::plan::TablePlan;
use crate::runtime::Runtime;
use crate::ty::Ty;

/// `pub struct User { pub id: i64, … }` with its docs and derives; `field_types` are the
/// columns' types as the model spells them. A field's type is split over lines when
/// `pub name: Type,` does not fit.
pub fn model_struct(
    out: &mut Emitter,
    runtime: &Runtime,
    table: &TablePlan<'_>,
    field_types: &[&Ty],
) {
    out.doc(&format!("A row of the `{}` table.", table.table.name));
    out.doc("");
    out.doc(&format!(
        "Its columns and relationships are described in [`{}`].",
        table.module
    ));
    derives(out, runtime, &table.module);
    if table
        .columns
        .iter()
        .any(|column| has_upper_case(&column.ident))
    {
        out.attr("#[allow(", &["non_snake_case"]);
    }
    out.attr("#[allow(", &["dead_code"]);
    out.open_block(&format!("pub struct {}", ident_text(&table.model)));
    let indent = out.indent();
    for (column, field_type) in table.columns.iter().zip(field_types) {
        for line in column_doc(column) {
            out.doc(&line);
        }
        out.start_line();
        out.push("pub ");
        out.push(&ident_text(&column.ident));
        out.push(": ");
        out.ty(field_type, indent, 1);
        out.push(",");
        out.end_line();
    }
    out.close_block();
}

/// The derives every model gets, `#[derive(Model)]` (from the runtime) with its table module
/// among them: the one place that gives every generated model its behaviour. A runtime
/// reached by another path than `::instant_runtime` is passed on to the derive.
fn derives(out: &mut Emitter, runtime: &Runtime, module: &str) {
    out.attr(
        "#[derive(",
        &["Debug", "Clone", "PartialEq", &runtime.model_derive],
    );
    out.attr("#[instant(", &[&format!("table = {}", ident_text(module))]);
    if runtime.path != "::instant_runtime" {
        out.attr("#[instant(", &[&format!("crate = {}", runtime.path)]);
    }
}
