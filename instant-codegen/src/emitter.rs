//! Writes the generated file already formatted, line by line.
//!
//! Why there is no pretty-printer here: the generated file is a handful of fixed shapes (a
//! struct of fields, an impl of associated types, a struct literal of `ColumnInfo`s, an
//! attribute, a signature) whose only variable parts are names, string literals and types.
//! Each shape has few layouts — all on one line, or one of its bracketed lists split one
//! element per line — and which one applies depends only on whether a line fits. So the code
//! that knows a shape (`model.rs`, `table_module.rs`, `relations.rs`, `generate.rs`) asks the
//! emitter whether a piece fits and writes it in place; nothing builds a syntax tree or a token
//! stream first, which is what keeps generating 500 tables in tens of milliseconds.
//!
//! The layout is the one rustfmt-style formatters give these shapes, at prettyplease's
//! margin, so that a generated file reads like formatted code and is left unchanged by
//! `prettyplease::unparse` (which `tests/layout.rs` checks for every fixture and for names
//! long enough to split every kind of line):
//!
//! - a line is at most [`MARGIN`] bytes wide, counted in bytes as prettyplease counts;
//! - a bracketed list (generic arguments, call arguments, an array, attribute arguments) stays
//!   on one line when that line fits, counting what must follow the closing bracket on the
//!   same line (a `,`, a `;`, ` {`) but not the comma that only a split list writes after
//!   its last element (prettyplease leaves it out of the width, so such a line may stand one
//!   byte over the margin); otherwise each element goes on a line of its own, one
//!   [`INDENT`] deeper, followed by a comma (not after the last one in attributes and macro
//!   calls), and the closing bracket goes back to the indentation the list started from;
//! - lists split from the outside in: an inner list is looked at only once its outer list has
//!   been split, on the line the split gave it;
//! - a method chain that does not fit puts each call on a line of its own, one indent deeper.

use crate::ty::Ty;

/// The widest line, in bytes: prettyplease's margin, so its output and ours agree.
pub const MARGIN: usize = 89;

/// One level of indentation.
pub const INDENT: usize = 4;

/// Spaces to indent with, sliced instead of pushed one by one.
const SPACES: &str = "                                                                ";

/// The text being generated, the block indentation, and where the current line starts (to
/// know how much room is left on it).
#[derive(Debug)]
pub struct Emitter {
    out: String,
    indent: usize,
    line_start: usize,
}

/// A bracketed list of plain items: call arguments, attribute arguments.
#[derive(Debug, Clone, Copy)]
pub struct List<'a> {
    /// Up to and including the opening bracket: `Some(`, `#[derive(`.
    pub open: &'a str,
    pub items: &'a [&'a str],
    /// The closing bracket: `)`, `)]`.
    pub close: &'a str,
    /// Whether a split list ends its last item with a comma too: yes in calls, no in
    /// attributes and macro calls, where rustfmt leaves the tokens as written.
    pub last_comma: bool,
}

impl List<'_> {
    /// The list on one line.
    fn flat_width(&self) -> usize {
        self.open.len()
            + self.items.iter().map(|item| item.len()).sum::<usize>()
            + 2 * self.items.len().saturating_sub(1)
            + self.close.len()
    }
}

impl Emitter {
    /// An empty text, with room for `capacity` bytes.
    pub fn new(capacity: usize) -> Emitter {
        Emitter {
            out: String::with_capacity(capacity),
            indent: 0,
            line_start: 0,
        }
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }

    /// The indentation of the block being written.
    pub fn indent(&self) -> usize {
        self.indent
    }

    /// True when `width` more bytes fit on the current line.
    pub fn fits(&self, width: usize) -> bool {
        self.out.len() - self.line_start + width <= MARGIN
    }

    /// Starts a line at the block's indentation.
    pub fn start_line(&mut self) {
        self.start_line_at(self.indent);
    }

    /// Starts a line at `indent` (a continuation line of a split list or chain).
    pub fn start_line_at(&mut self, mut indent: usize) {
        self.line_start = self.out.len();
        while indent > 0 {
            let step = indent.min(SPACES.len());
            self.out.push_str(&SPACES[..step]);
            indent -= step;
        }
    }

    /// Writes `text` on the current line.
    pub fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// Ends the current line.
    pub fn end_line(&mut self) {
        self.out.push('\n');
        self.line_start = self.out.len();
    }

    /// A whole line at the block's indentation.
    pub fn line(&mut self, text: &str) {
        self.start_line();
        self.push(text);
        self.end_line();
    }

    /// The empty line between two items.
    pub fn blank_line(&mut self) {
        self.end_line();
    }

    /// `head {`, and what follows one level deeper.
    pub fn open_block(&mut self, head: &str) {
        self.start_line();
        self.push(head);
        self.push(" {");
        self.end_line();
        self.indent += INDENT;
    }

    /// The `}` of [`open_block`](Self::open_block) or [`open_impl`](Self::open_impl).
    pub fn close_block(&mut self) {
        self.close_block_with("}");
    }

    /// Closes a block with `close` (`};` after a struct literal).
    pub fn close_block_with(&mut self, close: &str) {
        self.indent = self.indent.saturating_sub(INDENT);
        self.line(close);
    }

    /// `/// line`. A doc attribute is written as a comment, and a comment is one line: names
    /// may hold control characters (a newline in a column name), so they become spaces, and
    /// trailing spaces are dropped as rustfmt drops them.
    pub fn doc(&mut self, line: &str) {
        self.start_line();
        if line.is_empty() {
            self.push("///");
        } else if !line.ends_with(' ') && !line.contains(char::is_control) {
            self.push("/// ");
            self.push(line);
        } else {
            let cleaned: String = line
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let cleaned = cleaned.trim_end_matches(' ');
            self.push("///");
            if !cleaned.is_empty() {
                self.push(" ");
                self.push(cleaned);
            }
        }
        self.end_line();
    }

    /// `#[path(item, item)]`, its items one per line when the attribute does not fit; `open`
    /// is `#[path(`, written whole so that callers pass constants.
    pub fn attr(&mut self, open: &str, items: &[&str]) {
        self.start_line();
        let indent = self.indent;
        self.list(
            List {
                open,
                items,
                close: ")]",
                last_comma: false,
            },
            indent,
            0,
        );
        self.end_line();
    }

    /// Writes `list` at the current position, split when it does not fit with `trailing`
    /// bytes after it; a split list's items go at `base` + [`INDENT`], its closing bracket at
    /// `base`.
    pub fn list(&mut self, list: List<'_>, base: usize, trailing: usize) {
        if self.fits(list.flat_width() + trailing) {
            self.push(list.open);
            for (index, item) in list.items.iter().enumerate() {
                if index > 0 {
                    self.push(", ");
                }
                self.push(item);
            }
            self.push(list.close);
            return;
        }
        self.push(list.open);
        self.end_line();
        for (index, item) in list.items.iter().enumerate() {
            self.start_line_at(base + INDENT);
            self.push(item);
            if list.last_comma || index + 1 < list.items.len() {
                self.push(",");
            }
            self.end_line();
        }
        self.start_line_at(base);
        self.push(list.close);
    }

    /// Writes `ty` at the current position, its generic arguments split (from the outside in)
    /// when it does not fit with `trailing` bytes after it; `base` is the indentation a split
    /// list's closing `>` goes back to.
    pub fn ty(&mut self, ty: &Ty, base: usize, trailing: usize) {
        if ty.args().is_empty() || self.fits(ty.flat().len() + trailing) {
            self.push(ty.flat());
            return;
        }
        self.push(ty.path());
        self.split_args(ty.args(), base);
    }

    /// `<` and one argument per line, each followed by a comma (the last one not counted in
    /// the width, as the module's header says), then `>` at `base`.
    fn split_args(&mut self, args: &[Ty], base: usize) {
        self.push("<");
        self.end_line();
        for (index, arg) in args.iter().enumerate() {
            self.start_line_at(base + INDENT);
            self.ty(arg, base + INDENT, last_comma_width(index, args.len()));
            self.push(",");
            self.end_line();
        }
        self.start_line_at(base);
        self.push(">");
    }

    /// `impl trait_path<trait_arg> for self_ty {`, opening a block; close it with
    /// [`close_block`](Self::close_block). When it does not fit, the trait's argument is split
    /// first (if the trait alone does not fit), then ` for self_ty {` goes on the next line,
    /// at the `impl`'s indentation. Whether a line fits is decided up to its ` {`: the `}` of
    /// an empty impl may stand one byte over the margin.
    pub fn open_impl(&mut self, trait_path: &str, trait_arg: Option<&Ty>, self_ty: &str) {
        self.impl_header(trait_path, trait_arg, self_ty, " {");
        self.indent += INDENT;
    }

    /// `impl trait_path<trait_arg> for self_ty {}`: an impl without items, laid out as
    /// [`open_impl`](Self::open_impl).
    pub fn empty_impl(&mut self, trait_path: &str, trait_arg: Option<&Ty>, self_ty: &str) {
        self.impl_header(trait_path, trait_arg, self_ty, " {}");
    }

    fn impl_header(&mut self, trait_path: &str, trait_arg: Option<&Ty>, self_ty: &str, tail: &str) {
        // ` {`, the part of `tail` that must fit.
        const OPEN: usize = 2;
        let indent = self.indent;
        self.start_line();
        self.push("impl ");
        self.push(trait_path);
        if let Some(arg) = trait_arg {
            // `<` … `>` on the line when it fits there, whatever follows.
            if self.fits(arg.flat().len() + 2) {
                self.push("<");
                self.push(arg.flat());
                self.push(">");
            } else {
                self.split_args(std::slice::from_ref(arg), indent);
            }
        }
        if self.fits(5 + self_ty.len() + OPEN) {
            self.push(" for ");
        } else {
            self.end_line();
            self.start_line_at(indent);
            self.push("for ");
        }
        self.push(self_ty);
        self.push(tail);
        self.end_line();
    }

    /// `type name = ty;` in an impl, the type split when the line does not fit.
    pub fn impl_type(&mut self, name: &str, ty: &Ty) {
        self.start_line();
        self.push("type ");
        self.push(name);
        self.push(" = ");
        let indent = self.indent;
        self.ty(ty, indent, 1);
        self.push(";");
        self.end_line();
    }
}

/// The width counted for the comma after element `index` of a split list of `len`: the
/// comma after the last element is written only because the list is split, and is not
/// counted (see the module's header).
pub fn last_comma_width(index: usize, len: usize) -> usize {
    usize::from(index + 1 < len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut Emitter)) -> String {
        let mut out = Emitter::new(0);
        write(&mut out);
        out.finish()
    }

    #[test]
    fn a_list_that_fits_stays_on_its_line() {
        let code = written(|out| {
            out.start_line();
            out.push("x = ");
            out.list(
                List {
                    open: "f(",
                    items: &["a", "b"],
                    close: ")",
                    last_comma: true,
                },
                0,
                1,
            );
            out.push(";");
            out.end_line();
        });
        assert_eq!(code, "x = f(a, b);\n");
    }

    #[test]
    fn a_list_one_byte_too_wide_is_split_one_item_per_line() {
        // 4 + 2 + 40 + 2 + 40 + 1 = 89 bytes, then the `;` makes 90.
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let code = written(|out| {
            out.start_line();
            out.push("x = ");
            out.list(
                List {
                    open: "f(",
                    items: &[&a, &b],
                    close: ")",
                    last_comma: true,
                },
                0,
                1,
            );
            out.push(";");
            out.end_line();
        });
        assert_eq!(code, format!("x = f(\n    {a},\n    {b},\n);\n"));
    }

    #[test]
    fn types_split_from_the_outside_in() {
        let inner = "i".repeat(80);
        let ty = Ty::plain("Option").with_arg(Ty::plain("Vec").with_arg(Ty::plain(&inner)));
        let code = written(|out| {
            out.indent = INDENT;
            out.impl_type("Value", &ty);
        });
        assert_eq!(
            code,
            format!(
                "    type Value = Option<\n        Vec<\n            {inner},\n        >,\n    >;\n"
            )
        );
    }

    #[test]
    fn doc_lines_stay_one_line() {
        let code = written(|out| {
            out.doc("a\nb ");
            out.doc("");
            out.doc("  ");
        });
        assert_eq!(code, "/// a b\n///\n///\n");
    }
}
