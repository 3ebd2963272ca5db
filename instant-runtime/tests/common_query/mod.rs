//! Generated-looking schema modules for the query tests, and hand-written `Model` impls.
//!
//! `family.rs` and `types.rs` are instant-codegen's output for `fixtures/family` and
//! `fixtures/types` (copied from its snapshots), so the tests run against exactly the items an
//! application gets, without depending on `#[derive(Model)]`.

#![allow(dead_code)]

pub mod family {
    include!("family.rs");
}

pub mod types {
    include!("types.rs");
}

/// `impl Model` for a struct whose fields are `columns` of `table`, in order, decoded by index:
/// what `#[derive(Model)]` generates, minus validations and change tracking.
macro_rules! model {
    ($model:ty, $table:ident { $($field:ident),* $(,)? }) => {
        impl ::instant_runtime::Hooks for $model {}

        impl ::instant_runtime::Model for $model {
            type Table = $table::Table;
            const COLUMNS: &'static [&'static ::instant_runtime::descriptor::ColumnInfo] =
                &[$(<$table::$field as ::instant_runtime::descriptor::Column>::INFO),*];
            const PRIMARY_KEY: Option<usize> = Some(0);

            fn from_row(row: &postgres::Row) -> Result<Self, postgres::Error> {
                let mut index = 0..;
                Ok(Self {
                    $($field: row.try_get(index.next().unwrap_or_default())?,)*
                })
            }

            fn value(&self, index: usize) -> sea_query::Value {
                let values: Vec<sea_query::Value> = vec![$(self.$field.clone().into()),*];
                values.into_iter().nth(index).unwrap_or(sea_query::Value::Bool(None))
            }

            fn field_eq(&self, other: &Self, index: usize) -> bool {
                self.value(index) == other.value(index)
            }

            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::Null
            }
        }
    };
}

use family::{children, parents, pets};
use types::samples;

model!(
    family::Parent,
    parents {
        id,
        name,
        shirt,
        hidden,
        pantaloons,
        created_at,
        updated_at
    }
);
model!(
    family::Child,
    children {
        id,
        parent_id,
        name,
        age,
        is_favorite,
        license,
        created_at,
        updated_at
    }
);
model!(
    family::Pet,
    pets {
        id,
        parent_id,
        name,
        animal,
        added_at,
        is_alive,
        details,
        created_at,
        updated_at
    }
);

/// A hand-written model naming a subset of `samples`' columns.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleRow {
    pub id: i64,
    pub string_value: String,
    pub int_value: Option<i64>,
    pub numeric_value: Option<rust_decimal::Decimal>,
    pub date_value: Option<chrono::NaiveDate>,
    pub json_value: Option<serde_json::Value>,
    pub jsonb_value: Option<serde_json::Value>,
    pub string_array: Option<Vec<String>>,
    pub text_array: Vec<String>,
}

model!(
    SampleRow,
    samples {
        id,
        string_value,
        int_value,
        numeric_value,
        date_value,
        json_value,
        jsonb_value,
        string_array,
        text_array,
    }
);
