use instant_runtime::Model;
use instant_runtime::chrono::{DateTime, Utc};
use instant_tests::blog::posts;

// `published_at` is a `datetime` (timestamp without time zone): `Option<NaiveDateTime>`.
#[derive(Clone, Model)]
#[instant(table = posts)]
struct Published {
    title: String,
    published_at: Option<DateTime<Utc>>,
}

fn main() {}
