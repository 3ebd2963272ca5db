//! Hostile JSON: any value of bounded depth and size, with the numbers, strings and keys that
//! break parsers (control characters, `{{ }}` placeholders, `__` separators, unicode, numbers
//! at and past every integer limit), and text that is almost JSON.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};

/// Strings that mean something to one of our readers, or to a terminal or SQL.
const WORDS: &[&str] = &[
    "",
    " ",
    "id",
    "name",
    "users",
    "posts",
    "user_id",
    "created_at",
    "__",
    "__order",
    "__count",
    "__offset",
    "name__icontains",
    "posts__user__posts__id",
    "$",
    "where",
    "order",
    "limit",
    "offset",
    "{{ DB_HOST }}",
    "{{}}",
    "{{ }}",
    "{{ MISSING }}",
    "{{ EMPTY }}",
    "{{",
    "}}",
    "postgres://u:p@h:5432/d?sslmode=require",
    "postgres://[::1]:99999/x",
    "postgresql://%zz@/",
    "id DESC NULLS FIRST",
    "id ASC DESC",
    "true",
    "null",
    "NaN",
    "1e400",
    "-0",
    "\u{0}",
    "\u{7}\u{1b}[31m",
    "a\nb",
    "é",
    "日本",
    "\u{202e}",
    "\u{fffd}",
    "🦀",
    "'; DROP TABLE users; --",
    "\"quoted\"",
    "%_\\",
];

/// Integers at the edges: JavaScript's safe range, i64, u64, 32/16-bit limits.
const EDGE_INTEGERS: &[i64] = &[
    0,
    1,
    -1,
    2,
    255,
    256,
    32_767,
    32_768,
    65_535,
    65_536,
    2_147_483_647,
    2_147_483_648,
    -2_147_483_649,
    (1 << 53) - 1,
    1 << 53,
    -(1 << 53),
    i64::MAX,
    i64::MIN,
];

/// A JSON number: small and edge integers, any i64 or u64, and finite floats from tiny to huge.
pub fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (-3i64..20).prop_map(Value::from),
        2 => select(EDGE_INTEGERS).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => prop_oneof![Just(u64::MAX), any::<u64>()].prop_map(Value::from),
        2 => prop_oneof![
            Just(0.5),
            Just(-0.0),
            Just(1.9),
            Just(1e20),
            Just(-1e20),
            Just(1e-300),
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(9_007_199_254_740_993.0),
            any::<f64>(),
        ]
        .prop_map(|x| Number::from_f64(x).map_or(Value::Null, Value::Number)),
    ]
}

/// A string: a meaningful word, a mix of words and odd characters, or any characters.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(WORDS).prop_map(str::to_string),
        2 => prop::collection::vec(
            prop_oneof![
                select(WORDS).prop_map(str::to_string),
                any::<char>().prop_map(String::from),
                prop::char::range('\u{0}', '\u{1f}').prop_map(String::from),
            ],
            0..5
        )
        .prop_map(|parts| parts.concat()),
        1 => any::<String>(),
        1 => (1usize..3000).prop_map(|n| "x".repeat(n)),
    ]
}

/// A leaf value: null, a boolean, a number or a string.
pub fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ]
}

/// Any JSON value whose nesting is at most `depth` and whose arrays and objects hold at most
/// `width` items.
pub fn value(depth: u32, width: usize) -> BoxedStrategy<Value> {
    value_with(leaf().boxed(), depth, width)
}

/// Like [`value`], with the leaves and the object keys given.
pub fn value_with(leaves: BoxedStrategy<Value>, depth: u32, width: usize) -> BoxedStrategy<Value> {
    leaves
        .prop_recursive(
            depth,
            (width * depth as usize).max(1) as u32,
            width as u32,
            move |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..=width).prop_map(Value::Array),
                    object_of(inner, width),
                ]
            },
        )
        .boxed()
}

/// An object of up to `width` values from `values`, with hostile keys.
pub fn object_of(
    values: impl Strategy<Value = Value>,
    width: usize,
) -> impl Strategy<Value = Value> {
    prop::collection::vec((text(), values), 0..=width)
        .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<String, Value>>()))
}

/// `depth` arrays or objects wrapped around `inner`: nesting as deep as a document may get.
pub fn nested(inner: Value, depth: usize, objects: bool) -> Value {
    (0..depth).fold(inner, |value, _| {
        if objects {
            let mut map = Map::new();
            map.insert("a".to_string(), value);
            Value::Object(map)
        } else {
            Value::Array(vec![value])
        }
    })
}

/// Text that is almost JSON: `value` serialized, then cut, with a byte changed, or spliced,
/// and now and then nesting past serde_json's recursion limit.
pub fn near_json_text(value: BoxedStrategy<Value>) -> impl Strategy<Value = String> {
    let edit = prop_oneof![
        Just(Edit::None),
        any::<prop::sample::Index>().prop_map(Edit::Cut),
        (
            any::<prop::sample::Index>(),
            select(
                &[
                    "\"", "{", "}", "[", "]", ",", ":", "\\", "\\u", "\\ud800", "\u{0}", "1e999",
                    "-", "nul", " ", "é"
                ][..]
            )
        )
            .prop_map(|(at, insert)| Edit::Insert(at, insert)),
        (1usize..200, any::<bool>()).prop_map(|(depth, objects)| Edit::Deep(depth, objects)),
    ];
    (value, edit, any::<bool>()).prop_map(|(value, edit, pretty)| {
        let text = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        }
        .unwrap_or_default();
        edit.apply(text)
    })
}

/// One change to a JSON text.
#[derive(Debug, Clone)]
enum Edit {
    None,
    Cut(prop::sample::Index),
    Insert(prop::sample::Index, &'static str),
    Deep(usize, bool),
}

impl Edit {
    fn apply(self, text: String) -> String {
        let boundary = |at: prop::sample::Index| {
            let offsets: Vec<usize> = text
                .char_indices()
                .map(|(offset, _)| offset)
                .chain([text.len()])
                .collect();
            offsets[at.index(offsets.len())]
        };
        match self {
            Edit::None => text,
            Edit::Cut(at) => text[..boundary(at)].to_string(),
            Edit::Insert(at, insert) => {
                let at = boundary(at);
                format!("{}{insert}{}", &text[..at], &text[at..])
            }
            Edit::Deep(depth, objects) => {
                let (open, close) = if objects {
                    ("{\"a\":", "}")
                } else {
                    ("[", "]")
                };
                format!("{}{text}{}", open.repeat(depth), close.repeat(depth))
            }
        }
    }
}
