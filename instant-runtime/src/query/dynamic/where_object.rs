//! instant.dev's where-objects (`{"name__icontains": "a", "pets__animal": "Cat"}`) read at run
//! time against the schema's descriptors, into the same filters the typed API builds.
//!
//! - Several objects (an array) are ORed; the keys of one object are ANDed.
//! - A key is `[relationship__…]column[__comparator]`; the comparator defaults to `is`.
//! - `null`, `true` and `false` with `is`/`not` become `IS [NOT] NULL/TRUE/FALSE`.
//! - An array value with a comparator that takes one value repeats the condition once per
//!   element, ANDed (`{"name__icontains": ["a", "e"]}`).
//! - The relationship keys of one object are grouped by path into one EXISTS per path, so all
//!   of them must hold for the same related row, at any depth.
//! - `__order` (`"name DESC NULLS FIRST"`, or an array of them), `__offset` and `__count` are
//!   directives, not conditions.
//!
//! Unlike instant.dev, an unknown column, relationship or comparator is an error that lists
//! what is valid (instant.dev silently ignores unknown columns), and so is anything the query
//! would otherwise change without saying: a number that is not an integer (or out of range)
//! for an integer column, an order term that is not `column [ASC|DESC] [NULLS FIRST|LAST]`,
//! a count or offset that is not a whole number PostgreSQL takes. What one document may ask
//! for is bounded by [`Limits`].

use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

use super::value::{array_value, scalar, scalar_value};
use crate::descriptor::{ColumnInfo, RelationInfo, TableInfo};
use crate::error::{Error, Result};
use crate::limits::{Limits, exceeded, grouped};
use crate::query::filter::{Comparison, Filter, Keyword, Test, escape_like};

/// What a where-object asks for besides conditions.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Directives {
    pub order: Vec<Sort>,
    pub offset: Option<u64>,
    pub count: Option<u64>,
}

/// One term of an order: `column [ASC|DESC] [NULLS FIRST|LAST]` (NULLs last unless asked).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sort {
    pub column: &'static ColumnInfo,
    pub descending: bool,
    pub nulls_first: bool,
}

/// How hidden fields are treated: refused like any unknown name, or dropped (`safe_where`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hidden<'a> {
    /// The root table's hidden fields.
    pub fields: &'a [&'static str],
    /// Drop conditions and orders on them instead of applying them.
    pub drop: bool,
}

/// Reads a where-object (or an array of them) for `table`, within `limits`.
pub(crate) fn parse(
    table: &'static TableInfo,
    schema: &[&'static TableInfo],
    value: &Json,
    hidden: Hidden<'_>,
    limits: &Limits,
) -> Result<(Filter, Directives)> {
    limits.check_json_depth(value, "where")?;
    if let Json::Array(items) = value
        && items.len() > limits.max_where_terms
    {
        return Err(exceeded(
            "where",
            &format!("OR list has {} where-objects", grouped(items.len())),
            limits.max_where_terms,
            "max_where_terms",
        ));
    }
    let mut directives = Directives::default();
    let objects: Vec<(&Map<String, Json>, String)> = match value {
        Json::Object(object) => vec![(object, "where".to_string())],
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| match item {
                Json::Object(object) => Ok((object, format!("where[{index}]"))),
                other => Err(invalid(
                    &format!("where[{index}]"),
                    format!("must be an object of conditions, found {other}"),
                )),
            })
            .collect::<Result<_>>()?,
        Json::Null => Vec::new(),
        other => {
            return Err(invalid(
                "where",
                format!("must be an object of conditions (or an array of them), found {other}"),
            ));
        }
    };
    let mut alternatives = Vec::with_capacity(objects.len());
    for (object, at) in objects {
        let filter = parse_object(table, schema, object, &at, hidden, limits, &mut directives)?;
        alternatives.push(filter);
    }
    let filter = match alternatives.len() {
        0 => Filter::All(Vec::new()),
        1 => alternatives.remove(0),
        _ => Filter::Any(alternatives),
    };
    Ok((filter, directives))
}

fn parse_object(
    table: &'static TableInfo,
    schema: &[&'static TableInfo],
    object: &Map<String, Json>,
    at: &str,
    hidden: Hidden<'_>,
    limits: &Limits,
    directives: &mut Directives,
) -> Result<Filter> {
    if object.len() > limits.max_where_terms {
        return Err(exceeded(
            at,
            &format!("where-object has {} terms", grouped(object.len())),
            limits.max_where_terms,
            "max_where_terms",
        ));
    }
    let mut own = Vec::new();
    // Conditions through relationships, grouped by path (the relationship names joined).
    let mut by_path: IndexMap<Vec<&'static RelationInfo>, Vec<Filter>> = IndexMap::new();
    for (key, value) in object {
        let at = format!("{at}.{}", located(key));
        match key.as_str() {
            "__order" => {
                directives
                    .order
                    .extend(order(table, value, &at, hidden, limits)?);
                continue;
            }
            "__offset" => {
                directives.offset = Some(whole_number(value, &at)?);
                continue;
            }
            "__count" => {
                directives.count = Some(whole_number(value, &at)?);
                continue;
            }
            _ => {}
        }
        let (path, column, comparator) = resolve(table, schema, key, &at)?;
        if path.len() > limits.max_path_hops {
            return Err(exceeded(
                &at,
                &format!("path walks {} relationships", grouped(path.len())),
                limits.max_path_hops,
                "max_path_hops",
            ));
        }
        if path.is_empty() && hidden.fields.contains(&column.name) {
            if hidden.drop {
                continue;
            }
            return Err(invalid(&at, format!("`{}` is hidden", column.name)));
        }
        let filter = condition(column, comparator, value, &at, limits)?;
        if path.is_empty() {
            own.push(filter);
        } else {
            by_path.entry(path).or_default().push(filter);
        }
    }
    for (path, filters) in by_path {
        let mut filter = Filter::All(filters);
        for relation in path.into_iter().rev() {
            filter = Filter::Exists {
                relation,
                filter: Box::new(filter),
            };
        }
        own.push(filter);
    }
    Ok(Filter::All(own))
}

/// The relationships walked, the column and the comparator of a key.
fn resolve(
    table: &'static TableInfo,
    schema: &[&'static TableInfo],
    key: &str,
    at: &str,
) -> Result<(
    Vec<&'static RelationInfo>,
    &'static ColumnInfo,
    &'static str,
)> {
    let segments: Vec<&str> = key.split("__").collect();
    let mut current = table;
    let mut path = Vec::new();
    let mut index = 0;
    while index < segments.len() {
        let segment = segments[index];
        if let Some(column) = current.column(segment) {
            let comparator = match &segments[index + 1..] {
                [] => "is",
                [comparator] => comparator_name(comparator, at)?,
                rest => {
                    return Err(invalid(
                        at,
                        format!(
                            "`{}` follows column `{segment}`: expected one comparator",
                            rest.join("__")
                        ),
                    ));
                }
            };
            return Ok((path, column, comparator));
        }
        if let Some(relation) = current.relation(segment)
            && index + 1 < segments.len()
        {
            path.push(relation);
            current = schema
                .iter()
                .copied()
                .find(|info| info.name == relation.to_table)
                .ok_or_else(|| {
                    invalid(
                        at,
                        format!("table `{}` is not in the schema", relation.to_table),
                    )
                })?;
            index += 1;
            continue;
        }
        return Err(invalid(at, unknown(current, segment)));
    }
    Err(invalid(at, "expected a column".to_string()))
}

/// `"x" is not a column or relationship of parents; columns: …; relationships: …`.
fn unknown(table: &TableInfo, name: &str) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|column| column.name).collect();
    let relations: Vec<&str> = table
        .relations
        .iter()
        .map(|relation| relation.name)
        .collect();
    let mut message = format!(
        "\"{name}\" is not a column or relationship of `{}`; columns: {}",
        table.name,
        columns.join(", ")
    );
    if !relations.is_empty() {
        message.push_str(&format!("; relationships: {}", relations.join(", ")));
    }
    message
}

/// Every comparator a where-object key may end in (`name__icontains`), instant.dev's list;
/// which of them a column takes depends on its type.
pub const COMPARATORS: &[&str] = &[
    "is",
    "not",
    "lt",
    "lte",
    "gt",
    "gte",
    "contains",
    "not_contains",
    "icontains",
    "not_icontains",
    "startswith",
    "not_startswith",
    "istartswith",
    "not_istartswith",
    "endswith",
    "not_endswith",
    "iendswith",
    "not_iendswith",
    "like",
    "not_like",
    "ilike",
    "not_ilike",
    "is_null",
    "not_null",
    "is_true",
    "is_false",
    "not_true",
    "not_false",
    "in",
    "not_in",
    "array_contains",
    "not_array_contains",
    "array_intersects",
    "not_array_intersects",
    "json",
    "jsoncontains",
];

fn comparator_name(name: &str, at: &str) -> Result<&'static str> {
    COMPARATORS
        .iter()
        .copied()
        .find(|known| *known == name)
        .ok_or_else(|| {
            invalid(
                at,
                format!(
                    "unknown comparator `{name}`; comparators: {}",
                    COMPARATORS.join(", ")
                ),
            )
        })
}

/// Whether `column` takes `comparator`: exactly what the typed API compiles (its marker
/// traits in [`query::value`](crate::query::value)), so a comparator PostgreSQL cannot apply to
/// the column, or would apply to a value bound in a shape the column does not have (an array
/// for `details @> $1` on a `json` column), is refused before anything is built or sent.
/// instant.dev sends such a condition and the server fails it, or, for `[]` on `jsonb`,
/// matches every object.
fn takes(column: &ColumnInfo, comparator: &str) -> bool {
    let scalar = scalar(column);
    let scalar_of = |types: &[&str]| !column.array && types.contains(&scalar);
    match comparator {
        "array_contains" | "not_array_contains" | "array_intersects" | "not_array_intersects" => {
            column.array
        }
        "json" | "jsoncontains" => scalar_of(&["serde_json::Value"]),
        "is_true" | "is_false" | "not_true" | "not_false" => scalar_of(&["bool"]),
        "lt" | "lte" | "gt" | "gte" => scalar_of(ORDERED),
        "contains" | "not_contains" | "icontains" | "not_icontains" | "startswith"
        | "not_startswith" | "istartswith" | "not_istartswith" | "endswith" | "not_endswith"
        | "iendswith" | "not_iendswith" | "like" | "not_like" | "ilike" | "not_ilike" => {
            scalar_of(&["String"])
        }
        _ => true,
    }
}

/// The scalar types with an order (the typed API's `Ordered`).
const ORDERED: &[&str] = &[
    "i16",
    "i32",
    "i64",
    "f32",
    "f64",
    "String",
    "rust_decimal::Decimal",
    "uuid::Uuid",
    "chrono::NaiveDate",
    "chrono::NaiveTime",
    "chrono::NaiveDateTime",
    "chrono::DateTime<chrono::Utc>",
];

/// "comparator `array_contains` does not apply to column `details` (json); it takes: is, …".
fn not_taken(column: &ColumnInfo, comparator: &str) -> String {
    let taken: Vec<&str> = COMPARATORS
        .iter()
        .copied()
        .filter(|known| takes(column, known))
        .collect();
    format!(
        "comparator `{comparator}` does not apply to column `{}` ({}{}); it takes: {}",
        column.name,
        column.sql_type,
        if column.array { " array" } else { "" },
        taken.join(", ")
    )
}

/// The test an `is_null`-style comparator asks for. instant.dev ignores the value, so
/// `deleted_at__is_null: false` still meant `IS NULL`; here `true` asks for the test the
/// comparator names and `false` for its opposite (`is_null: false` is `IS NOT NULL`), and any
/// other value is an error rather than a guess.
fn keyword_test(comparator: &str, value: &Json) -> std::result::Result<Keyword, String> {
    let (named, opposite) = match comparator {
        "is_null" => (Keyword::Null, Keyword::NotNull),
        "not_null" => (Keyword::NotNull, Keyword::Null),
        "is_true" => (Keyword::True, Keyword::NotTrue),
        "not_true" => (Keyword::NotTrue, Keyword::True),
        "is_false" => (Keyword::False, Keyword::NotFalse),
        _ => (Keyword::NotFalse, Keyword::False),
    };
    match value {
        Json::Bool(true) => Ok(named),
        Json::Bool(false) => Ok(opposite),
        other => Err(format!(
            "`{comparator}` takes true (the test) or false (its opposite), found {other}"
        )),
    }
}

/// The condition of one key.
fn condition(
    column: &'static ColumnInfo,
    comparator: &str,
    value: &Json,
    at: &str,
    limits: &Limits,
) -> Result<Filter> {
    if !takes(column, comparator) {
        return Err(invalid(at, not_taken(column, comparator)));
    }
    if let Json::Array(items) = value
        && items.len() > limits.max_array_values
    {
        return Err(exceeded(
            at,
            &format!("array has {} values", grouped(items.len())),
            limits.max_array_values,
            "max_array_values",
        ));
    }
    let test = |test: Test| Filter::Test { column, test };
    // One value per condition: an array repeats the condition per element, ANDed.
    let takes_one = !matches!(
        comparator,
        "in" | "not_in"
            | "array_contains"
            | "not_array_contains"
            | "array_intersects"
            | "not_array_intersects"
            | "json"
            | "is_null"
            | "not_null"
            | "is_true"
            | "is_false"
            | "not_true"
            | "not_false"
    );
    if takes_one
        && let Json::Array(items) = value
        && !column.array
    {
        let filters = items
            .iter()
            .map(|item| condition(column, comparator, item, at, limits))
            .collect::<Result<Vec<_>>>()?;
        return Ok(Filter::All(filters));
    }
    let fail = |message: String| invalid(at, message);
    let one = || scalar_value(column, value).map_err(fail);
    let text = || match value {
        Json::String(text) => Ok(text.clone()),
        Json::Number(number) => Ok(number.to_string()),
        other => Err(fail(format!("must be a string, found {other}"))),
    };
    let like = |pattern: String, case_insensitive: bool, negated: bool| {
        test(Test::Like {
            pattern,
            case_insensitive,
            negated,
        })
    };
    Ok(match comparator {
        "is" | "not" => {
            let negated = comparator == "not";
            match value {
                Json::Null => test(Test::Is(if negated {
                    Keyword::NotNull
                } else {
                    Keyword::Null
                })),
                Json::Bool(true) => test(Test::Is(if negated {
                    Keyword::NotTrue
                } else {
                    Keyword::True
                })),
                Json::Bool(false) => test(Test::Is(if negated {
                    Keyword::NotFalse
                } else {
                    Keyword::False
                })),
                _ => test(Test::Compare(
                    if negated {
                        Comparison::Ne
                    } else {
                        Comparison::Eq
                    },
                    one()?,
                )),
            }
        }
        "lt" | "lte" | "gt" | "gte" => {
            if value.is_null() {
                test(Test::Never)
            } else {
                let comparison = match comparator {
                    "lt" => Comparison::Lt,
                    "lte" => Comparison::Lte,
                    "gt" => Comparison::Gt,
                    _ => Comparison::Gte,
                };
                test(Test::Compare(comparison, one()?))
            }
        }
        "contains" | "not_contains" | "icontains" | "not_icontains" => like(
            format!("%{}%", escape_like(&text()?)),
            comparator.contains("icontains"),
            comparator.starts_with("not_"),
        ),
        "startswith" | "not_startswith" | "istartswith" | "not_istartswith" => like(
            format!("{}%", escape_like(&text()?)),
            comparator.contains("istartswith"),
            comparator.starts_with("not_"),
        ),
        "endswith" | "not_endswith" | "iendswith" | "not_iendswith" => like(
            format!("%{}", escape_like(&text()?)),
            comparator.contains("iendswith"),
            comparator.starts_with("not_"),
        ),
        "like" | "not_like" | "ilike" | "not_ilike" => like(
            text()?,
            comparator.contains("ilike"),
            comparator.starts_with("not_"),
        ),
        "is_null" | "not_null" | "is_true" | "is_false" | "not_true" | "not_false" => {
            test(Test::Is(keyword_test(comparator, value).map_err(fail)?))
        }
        "in" => test(Test::In(array_value(column, value).map_err(fail)?)),
        "not_in" => test(Test::NotIn(array_value(column, value).map_err(fail)?)),
        "array_contains" | "not_array_contains" => test(Test::ArrayContains {
            values: array_value(column, value).map_err(fail)?,
            negated: comparator.starts_with("not_"),
        }),
        "array_intersects" | "not_array_intersects" => test(Test::ArrayIntersects {
            values: array_value(column, value).map_err(fail)?,
            negated: comparator.starts_with("not_"),
        }),
        "json" => match value {
            Json::Object(keys) if keys.len() > limits.max_where_terms => {
                return Err(exceeded(
                    at,
                    &format!("object has {} keys", grouped(keys.len())),
                    limits.max_where_terms,
                    "max_where_terms",
                ));
            }
            Json::Object(keys) => Filter::All(
                keys.iter()
                    .map(|(key, value)| {
                        test(Test::KeyEq {
                            key: key.clone(),
                            value: match value {
                                Json::Null => None,
                                Json::String(text) => Some(text.clone()),
                                other => Some(other.to_string()),
                            },
                        })
                    })
                    .collect(),
            ),
            other => return Err(fail(format!("must be an object of keys, found {other}"))),
        },
        "jsoncontains" => test(Test::HasKey(text()?)),
        other => return Err(fail(format!("unknown comparator `{other}`"))),
    })
}

/// `__order` (and a nested query's `order`): `"name"`, `"name DESC"`,
/// `"name desc nulls first"`, or an array of them. Exactly `column [ASC|DESC] [NULLS
/// FIRST|LAST]`, case-insensitive: anything else is an error rather than an order other than
/// the one asked for.
pub(crate) fn order(
    table: &'static TableInfo,
    value: &Json,
    at: &str,
    hidden: Hidden<'_>,
    limits: &Limits,
) -> Result<Vec<Sort>> {
    const GRAMMAR: &str = "\"column [ASC|DESC] [NULLS FIRST|LAST]\"";
    let terms: Vec<&Json> = match value {
        Json::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    if terms.len() > limits.max_where_terms {
        return Err(exceeded(
            at,
            &format!("order has {} terms", grouped(terms.len())),
            limits.max_where_terms,
            "max_where_terms",
        ));
    }
    let mut order = Vec::new();
    for term in terms {
        let Some(text) = term.as_str() else {
            return Err(invalid(at, format!("must be {GRAMMAR}, found {term}")));
        };
        let words: Vec<String> = text
            .split_whitespace()
            .map(str::to_ascii_uppercase)
            .collect();
        let Some(name) = text.split_whitespace().next() else {
            return Err(invalid(at, format!("must be {GRAMMAR}, found \"\"")));
        };
        let rest: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let (descending, nulls_first) = match rest.as_slice() {
            [] => (false, false),
            ["ASC"] => (false, false),
            ["DESC"] => (true, false),
            ["NULLS", "FIRST"] => (false, true),
            ["NULLS", "LAST"] => (false, false),
            ["ASC", "NULLS", "FIRST"] => (false, true),
            ["ASC", "NULLS", "LAST"] => (false, false),
            ["DESC", "NULLS", "FIRST"] => (true, true),
            ["DESC", "NULLS", "LAST"] => (true, false),
            _ => {
                return Err(invalid(
                    at,
                    format!("must be {GRAMMAR}, found {}", Json::from(text)),
                ));
            }
        };
        let column = table
            .column(name)
            .ok_or_else(|| invalid(at, unknown(table, name)))?;
        if hidden.fields.contains(&column.name) {
            if hidden.drop {
                continue;
            }
            return Err(invalid(at, format!("`{}` is hidden", column.name)));
        }
        order.push(Sort {
            column,
            descending,
            nulls_first,
        });
    }
    Ok(order)
}

/// A count or offset: a whole number PostgreSQL's `LIMIT`/`OFFSET` take (a `bigint`), as a
/// JSON number or a string of digits.
pub(crate) fn whole_number(value: &Json, at: &str) -> Result<u64> {
    let parsed = match value {
        Json::Number(number) => number.as_u64(),
        Json::String(text) => text.trim().parse::<u64>().ok(),
        _ => None,
    };
    parsed
        .filter(|number| i64::try_from(*number).is_ok())
        .ok_or_else(|| {
            invalid(
                at,
                format!(
                    "must be a whole number from 0 to {}, found {value}",
                    i64::MAX
                ),
            )
        })
}

/// A key as an error's location names it: cut short after 64 characters, so that the error
/// about a path of thousands of hops stays readable.
fn located(key: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 64;
    match key.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &key[..end]).into(),
        None => key.into(),
    }
}

fn invalid(at: &str, message: impl Into<String>) -> Error {
    Error::Input {
        message: format!("{at}: {}", message.into()),
    }
}
