//! Models shared by the query tests.

use instant_runtime::Model;
use instant_tests::types::samples;

/// A hand-written model naming a subset of `samples`' columns (the NOT NULL ones without a
/// default, which the derive requires, and a few to filter on).
#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = samples)]
pub struct SampleRow {
    pub id: i64,
    pub string_value: String,
    pub int_value: Option<i64>,
    pub smallint_value: i32,
    pub numeric_value: Option<rust_decimal::Decimal>,
    pub date_value: Option<chrono::NaiveDate>,
    pub json_value: Option<serde_json::Value>,
    pub jsonb_value: Option<serde_json::Value>,
    pub string_array: Option<Vec<String>>,
    pub text_array: Vec<String>,
    pub uuid_value: instant_runtime::uuid::Uuid,
}
