//! Comparators on generated column markers (`pets::name.eq("Ruby")`), instant.dev's where
//! comparators (`name__icontains`, `age__gte`, …) as typed methods.
//!
//! Every column gets [`ColumnExt`]; each method asks the column's Rust type for the marker
//! trait its comparator needs (see [`value`](super::value)), so a comparator the type does not
//! allow fails to compile with a message that says which type it needs:
//!
//! ```compile_fail
//! # use instant_runtime::query::ColumnExt;
//! # use instant_runtime::descriptor::{self, ColumnInfo, TableInfo};
//! # struct Users; impl descriptor::Table for Users { type PrimaryKey = descriptor::NoPrimaryKey; const INFO: &'static TableInfo = &TableInfo { name: "users", model: "User", primary_key: None, columns: &[], relations: &[] }; }
//! # #[allow(non_camel_case_types)] struct id;
//! # impl descriptor::Column for id { type Table = Users; type Value = i64; const NAME: &'static str = "id"; const INFO: &'static ColumnInfo = &ColumnInfo::new("id", "serial", "i64"); }
//! id.icontains("x"); // `i64` is not text
//! ```
//!
//! ```compile_fail
//! # use instant_runtime::query::ColumnExt;
//! # use instant_runtime::descriptor::{self, ColumnInfo, TableInfo};
//! # struct Pets; impl descriptor::Table for Pets { type PrimaryKey = descriptor::NoPrimaryKey; const INFO: &'static TableInfo = &TableInfo { name: "pets", model: "Pet", primary_key: None, columns: &[], relations: &[] }; }
//! # #[allow(non_camel_case_types)] struct details;
//! # impl descriptor::Column for details { type Table = Pets; type Value = Option<serde_json::Value>; const NAME: &'static str = "details"; const INFO: &'static ColumnInfo = &ColumnInfo::new("details", "json", "Option<serde_json::Value>"); }
//! details.gt(serde_json::json!(1)); // JSON has no order
//! ```
//!
//! ```compile_fail
//! # use instant_runtime::query::ColumnExt;
//! # use instant_runtime::descriptor::{self, ColumnInfo, TableInfo};
//! # struct Pets; impl descriptor::Table for Pets { type PrimaryKey = descriptor::NoPrimaryKey; const INFO: &'static TableInfo = &TableInfo { name: "pets", model: "Pet", primary_key: None, columns: &[], relations: &[] }; }
//! # #[allow(non_camel_case_types)] struct details;
//! # impl descriptor::Column for details { type Table = Pets; type Value = Option<serde_json::Value>; const NAME: &'static str = "details"; const INFO: &'static ColumnInfo = &ColumnInfo::new("details", "json", "Option<serde_json::Value>"); }
//! details.array_contains([serde_json::json!(1)]); // JSON is not a PostgreSQL array
//! ```
//!
//! ```compile_fail
//! # use instant_runtime::query::ColumnExt;
//! # use instant_runtime::descriptor::{self, ColumnInfo, TableInfo};
//! # struct Users; impl descriptor::Table for Users { type PrimaryKey = descriptor::NoPrimaryKey; const INFO: &'static TableInfo = &TableInfo { name: "users", model: "User", primary_key: None, columns: &[], relations: &[] }; }
//! # #[allow(non_camel_case_types)] struct id;
//! # impl descriptor::Column for id { type Table = Users; type Value = i64; const NAME: &'static str = "id"; const INFO: &'static ColumnInfo = &ColumnInfo::new("id", "serial", "i64"); }
//! id.eq("1"); // a string is not an `i64`
//! ```

use sea_query::Value;

use crate::descriptor::Column;

use super::condition::Condition;
use super::filter::{Comparison, Filter, Keyword, Test, escape_like};
use super::order::Order;
use super::value::{Array, Boolean, Comparand, Element, Json, Nullable, Ordered, SqlType, Text};

/// Comparators and ordering for every column marker. Bring it into scope with
/// `use instant_runtime::query::ColumnExt` (or the prelude).
///
/// Methods take the marker by value: markers are `Copy` unit structs, and the `is_*` names are
/// instant.dev's comparators.
#[allow(clippy::wrong_self_convention)]
pub trait ColumnExt: Column + Sized {
    /// `column = $1`. `None` becomes `IS NULL`, `true` `IS TRUE` and `false` `IS FALSE`
    /// (instant.dev's `is`, the default comparator).
    fn eq<V>(self, value: V) -> Condition<Self::Table>
    where
        Self::Value: SqlType,
        V: Comparand<Self::Value>,
    {
        let test = match value.into_scalar().map(Into::into) {
            None => Test::Is(Keyword::Null),
            Some(Value::Bool(Some(true))) => Test::Is(Keyword::True),
            Some(Value::Bool(Some(false))) => Test::Is(Keyword::False),
            Some(value) => Test::Compare(Comparison::Eq, value),
        };
        test_on::<Self>(test)
    }

    /// `column <> $1`. `None` becomes `IS NOT NULL`, `true` `IS NOT TRUE` and `false`
    /// `IS NOT FALSE` (instant.dev's `not`). Like SQL, a row whose column is `NULL` is not
    /// "not equal" to a value.
    fn ne<V>(self, value: V) -> Condition<Self::Table>
    where
        Self::Value: SqlType,
        V: Comparand<Self::Value>,
    {
        let test = match value.into_scalar().map(Into::into) {
            None => Test::Is(Keyword::NotNull),
            Some(Value::Bool(Some(true))) => Test::Is(Keyword::NotTrue),
            Some(Value::Bool(Some(false))) => Test::Is(Keyword::NotFalse),
            Some(value) => Test::Compare(Comparison::Ne, value),
        };
        test_on::<Self>(test)
    }

    /// `column < $1`.
    fn lt<V>(self, value: V) -> Condition<Self::Table>
    where
        Self::Value: Ordered,
        V: Comparand<<Self::Value as SqlType>::Scalar>,
        <Self::Value as SqlType>::Scalar: SqlType,
    {
        compare::<Self, _>(Comparison::Lt, value)
    }

    /// `column <= $1`.
    fn lte<V>(self, value: V) -> Condition<Self::Table>
    where
        Self::Value: Ordered,
        V: Comparand<<Self::Value as SqlType>::Scalar>,
        <Self::Value as SqlType>::Scalar: SqlType,
    {
        compare::<Self, _>(Comparison::Lte, value)
    }

    /// `column > $1`.
    fn gt<V>(self, value: V) -> Condition<Self::Table>
    where
        Self::Value: Ordered,
        V: Comparand<<Self::Value as SqlType>::Scalar>,
        <Self::Value as SqlType>::Scalar: SqlType,
    {
        compare::<Self, _>(Comparison::Gt, value)
    }

    /// `column >= $1`.
    fn gte<V>(self, value: V) -> Condition<Self::Table>
    where
        Self::Value: Ordered,
        V: Comparand<<Self::Value as SqlType>::Scalar>,
        <Self::Value as SqlType>::Scalar: SqlType,
    {
        compare::<Self, _>(Comparison::Gte, value)
    }

    /// The text contains `value` literally: `LIKE '%value%'`, with `%`, `_` and `\` in
    /// `value` escaped (instant.dev passes them through as wildcards).
    fn contains(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("%{}%", escape_like(value.as_ref())), false, false)
    }

    /// `NOT LIKE '%value%'`, `value` escaped.
    fn not_contains(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("%{}%", escape_like(value.as_ref())), false, true)
    }

    /// `ILIKE '%value%'` (case-insensitive), `value` escaped.
    fn icontains(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("%{}%", escape_like(value.as_ref())), true, false)
    }

    /// `NOT ILIKE '%value%'`, `value` escaped.
    fn not_icontains(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("%{}%", escape_like(value.as_ref())), true, true)
    }

    /// `LIKE 'value%'`, `value` escaped.
    fn startswith(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("{}%", escape_like(value.as_ref())), false, false)
    }

    /// `NOT LIKE 'value%'`, `value` escaped.
    fn not_startswith(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("{}%", escape_like(value.as_ref())), false, true)
    }

    /// `ILIKE 'value%'`, `value` escaped.
    fn istartswith(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("{}%", escape_like(value.as_ref())), true, false)
    }

    /// `NOT ILIKE 'value%'`, `value` escaped.
    fn not_istartswith(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("{}%", escape_like(value.as_ref())), true, true)
    }

    /// `LIKE '%value'`, `value` escaped.
    fn endswith(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("%{}", escape_like(value.as_ref())), false, false)
    }

    /// `NOT LIKE '%value'`, `value` escaped.
    fn not_endswith(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("%{}", escape_like(value.as_ref())), false, true)
    }

    /// `ILIKE '%value'`, `value` escaped.
    fn iendswith(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("%{}", escape_like(value.as_ref())), true, false)
    }

    /// `NOT ILIKE '%value'`, `value` escaped.
    fn not_iendswith(self, value: impl AsRef<str>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(format!("%{}", escape_like(value.as_ref())), true, true)
    }

    /// `LIKE pattern`: the caller writes the pattern, wildcards included.
    fn like(self, pattern: impl Into<String>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(pattern.into(), false, false)
    }

    /// `NOT LIKE pattern`.
    fn not_like(self, pattern: impl Into<String>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(pattern.into(), false, true)
    }

    /// `ILIKE pattern`.
    fn ilike(self, pattern: impl Into<String>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(pattern.into(), true, false)
    }

    /// `NOT ILIKE pattern`.
    fn not_ilike(self, pattern: impl Into<String>) -> Condition<Self::Table>
    where
        Self::Value: Text,
    {
        like::<Self>(pattern.into(), true, true)
    }

    /// `IS NULL`. Only nullable columns have it: a `NOT NULL` column never is.
    fn is_null(self) -> Condition<Self::Table>
    where
        Self::Value: Nullable,
    {
        test_on::<Self>(Test::Is(Keyword::Null))
    }

    /// `IS NOT NULL`.
    fn not_null(self) -> Condition<Self::Table>
    where
        Self::Value: Nullable,
    {
        test_on::<Self>(Test::Is(Keyword::NotNull))
    }

    /// `IS TRUE`.
    fn is_true(self) -> Condition<Self::Table>
    where
        Self::Value: Boolean,
    {
        test_on::<Self>(Test::Is(Keyword::True))
    }

    /// `IS FALSE`.
    fn is_false(self) -> Condition<Self::Table>
    where
        Self::Value: Boolean,
    {
        test_on::<Self>(Test::Is(Keyword::False))
    }

    /// `IS NOT TRUE`: false or `NULL`.
    fn not_true(self) -> Condition<Self::Table>
    where
        Self::Value: Boolean,
    {
        test_on::<Self>(Test::Is(Keyword::NotTrue))
    }

    /// `IS NOT FALSE`: true or `NULL`.
    fn not_false(self) -> Condition<Self::Table>
    where
        Self::Value: Boolean,
    {
        test_on::<Self>(Test::Is(Keyword::NotFalse))
    }

    /// The column is one of `values`: `column = ANY($1)`, the values bound as one array
    /// (instant.dev writes `ARRAY[column] <@ $1`, which selects the same rows). An empty list
    /// matches nothing.
    fn in_<I, V>(self, values: I) -> Condition<Self::Table>
    where
        Self::Value: SqlType,
        <Self::Value as SqlType>::Scalar: Element,
        I: IntoIterator<Item = V>,
        V: Comparand<<Self::Value as SqlType>::Scalar>,
    {
        test_on::<Self>(Test::In(array(values)))
    }

    /// The column is none of `values`: `NOT (ARRAY[column] <@ $1)`, as instant.dev writes it,
    /// so a row whose column is `NULL` matches, and an empty list matches every row.
    fn not_in<I, V>(self, values: I) -> Condition<Self::Table>
    where
        Self::Value: SqlType,
        <Self::Value as SqlType>::Scalar: Element,
        I: IntoIterator<Item = V>,
        V: Comparand<<Self::Value as SqlType>::Scalar>,
    {
        test_on::<Self>(Test::NotIn(array(values)))
    }

    /// The array column holds every one of `values`: `column @> $1`.
    fn array_contains<I, V>(self, values: I) -> Condition<Self::Table>
    where
        Self::Value: Array,
        I: IntoIterator<Item = V>,
        V: Comparand<<Self::Value as Array>::Element>,
    {
        test_on::<Self>(Test::ArrayContains {
            values: array(values),
            negated: false,
        })
    }

    /// `NOT (column @> $1)`.
    fn not_array_contains<I, V>(self, values: I) -> Condition<Self::Table>
    where
        Self::Value: Array,
        I: IntoIterator<Item = V>,
        V: Comparand<<Self::Value as Array>::Element>,
    {
        test_on::<Self>(Test::ArrayContains {
            values: array(values),
            negated: true,
        })
    }

    /// The array column shares at least one element with `values`: `column && $1`.
    fn array_intersects<I, V>(self, values: I) -> Condition<Self::Table>
    where
        Self::Value: Array,
        I: IntoIterator<Item = V>,
        V: Comparand<<Self::Value as Array>::Element>,
    {
        test_on::<Self>(Test::ArrayIntersects {
            values: array(values),
            negated: false,
        })
    }

    /// `NOT (column && $1)`.
    fn not_array_intersects<I, V>(self, values: I) -> Condition<Self::Table>
    where
        Self::Value: Array,
        I: IntoIterator<Item = V>,
        V: Comparand<<Self::Value as Array>::Element>,
    {
        test_on::<Self>(Test::ArrayIntersects {
            values: array(values),
            negated: true,
        })
    }

    /// The JSON object's `key` equals `value` as text: `column ->> $1 = $2` (instant.dev's
    /// `{details__json: {key: value}}`). `->>` gives text, so a string compares with its
    /// contents, other values with their JSON text (`true`, `42`); `null` becomes `IS NULL`
    /// (the key is missing or null).
    fn key_eq(
        self,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Condition<Self::Table>
    where
        Self::Value: Json,
    {
        let value = match value.into() {
            serde_json::Value::Null => None,
            serde_json::Value::String(text) => Some(text),
            other => Some(other.to_string()),
        };
        test_on::<Self>(Test::KeyEq {
            key: key.into(),
            value,
        })
    }

    /// The JSON object has `key`: `column ? $1` (instant.dev's `jsoncontains`), on a `json`
    /// column through a cast to `jsonb`.
    fn has_key(self, key: impl Into<String>) -> Condition<Self::Table>
    where
        Self::Value: Json,
    {
        test_on::<Self>(Test::HasKey(key.into()))
    }

    /// Ascending order, `NULLS LAST` (as every instant.dev ORDER BY term).
    fn asc(self) -> Order<Self::Table> {
        Order::new(Self::INFO, false)
    }

    /// Descending order, `NULLS LAST`.
    fn desc(self) -> Order<Self::Table> {
        Order::new(Self::INFO, true)
    }
}

impl<C: Column> ColumnExt for C {}

fn test_on<C: Column>(test: Test) -> Condition<C::Table> {
    Condition::new(Filter::Test {
        column: C::INFO,
        test,
    })
}

fn compare<C, V>(comparison: Comparison, value: V) -> Condition<C::Table>
where
    C: Column,
    C::Value: SqlType,
    <C::Value as SqlType>::Scalar: SqlType,
    V: Comparand<<C::Value as SqlType>::Scalar>,
{
    match value.into_scalar() {
        Some(value) => test_on::<C>(Test::Compare(comparison, value.into())),
        // `column < NULL` is never true.
        None => test_on::<C>(Test::Never),
    }
}

fn like<C: Column>(pattern: String, case_insensitive: bool, negated: bool) -> Condition<C::Table> {
    test_on::<C>(Test::Like {
        pattern,
        case_insensitive,
        negated,
    })
}

/// `values` as one array parameter of `E`.
fn array<E, I, V>(values: I) -> Value
where
    E: Element,
    I: IntoIterator<Item = V>,
    V: Comparand<E>,
{
    E::into_array(values.into_iter().filter_map(V::into_scalar).collect())
}
