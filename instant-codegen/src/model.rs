//! The model struct of a table: one public field per column, in the table's order.

use crate::docs::column_doc;
use crate::ident::{has_upper_case, ident_text};
use crate::plan::TablePlan;
use crate::printer::Printer;
use crate::runtime::Runtime;
use crate::syntax::{attr, close_block, doc, open_block, ty};

/// `pub struct User { pub id: i64, … }` with its docs and derives; `field_types` are the
/// columns' types as the model spells them.
pub fn model_struct<'a>(
    p: &mut Printer<'a>,
    runtime: &'a Runtime,
    table: &'a TablePlan<'a>,
    field_types: &[&'a crate::syntax::Ty],
) {
    doc(p, format!("A row of the `{}` table.", table.table.name));
    doc(p, "");
    doc(
        p,
        format!(
            "Its columns and relationships are described in [`{}`].",
            table.module
        ),
    );
    derives(p, runtime, &table.module);
    if table
        .columns
        .iter()
        .any(|column| has_upper_case(&column.ident))
    {
        attr(p, "allow", ["non_snake_case"]);
    }
    attr(p, "allow", ["dead_code"]);
    open_block(p, format!("pub struct {}", ident_text(&table.model)));
    for (column, field_type) in table.columns.iter().zip(field_types) {
        for line in column_doc(column) {
            doc(p, line);
        }
        let ident = ident_text(&column.ident);
        p.word("pub ");
        // `pub ` … `: ` … `,`
        if p.fits(ident.len() + field_type.flat().len() + 7) {
            p.word(ident);
            p.word(": ");
            p.word(field_type.flat());
        } else {
            p.word(ident);
            p.word(": ");
            ty(p, field_type);
        }
        p.word(",");
        p.hardbreak();
    }
    close_block(p);
}

/// The derives every model gets, `#[derive(Model)]` (from the runtime) with its table module
/// among them: the one place that gives every generated model its behaviour. A runtime
/// reached by another path than `::instant_runtime` is passed on to the derive.
fn derives<'a>(p: &mut Printer<'a>, runtime: &'a Runtime, module: &'a str) {
    attr(
        p,
        "derive",
        [
            "Debug".into(),
            "Clone".into(),
            "PartialEq".into(),
            format!("{}::Model", runtime.path),
        ],
    );
    attr(p, "instant", [format!("table = {}", ident_text(module))]);
    if runtime.path != "::instant_runtime" {
        attr(p, "instant", [format!("crate = {}", runtime.path)]);
    }
}
