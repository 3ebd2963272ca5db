//! The [`Inflector`]: the rule lists of [`super::rules`], read once, and the two questions asked
//! of them — the plural of a word and its singular.

use std::sync::LazyLock;

use super::rules::{IRREGULAR, Irregular, PLURAL, Row, SINGULAR, UNCOUNTABLE};

/// The English rules instant.dev inflects with, prepared once for the whole process: code
/// generation asks for thousands of names, so nothing is parsed per call.
pub(super) static ENGLISH: LazyLock<Inflector> = LazyLock::new(|| Inflector {
    uncountable: UNCOUNTABLE,
    irregular: IRREGULAR,
    plural: PLURAL.iter().map(Rule::from_row).collect(),
    singular: SINGULAR.iter().map(Rule::from_row).collect(),
});

/// Everything needed to change a word's number: the facts, with each rule list in the order
/// it is tried.
#[derive(Debug)]
pub(super) struct Inflector {
    uncountable: &'static [&'static str],
    irregular: &'static [Irregular],
    plural: Vec<Rule>,
    singular: Vec<Rule>,
}

/// Which way a word is inflected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Plural,
    Singular,
}

impl Inflector {
    /// The plural of `word`: `post` → `posts`, `person` → `people`, `sheep` → `sheep`.
    pub(super) fn pluralize(&self, word: &str) -> String {
        self.inflect(word, Number::Plural)
    }

    /// The singular of `word`: `posts` → `post`, `children` → `child`.
    pub(super) fn singularize(&self, word: &str) -> String {
        self.inflect(word, Number::Singular)
    }

    /// Uncountable words first (they would otherwise meet the rules: `sheep` → `sheeps`), then
    /// the irregular pairs (they are exceptions to the rules: `people`, not `persons`), then
    /// the first rule that fits. A word nothing fits is returned as it is.
    ///
    /// Every test but the `oxen` row looks at the end of the word, so in a compound name only
    /// the last word changes: `blog_comment_likes` → `blog_comment_like`.
    fn inflect(&self, word: &str, number: Number) -> String {
        if word.is_empty() || self.is_uncountable(word) {
            return word.to_string();
        }
        if let Some(swapped) = self
            .irregular
            .iter()
            .find_map(|pair| swap_irregular(word, pair, number))
        {
            return swapped;
        }
        let rules = match number {
            Number::Plural => &self.plural,
            Number::Singular => &self.singular,
        };
        rules
            .iter()
            .find_map(|rule| rule.apply(word))
            .unwrap_or_else(|| word.to_string())
    }

    /// True when `word` ends in an uncountable word that is not glued to a letter or digit
    /// before it: `money`, `pocket_money` and `my money` are uncountable, `pocketmoney` is an
    /// ordinary word.
    fn is_uncountable(&self, word: &str) -> bool {
        self.uncountable.iter().any(|uncountable| {
            ends_with_ignoring_case(word, uncountable).is_some_and(|start| {
                word[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|before| !before.is_ascii_alphanumeric())
            })
        })
    }
}

/// Where `word` ends in `ending`, ASCII case ignored: the byte offset of that ending.
fn ends_with_ignoring_case(word: &str, ending: &str) -> Option<usize> {
    let start = word.len().checked_sub(ending.len())?;
    // An ASCII `ending` can only match ASCII bytes, so `start` is then a character boundary.
    word.get(start..)
        .filter(|tail| tail.eq_ignore_ascii_case(ending))
        .map(|_| start)
}

/// The word with its irregular ending swapped for the other form, if it has one.
///
/// For a plural, a word ending in either form gets the plural (`person` and `people` both
/// give `people`); for a singular only the plural form is swapped. The first letter of the
/// ending keeps the case the word wrote it in, and the rest is written as the pair has it:
/// `PEOPLE` → `Person`, `salesperson` → `salespeople`.
///
/// The rest of the ending is compared ignoring case only when both words share their first
/// letter. For a pair like `cow`/`kine` instant.dev's inflector knows just the lower-case and
/// the capitalized spellings, so `COW` is left to the ordinary rules (`COWs`).
fn swap_irregular(word: &str, pair: &Irregular, number: Number) -> Option<String> {
    let target = match number {
        Number::Plural => pair.plural,
        Number::Singular => pair.singular,
    };
    let sources: &[&str] = match number {
        Number::Plural => &[pair.plural, pair.singular],
        Number::Singular => &[pair.plural],
    };
    let same_initial = initial(pair.singular) == initial(pair.plural);
    sources.iter().find_map(|source| {
        let start = word.len().checked_sub(source.len())?;
        if pair.whole_word && start != 0 {
            return None;
        }
        let tail = word.get(start..)?;
        let mut written = tail.chars();
        let first = written.next()?;
        let rest = written.as_str();
        let (source_first, source_rest) = split_initial(source)?;
        let rest_fits = if same_initial {
            rest.eq_ignore_ascii_case(source_rest)
        } else {
            rest == source_rest
        };
        if !first.eq_ignore_ascii_case(&source_first) || !rest_fits {
            return None;
        }
        let (target_first, target_rest) = split_initial(target)?;
        let mut swapped = String::with_capacity(start + target.len());
        swapped.push_str(&word[..start]);
        swapped.push(if first.is_ascii_uppercase() {
            target_first.to_ascii_uppercase()
        } else {
            target_first.to_ascii_lowercase()
        });
        swapped.push_str(target_rest);
        Some(swapped)
    })
}

fn initial(word: &str) -> Option<char> {
    word.chars().next().map(|c| c.to_ascii_lowercase())
}

fn split_initial(word: &str) -> Option<(char, &str)> {
    let mut chars = word.chars();
    let first = chars.next()?;
    Some((first, chars.as_str()))
}

/// A [`Row`] made ready to test words against: its `after` notation read into [`Context`]s.
#[derive(Debug)]
enum Rule {
    /// See [`Row::End`].
    End {
        /// What may stand before the ending; empty when anything may.
        after: Vec<Context>,
        ending: &'static str,
        becomes: &'static str,
    },
    /// See [`Row::Start`].
    Start {
        kept: &'static str,
        dropped: &'static str,
    },
}

/// One alternative of a row's `after`.
#[derive(Debug)]
struct Context {
    /// The characters right before the ending, last one first (the order they are checked in).
    units: Vec<Unit>,
    /// The first unit must be the word's first character.
    at_start: bool,
}

/// One character position of a [`Context`].
#[derive(Debug, PartialEq, Eq)]
enum Unit {
    /// This letter, either case.
    Letter(char),
    /// One of these characters (letters in either case), or with `negated` any other.
    Set {
        members: &'static str,
        negated: bool,
    },
}

impl Rule {
    fn from_row(row: &Row) -> Rule {
        match *row {
            Row::End {
                after,
                ending,
                becomes,
            } => Rule::End {
                after: if after.is_empty() {
                    Vec::new()
                } else {
                    split_alternatives(after).map(Context::parse).collect()
                },
                ending,
                becomes,
            },
            Row::Start { kept, dropped } => Rule::Start { kept, dropped },
        }
    }

    /// The inflected word, or `None` when the rule does not fit.
    fn apply(&self, word: &str) -> Option<String> {
        match self {
            Rule::End {
                after,
                ending,
                becomes,
            } => {
                let start = ends_with_ignoring_case(word, ending)?;
                let before = &word[..start];
                if !after.is_empty() && !after.iter().any(|context| context.ends(before)) {
                    return None;
                }
                Some(format!("{before}{becomes}"))
            }
            Rule::Start { kept, dropped } => {
                let lead = kept.len() + dropped.len();
                let starts = |text: &str| {
                    text.get(..kept.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(kept))
                        && text
                            .get(kept.len()..lead)
                            .is_some_and(|next| next.eq_ignore_ascii_case(dropped))
                };
                if !starts(word) {
                    return None;
                }
                let mut rest = word;
                let mut result = String::with_capacity(word.len());
                while starts(rest) {
                    result.push_str(&rest[..kept.len()]);
                    rest = &rest[lead..];
                }
                result.push_str(rest);
                Some(result)
            }
        }
    }
}

/// `a|b|[m|l]` → `a`, `b`, `[m|l]`: a `|` inside a set belongs to the set.
fn split_alternatives(after: &'static str) -> impl Iterator<Item = &'static str> {
    let mut in_set = false;
    after.split(move |c| {
        match c {
            '[' => in_set = true,
            ']' => in_set = false,
            _ => {}
        }
        c == '|' && !in_set
    })
}

impl Context {
    /// Reads one alternative of the notation described in [`super::rules`]. The tables are
    /// ours and fixed, so an unclosed `[` simply takes the rest as the set.
    fn parse(text: &'static str) -> Context {
        let (at_start, mut rest) = match text.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut units = Vec::new();
        while let Some(c) = rest.chars().next() {
            if let Some(set) = rest.strip_prefix('[') {
                let close = set.find(']').unwrap_or(set.len());
                let (members, negated) = match set[..close].strip_prefix('^') {
                    Some(members) => (members, true),
                    None => (&set[..close], false),
                };
                units.push(Unit::Set { members, negated });
                rest = set.get(close + 1..).unwrap_or("");
            } else {
                units.push(Unit::Letter(c.to_ascii_lowercase()));
                rest = &rest[c.len_utf8()..];
            }
        }
        units.reverse();
        Context { units, at_start }
    }

    /// True when `before` (the word up to the ending) ends with this context.
    fn ends(&self, before: &str) -> bool {
        let mut chars = before.chars().rev();
        let fits = self.units.iter().all(|unit| {
            chars.next().is_some_and(|c| match *unit {
                Unit::Letter(letter) => c.to_ascii_lowercase() == letter,
                Unit::Set { members, negated } => {
                    members.contains(c.to_ascii_lowercase()) != negated
                }
            })
        });
        fits && (!self.at_start || chars.next().is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_reads_sets_alternatives_and_anchors() {
        let alternatives: Vec<&str> = split_alternatives("[ml|]|qu|^ox").collect();
        assert_eq!(alternatives, ["[ml|]", "qu", "^ox"]);
        let set = Context::parse("[^aeiouy]");
        assert_eq!(
            set.units,
            [Unit::Set {
                members: "aeiouy",
                negated: true
            }]
        );
        let word = Context::parse("^Ox");
        assert!(word.at_start);
        assert_eq!(word.units, [Unit::Letter('x'), Unit::Letter('o')]);
        assert!(word.ends("OX"));
        assert!(!word.ends("box"));
    }

    #[test]
    fn rows_that_change_nothing_still_stop_the_search() {
        assert_eq!(ENGLISH.pluralize("data"), "data");
        assert_eq!(ENGLISH.pluralize("DATA"), "DATa");
        assert_eq!(ENGLISH.pluralize("MICE"), "Mice");
    }

    #[test]
    fn irregular_pairs_keep_the_initial_case() {
        assert_eq!(ENGLISH.pluralize("salesperson"), "salespeople");
        assert_eq!(ENGLISH.singularize("PEOPLE"), "Person");
        assert_eq!(ENGLISH.pluralize("Cow"), "Kine");
        assert_eq!(ENGLISH.pluralize("COW"), "COWs");
        assert_eq!(ENGLISH.pluralize("loaf"), "loaves");
        assert_eq!(ENGLISH.pluralize("Oaf"), "Oafs");
    }

    #[test]
    fn the_oxen_rule_reads_the_start_of_a_word() {
        assert_eq!(ENGLISH.singularize("oxen_owners"), "ox_owners");
        assert_eq!(ENGLISH.singularize("OXENoxen"), "OXox");
        assert_eq!(ENGLISH.singularize("boxen"), "boxen");
    }

    #[test]
    fn uncountable_words_stand_alone_at_the_end() {
        for word in ["money", "my money", "pocket_money", "SHEEP"] {
            assert!(ENGLISH.is_uncountable(word), "{word}");
        }
        for word in ["pocketmoney", "sheep2", ""] {
            assert!(!ENGLISH.is_uncountable(word), "{word}");
        }
    }
}
