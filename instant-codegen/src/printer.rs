//! The line-breaking algorithm prettyplease formats with, so that generated text is laid out
//! exactly as `prettyplease::unparse` would lay it out, without building a syntax tree first.
//!
//! This is prettyplease 0.3.0's `algorithm.rs`, `ring.rs` and `convenience.rs` (MIT OR
//! Apache-2.0, adapted from rustc's `pp.rs`, Oppen's pretty-printer): a stream of words,
//! breaks and boxes is laid out at a margin of 89 columns. Words borrow from the schema
//! instead of being copied, and [`Printer::fits`] lets a caller write a line it knows fits as
//! plain words; the algorithm itself is unchanged. The callers in [`crate::syntax`] emit the
//! same stream prettyplease emits for each item, which is what makes the output identical;
//! `tests/layout.rs` checks it by asserting that generated files are fixed points of
//! `prettyplease::unparse(syn::parse_file(…))`.
//!
//! prettyplease is Copyright (c) David Tolnay, used here under the terms of its MIT license
//! (<https://github.com/dtolnay/prettyplease/blob/master/LICENSE-MIT>).

use std::borrow::Cow;
use std::collections::VecDeque;

/// prettyplease's right margin.
const MARGIN: isize = 89;
/// prettyplease's indentation step.
pub const INDENT: isize = 4;
/// The least room a deeply indented line gets.
const MIN_SPACE: isize = 60;
const SIZE_INFINITY: isize = 0xffff;

#[derive(Clone, Copy, PartialEq)]
enum Breaks {
    Consistent,
    Inconsistent,
}

#[derive(Clone, Copy, Default)]
struct BreakToken {
    offset: isize,
    blank_space: usize,
    pre_break: Option<char>,
    post_break: &'static str,
    no_break: Option<char>,
    if_nonempty: bool,
    never_break: bool,
}

#[derive(Clone, Copy)]
struct BeginToken {
    offset: isize,
    breaks: Breaks,
}

enum Token<'a> {
    String(Cow<'a, str>),
    Break(BreakToken),
    Begin(BeginToken),
    End,
}

#[derive(Copy, Clone)]
enum PrintFrame {
    Fits,
    Broken(usize, Breaks),
}

struct BufEntry<'a> {
    token: Token<'a>,
    size: isize,
}

/// A queue of tokens with indices that keep counting up as the front is popped.
struct RingBuffer<T> {
    data: VecDeque<T>,
    offset: usize,
}

impl<T> RingBuffer<T> {
    fn new() -> Self {
        RingBuffer {
            data: VecDeque::new(),
            offset: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn len(&self) -> usize {
        self.data.len()
    }

    fn push(&mut self, value: T) -> usize {
        let index = self.offset + self.data.len();
        self.data.push_back(value);
        index
    }

    fn clear(&mut self) {
        self.data.clear();
    }

    fn start(&self) -> usize {
        self.offset
    }

    fn first(&self) -> &T {
        &self.data[0]
    }

    fn first_mut(&mut self) -> &mut T {
        &mut self.data[0]
    }

    fn pop_first(&mut self) -> Option<T> {
        let first = self.data.pop_front()?;
        self.offset += 1;
        Some(first)
    }

    fn last(&self) -> Option<&T> {
        self.data.back()
    }

    fn last_mut(&mut self) -> Option<&mut T> {
        self.data.back_mut()
    }

    fn second_last(&self) -> &T {
        &self.data[self.data.len() - 2]
    }

    fn pop_last(&mut self) {
        self.data.pop_back();
    }

    fn get(&self, index: usize) -> &T {
        &self.data[index - self.offset]
    }

    fn get_mut(&mut self, index: usize) -> &mut T {
        &mut self.data[index - self.offset]
    }
}

/// Lays out words, breaks and boxes; [`Printer::finish`] returns the text.
pub struct Printer<'a> {
    out: String,
    /// Columns left on the line.
    space: isize,
    buf: RingBuffer<BufEntry<'a>>,
    /// Total size of the tokens already printed.
    left_total: isize,
    /// Total size of the tokens enqueued.
    right_total: isize,
    /// Ring-buffer indices of the open `Begin`s and the last `Break` after each.
    scan_stack: VecDeque<usize>,
    print_stack: Vec<PrintFrame>,
    indent: usize,
    /// Indentation not written yet, so that no line ends in spaces.
    pending_indentation: usize,
    /// The indentation of the lines being scanned, as the callers track it with
    /// [`indent_by`](Self::indent_by) (the algorithm itself only knows it when it prints).
    scan_indent: isize,
}

impl<'a> Printer<'a> {
    /// A printer whose output starts with `out`.
    pub fn new(out: String) -> Self {
        Printer {
            out,
            space: MARGIN,
            buf: RingBuffer::new(),
            left_total: 0,
            right_total: 0,
            scan_stack: VecDeque::new(),
            print_stack: Vec::new(),
            indent: 0,
            pending_indentation: 0,
            scan_indent: 0,
        }
    }

    /// Moves the indentation [`fits`](Self::fits) assumes in or out by `delta` columns.
    pub fn indent_by(&mut self, delta: isize) {
        self.scan_indent += delta;
    }

    /// True when `width` columns of text fit on a line at the current indentation: text that
    /// fits is laid out flat whatever boxes it is in, so a caller may write it as plain words,
    /// which the algorithm goes through much faster than boxes and breaks.
    pub fn fits(&self, width: usize) -> bool {
        self.scan_indent + width as isize <= MARGIN
    }

    /// Flushes what is queued and returns the text.
    pub fn finish(mut self) -> String {
        if !self.scan_stack.is_empty() {
            self.check_stack(0);
            self.advance_left();
        }
        self.out
    }

    fn scan_begin(&mut self, token: BeginToken) {
        if self.scan_stack.is_empty() {
            self.left_total = 1;
            self.right_total = 1;
            self.buf.clear();
        }
        let right = self.buf.push(BufEntry {
            token: Token::Begin(token),
            size: -self.right_total,
        });
        self.scan_stack.push_back(right);
    }

    fn scan_end(&mut self) {
        if self.scan_stack.is_empty() {
            self.print_end();
            return;
        }
        if let Some(BufEntry {
            token: Token::Break(break_token),
            ..
        }) = self.buf.last()
        {
            let break_token = *break_token;
            if self.buf.len() >= 2
                && let Token::Begin(_) = self.buf.second_last().token
            {
                self.buf.pop_last();
                self.buf.pop_last();
                self.scan_stack.pop_back();
                self.scan_stack.pop_back();
                self.right_total -= break_token.blank_space as isize;
                return;
            }
            if break_token.if_nonempty {
                self.buf.pop_last();
                self.scan_stack.pop_back();
                self.right_total -= break_token.blank_space as isize;
            }
        }
        let right = self.buf.push(BufEntry {
            token: Token::End,
            size: -1,
        });
        self.scan_stack.push_back(right);
    }

    fn scan_break(&mut self, token: BreakToken) {
        if self.scan_stack.is_empty() {
            self.left_total = 1;
            self.right_total = 1;
            self.buf.clear();
        } else {
            self.check_stack(0);
        }
        let right = self.buf.push(BufEntry {
            token: Token::Break(token),
            size: -self.right_total,
        });
        self.scan_stack.push_back(right);
        self.right_total += token.blank_space as isize;
    }

    fn scan_string(&mut self, string: Cow<'a, str>) {
        if self.scan_stack.is_empty() {
            self.print_string(&string);
        } else {
            let len = string.len() as isize;
            self.buf.push(BufEntry {
                token: Token::String(string),
                size: len,
            });
            self.right_total += len;
            self.check_stream();
        }
    }

    /// Shifts the indentation after the last break (prettyplease's `offset`).
    pub fn offset(&mut self, offset: isize) {
        if let Some(BufEntry {
            token: Token::Break(token),
            ..
        }) = self.buf.last_mut()
        {
            token.offset += offset;
        }
    }

    /// Ends a box, breaking it if it is wider than `max` (struct literals).
    pub fn end_with_max_width(&mut self, max: isize) {
        let mut depth = 1;
        for &index in self.scan_stack.iter().rev() {
            let entry = self.buf.get(index);
            match entry.token {
                Token::Begin(_) => {
                    depth -= 1;
                    if depth == 0 {
                        if entry.size < 0 {
                            let actual_width = entry.size + self.right_total;
                            if actual_width > max {
                                self.buf.push(BufEntry {
                                    token: Token::String(Cow::Borrowed("")),
                                    size: SIZE_INFINITY,
                                });
                                self.right_total += SIZE_INFINITY;
                            }
                        }
                        break;
                    }
                }
                Token::End => depth += 1,
                Token::Break(_) | Token::String(_) => {}
            }
        }
        self.scan_end();
    }

    fn check_stream(&mut self) {
        while self.right_total - self.left_total > self.space {
            if self.scan_stack.front() == Some(&self.buf.start()) {
                self.scan_stack.pop_front();
                self.buf.first_mut().size = SIZE_INFINITY;
            }
            self.advance_left();
            if self.buf.is_empty() {
                break;
            }
        }
    }

    fn advance_left(&mut self) {
        while !self.buf.is_empty() && self.buf.first().size >= 0 {
            let Some(left) = self.buf.pop_first() else {
                break;
            };
            match left.token {
                Token::String(string) => {
                    self.left_total += left.size;
                    self.print_string(&string);
                }
                Token::Break(token) => {
                    self.left_total += token.blank_space as isize;
                    self.print_break(token, left.size);
                }
                Token::Begin(token) => self.print_begin(token, left.size),
                Token::End => self.print_end(),
            }
        }
    }

    fn check_stack(&mut self, mut depth: usize) {
        while let Some(&index) = self.scan_stack.back() {
            let right_total = self.right_total;
            let entry = self.buf.get_mut(index);
            match entry.token {
                Token::Begin(_) => {
                    if depth == 0 {
                        break;
                    }
                    self.scan_stack.pop_back();
                    entry.size += right_total;
                    depth -= 1;
                }
                Token::End => {
                    self.scan_stack.pop_back();
                    entry.size = 1;
                    depth += 1;
                }
                Token::Break(_) => {
                    self.scan_stack.pop_back();
                    entry.size += right_total;
                    if depth == 0 {
                        break;
                    }
                }
                Token::String(_) => {}
            }
        }
    }

    fn get_top(&self) -> PrintFrame {
        const OUTER: PrintFrame = PrintFrame::Broken(0, Breaks::Inconsistent);
        self.print_stack.last().copied().unwrap_or(OUTER)
    }

    fn print_begin(&mut self, token: BeginToken, size: isize) {
        if size > self.space {
            self.print_stack
                .push(PrintFrame::Broken(self.indent, token.breaks));
            self.indent = (self.indent as isize + token.offset).max(0) as usize;
        } else {
            self.print_stack.push(PrintFrame::Fits);
        }
    }

    fn print_end(&mut self) {
        if let Some(PrintFrame::Broken(indent, _)) = self.print_stack.pop() {
            self.indent = indent;
        }
    }

    fn print_break(&mut self, token: BreakToken, size: isize) {
        let fits = token.never_break
            || match self.get_top() {
                PrintFrame::Fits => true,
                PrintFrame::Broken(.., Breaks::Consistent) => false,
                PrintFrame::Broken(.., Breaks::Inconsistent) => size <= self.space,
            };
        if fits {
            self.pending_indentation += token.blank_space;
            self.space -= token.blank_space as isize;
            if let Some(no_break) = token.no_break {
                self.out.push(no_break);
                self.space -= no_break.len_utf8() as isize;
            }
        } else {
            if let Some(pre_break) = token.pre_break {
                self.print_indent();
                self.out.push(pre_break);
            }
            self.out.push('\n');
            let indent = self.indent as isize + token.offset;
            self.pending_indentation = indent.max(0) as usize;
            self.space = (MARGIN - indent).max(MIN_SPACE);
            if !token.post_break.is_empty() {
                self.print_indent();
                self.out.push_str(token.post_break);
                self.space -= token.post_break.len() as isize;
            }
        }
    }

    fn print_string(&mut self, string: &str) {
        self.print_indent();
        self.out.push_str(string);
        self.space -= string.len() as isize;
    }

    fn print_indent(&mut self) {
        self.out
            .extend(std::iter::repeat_n(' ', self.pending_indentation));
        self.pending_indentation = 0;
    }

    // prettyplease's `convenience.rs`.

    /// Opens a box whose breaks break one by one, as needed.
    pub fn ibox(&mut self, indent: isize) {
        self.scan_begin(BeginToken {
            offset: indent,
            breaks: Breaks::Inconsistent,
        });
    }

    /// Opens a box whose breaks all break when one does.
    pub fn cbox(&mut self, indent: isize) {
        self.scan_begin(BeginToken {
            offset: indent,
            breaks: Breaks::Consistent,
        });
    }

    /// Closes the innermost box.
    pub fn end(&mut self) {
        self.scan_end();
    }

    /// Text that never breaks.
    pub fn word(&mut self, word: impl Into<Cow<'a, str>>) {
        self.scan_string(word.into());
    }

    fn spaces(&mut self, n: usize) {
        self.scan_break(BreakToken {
            blank_space: n,
            ..BreakToken::default()
        });
    }

    /// A break that is nothing when it does not break.
    pub fn zerobreak(&mut self) {
        self.spaces(0);
    }

    /// A break that is a space when it does not break.
    pub fn space(&mut self) {
        self.spaces(1);
    }

    /// A space that never breaks.
    pub fn nbsp(&mut self) {
        self.word(" ");
    }

    /// A break that always breaks.
    pub fn hardbreak(&mut self) {
        self.spaces(SIZE_INFINITY as usize);
    }

    /// A hard break, dropped when its box ends right after it (`{}`).
    pub fn hardbreak_if_nonempty(&mut self) {
        self.scan_break(BreakToken {
            blank_space: SIZE_INFINITY as usize,
            if_nonempty: true,
            ..BreakToken::default()
        });
    }

    /// A space, dropped when its box ends right after it.
    pub fn space_if_nonempty(&mut self) {
        self.scan_break(BreakToken {
            blank_space: 1,
            if_nonempty: true,
            ..BreakToken::default()
        });
    }

    /// `,` and a space between items; after the last one, a comma only if the box breaks.
    pub fn trailing_comma(&mut self, is_last: bool) {
        if is_last {
            self.scan_break(BreakToken {
                pre_break: Some(','),
                ..BreakToken::default()
            });
        } else {
            self.word(",");
            self.space();
        }
    }

    /// Like [`trailing_comma`](Self::trailing_comma), with a space after the last item when
    /// the box does not break.
    pub fn trailing_comma_or_space(&mut self, is_last: bool) {
        if is_last {
            self.scan_break(BreakToken {
                blank_space: 1,
                pre_break: Some(','),
                ..BreakToken::default()
            });
        } else {
            self.word(",");
            self.space();
        }
    }

    /// A break that never breaks, which ends the size of what comes before it.
    pub fn neverbreak(&mut self) {
        self.scan_break(BreakToken {
            never_break: true,
            ..BreakToken::default()
        });
    }

    /// A break that, when it breaks, writes `pre_break` before the newline and `post_break`
    /// after it, and otherwise writes `no_break` (a match arm's braces and comma).
    pub fn arm_break(
        &mut self,
        offset: isize,
        pre_break: Option<char>,
        post_break: &'static str,
        no_break: Option<char>,
    ) {
        self.scan_break(BreakToken {
            offset,
            pre_break,
            post_break,
            no_break,
            ..BreakToken::default()
        });
    }
}
