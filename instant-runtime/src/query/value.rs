//! Which Rust types a column can hold, which values compare with them, and which comparators
//! each type allows.
//!
//! A column's `Value` (its model field's type) picks its comparators through marker traits:
//! text comparators need [`Text`], `lt`/`gt` need [`Ordered`], JSON key tests need [`Json`],
//! array operators need [`Array`], `is_true`/`is_false` need [`Boolean`], `is_null` needs
//! [`Nullable`]. A comparator on a column whose type lacks the marker does not compile, and the
//! compiler's message says why.

use sea_query::Value;

/// A Rust type a column can hold and a filter can compare: a scalar `S` or `Option<S>`.
#[diagnostic::on_unimplemented(
    message = "columns of type `{Self}` cannot be compared in a query",
    label = "no comparison for `{Self}` columns"
)]
pub trait SqlType: 'static {
    /// The non-null type: `S` for both `S` and `Option<S>`.
    type Scalar: Into<Value> + Clone + 'static;
}

/// A Rust value that can be compared with a column of type `F`: the column's own type, its
/// non-null type for a nullable column (`"Ruby"` or `None` for an `Option<String>` column),
/// a reference to it, and `&str` for text.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with a column of type `{F}`",
    label = "expected a value of type `{F}`"
)]
pub trait Comparand<F: SqlType> {
    /// The value to bind, or `None` for SQL `NULL`.
    fn into_scalar(self) -> Option<F::Scalar>;
}

/// A type that can be an element of a PostgreSQL array parameter (`= ANY($1)`, `@>`, `&&`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` values cannot be bound as a PostgreSQL array",
    label = "no array of `{Self}`"
)]
pub trait Element: SqlType<Scalar = Self> + Into<Value> + Clone {
    /// `items` as one array value.
    fn into_array(items: Vec<Self>) -> Value;
}

/// Types with an order: numbers, text, dates and times, decimals, uuids (`lt`, `gte`, …).
#[diagnostic::on_unimplemented(
    message = "`{Self}` columns have no order: `lt`/`lte`/`gt`/`gte` need a number, text, date, time, decimal or uuid column"
)]
pub trait Ordered: SqlType {}

/// Text columns (`String`, `Option<String>`): `contains`, `like` and their variants.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not text: text comparators (contains, startswith, like, …) need a `String` column"
)]
pub trait Text: SqlType<Scalar = String> {}

/// Boolean columns: `is_true`, `is_false`, `not_true`, `not_false`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not boolean: `is_true`/`is_false`/`not_true`/`not_false` need a `bool` column"
)]
pub trait Boolean: SqlType<Scalar = bool> {}

/// JSON columns (`serde_json::Value`): key equality and key existence.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not JSON: `key_eq`/`has_key` need a `serde_json::Value` column"
)]
pub trait Json: SqlType<Scalar = serde_json::Value> {}

/// PostgreSQL array columns (`Vec<E>`, `Option<Vec<E>>`): `array_contains`, `array_intersects`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an array: `array_contains`/`array_intersects` need a `Vec<_>` array column"
)]
pub trait Array: SqlType {
    /// The type of the array's elements.
    type Element: Element;
}

/// pgvector columns (`pgvector::Vector`): `search`, `similarity`, `classify`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a vector: `search`/`similarity`/`classify` need a `pgvector::Vector` column"
)]
pub trait Embedding: SqlType<Scalar = pgvector::Vector> {}

/// Nullable columns (`Option<T>`): `is_null`, `not_null`. A `NOT NULL` column never is.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not nullable: `is_null`/`not_null` need an `Option<_>` column (this column is NOT NULL)"
)]
pub trait Nullable {}

impl<T> Nullable for Option<T> {}

/// A scalar: a column type of its own, `Option` of it, the comparands of both.
macro_rules! scalar {
    ($($scalar:ty),* $(,)?) => {$(
        impl SqlType for $scalar {
            type Scalar = $scalar;
        }
        impl SqlType for Option<$scalar> {
            type Scalar = $scalar;
        }
        impl Comparand<$scalar> for $scalar {
            fn into_scalar(self) -> Option<$scalar> {
                Some(self)
            }
        }
        impl Comparand<$scalar> for &$scalar {
            fn into_scalar(self) -> Option<$scalar> {
                Some(self.clone())
            }
        }
        impl Comparand<Option<$scalar>> for $scalar {
            fn into_scalar(self) -> Option<$scalar> {
                Some(self)
            }
        }
        impl Comparand<Option<$scalar>> for &$scalar {
            fn into_scalar(self) -> Option<$scalar> {
                Some(self.clone())
            }
        }
        impl Comparand<Option<$scalar>> for Option<$scalar> {
            fn into_scalar(self) -> Option<$scalar> {
                self
            }
        }
    )*};
}

/// A scalar that can also be an array element.
macro_rules! element {
    ($($scalar:ty),* $(,)?) => {$(
        scalar!($scalar);
        impl Element for $scalar {
            fn into_array(items: Vec<Self>) -> Value {
                items.into()
            }
        }
    )*};
}

/// A marker trait for a scalar and its `Option`.
macro_rules! mark {
    ($marker:ident: $($scalar:ty),* $(,)?) => {$(
        impl $marker for $scalar {}
        impl $marker for Option<$scalar> {}
    )*};
}

element!(
    bool,
    i16,
    i32,
    i64,
    f32,
    f64,
    String,
    Vec<u8>,
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>,
    rust_decimal::Decimal,
    uuid::Uuid,
    serde_json::Value,
);
scalar!(pgvector::Vector);

mark!(Ordered: i16, i32, i64, f32, f64, String, rust_decimal::Decimal, uuid::Uuid);
mark!(Ordered: chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime);
mark!(Ordered: chrono::DateTime<chrono::Utc>);
mark!(Text: String);
mark!(Boolean: bool);
mark!(Json: serde_json::Value);
mark!(Embedding: pgvector::Vector);

impl Comparand<String> for &str {
    fn into_scalar(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl Comparand<Option<String>> for &str {
    fn into_scalar(self) -> Option<String> {
        Some(self.to_owned())
    }
}

// PostgreSQL arrays (`array: true` columns). `Vec<u8>` is `bytea`, not an array: `u8` is not
// an `Element`.
impl<E: Element> SqlType for Vec<E>
where
    Vec<E>: Into<Value>,
{
    type Scalar = Vec<E>;
}

impl<E: Element> SqlType for Option<Vec<E>>
where
    Vec<E>: Into<Value>,
{
    type Scalar = Vec<E>;
}

impl<E: Element> Array for Vec<E>
where
    Vec<E>: Into<Value>,
{
    type Element = E;
}

impl<E: Element> Array for Option<Vec<E>>
where
    Vec<E>: Into<Value>,
{
    type Element = E;
}

impl<E: Element> Comparand<Vec<E>> for Vec<E>
where
    Vec<E>: Into<Value>,
{
    fn into_scalar(self) -> Option<Vec<E>> {
        Some(self)
    }
}

impl<E: Element> Comparand<Option<Vec<E>>> for Vec<E>
where
    Vec<E>: Into<Value>,
{
    fn into_scalar(self) -> Option<Vec<E>> {
        Some(self)
    }
}

impl<E: Element> Comparand<Option<Vec<E>>> for Option<Vec<E>>
where
    Vec<E>: Into<Value>,
{
    fn into_scalar(self) -> Option<Vec<E>> {
        self
    }
}
