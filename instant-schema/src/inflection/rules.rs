//! English inflection as data: the rows instant.dev's names depend on.
//!
//! These are facts about the names instant.dev produces (it uses the `i` npm package, whose rule
//! set descends from Rails'), written in our own notation and in the order they are tried: the
//! first row that fits a word decides its inflection, so specific endings come before the
//! general ones they would otherwise fall into (`quiz` before the catch-all `s`). A row that
//! changes nothing still ends the search: `data` is already plural and must not become `datas`.
//!
//! instant.dev's inflector builds its lists the other way round: it adds general rules first
//! and tries the newest rule first, so that rules an application adds later override the
//! defaults. We offer no way to add rules, so the lists here are simply written in the order
//! they are tried; its irregular pairs, added last, come before every rule
//! ([`IRREGULAR`] is tried first).
//!
//! The oddities of the set are kept on purpose, because they decide the names instant.dev gives:
//! `human` pluralizes to `humen` (the `man` pair), `business` singularizes to `busines` (a bare
//! trailing `s` is dropped), `oxen_owners` singularizes to `ox_owners` (the one rule tied to the
//! start of a word).
//!
//! How a row reads — [`Row::end`]`(after, ending, becomes)`: a word that ends in `ending`
//! (letters, case ignored) right after `after` has that ending replaced by `becomes`; what
//! `after` matched stays as the word wrote it. `after` is a list of alternatives separated by
//! `|`, each a run of letters (case ignored) and sets (`[ti]`, or `[^aeiouy]` for any
//! character but those); a leading `^` means the word starts there.

/// One rule of a rule list; see the module documentation for how to read it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Row {
    /// The word ends in `ending`, right after `after`; the ending becomes `becomes`.
    End {
        after: &'static str,
        ending: &'static str,
        becomes: &'static str,
    },
    /// The word starts with `kept` then `dropped`; `dropped` goes, and the test repeats on
    /// what follows (instant.dev's `oxen` rule replaces every match it finds, and each search
    /// starts where the previous replacement ended, so `oxenoxen` → `oxox`).
    Start {
        kept: &'static str,
        dropped: &'static str,
    },
}

impl Row {
    const fn end(after: &'static str, ending: &'static str, becomes: &'static str) -> Row {
        Row::End {
            after,
            ending,
            becomes,
        }
    }
}

/// Singular → plural, in the order tried.
pub(super) const PLURAL: &[Row] = &[
    Row::end("quiz", "", "zes"),
    Row::end("^oxen", "", ""),
    Row::end("^ox", "", "en"),
    // `|` inside the set is a character of it, as instant.dev's rule has it.
    Row::end("[ml|]", "ice", "ice"),
    Row::end("[ml|]", "ouse", "ice"),
    Row::end("matr|vert|ind", "ix", "ices"),
    Row::end("matr|vert|ind", "ex", "ices"),
    Row::end("x|ch|ss|sh", "", "es"),
    Row::end("[^aeiouy]|qu", "y", "ies"),
    Row::end("hive", "", "s"),
    Row::end("[^fa]", "fe", "ves"),
    Row::end("oa", "f", "ves"),
    Row::end("[lr]", "f", "ves"),
    Row::end("", "sis", "ses"),
    Row::end("[ti]", "a", "a"),
    Row::end("[ti]", "um", "a"),
    Row::end("buffal|tomat", "o", "oes"),
    Row::end("bu", "s", "ses"),
    Row::end("alias|status", "", "es"),
    Row::end("octop|vir", "i", "i"),
    Row::end("octop|vir", "us", "i"),
    Row::end("ax|test", "is", "es"),
    Row::end("", "s", "s"),
    Row::end("", "", "s"),
];

/// Plural → singular, in the order tried.
pub(super) const SINGULAR: &[Row] = &[
    Row::end("database", "s", ""),
    Row::end("quiz", "zes", ""),
    Row::end("matr", "ices", "ix"),
    Row::end("vert|ind", "ices", "ex"),
    Row::Start {
        kept: "ox",
        dropped: "en",
    },
    Row::end("alias|status", "es", ""),
    Row::end("octop|vir", "i", "us"),
    Row::end("cris|ax|test", "es", "is"),
    Row::end("shoe", "s", ""),
    Row::end("o", "es", ""),
    Row::end("bus", "es", ""),
    Row::end("[ml|]", "ice", "ouse"),
    Row::end("x|ch|ss|sh", "es", ""),
    Row::end("m", "ovies", "ovie"),
    Row::end("s", "eries", "eries"),
    Row::end("[^aeiouy]|qu", "ies", "y"),
    Row::end("[lr]", "ves", "f"),
    Row::end("", "oaves", "oaf"),
    Row::end("tive", "s", ""),
    Row::end("hive", "s", ""),
    Row::end("[^f]", "ves", "fe"),
    Row::end("^analy", "ses", "sis"),
    Row::end("analy|ba|diagno|parenthe|progno|synop|the", "ses", "sis"),
    Row::end("[ti]", "a", "um"),
    Row::end("n", "ews", "ews"),
    Row::end("", "s", ""),
];

/// A pair of words no rule covers. Pairs are tried before every rule, in this order.
#[derive(Debug, Clone, Copy)]
pub(super) struct Irregular {
    pub singular: &'static str,
    pub plural: &'static str,
    /// Only the whole word counts, so that `loaf` is not taken for `oaf`.
    pub whole_word: bool,
}

const fn pair(singular: &'static str, plural: &'static str) -> Irregular {
    Irregular {
        singular,
        plural,
        whole_word: false,
    }
}

pub(super) const IRREGULAR: &[Irregular] = &[
    pair("fife", "fifes"),
    pair("safe", "safes"),
    pair("save", "saves"),
    pair("jefe", "jefes"),
    Irregular {
        singular: "oaf",
        plural: "oafs",
        whole_word: true,
    },
    pair("zombie", "zombies"),
    pair("cow", "kine"),
    pair("move", "moves"),
    pair("sex", "sexes"),
    pair("man", "men"),
    pair("person", "people"),
    pair("child", "children"),
];

/// Words with one form for both numbers. Checked before anything else.
pub(super) const UNCOUNTABLE: &[&str] = &[
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
];
