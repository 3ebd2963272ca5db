//! The pieces of Rust syntax the generated file is made of, emitted as the token stream
//! prettyplease 0.3 emits for them (see `prettyplease/src/{item,expr,attr,path,ty}.rs`), so
//! that [`Printer`] lays them out as `prettyplease::unparse` would. Boxes that hold no break
//! are written as plain words: they cannot change the layout. So is a line that
//! [`Printer::fits`] on one line, since prettyplease breaks nothing that fits: most lines of a
//! generated file go through the algorithm as a few words instead of dozens of tokens.

use std::borrow::Cow;

use proc_macro2::Literal;

use crate::printer::{INDENT, Printer};

/// A type path as generated code spells it (`Option<::instant_runtime::uuid::Uuid>`): segments
/// with their generic arguments, which is where prettyplease may break a type.
#[derive(Debug, Clone, Default)]
pub struct Ty {
    segments: Vec<Segment>,
    /// The type on one line, as it is written when it fits.
    flat: String,
}

#[derive(Debug, Clone)]
struct Segment {
    /// The segment with the `::` before it.
    text: String,
    args: Vec<Ty>,
}

impl Ty {
    /// A type without generic arguments.
    pub fn plain(text: impl Into<String>) -> Ty {
        let text = text.into();
        Ty {
            flat: text.clone(),
            segments: vec![Segment {
                text,
                args: Vec::new(),
            }],
        }
    }

    /// `self<arg>`.
    pub fn with_arg(mut self, arg: Ty) -> Ty {
        if let Some(last) = self.segments.last_mut() {
            last.args.push(arg);
        }
        Ty::new(self.segments)
    }

    /// The type on one line.
    pub fn flat(&self) -> &str {
        &self.flat
    }

    fn new(segments: Vec<Segment>) -> Ty {
        fn write(segments: &[Segment], flat: &mut String) {
            for segment in segments {
                flat.push_str(&segment.text);
                if !segment.args.is_empty() {
                    flat.push('<');
                    for (index, arg) in segment.args.iter().enumerate() {
                        if index > 0 {
                            flat.push_str(", ");
                        }
                        write(&arg.segments, flat);
                    }
                    flat.push('>');
                }
            }
        }
        let mut flat = String::new();
        write(&segments, &mut flat);
        Ty { segments, flat }
    }
}

/// A type in type position (prettyplease's `ty` of a path type).
pub fn ty(p: &mut Printer<'_>, ty: &Ty) {
    if ty.segments.iter().all(|segment| segment.args.is_empty()) {
        p.word(ty.flat.clone());
        return;
    }
    for segment in &ty.segments {
        p.word(segment.text.clone());
        if !segment.args.is_empty() {
            angle_args(p, &segment.args, false);
        }
    }
}

/// `<A, B>` (or `::<A, B>` in an expression).
fn angle_args(p: &mut Printer<'_>, args: &[Ty], turbofish: bool) {
    p.word(if turbofish { "::<" } else { "<" });
    p.cbox(INDENT);
    p.zerobreak();
    for (index, arg) in args.iter().enumerate() {
        ty(p, arg);
        p.trailing_comma(index + 1 == args.len());
    }
    p.offset(-INDENT);
    p.end();
    p.word(">");
}

/// `path<arg>` in type position.
pub fn generic<'a>(p: &mut Printer<'a>, path: impl Into<Cow<'a, str>>, arg: &Ty) {
    p.word(path);
    angle_args(p, std::slice::from_ref(arg), false);
}

/// `.method::<arg>()` (the `with` calls of `seed_models`); the break before the dot is the
/// method chain's.
pub fn turbofish_call<'a>(p: &mut Printer<'a>, method: &'a str, arg: &Ty) {
    p.zerobreak();
    p.word(".");
    p.word(method);
    angle_args(p, std::slice::from_ref(arg), true);
    p.word("()");
}

/// A string literal, escaped as `proc_macro2::Literal::string` escapes it.
pub fn str_lit(value: &str) -> String {
    if value
        .bytes()
        .all(|byte| (0x20..0x7f).contains(&byte) && byte != b'"' && byte != b'\\')
    {
        let mut literal = String::with_capacity(value.len() + 2);
        literal.push('"');
        literal.push_str(value);
        literal.push('"');
        literal
    } else {
        Literal::string(value).to_string()
    }
}

/// `/// line`: a doc attribute, which prettyplease prints as a comment. Names may hold
/// control characters; a doc line must stay one line.
pub fn doc<'a>(p: &mut Printer<'a>, line: impl Into<Cow<'a, str>>) {
    let line = line.into();
    if line.is_empty() {
        p.word("///");
        p.hardbreak();
        return;
    }
    if !line.ends_with(' ') && !line.contains(char::is_control) {
        p.word("/// ");
        p.word(line);
        p.hardbreak();
        return;
    }
    let mut text = String::with_capacity(line.len() + 4);
    text.push_str("///");
    if !line.is_empty() {
        text.push(' ');
        text.extend(line.chars().map(|c| if c.is_control() { ' ' } else { c }));
    }
    text.truncate(text.trim_end_matches(' ').len());
    p.word(text);
    p.hardbreak();
}

/// `#[path(item, item)]`, each item's text as prettyplease prints an attribute's tokens
/// (`table = users`, `message = "…"`); the items break one per line when they do not fit.
pub fn attr<'a, T, const N: usize>(p: &mut Printer<'a>, path: &'a str, items: [T; N])
where
    T: Into<Cow<'a, str>>,
{
    let items: [Cow<'a, str>; N] = items.map(Into::into);
    let width = path.len() + 5 + items.iter().map(|item| item.len() + 2).sum::<usize>();
    if p.fits(width) {
        p.word("#[");
        p.word(path);
        p.word("(");
        for (index, item) in items.into_iter().enumerate() {
            if index > 0 {
                p.word(", ");
            }
            p.word(item);
        }
        p.word(")]");
        p.space();
        return;
    }
    p.word("#[");
    p.word(path);
    p.word("(");
    p.cbox(INDENT);
    p.zerobreak();
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            p.word(",");
            p.space();
        }
        p.word(item);
    }
    p.zerobreak();
    p.offset(-INDENT);
    p.end();
    p.word(")]");
    p.space();
}

/// Opens a block item (`pub mod x {`, `pub struct X {`): `head` then ` {`.
pub fn open_block<'a>(p: &mut Printer<'a>, head: impl Into<Cow<'a, str>>) {
    p.cbox(INDENT);
    p.word(head);
    p.word(" {");
    p.hardbreak_if_nonempty();
    p.indent_by(INDENT);
}

/// Closes what [`open_block`] or [`open_impl`] opened.
pub fn close_block(p: &mut Printer<'_>) {
    p.indent_by(-INDENT);
    p.offset(-INDENT);
    p.end();
    p.word("}");
    p.hardbreak();
}

/// `pub struct name;`.
pub fn unit_struct<'a>(p: &mut Printer<'a>, name: impl Into<Cow<'a, str>>) {
    p.word("pub struct ");
    p.word(name);
    p.word(";");
    p.hardbreak();
}

/// Opens `impl <trait_path><trait_arg> for self_ty {`, which may break in the generic
/// argument. Close with [`close_block`] (an empty impl prints as `{}`).
pub fn open_impl<'a>(
    p: &mut Printer<'a>,
    trait_path: impl Into<Cow<'a, str>>,
    trait_arg: Option<&Ty>,
    self_ty: impl Into<Cow<'a, str>>,
) {
    let trait_path = trait_path.into();
    let self_ty = self_ty.into();
    p.cbox(INDENT);
    let arg_width = trait_arg.map_or(0, |arg| arg.flat.len() + 2);
    // `impl ` … ` for ` … ` {}`
    if p.fits(trait_path.len() + arg_width + self_ty.len() + 13) {
        p.word("impl ");
        p.word(trait_path);
        if let Some(arg) = trait_arg {
            p.word("<");
            p.word(arg.flat.clone());
            p.word(">");
        }
        p.word(" for ");
        p.word(self_ty);
    } else {
        p.ibox(-INDENT);
        p.word("impl ");
        match trait_arg {
            Some(arg) => generic(p, trait_path, arg),
            None => p.word(trait_path),
        }
        p.space();
        p.word("for ");
        p.word(self_ty);
        p.end();
    }
    p.word(" {");
    p.hardbreak_if_nonempty();
    p.indent_by(INDENT);
}

/// `type name = value;` in an impl.
pub fn impl_type<'a>(p: &mut Printer<'a>, name: &'a str, value: &Ty) {
    // `type ` … ` = ` … `;`
    if p.fits(name.len() + value.flat.len() + 9) {
        p.word("type ");
        p.word(name);
        p.word(" = ");
        p.word(value.flat.clone());
        p.word(";");
        p.hardbreak();
        return;
    }
    p.cbox(INDENT);
    p.word("type ");
    p.word(name);
    p.word(" = ");
    p.neverbreak();
    p.ibox(-INDENT);
    ty(p, value);
    p.end();
    p.word(";");
    p.end();
    p.hardbreak();
}

/// `type name = path;` in an impl, for a path without generic arguments, which never breaks.
pub fn impl_type_path<'a>(p: &mut Printer<'a>, name: &'a str, path: impl Into<Cow<'a, str>>) {
    p.word("type ");
    p.word(name);
    p.word(" = ");
    p.word(path);
    p.word(";");
    p.hardbreak();
}

/// `const name: ty = value;` (in an impl, or an item with `pub `); `ty` never breaks here.
pub fn constant<'a>(
    p: &mut Printer<'a>,
    head: impl Into<Cow<'a, str>>,
    value: impl FnOnce(&mut Printer<'a>),
) {
    p.cbox(0);
    p.word(head);
    p.word(" = ");
    p.neverbreak();
    value(p);
    p.word(";");
    p.end();
    p.hardbreak();
}

/// `const name: ty = value;` whose value cannot break (a literal, a path).
pub fn constant_word<'a>(
    p: &mut Printer<'a>,
    head: impl Into<Cow<'a, str>>,
    value: impl Into<Cow<'a, str>>,
) {
    p.word(head);
    p.word(" = ");
    p.word(value);
    p.word(";");
    p.hardbreak();
}

/// `const name: ty = &base.field[index];` (`&INFO.columns[3]`).
pub fn indexed_constant<'a>(
    p: &mut Printer<'a>,
    head: &'a str,
    base: &'a str,
    field: &'a str,
    index: usize,
) {
    let index = format!("[{index}]");
    // ` = &` … `.` … `;`
    if p.fits(head.len() + base.len() + field.len() + index.len() + 6) {
        p.word(head);
        p.word(" = &");
        p.word(base);
        p.word(".");
        p.word(field);
        p.word(index);
        p.word(";");
        p.hardbreak();
        return;
    }
    constant(p, head, |p| {
        p.word("&");
        p.cbox(INDENT);
        p.word(base);
        p.zerobreak();
        p.word(".");
        p.word(field);
        p.end();
        p.word(index);
    });
}

/// Call arguments: `(a, b)`, one per line when they do not fit.
pub fn call_args<'a>(p: &mut Printer<'a>, args: impl IntoIterator<Item = Cow<'a, str>>) {
    p.word("(");
    p.cbox(INDENT);
    p.zerobreak();
    let mut args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        p.word(arg);
        p.trailing_comma(args.peek().is_none());
    }
    p.offset(-INDENT);
    p.end();
    p.word(")");
}

/// Opens a struct literal `Path {`; fields with [`field`], then [`close_struct_literal`].
pub fn open_struct_literal<'a>(p: &mut Printer<'a>, path: &'a str) {
    p.indent_by(INDENT);
    p.cbox(INDENT);
    p.word(path);
    p.word(" {");
    p.space_if_nonempty();
}

/// `name: value,` of a struct literal, for a value that cannot break.
pub fn field_word<'a>(
    p: &mut Printer<'a>,
    name: &'a str,
    is_last: bool,
    value: impl Into<Cow<'a, str>>,
) {
    p.word(name);
    p.word(": ");
    p.word(value);
    p.trailing_comma_or_space(is_last);
}

/// `name: value,` of a struct literal.
pub fn field<'a>(
    p: &mut Printer<'a>,
    name: &'a str,
    is_last: bool,
    value: impl FnOnce(&mut Printer<'a>),
) {
    p.word(name);
    p.word(": ");
    p.ibox(0);
    value(p);
    p.end();
    p.trailing_comma_or_space(is_last);
}

/// Closes a struct literal.
pub fn close_struct_literal(p: &mut Printer<'_>) {
    p.indent_by(-INDENT);
    p.offset(-INDENT);
    p.end_with_max_width(34);
    p.word("}");
}

/// `[a, b]` of elements that are not all simple literals: one per line when they do not fit.
pub fn array<'a, T>(
    p: &mut Printer<'a>,
    elements: &'a [T],
    mut element: impl FnMut(&mut Printer<'a>, &'a T),
) {
    if elements.is_empty() {
        p.word("[]");
        return;
    }
    p.word("[");
    p.cbox(INDENT);
    p.zerobreak();
    p.indent_by(INDENT);
    for (index, item) in elements.iter().enumerate() {
        element(p, item);
        p.trailing_comma(index + 1 == elements.len());
    }
    p.indent_by(-INDENT);
    p.offset(-INDENT);
    p.end();
    p.word("]");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_escaped_as_proc_macro2_escapes_them() {
        let mut samples: Vec<String> = (0u8..0x80)
            .map(|byte| char::from(byte).to_string())
            .collect();
        samples
            .extend(["first name", "caf\u{e9}", "名前", "a\"b\\c'd", "{T}", ""].map(String::from));
        for sample in samples {
            assert_eq!(
                str_lit(&sample),
                Literal::string(&sample).to_string(),
                "{sample:?}"
            );
        }
    }

    #[test]
    fn types_print_flat() {
        let ty = Ty::plain("Option").with_arg(
            Ty::plain("::instant_runtime::chrono::DateTime")
                .with_arg(Ty::plain("::instant_runtime::chrono::Utc")),
        );
        assert_eq!(
            ty.flat(),
            "Option<::instant_runtime::chrono::DateTime<::instant_runtime::chrono::Utc>>"
        );
        assert_eq!(Ty::plain("Vec").with_arg(Ty::plain("u8")).flat(), "Vec<u8>");
    }
}
