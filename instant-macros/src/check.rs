//! What the derive can check without the schema: the table is named, attributes name fields
//! that exist, names are not declared twice. What needs the schema (a field is a column, its
//! type is the column's) is checked by the compiler on the expansion (see `expand.rs`).

use std::collections::BTreeMap;

use syn::Ident;

use crate::ast::Container;
use crate::ctxt::Ctxt;

/// Records every mistake in `container`.
pub fn check(cx: &mut Ctxt, container: &Container<'_>) {
    check_table(cx, container);
    check_generics(cx, container);
    check_field_references(cx, container);
    check_calculated_names(cx, container);
    check_columns_used_once(cx, container);
}

fn check_table(cx: &mut Ctxt, container: &Container<'_>) {
    if container.attrs.table.is_none() {
        cx.error_spanned_by(
            container.ident,
            format!(
                "`{}` does not name its table: add `#[instant(table = path::to::table)]` with the table's generated module, e.g. `#[instant(table = users)]`",
                container.ident
            ),
        );
    }
}

fn check_generics(cx: &mut Ctxt, container: &Container<'_>) {
    if !container.generics.params.is_empty() {
        cx.error_spanned_by(
            &container.generics.params,
            "`#[derive(Model)]` does not support generic parameters: a model is the plain data of one table",
        );
    }
}

/// `verifies` and `vectorizes` name fields of the struct.
fn check_field_references(cx: &mut Ctxt, container: &Container<'_>) {
    for verify in &container.attrs.verifies {
        if let Some(field) = &verify.field {
            check_field_exists(cx, container, field, "verifies");
        }
    }
    for field in &container.fields {
        let Some(vectorize) = &field.attrs.vectorizes else {
            continue;
        };
        for source in &vectorize.from {
            if source == field.ident {
                cx.error_spanned_by(
                    source,
                    format!(
                        "`vectorizes` computes `{source}` from other fields; it cannot read itself"
                    ),
                );
            } else {
                check_field_exists(cx, container, source, "vectorizes");
            }
        }
    }
}

fn check_field_exists(cx: &mut Ctxt, container: &Container<'_>, name: &Ident, attribute: &str) {
    if container.field(name).is_some() {
        return;
    }
    let mut message = format!(
        "`{attribute}` names `{name}`, but `{}` has no field `{name}`",
        container.ident
    );
    if let Some(closest) = closest(name, container.fields.iter().map(|field| field.ident)) {
        message.push_str(&format!(": did you mean `{closest}`?"));
    }
    cx.error_spanned_by(name, message);
}

/// The candidate nearest to `name` by edit distance, when it is near enough to be a typo.
fn closest<'a>(name: &Ident, candidates: impl Iterator<Item = &'a Ident>) -> Option<&'a Ident> {
    let name = name.to_string();
    let near = if name.len() <= 3 {
        1
    } else {
        (name.len() / 3).max(2)
    };
    candidates
        .map(|candidate| (edit_distance(&name, &candidate.to_string()), candidate))
        .filter(|(distance, _)| *distance <= near)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// A calculated field is declared once and does not take a column field's name (both would
/// be the same key in `to_json`).
fn check_calculated_names(cx: &mut Ctxt, container: &Container<'_>) {
    let mut seen: Vec<&Ident> = Vec::new();
    for calculate in &container.attrs.calculates {
        let name = &calculate.name;
        if seen.contains(&name) {
            cx.error_spanned_by(
                name,
                format!(
                    "calculated field `{name}` is declared twice: each name is calculated once"
                ),
            );
        } else if container.field(name).is_some() {
            cx.error_spanned_by(
                name,
                format!(
                    "calculated field `{name}` has the name of a column field: `to_json` would write `{name}` twice"
                ),
            );
        }
        seen.push(name);
    }
}

/// Two fields cannot be the same column.
fn check_columns_used_once(cx: &mut Ctxt, container: &Container<'_>) {
    let mut columns: BTreeMap<String, &Ident> = BTreeMap::new();
    for field in &container.fields {
        let column = field.column();
        if let Some(first) = columns.insert(column.to_string(), field.ident) {
            cx.error_spanned_by(
                column,
                format!(
                    "fields `{first}` and `{}` are both column `{column}`: a column has one field",
                    field.ident
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_near() {
        assert_eq!(edit_distance("emial", "email"), 2);
        assert_eq!(edit_distance("title", "title"), 0);
        let fields: Vec<Ident> = ["email", "username"]
            .iter()
            .map(|name| Ident::new(name, proc_macro2::Span::call_site()))
            .collect();
        let typo = Ident::new("emial", proc_macro2::Span::call_site());
        assert_eq!(
            closest(&typo, fields.iter()).map(ToString::to_string),
            Some("email".into())
        );
        let far = Ident::new("zzz", proc_macro2::Span::call_site());
        assert!(closest(&far, fields.iter()).is_none());
    }
}
