//! The synthetic schema the history builds towards: which tables, which columns with which
//! types, which foreign keys and indexes, and how each column got into its final shape (created
//! as it is, created under an old name or with an old type, or added later).
//!
//! Everything comes from a fixed-seed generator, so every run designs the same schema.

use instant_schema::inflection::singularize;
use instant_schema::{Column, ColumnProperties};

/// How big the project is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub tables: usize,
    /// Every column of the final schema, the implicit `id`, `created_at`, `updated_at` included.
    pub columns: usize,
    /// Migration files, the initial `setSchema` one included.
    pub migrations: usize,
}

/// One table of the final schema and where its history starts.
#[derive(Debug, Clone)]
pub struct TableDesign {
    pub name: String,
    /// The name `createTable` used; a few tables are renamed right after.
    pub created_as: String,
    /// The migration (1-based file number) that creates the table.
    pub created_in: usize,
    /// The columns besides the implicit ones, in their final order.
    pub columns: Vec<ColumnDesign>,
    /// Foreign keys: the column of this table and the index of the parent table (its `id`).
    pub references: Vec<(String, usize)>,
    /// Columns that get a B-tree index.
    pub indexes: Vec<String>,
    /// An index created and later dropped again.
    pub dropped_index: Option<String>,
    /// A column added and later dropped again.
    pub dropped_column: Option<Column>,
}

/// One column and how it reached its final shape.
#[derive(Debug, Clone)]
pub struct ColumnDesign {
    pub column: Column,
    pub history: ColumnHistory,
}

/// How a column reached its final shape.
#[derive(Debug, Clone)]
pub enum ColumnHistory {
    /// In `createTable`, as it is now.
    Created,
    /// In `createTable` under another name, then `renameColumn`.
    Renamed { old_name: String },
    /// In `createTable` with another type or without its properties, then `alterColumn`.
    Altered { old: Column },
    /// `addColumn` after the table was created; `batch` says which of the later migrations.
    Added { batch: usize },
}

impl TableDesign {
    /// The migration from which the table has its final name.
    pub fn ready_in(&self) -> usize {
        self.created_in + usize::from(self.created_as != self.name)
    }
}

/// A SplitMix64 generator: deterministic, tiny, good enough to spread choices evenly.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Business areas; each holds `ENTITIES.len()` tables named `{area}_{entity}`.
const AREAS: &[&str] = &[
    "billing",
    "crm",
    "inventory",
    "shipping",
    "staff",
    "payroll",
    "support",
    "marketing",
    "analytics",
    "catalog",
    "identity",
    "audit",
    "content",
    "forum",
    "chat",
    "calendar",
    "booking",
    "fleet",
    "warehouse",
    "procurement",
    "finance",
    "tax",
    "legal",
    "compliance",
    "sales",
    "pricing",
    "loyalty",
    "survey",
    "learning",
    "library",
    "clinic",
    "pharmacy",
    "lab",
    "insurance",
    "claims",
    "logistics",
    "venue",
    "ticketing",
    "media",
    "music",
    "video",
    "gaming",
    "sport",
    "travel",
    "hotel",
    "restaurant",
    "recipe",
    "garden",
    "energy",
    "telemetry",
];

/// Plural nouns with regular inflection; the first of an area is its root table.
const ENTITIES: &[&str] = &[
    "accounts",
    "records",
    "entries",
    "items",
    "notes",
    "tags",
    "reports",
    "tasks",
    "documents",
    "reviews",
];

/// Column types with their weight (out of 100) and the names columns of that type get.
const TYPES: &[(&str, usize, &[&str])] = &[
    (
        "string",
        24,
        &[
            "name",
            "title",
            "code",
            "email",
            "slug",
            "status",
            "label",
            "reference",
            "phone",
            "city",
            "country",
            "currency",
            "locale",
            "username",
            "source",
            "kind",
            "category",
            "color",
            "version",
            "channel",
        ],
    ),
    (
        "text",
        8,
        &[
            "description",
            "body",
            "summary",
            "notes_text",
            "content",
            "comment",
            "details",
            "bio",
            "instructions",
            "remarks",
        ],
    ),
    (
        "int",
        14,
        &[
            "quantity", "position", "priority", "counter", "score", "rank", "attempts", "level",
            "duration", "weight",
        ],
    ),
    (
        "bigint",
        5,
        &[
            "total_bytes",
            "views",
            "revision",
            "sequence",
            "checksum",
            "external_number",
        ],
    ),
    (
        "float",
        8,
        &[
            "amount",
            "price",
            "rate",
            "latitude",
            "longitude",
            "ratio",
            "percentage",
            "balance",
            "cost",
            "discount",
        ],
    ),
    (
        "boolean",
        12,
        &[
            "is_active",
            "is_archived",
            "is_public",
            "is_verified",
            "is_default",
            "enabled",
            "visible",
            "locked",
            "approved",
            "flagged",
        ],
    ),
    (
        "datetime",
        12,
        &[
            "published_at",
            "starts_at",
            "ends_at",
            "expires_at",
            "archived_at",
            "verified_at",
            "due_at",
            "completed_at",
            "last_seen_at",
            "scheduled_at",
        ],
    ),
    (
        "json",
        6,
        &[
            "metadata",
            "settings",
            "payload",
            "attributes",
            "preferences",
            "options",
            "data",
            "extra",
        ],
    ),
    (
        "uuid",
        6,
        &[
            "uuid",
            "public_id",
            "token",
            "session_uuid",
            "external_uuid",
        ],
    ),
    (
        "date",
        5,
        &[
            "birth_date",
            "due_date",
            "start_date",
            "end_date",
            "valid_until",
        ],
    ),
];

/// The implicit columns every `createTable` adds.
pub const IMPLICIT_COLUMNS: usize = 3;

/// Designs a project of `size`: `size.tables` tables (`AREAS` × `ENTITIES` names, numbered
/// past 500) with `size.columns` columns in all, about one foreign key per table, an index on
/// most foreign keys and some other columns.
pub fn design(size: Size) -> Vec<TableDesign> {
    let mut rng = Rng::new(0x1257_A17D_5CA1_E000);
    let names: Vec<String> = (0..size.tables).map(table_name).collect();
    let widths = widths(&mut rng, size);
    let creating = size.migrations.saturating_sub(1).max(1) * 3 / 5;
    let mut tables = Vec::with_capacity(size.tables);
    for (i, name) in names.iter().enumerate() {
        let mut references = Vec::new();
        let area = i % AREAS.len();
        // The root of an area refers to the first table (every schema has its `users`); every
        // other table to an earlier table of its area (a tree), and one in eight also to a
        // table of another area.
        if i > 0 {
            let parent = if i < AREAS.len() {
                0
            } else {
                area + AREAS.len() * rng.below(i / AREAS.len())
            };
            references.push(parent);
            if i > 2 * AREAS.len() && rng.chance(12) {
                let other = rng.below(i);
                if other != parent && other % AREAS.len() != area {
                    references.push(other);
                }
            }
        }
        let foreign_keys: Vec<(String, usize)> = references
            .iter()
            .map(|&parent| (format!("{}_id", singularize(&names[parent])), parent))
            .collect();
        let mut columns: Vec<ColumnDesign> = foreign_keys
            .iter()
            .map(|(column, _)| {
                let mut properties = ColumnProperties::default();
                if rng.chance(60) {
                    properties.nullable = Some(false);
                }
                ColumnDesign {
                    column: Column {
                        name: column.clone(),
                        column_type: "int".to_string(),
                        properties,
                    },
                    history: ColumnHistory::Created,
                }
            })
            .collect();
        let user_columns = widths[i].saturating_sub(columns.len());
        let mut taken: Vec<String> = columns.iter().map(|c| c.column.name.clone()).collect();
        for _ in 0..user_columns {
            let column = column(&mut rng, &mut taken);
            columns.push(ColumnDesign {
                column,
                history: ColumnHistory::Created,
            });
        }
        plan_history(&mut rng, &mut columns, foreign_keys.len());
        let mut indexes: Vec<String> = foreign_keys
            .iter()
            .filter(|_| rng.chance(70))
            .map(|(column, _)| column.clone())
            .collect();
        if let Some(unchanged) = columns
            .iter()
            .find(|c| matches!(c.history, ColumnHistory::Created) && c.column.column_type != "json")
            .filter(|c| !indexes.contains(&c.column.name) && rng.chance(25))
        {
            indexes.push(unchanged.column.name.clone());
        }
        let dropped_index = columns
            .iter()
            .find(|c| {
                matches!(c.history, ColumnHistory::Created)
                    && !indexes.contains(&c.column.name)
                    && c.column.column_type == "string"
            })
            .filter(|_| rng.chance(5))
            .map(|c| c.column.name.clone());
        let dropped_column = rng.chance(3).then(|| {
            let mut column = Column::new("import_batch", "string");
            column.properties.length = Some(Some(64));
            column
        });
        let created_as = if i % 37 == 5 {
            format!("{name}_draft")
        } else {
            name.clone()
        };
        tables.push(TableDesign {
            name: name.clone(),
            created_as,
            created_in: 2 + i * creating / size.tables.max(1),
            columns,
            references: foreign_keys,
            indexes,
            dropped_index,
            dropped_column,
        });
    }
    tables
}

/// `billing_accounts`, `crm_accounts`, …, `billing_records`, …; past the 500 names, a number.
fn table_name(i: usize) -> String {
    let area = AREAS[i % AREAS.len()];
    let entity = ENTITIES[i / AREAS.len() % ENTITIES.len()];
    let round = i / (AREAS.len() * ENTITIES.len());
    if round == 0 {
        format!("{area}_{entity}")
    } else {
        format!("{area}{round}_{entity}")
    }
}

/// The number of non-implicit columns of each table, summing to exactly `size.columns` minus
/// the implicit ones: mostly 3 to 12 (then nudged to the total), one table in 40 wide (40 to
/// 55).
fn widths(rng: &mut Rng, size: Size) -> Vec<usize> {
    let target = size.columns.saturating_sub(IMPLICIT_COLUMNS * size.tables);
    let mut widths: Vec<usize> = (0..size.tables)
        .map(|i| {
            if i % 40 == 17 {
                40 + rng.below(16)
            } else {
                3 + rng.below(10)
            }
        })
        .collect();
    // Nudge narrow tables (3 to 20 columns) one column at a time until the total is exact,
    // visiting them in a scattered order (a stride prime to the table count).
    let mut total: usize = widths.iter().sum();
    let stride = if widths.len().is_multiple_of(7) { 1 } else { 7 };
    let mut changed = true;
    while total != target && changed {
        changed = false;
        for step in 0..widths.len() {
            let slot = step * stride % widths.len();
            if total < target && widths[slot] < 20 {
                widths[slot] += 1;
                total += 1;
                changed = true;
            } else if total > target && (4..=20).contains(&widths[slot]) {
                widths[slot] -= 1;
                total -= 1;
                changed = true;
            }
            if total == target {
                break;
            }
        }
    }
    widths
}

/// A column of a weighted-random type, with a name not yet `taken` in its table and a realistic
/// mix of properties.
fn column(rng: &mut Rng, taken: &mut Vec<String>) -> Column {
    let mut roll = rng.below(100);
    let (column_type, _, names) = TYPES
        .iter()
        .find(|(_, weight, _)| {
            if roll < *weight {
                true
            } else {
                roll -= weight;
                false
            }
        })
        .copied()
        .unwrap_or(TYPES[0]);
    let base = names[rng.below(names.len())];
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.push(name.clone());
    let mut properties = ColumnProperties::default();
    match column_type {
        "string" if rng.chance(40) => properties.length = Some(Some(255)),
        "string" if rng.chance(15) => properties.length = Some(Some(64)),
        _ => {}
    }
    if matches!(column_type, "string" | "int") && rng.chance(4) {
        properties.array = Some(true);
    } else if rng.chance(35) {
        properties.nullable = Some(false);
        match column_type {
            "boolean" => properties.default_value = Some(serde_json::json!(false)),
            "int" if rng.chance(50) => properties.default_value = Some(serde_json::json!(0)),
            "string" if rng.chance(20) => properties.default_value = Some(serde_json::json!("")),
            _ => {}
        }
        if matches!(column_type, "string" | "uuid") && rng.chance(10) {
            properties.unique = Some(true);
        }
    }
    Column {
        name,
        column_type: column_type.to_string(),
        properties,
    }
}

/// Decides how each non-key column got its shape: about 40 % added by later migrations (in up
/// to three batches), and of the ones created with the table, some under an old name and some
/// with an old type or without their `NOT NULL`.
fn plan_history(rng: &mut Rng, columns: &mut [ColumnDesign], keys: usize) {
    let len = columns.len();
    let created = len - (len - keys) * 2 / 5;
    for (i, design) in columns.iter_mut().enumerate().skip(keys) {
        if i >= created {
            design.history = ColumnHistory::Added {
                batch: (i - created) * 3 / (len - created),
            };
            continue;
        }
        let column = &design.column;
        let old_type = match column.column_type.as_str() {
            "text" => Some("string"),
            "bigint" => Some("int"),
            "float" => Some("int"),
            "json" => Some("text"),
            _ => None,
        };
        if rng.chance(8) {
            design.history = ColumnHistory::Renamed {
                old_name: format!("legacy_{}", column.name),
            };
        } else if let Some(old_type) = old_type.filter(|_| rng.chance(30)) {
            design.history = ColumnHistory::Altered {
                old: Column::new(column.name.clone(), old_type),
            };
        } else if column.properties.nullable == Some(false) && rng.chance(20) {
            design.history = ColumnHistory::Altered {
                old: Column::new(column.name.clone(), column.column_type.clone()),
            };
        }
    }
}
