//! The inflection rules of the `i` npm package (0.3.7), which instant.dev uses for class names,
//! relationship names and model lookup.
//!
//! [`Inflections::defaults`] lists the rules in the order `i`'s `defaults.js` adds them, with the
//! same pattern text, so the two can be compared line by line. Like `i` (and Rails), a rule
//! added later is tried earlier, and the first rule that matches a word decides its inflection.
//! The known oddities of that rule set are kept on purpose — `human` pluralizes to `humen`,
//! `business` singularizes to `busines` — because they decide the names instant.dev gives.

use std::sync::LazyLock;

use super::pattern::{Match, Pattern};

/// One rule: a pattern and its replacement, where `$1`… name the pattern's groups.
#[derive(Debug, Clone)]
struct Rule {
    pattern: Pattern,
    replacement: String,
}

/// An ordered rule set: plural rules, singular rules and uncountable words.
#[derive(Debug, Clone)]
pub(crate) struct Inflections {
    /// Tried first to last; the newest rule is first.
    plurals: Vec<Rule>,
    singulars: Vec<Rule>,
    uncountables: Vec<String>,
}

/// The default rule set, compiled once.
pub(crate) static DEFAULTS: LazyLock<Inflections> = LazyLock::new(Inflections::defaults);

impl Inflections {
    fn empty() -> Self {
        Inflections {
            plurals: Vec::new(),
            singulars: Vec::new(),
            uncountables: Vec::new(),
        }
    }

    /// `i`'s defaults, in its order. `(?i)` marks the rules written with the `/i` flag.
    fn defaults() -> Self {
        let mut inflect = Inflections::empty();
        for (pattern, replacement) in [
            ("$", "s"),
            ("(?i)s$", "s"),
            ("(?i)(ax|test)is$", "$1es"),
            ("(?i)(octop|vir)us$", "$1i"),
            ("(?i)(octop|vir)i$", "$1i"),
            ("(?i)(alias|status)$", "$1es"),
            ("(?i)(bu)s$", "$1ses"),
            ("(?i)(buffal|tomat)o$", "$1oes"),
            ("(?i)([ti])um$", "$1a"),
            ("(?i)([ti])a$", "$1a"),
            ("(?i)sis$", "ses"),
            ("(?i)(?:([^fa])fe|(?:(oa)f)|([lr])f)$", "$1ves"),
            ("(?i)(hive)$", "$1s"),
            ("(?i)([^aeiouy]|qu)y$", "$1ies"),
            ("(?i)(x|ch|ss|sh)$", "$1es"),
            ("(?i)(matr|vert|ind)(?:ix|ex)$", "$1ices"),
            ("(?i)([m|l])ouse$", "$1ice"),
            ("(?i)([m|l])ice$", "$1ice"),
            ("(?i)^(ox)$", "$1en"),
            ("(?i)^(oxen)$", "$1"),
            ("(?i)(quiz)$", "$1zes"),
        ] {
            inflect.plural(pattern, replacement);
        }
        for (pattern, replacement) in [
            ("(?i)s$", ""),
            ("(?i)(n)ews$", "$1ews"),
            ("(?i)([ti])a$", "$1um"),
            (
                "(?i)((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$",
                "$1sis",
            ),
            ("(?i)(^analy)ses$", "$1sis"),
            ("(?i)([^f])ves$", "$1fe"),
            ("(?i)(hive)s$", "$1"),
            ("(?i)(tive)s$", "$1"),
            ("(?i)(oave)s$", "oaf"),
            ("(?i)([lr])ves$", "$1f"),
            ("(?i)([^aeiouy]|qu)ies$", "$1y"),
            ("(?i)(s)eries$", "$1eries"),
            ("(?i)(m)ovies$", "$1ovie"),
            ("(?i)(x|ch|ss|sh)es$", "$1"),
            ("(?i)([m|l])ice$", "$1ouse"),
            ("(?i)(bus)es$", "$1"),
            ("(?i)(o)es$", "$1"),
            ("(?i)(shoe)s$", "$1"),
            ("(?i)(cris|ax|test)es$", "$1is"),
            ("(?i)(octop|vir)i$", "$1us"),
            ("(?i)(alias|status)es$", "$1"),
            ("(?i)^(ox)en", "$1"),
            ("(?i)(vert|ind)ices$", "$1ex"),
            ("(?i)(matr)ices$", "$1ix"),
            ("(?i)(quiz)zes$", "$1"),
            ("(?i)(database)s$", "$1"),
        ] {
            inflect.singular(pattern, replacement);
        }
        for (singular, plural, whole_word) in [
            ("child", "children", false),
            ("person", "people", false),
            ("man", "men", false),
            ("child", "children", false),
            ("sex", "sexes", false),
            ("move", "moves", false),
            ("cow", "kine", false),
            ("zombie", "zombies", false),
            ("oaf", "oafs", true),
            ("jefe", "jefes", false),
            ("save", "saves", false),
            ("safe", "safes", false),
            ("fife", "fifes", false),
        ] {
            inflect.irregular(singular, plural, whole_word);
        }
        inflect.uncountables.extend(
            [
                "equipment",
                "information",
                "rice",
                "money",
                "species",
                "series",
                "fish",
                "sheep",
                "jeans",
                "sushi",
            ]
            .map(String::from),
        );
        inflect
    }

    fn plural(&mut self, pattern: &str, replacement: &str) {
        self.plurals.insert(0, Rule::new(pattern, replacement));
    }

    fn singular(&mut self, pattern: &str, replacement: &str) {
        self.singulars.insert(0, Rule::new(pattern, replacement));
    }

    /// A pair of words that no rule covers. When both start with the same letter the rules keep
    /// that letter's case and ignore case elsewhere; otherwise (`cow`/`kine`) they are
    /// case-sensitive, one rule per capitalization, as `i` does it. `whole_word` anchors at the
    /// start so that `loaf` is not taken for `oaf`.
    fn irregular(&mut self, singular: &str, plural: &str, whole_word: bool) {
        let prefix = if whole_word { "^" } else { "" };
        let split = |word: &str| -> (String, String) {
            let mut chars = word.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            (first, chars.collect())
        };
        let (s_first, s_rest) = split(singular);
        let (p_first, p_rest) = split(plural);
        if s_first.to_uppercase() == p_first.to_uppercase() {
            self.plural(
                &format!("(?i)({prefix}{s_first}){s_rest}$"),
                &format!("$1{p_rest}"),
            );
            self.plural(
                &format!("(?i)({prefix}{p_first}){p_rest}$"),
                &format!("$1{p_rest}"),
            );
            self.singular(
                &format!("(?i)({prefix}{p_first}){p_rest}$"),
                &format!("$1{s_rest}"),
            );
        } else {
            let (s_upper, s_lower) = (s_first.to_uppercase(), s_first.to_lowercase());
            let (p_upper, p_lower) = (p_first.to_uppercase(), p_first.to_lowercase());
            self.plural(
                &format!("{prefix}{s_upper}{s_rest}$"),
                &format!("{p_upper}{p_rest}"),
            );
            self.plural(
                &format!("{prefix}{s_lower}{s_rest}$"),
                &format!("{p_lower}{p_rest}"),
            );
            self.plural(
                &format!("{prefix}{p_upper}{p_rest}$"),
                &format!("{p_upper}{p_rest}"),
            );
            self.plural(
                &format!("{prefix}{p_lower}{p_rest}$"),
                &format!("{p_lower}{p_rest}"),
            );
            self.singular(
                &format!("{prefix}{p_upper}{p_rest}$"),
                &format!("{s_upper}{s_rest}"),
            );
            self.singular(
                &format!("{prefix}{p_lower}{p_rest}$"),
                &format!("{s_lower}{s_rest}"),
            );
        }
    }

    /// `i`'s `uncountability`: the word ends in an uncountable word that starts a word or
    /// follows `_` (`my money`, `pocket_money`, but not `pocketmoney`).
    fn is_uncountable(&self, word: &str) -> bool {
        self.uncountables.iter().any(|uncountable| {
            let Some(cut) = word.len().checked_sub(uncountable.len()) else {
                return false;
            };
            let (Some(head), Some(tail)) = (word.get(..cut), word.get(cut..)) else {
                return false;
            };
            tail.eq_ignore_ascii_case(uncountable)
                && head
                    .chars()
                    .last()
                    .is_none_or(|c| c == '_' || !c.is_ascii_alphanumeric())
        })
    }

    /// The plural of `word`.
    pub(crate) fn pluralize(&self, word: &str) -> String {
        self.inflect(word, &self.plurals)
    }

    /// The singular of `word`.
    pub(crate) fn singularize(&self, word: &str) -> String {
        self.inflect(word, &self.singulars)
    }

    fn inflect(&self, word: &str, rules: &[Rule]) -> String {
        if word.is_empty() || self.is_uncountable(word) {
            return word.to_string();
        }
        let chars: Vec<char> = word.chars().collect();
        match rules.iter().find(|rule| rule.pattern.is_match(&chars)) {
            Some(rule) => rule.replace_all(&chars),
            None => word.to_string(),
        }
    }
}

impl Rule {
    fn new(pattern: &str, replacement: &str) -> Rule {
        let (source, ignore_case) = match pattern.strip_prefix("(?i)") {
            Some(source) => (source, true),
            None => (pattern, false),
        };
        Rule {
            pattern: Pattern::new(source, ignore_case),
            replacement: replacement.to_string(),
        }
    }

    /// `i`'s `gsub`: every match in turn, each search starting after the previous match (so a
    /// `^` can match again at the start of what is left).
    fn replace_all(&self, text: &[char]) -> String {
        let mut result = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            let Some(found) = self.pattern.find(rest) else {
                result.extend(rest);
                break;
            };
            result.extend(&rest[..found.start]);
            result.push_str(&self.expand(rest, &found));
            if found.end == found.start {
                // An empty match: step over one character so the search moves on.
                if let Some(&c) = rest.get(found.end) {
                    result.push(c);
                }
                rest = rest.get(found.end + 1..).unwrap_or_default();
            } else {
                rest = &rest[found.end..];
            }
        }
        result
    }

    /// The replacement for one match, with `i`'s numbering quirk: groups that took no part in
    /// the match are dropped before numbering, so in `(?:([^fa])fe|(?:(oa)f)|([lr])f)$` the
    /// `oa` of `loaf` is `$1`. Without any group, `$1` is the whole match.
    fn expand(&self, text: &[char], found: &Match) -> String {
        let has_reference = self
            .replacement
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'$' && (b'1'..=b'9').contains(&w[1]));
        if !has_reference {
            return self.replacement.clone();
        }
        let slice = |(start, end): (usize, usize)| text[start..end].iter().collect::<String>();
        let whole = slice((found.start, found.end));
        let mut values = vec![whole.clone()];
        if found.groups.iter().all(Option::is_some) {
            values.extend(found.groups.iter().flatten().map(|&span| slice(span)));
            match values.get_mut(1) {
                Some(first) if first.is_empty() => *first = whole,
                Some(_) => {}
                None => values.push(whole),
            }
        } else {
            values.extend(found.groups.iter().flatten().map(|&span| slice(span)));
        }
        let mut replacement = self.replacement.clone();
        for (n, value) in values.iter().enumerate().skip(1).take(9) {
            if !value.is_empty() {
                replacement = replacement.replace(&format!("${n}"), value);
            }
        }
        replacement
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_rule_first() {
        let defaults = Inflections::defaults();
        // fife/fifes was the last irregular added, so its rules lead both lists.
        assert_eq!(defaults.plurals[0].replacement, "$1ifes");
        assert_eq!(defaults.singulars[0].replacement, "$1ife");
        assert_eq!(defaults.plurals.len(), 21 + 12 * 2 + 4);
        assert_eq!(defaults.singulars.len(), 26 + 12 + 2);
    }

    #[test]
    fn uncountable_boundaries() {
        let defaults = Inflections::defaults();
        assert!(defaults.is_uncountable("money"));
        assert!(defaults.is_uncountable("my money"));
        assert!(defaults.is_uncountable("pocket_money"));
        assert!(defaults.is_uncountable("SHEEP"));
        assert!(!defaults.is_uncountable("pocketmoney"));
        assert!(!defaults.is_uncountable("sheep2"));
    }
}
