//! The untyped filter tree behind a [`Condition`](super::Condition), and how it becomes SQL.
//!
//! Conditions keep column *names*, not table-qualified SQL: the table alias is only known when
//! the filter is rendered, because a relationship subquery on the same table (a table that
//! references itself, or a path that comes back to a table) needs its own alias.

use sea_query::extension::postgres::{PgBinOper, PgExpr, PgFunc};
use sea_query::{
    Alias, Condition as SqlCondition, DynIden, Expr, ExprTrait, Keyword as SqlKeyword, LikeExpr,
    Query, SelectStatement, Value,
};

use crate::descriptor::{ColumnInfo, RelationInfo};

/// A filter on the rows of one table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    /// A test on one column of the table.
    Test {
        column: &'static ColumnInfo,
        test: Test,
    },
    /// Every filter holds (`TRUE` when empty).
    All(Vec<Filter>),
    /// At least one filter holds (`FALSE` when empty).
    Any(Vec<Filter>),
    /// The filter does not hold.
    Not(Box<Filter>),
    /// A row related through `relation` exists for which `filter` holds.
    Exists {
        relation: &'static RelationInfo,
        filter: Box<Filter>,
    },
}

/// What a [`Filter::Test`] checks about its column. Every value is bound, never inlined.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    /// `column <op> $1`.
    Compare(Comparison, Value),
    /// A test that needs no value: `IS NULL`, `IS TRUE`, …
    Is(Keyword),
    /// `column [NOT] [I]LIKE $1`; the pattern is complete (escaping already done).
    Like {
        pattern: String,
        case_insensitive: bool,
        negated: bool,
    },
    /// `column = ANY($1)`, `$1` an array.
    In(Value),
    /// `NOT (ARRAY[column] <@ $1)`, instant.dev's form: true for a `NULL` column.
    NotIn(Value),
    /// `[NOT] column @> $1`.
    ArrayContains { values: Value, negated: bool },
    /// `[NOT] column && $1`.
    ArrayIntersects { values: Value, negated: bool },
    /// `column ->> $1 = $2`, or `column ->> $1 IS NULL` when `value` is `None`.
    KeyEq { key: String, value: Option<String> },
    /// `column ? $1` (as `jsonb`).
    HasKey(String),
    /// Never true: a comparison with `NULL` (`column > NULL`).
    Never,
}

/// A binary comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

/// A value-less test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyword {
    Null,
    NotNull,
    True,
    False,
    NotTrue,
    NotFalse,
}

/// The table a filter is rendered against: its alias, and the aliases of the enclosing
/// queries, which a nested subquery must not reuse.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub alias: String,
    taken: Vec<String>,
}

impl Scope {
    /// The query's own table, referenced by its name.
    pub fn root(table: &str) -> Scope {
        Scope {
            alias: table.to_owned(),
            taken: vec![table.to_owned()],
        }
    }

    /// A subquery on `table`: its name when no enclosing query uses it, else `table_2`, …
    pub(crate) fn nested(&self, table: &str) -> Scope {
        let mut alias = table.to_owned();
        let mut suffix = 2;
        while <[String]>::contains(&self.taken, &alias) {
            alias = format!("{table}_{suffix}");
            suffix += 1;
        }
        let mut taken = self.taken.clone();
        taken.push(alias.clone());
        Scope { alias, taken }
    }

    /// `"alias"."column"`.
    pub fn column(&self, name: &str) -> Expr {
        Expr::col((Alias::new(self.alias.as_str()), Alias::new(name)))
    }
}

impl Filter {
    /// `self AND other`, flattening nested `All`s.
    pub fn and(self, other: Filter) -> Filter {
        match (self, other) {
            (Filter::All(mut left), Filter::All(right)) => {
                left.extend(right);
                Filter::All(left)
            }
            (Filter::All(mut left), right) => {
                left.push(right);
                Filter::All(left)
            }
            (left, Filter::All(mut right)) => {
                right.insert(0, left);
                Filter::All(right)
            }
            (left, right) => Filter::All(vec![left, right]),
        }
    }

    /// `self OR other`, flattening nested `Any`s.
    pub fn or(self, other: Filter) -> Filter {
        match (self, other) {
            (Filter::Any(mut left), Filter::Any(right)) => {
                left.extend(right);
                Filter::Any(left)
            }
            (Filter::Any(mut left), right) => {
                left.push(right);
                Filter::Any(left)
            }
            (left, Filter::Any(mut right)) => {
                right.insert(0, left);
                Filter::Any(right)
            }
            (left, right) => Filter::Any(vec![left, right]),
        }
    }

    /// The SQL condition, with columns qualified by `scope`'s alias.
    pub fn render(&self, scope: &Scope) -> SqlCondition {
        match self {
            Filter::Test { column, test } => {
                SqlCondition::all().add(test.render(column_expr(scope, column), column))
            }
            Filter::All(filters) => chain(
                SqlCondition::all,
                filters.iter().map(|filter| filter.render(scope)).collect(),
            ),
            Filter::Any(filters) => chain(
                SqlCondition::any,
                filters.iter().map(|filter| filter.render(scope)).collect(),
            ),
            Filter::Not(filter) => match filter.as_ref() {
                Filter::Exists { relation, filter } => {
                    SqlCondition::all().add(Expr::not_exists(related(relation, filter, scope)))
                }
                other => SqlCondition::all().add(negate(other.render(scope).into())),
            },
            Filter::Exists { relation, filter } => {
                SqlCondition::all().add(Expr::exists(related(relation, filter, scope)))
            }
        }
    }
}

/// `SELECT 1 FROM <related> WHERE <join to scope> AND <filter>`: the subquery of an `EXISTS`.
fn related(relation: &RelationInfo, filter: &Filter, scope: &Scope) -> SelectStatement {
    let inner = scope.nested(relation.to_table);
    let mut select = Query::select();
    select.expr(Expr::cust("1"));
    if inner.alias == relation.to_table {
        select.from(Alias::new(relation.to_table));
    } else {
        select.from_as(
            Alias::new(relation.to_table),
            Alias::new(inner.alias.as_str()),
        );
    }
    let link = inner
        .column(relation.to_column)
        .eq(scope.column(relation.from_column));
    // The join condition and the filter's own terms, side by side.
    let terms = match filter {
        Filter::All(terms) => terms.iter().collect(),
        single => vec![single],
    };
    let mut conditions = Vec::with_capacity(terms.len() + 1);
    conditions.push(SqlCondition::all().add(link));
    conditions.extend(terms.into_iter().map(|term| term.render(&inner)));
    select.cond_where(chain(SqlCondition::all, conditions));
    select
}

/// The most conditions one AND or OR chain holds before it is split into chains of chains.
const CHAIN: usize = 16;

/// `conditions` joined by AND (`kind` is `Condition::all`) or OR (`Condition::any`).
///
/// sea-query renders a chain of `n` conditions as `n - 1` nested binary expressions and
/// renders (and drops) them recursively, so a long chain overflows the stack: 1 000 terms on
/// a 2 MiB thread. A chain of more than [`CHAIN`] conditions is built as a tree of chains of
/// at most [`CHAIN`] each instead, whose depth grows with the logarithm of the length
/// (`a OR b OR … OR (q OR r OR …)`, the same condition). Chains of up to [`CHAIN`] render as
/// they always did.
fn chain(kind: fn() -> SqlCondition, mut conditions: Vec<SqlCondition>) -> SqlCondition {
    while conditions.len() > CHAIN {
        let mut chains = Vec::with_capacity(conditions.len().div_ceil(CHAIN));
        let mut rest = conditions.into_iter().peekable();
        while rest.peek().is_some() {
            chains.push(
                rest.by_ref()
                    .take(CHAIN)
                    .fold(kind(), |chain, condition| chain.add(condition)),
            );
        }
        conditions = chains;
    }
    conditions
        .into_iter()
        .fold(kind(), |chain, condition| chain.add(condition))
}

impl Test {
    fn render(&self, column: Expr, info: &ColumnInfo) -> Expr {
        // `json` has no equality operator; `jsonb` does: `is`, `not`, `in` and `not_in` on a
        // `json` column compare as `jsonb`.
        let column = if info.sql_type == "json"
            && !info.array
            && matches!(self, Test::Compare(..) | Test::In(_) | Test::NotIn(_))
        {
            column.cast_as("jsonb")
        } else {
            column
        };
        match self {
            Test::Compare(comparison, value) => {
                let value = Expr::val(value.clone());
                match comparison {
                    Comparison::Eq => column.eq(value),
                    Comparison::Ne => column.ne(value),
                    Comparison::Lt => column.lt(value),
                    Comparison::Lte => column.lte(value),
                    Comparison::Gt => column.gt(value),
                    Comparison::Gte => column.gte(value),
                }
            }
            Test::Is(test) => match test {
                Keyword::Null => column.is_null(),
                Keyword::NotNull => column.is_not_null(),
                Keyword::True => column.is(keyword("TRUE")),
                Keyword::False => column.is(keyword("FALSE")),
                Keyword::NotTrue => column.is_not(keyword("TRUE")),
                Keyword::NotFalse => column.is_not(keyword("FALSE")),
            },
            Test::Like {
                pattern,
                case_insensitive,
                negated,
            } => {
                let pattern = LikeExpr::new(pattern.as_str());
                match (case_insensitive, negated) {
                    (false, false) => column.like(pattern),
                    (false, true) => column.not_like(pattern),
                    (true, false) => column.ilike(pattern),
                    (true, true) => column.not_ilike(pattern),
                }
            }
            Test::In(values) => column.eq(PgFunc::any(Expr::val(values.clone()))),
            // instant.dev's `NOT (ARRAY[column] <@ $1)`: also true when the column is NULL.
            Test::NotIn(values) => column
                .eq(PgFunc::any(Expr::val(values.clone())))
                .is_not(keyword("TRUE")),
            Test::ArrayContains { values, negated } => {
                let test = column.binary(PgBinOper::Contains, Expr::val(values.clone()));
                if *negated { negate(test) } else { test }
            }
            Test::ArrayIntersects { values, negated } => {
                let test = column.binary(PgBinOper::Overlap, Expr::val(values.clone()));
                if *negated { negate(test) } else { test }
            }
            Test::KeyEq { key, value } => {
                let field = column.binary(PgBinOper::CastJsonField, Expr::val(key.as_str()));
                match value {
                    Some(value) => field.eq(Expr::val(value.as_str())),
                    None => field.is_null(),
                }
            }
            Test::HasKey(key) => {
                let column = if info.sql_type == "jsonb" {
                    column
                } else {
                    column.cast_as("jsonb")
                };
                Expr::cust_with_exprs("$1 ? $2", [column, Expr::val(key.as_str())])
            }
            Test::Never => Expr::cust("FALSE"),
        }
    }
}

/// A bare SQL keyword (`TRUE`), as sea-query has no constant for it.
fn keyword(word: &'static str) -> Expr {
    Expr::Keyword(SqlKeyword::Custom(DynIden::from(word.to_owned())))
}

/// `NOT (expr)`, parenthesized whatever `expr` is, so it reads unambiguously.
fn negate(expr: Expr) -> Expr {
    Expr::cust_with_expr("NOT ($1)", expr)
}

/// The column as a filter reads it: `"alias"."column"`, cast to `text` when the runtime reads
/// the column's type as text.
pub(crate) fn column_expr(scope: &Scope, column: &ColumnInfo) -> Expr {
    let expr = scope.column(column.name);
    if column.read_as_text {
        expr.cast_as("text")
    } else {
        expr
    }
}

/// `value` with the `LIKE` wildcards `%` and `_` and the escape character `\` escaped, so it
/// matches literally (PostgreSQL's default `LIKE` escape character is `\`).
pub(crate) fn escape_like(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_match_literally() {
        assert_eq!(escape_like(r"50%_off\now"), r"50\%\_off\\now");
        assert_eq!(escape_like("plain"), "plain");
    }

    #[test]
    fn nested_scopes_get_fresh_aliases() {
        let root = Scope::root("parents");
        let children = root.nested("children");
        assert_eq!(children.alias, "children");
        let parents = children.nested("parents");
        assert_eq!(parents.alias, "parents_2");
        assert_eq!(parents.nested("parents").alias, "parents_3");
    }
}
