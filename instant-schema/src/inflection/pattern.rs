//! The tiny slice of JavaScript regular expressions that the inflection rules use.
//!
//! The rules of the `i` package are regular expressions such as `(?:([^fa])fe|(?:(oa)f)|([lr])f)$`.
//! Keeping them as their original source text makes them checkable line by line against `i`'s
//! `defaults.js`, and this small matcher runs them without pulling a full regex engine into a
//! crate that every `build.rs` compiles. It knows literals, `\` escapes, character classes
//! (`[ti]`, `[^fa]`, ranges), capturing and non-capturing groups with `|`, and the anchors `^` and
//! `$`. There are no quantifiers, so matching is a short backtracking search over alternatives.
//!
//! The parser is total: text it does not understand is taken literally, so no rule can make it
//! fail at run time (the unit tests check that every rule parses to what it means).

/// A compiled rule pattern.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// The whole pattern as one non-capturing group of its alternatives.
    root: Node,
    groups: usize,
    ignore_case: bool,
    /// The shortest and longest text a match can span (without quantifiers, both are bounded).
    widths: (usize, usize),
    /// Every match ends at the end of the text (`s$`), so only the last few start positions
    /// can match: inflection tries each rule on each word, and most rules end with `$`.
    anchored_end: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Literal(char),
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
    Group {
        capture: Option<usize>,
        alts: Vec<Vec<Node>>,
    },
    Start,
    End,
}

/// Where a pattern matched: the whole match and each capturing group (`None` when the group
/// took no part in the match, JavaScript's `undefined`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Match {
    pub start: usize,
    pub end: usize,
    pub groups: Vec<Option<(usize, usize)>>,
}

impl Pattern {
    /// Compiles `source`; `ignore_case` is JavaScript's `/i` flag.
    pub(crate) fn new(source: &str, ignore_case: bool) -> Pattern {
        let chars: Vec<char> = source.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            at: 0,
            groups: 0,
        };
        let mut alts = parser.alternatives();
        // A stray `)` ends the top level early; take the rest literally rather than fail.
        if let Some(last) = alts.last_mut() {
            last.extend(chars[parser.at..].iter().map(|&c| Node::Literal(c)));
        }
        let root = Node::Group {
            capture: None,
            alts,
        };
        let seq = std::slice::from_ref(&root);
        Pattern {
            widths: widths(seq),
            anchored_end: anchored_end(seq),
            root,
            groups: parser.groups,
            ignore_case,
        }
    }

    /// The leftmost match in `text`, as JavaScript's `String.prototype.match` finds it.
    pub(crate) fn find(&self, text: &[char]) -> Option<Match> {
        let matcher = Matcher {
            text,
            ignore_case: self.ignore_case,
        };
        let root = std::slice::from_ref(&self.root);
        let starts = if self.anchored_end {
            let (shortest, longest) = self.widths;
            if let Some(&last) = text.last()
                && !matcher.can_end_with(root, last)
            {
                return None;
            }
            text.len().saturating_sub(longest)..=text.len().checked_sub(shortest)?
        } else {
            0..=text.len()
        };
        let mut groups = vec![None; self.groups];
        starts.into_iter().find_map(|start| {
            groups.fill(None);
            let end = matcher.run(root, start, &mut groups, None)?;
            Some(Match {
                start,
                end,
                groups: groups.clone(),
            })
        })
    }

    /// True when the pattern matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &[char]) -> bool {
        self.find(text).is_some()
    }
}

/// The shortest and longest text `nodes`, one after the other, can match.
fn widths(nodes: &[Node]) -> (usize, usize) {
    nodes.iter().fold((0, 0), |(shortest, longest), node| {
        let (low, high) = match node {
            Node::Literal(_) | Node::Class { .. } => (1, 1),
            Node::Start | Node::End => (0, 0),
            Node::Group { alts, .. } => alts
                .iter()
                .map(|alt| widths(alt))
                .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
                .unwrap_or((0, 0)),
        };
        (shortest + low, longest + high)
    })
}

/// True when every match of `nodes` ends at the end of the text: the last node is `$`, or a
/// group whose alternatives all end that way. (False when unsure: that only costs speed.)
fn anchored_end(nodes: &[Node]) -> bool {
    match nodes.last() {
        Some(Node::End) => true,
        Some(Node::Group { alts, .. }) => {
            !alts.is_empty() && alts.iter().all(|alt| anchored_end(alt))
        }
        _ => false,
    }
}

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
    groups: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// `a|b|c` up to a closing `)` or the end.
    fn alternatives(&mut self) -> Vec<Vec<Node>> {
        let mut alts = vec![Vec::new()];
        while let Some(c) = self.peek() {
            match c {
                ')' => break,
                '|' => {
                    self.at += 1;
                    alts.push(Vec::new());
                }
                _ => {
                    let node = self.atom();
                    if let Some(last) = alts.last_mut() {
                        last.push(node);
                    }
                }
            }
        }
        alts
    }

    fn atom(&mut self) -> Node {
        let c = self.chars[self.at];
        self.at += 1;
        match c {
            '^' => Node::Start,
            '$' => Node::End,
            '\\' => match self.peek() {
                Some(escaped) => {
                    self.at += 1;
                    Node::Literal(escaped)
                }
                None => Node::Literal('\\'),
            },
            '[' => self.class().unwrap_or(Node::Literal('[')),
            '(' => {
                let capture = if self.chars[self.at..].starts_with(&['?', ':']) {
                    self.at += 2;
                    None
                } else {
                    self.groups += 1;
                    Some(self.groups - 1)
                };
                let alts = self.alternatives();
                if self.peek() == Some(')') {
                    self.at += 1;
                }
                Node::Group { capture, alts }
            }
            other => Node::Literal(other),
        }
    }

    /// The inside of `[...]`, after the `[`; `None` (and nothing consumed) without a `]`.
    fn class(&mut self) -> Option<Node> {
        let close = self.chars[self.at..].iter().position(|&c| c == ']')?;
        let mut body = &self.chars[self.at..self.at + close];
        self.at += close + 1;
        let negated = body.first() == Some(&'^');
        if negated {
            body = &body[1..];
        }
        let mut items = Vec::new();
        let mut i = 0;
        while i < body.len() {
            if i + 2 < body.len() && body[i + 1] == '-' {
                items.push((body[i], body[i + 2]));
                i += 3;
            } else {
                items.push((body[i], body[i]));
                i += 1;
            }
        }
        Some(Node::Class { negated, items })
    }
}

/// What remains to match after a group's alternative: the rest of the enclosing sequence, and
/// the group to close first.
struct Continuation<'n> {
    nodes: &'n [Node],
    close: Option<(usize, usize)>,
    next: Option<&'n Continuation<'n>>,
}

struct Matcher<'t> {
    text: &'t [char],
    ignore_case: bool,
}

impl Matcher<'_> {
    fn run(
        &self,
        nodes: &[Node],
        at: usize,
        groups: &mut Vec<Option<(usize, usize)>>,
        next: Option<&Continuation<'_>>,
    ) -> Option<usize> {
        let Some((first, rest)) = nodes.split_first() else {
            let Some(k) = next else {
                return Some(at);
            };
            if let Some((group, start)) = k.close {
                groups[group] = Some((start, at));
            }
            return self.run(k.nodes, at, groups, k.next);
        };
        match first {
            Node::Start if at == 0 => self.run(rest, at, groups, next),
            Node::End if at == self.text.len() => self.run(rest, at, groups, next),
            Node::Start | Node::End => None,
            Node::Literal(expected) => {
                let c = *self.text.get(at)?;
                self.same(c, *expected)
                    .then(|| self.run(rest, at + 1, groups, next))?
            }
            Node::Class { negated, items } => {
                let c = *self.text.get(at)?;
                let inside = items.iter().any(|&(low, high)| self.in_range(c, low, high));
                (inside != *negated).then(|| self.run(rest, at + 1, groups, next))?
            }
            Node::Group { capture, alts } => {
                let k = Continuation {
                    nodes: rest,
                    close: capture.map(|group| (group, at)),
                    next,
                };
                for alt in alts {
                    let saved = groups.clone();
                    if let Some(end) = self.run(alt, at, groups, Some(&k)) {
                        return Some(end);
                    }
                    *groups = saved;
                }
                None
            }
        }
    }

    /// False when no match of `nodes` can end with the character `c`; true when one might
    /// (zero-width matches included). A cheap test before matching an end-anchored rule.
    fn can_end_with(&self, nodes: &[Node], c: char) -> bool {
        let mut rest = nodes;
        while let Some((last, before)) = rest.split_last() {
            return match last {
                Node::Start | Node::End => {
                    rest = before;
                    continue;
                }
                Node::Literal(expected) => self.same(c, *expected),
                Node::Class { negated, items } => {
                    items.iter().any(|&(low, high)| self.in_range(c, low, high)) != *negated
                }
                Node::Group { alts, .. } => alts.iter().any(|alt| {
                    // An alternative that can match nothing lets what comes before end the match.
                    self.can_end_with(alt, c)
                        || (widths(alt).0 == 0 && self.can_end_with(before, c))
                }),
            };
        }
        true
    }

    /// JavaScript's `/i` without the `u` flag folds case only where the upper-case form stays on
    /// the same side of ASCII, so for the ASCII rules here ASCII folding is exact.
    fn same(&self, c: char, expected: char) -> bool {
        c == expected || (self.ignore_case && c.eq_ignore_ascii_case(&expected))
    }

    fn in_range(&self, c: char, low: char, high: char) -> bool {
        let within = |c: char| low <= c && c <= high;
        within(c)
            || (self.ignore_case
                && (within(c.to_ascii_lowercase()) || within(c.to_ascii_uppercase())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_the_leftmost_match_with_groups() {
        let p = Pattern::new("(?:([^fa])fe|(?:(oa)f)|([lr])f)$", true);
        let m = p.find(&chars("loaf")).unwrap();
        assert_eq!((m.start, m.end), (1, 4));
        assert_eq!(m.groups, vec![None, Some((1, 3)), None]);
        let m = p.find(&chars("WIFE")).unwrap();
        assert_eq!(m.groups, vec![Some((1, 2)), None, None]);
        assert!(p.find(&chars("safe")).is_none());
    }

    #[test]
    fn anchors_and_case() {
        assert!(Pattern::new("^(ox)$", true).is_match(&chars("OX")));
        assert!(!Pattern::new("^(ox)$", true).is_match(&chars("box")));
        assert!(!Pattern::new("cow$", false).is_match(&chars("COW")));
        assert!(Pattern::new("$", false).is_match(&chars("")));
        assert!(Pattern::new("[a-c]x", true).is_match(&chars("Bx")));
    }

    #[test]
    fn end_anchored_patterns_only_try_the_last_starts() {
        let p = Pattern::new("(?:([^fa])fe|(?:(oa)f)|([lr])f)$", true);
        assert!(p.anchored_end);
        assert_eq!(p.widths, (2, 3));
        assert!(!Pattern::new("^(ox)en", true).anchored_end);
        assert!(!Pattern::new("(a$|b)", false).anchored_end);
        // Shorter than any match: no start at all.
        assert!(
            Pattern::new("(x|ch|ss|sh)$", true)
                .find(&chars(""))
                .is_none()
        );
        let m = Pattern::new("(x|ch|ss|sh)$", true)
            .find(&chars("church"))
            .unwrap();
        assert_eq!((m.start, m.end), (4, 6));
        let m = Pattern::new("$", false).find(&chars("abc")).unwrap();
        assert_eq!((m.start, m.end), (3, 3));
        // The last character alone rules a pattern out, case folded as the pattern says.
        assert!(Pattern::new("(?:([^fa])fe|(?:(oa)f)|([lr])f)$", true).is_match(&chars("LOAF")));
        assert!(!Pattern::new("(oa)f$", true).is_match(&chars("oax")));
        assert!(!Pattern::new("[^s]$", false).is_match(&chars("bus")));
        assert!(Pattern::new("s(?:)$", false).is_match(&chars("bus")));
    }

    #[test]
    fn unbalanced_text_is_literal() {
        assert!(Pattern::new("a)b", false).is_match(&chars("a)b")));
        assert!(Pattern::new("[ab", false).is_match(&chars("[ab")));
        assert!(Pattern::new("(ab", false).is_match(&chars("ab")));
    }
}
