//! Turns criterion's estimates into the tables of `BENCHMARKS.md`: one row per operation
//! (criterion group), one median per implementation (criterion function), and each
//! implementation's ratio to the baseline measured in the same run.

use std::fmt::{self, Write};
use std::path::Path;

/// A table of `BENCHMARKS.md`, written between `<!-- {marker}:start -->` and
/// `<!-- {marker}:end -->`.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// The marker name.
    pub marker: &'static str,
    /// The operations, as criterion group names, in row order.
    pub groups: &'static [&'static str],
    /// The implementations, as criterion function names; the first is the baseline every
    /// other is divided by.
    pub functions: &'static [&'static str],
    /// The cells no benchmark exists for, as `(group, function)`: shown as `—`, never read.
    pub absent: &'static [(&'static str, &'static str)],
    /// A second baseline measured in some groups (the diesel suite's own hand-written
    /// variant where it differs from ours): below the table, for each group that has it, every
    /// other implementation's ratio to it.
    pub second_baseline: Option<&'static str>,
}

impl Table {
    /// Whether `group` has a `function` benchmark.
    pub fn has(&self, group: &str, function: &str) -> bool {
        !self.absent.contains(&(group, function))
    }
}

/// The tables the benchmarks fill in.
pub const TABLES: &[Table] = &[
    Table {
        marker: "crud",
        groups: &["find_by_id", "insert_one", "insert_100", "select_100"],
        functions: &["raw", "instant"],
        absent: &[],
        second_baseline: None,
    },
    Table {
        marker: "diesel-suite",
        groups: &[
            "trivial_query_1",
            "trivial_query_100",
            "trivial_query_10000",
            "medium_query_1",
            "medium_query_10000",
            "associations",
            "insert_users_1",
            "insert_users_100",
        ],
        functions: &[
            "raw",
            "raw_instant_pg",
            "raw_suite",
            "instant",
            "instant_without_returning",
            "instant_dynamic",
            "diesel",
            "diesel_returning",
            "sea_orm",
        ],
        // `raw_suite` only differs from `raw` for associations; the dynamic API has no insert.
        absent: &[
            ("trivial_query_1", "raw_suite"),
            ("trivial_query_100", "raw_suite"),
            ("trivial_query_10000", "raw_suite"),
            ("medium_query_1", "raw_suite"),
            ("medium_query_10000", "raw_suite"),
            ("insert_users_1", "raw_suite"),
            ("insert_users_100", "raw_suite"),
            ("insert_users_1", "instant_dynamic"),
            ("insert_users_100", "instant_dynamic"),
            // Inserting without reading back, and Diesel reading back, are inserts only.
            ("trivial_query_1", "instant_without_returning"),
            ("trivial_query_100", "instant_without_returning"),
            ("trivial_query_10000", "instant_without_returning"),
            ("medium_query_1", "instant_without_returning"),
            ("medium_query_10000", "instant_without_returning"),
            ("associations", "instant_without_returning"),
            ("trivial_query_1", "diesel_returning"),
            ("trivial_query_100", "diesel_returning"),
            ("trivial_query_10000", "diesel_returning"),
            ("medium_query_1", "diesel_returning"),
            ("medium_query_10000", "diesel_returning"),
            ("associations", "diesel_returning"),
        ],
        second_baseline: Some("raw_suite"),
    },
    Table {
        marker: "vectors",
        groups: &["similarity_top10_scan", "similarity_top10_hnsw"],
        functions: &["raw", "instant"],
        absent: &[],
        second_baseline: None,
    },
];

/// Where and when the numbers were taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// `/proc/cpuinfo`'s model name.
    pub cpu: String,
    /// Logical processors.
    pub cores: usize,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The server's `server_version`.
    pub postgres: String,
}

/// Why a report could not be written: what was missing or malformed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportError {
    message: String,
}

impl ReportError {
    /// An error saying `message`.
    pub fn new(message: impl Into<String>) -> ReportError {
        ReportError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReportError {}

/// The median (ns) criterion estimated in its last run of `group/function`, read from
/// `<criterion_dir>/<group>/<function>/new/estimates.json`.
pub fn median_ns(criterion_dir: &Path, group: &str, function: &str) -> Result<f64, ReportError> {
    let path = criterion_dir
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|error| {
        ReportError::new(format!(
            "cannot read {}: {error} (has `{group}/{function}` been run?)",
            path.display()
        ))
    })?;
    median_from_estimates(&text)
        .map_err(|error| ReportError::new(format!("{}: {error}", path.display())))
}

/// `median.point_estimate` of a criterion `estimates.json`.
pub fn median_from_estimates(json: &str) -> Result<f64, ReportError> {
    let estimates: serde_json::Value = serde_json::from_str(json)
        .map_err(|error| ReportError::new(format!("not JSON: {error}")))?;
    estimates
        .pointer("/median/point_estimate")
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| ReportError::new("no number at `median.point_estimate`"))
}

/// Whether any benchmark of `table` has results under `criterion_dir` (a table none of whose
/// benchmarks ran there is left as it is, rather than failing the whole report).
pub fn any_run(criterion_dir: &Path, table: &Table) -> bool {
    table.groups.iter().any(|group| {
        table.functions.iter().any(|function| {
            table.has(group, function)
                && criterion_dir
                    .join(group)
                    .join(function)
                    .join("new")
                    .join("estimates.json")
                    .is_file()
        })
    })
}

/// The medians of every cell of `table`, row by row, in `functions` order; `None` for the
/// cells the table says are absent.
pub fn medians(criterion_dir: &Path, table: &Table) -> Result<Vec<Vec<Option<f64>>>, ReportError> {
    table
        .groups
        .iter()
        .map(|group| {
            table
                .functions
                .iter()
                .map(|function| {
                    table
                        .has(group, function)
                        .then(|| median_ns(criterion_dir, group, function))
                        .transpose()
                })
                .collect()
        })
        .collect()
}

/// The Markdown between the markers: a line on the environment, the table of medians and
/// ratios to the baseline, and each group's ratios to the second baseline if it has one.
pub fn render(table: &Table, medians: &[Vec<Option<f64>>], environment: &Environment) -> String {
    let Environment {
        cpu,
        cores,
        date,
        postgres,
    } = environment;
    let baseline = table.functions[0];
    let others = &table.functions[1..];
    let mut out = format!(
        "Run of {date} on {cpu} ({cores} cores), PostgreSQL {postgres}; medians of criterion's samples.\n\n| operation |"
    );
    for function in table.functions {
        let _ = write!(out, " {function} median |");
    }
    for function in others {
        let _ = write!(out, " {function} / {baseline} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(table.functions.len() + others.len()));
    out.push('\n');
    for (group, row) in table.groups.iter().zip(medians) {
        let _ = write!(out, "| `{group}` |");
        for median in row {
            let _ = write!(
                out,
                " {} |",
                median.map_or_else(|| "—".to_string(), duration)
            );
        }
        for median in &row[1..] {
            let _ = write!(out, " {} |", ratio(*median, row[0]));
        }
        out.push('\n');
    }
    if let Some(second) = table.second_baseline
        && let Some(column) = table.functions.iter().position(|f| *f == second)
    {
        for (group, row) in table.groups.iter().zip(medians) {
            if row[column].is_none() {
                continue;
            }
            let ratios: Vec<String> = table
                .functions
                .iter()
                .zip(row)
                .enumerate()
                .filter(|(index, (_, median))| *index != column && median.is_some())
                .map(|(_, (function, median))| {
                    format!("{function} {}", ratio(*median, row[column]))
                })
                .collect();
            let _ = write!(
                out,
                "\n`{group}` against `{second}` instead of `{baseline}`: {}.\n",
                ratios.join(", ")
            );
        }
    }
    out
}

/// `median / baseline` as `1.05×`, or `—` when either is absent.
fn ratio(median: Option<f64>, baseline: Option<f64>) -> String {
    match (median, baseline) {
        (Some(median), Some(baseline)) => format!("{:.2}×", median / baseline),
        _ => "—".to_string(),
    }
}

/// `document` with what lies between `marker`'s start and end comments replaced by `content`.
pub fn replace_between(document: &str, marker: &str, content: &str) -> Result<String, ReportError> {
    let start = format!("<!-- {marker}:start -->");
    let end = format!("<!-- {marker}:end -->");
    let missing = || ReportError::new(format!("BENCHMARKS.md has no `{start}` … `{end}` block"));
    let open = document.find(&start).ok_or_else(missing)? + start.len();
    let close = document[open..].find(&end).ok_or_else(missing)? + open;
    Ok(format!(
        "{}\n{}{}",
        &document[..open],
        content,
        &document[close..]
    ))
}

/// A duration in ns, in the unit that keeps three significant digits readable.
pub fn duration(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The CPU model and processor count `/proc/cpuinfo` lists.
pub fn cpu_from_cpuinfo(cpuinfo: &str) -> (String, usize) {
    let field = |line: &str, name: &str| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim().to_string())
    };
    let model = cpuinfo
        .lines()
        .find_map(|line| field(line, "model name"))
        .unwrap_or_else(|| "an unknown CPU".to_string());
    let cores = cpuinfo
        .lines()
        .filter(|line| field(line, "processor").is_some())
        .count();
    (model, cores)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: Table = Table {
        marker: "crud",
        groups: &["find_by_id", "insert_100"],
        functions: &["raw", "instant"],
        absent: &[],
        second_baseline: None,
    };

    fn environment() -> Environment {
        Environment {
            cpu: "AMD EPYC".into(),
            cores: 2,
            date: "2026-01-02".into(),
            postgres: "15.8".into(),
        }
    }

    #[test]
    fn reads_the_median_point_estimate() {
        let json = r#"{"mean":{"point_estimate":2.0},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1500.5,"standard_error":3.0}}"#;
        assert_eq!(median_from_estimates(json), Ok(1500.5));
        assert!(median_from_estimates("{}").is_err());
    }

    #[test]
    fn renders_medians_and_ratios_to_the_baseline() {
        let text = render(
            &TABLE,
            &[
                vec![Some(40_000.0), Some(42_000.0)],
                vec![Some(1_500_000.0), Some(1_650_000.0)],
            ],
            &environment(),
        );
        assert_eq!(
            text,
            "Run of 2026-01-02 on AMD EPYC (2 cores), PostgreSQL 15.8; medians of criterion's samples.\n\n\
             | operation | raw median | instant median | instant / raw |\n\
             |---|---:|---:|---:|\n\
             | `find_by_id` | 40.0 µs | 42.0 µs | 1.05× |\n\
             | `insert_100` | 1.50 ms | 1.65 ms | 1.10× |\n"
        );
    }

    #[test]
    fn absent_cells_are_dashes_and_the_second_baseline_gets_its_own_line() {
        let table = Table {
            marker: "suite",
            groups: &["trivial", "associations"],
            functions: &["raw", "raw_suite", "instant"],
            absent: &[("trivial", "raw_suite")],
            second_baseline: Some("raw_suite"),
        };
        assert!(!table.has("trivial", "raw_suite"));
        assert!(table.has("associations", "raw_suite"));
        let text = render(
            &table,
            &[
                vec![Some(1_000.0), None, Some(1_100.0)],
                vec![Some(8_000.0), Some(10_000.0), Some(9_200.0)],
            ],
            &environment(),
        );
        let lines: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(
            lines,
            [
                "| operation | raw median | raw_suite median | instant median | raw_suite / raw | instant / raw |",
                "|---|---:|---:|---:|---:|---:|",
                "| `trivial` | 1.0 µs | — | 1.1 µs | — | 1.10× |",
                "| `associations` | 8.0 µs | 10.0 µs | 9.2 µs | 1.25× | 1.15× |",
                "",
                "`associations` against `raw_suite` instead of `raw`: raw 0.80×, instant 0.92×.",
            ]
        );
    }

    #[test]
    fn absent_cells_are_not_read() {
        let table = Table {
            marker: "suite",
            groups: &["trivial"],
            functions: &["raw", "raw_suite"],
            absent: &[("trivial", "raw_suite")],
            second_baseline: None,
        };
        let dir = std::env::temp_dir().join(format!("instant-report-{}", std::process::id()));
        let estimates = dir.join("trivial").join("raw").join("new");
        std::fs::create_dir_all(&estimates).unwrap();
        std::fs::write(
            estimates.join("estimates.json"),
            r#"{"median":{"point_estimate":1000.0}}"#,
        )
        .unwrap();
        let found = medians(&dir, &table);
        let run = any_run(&dir, &table);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(found, Ok(vec![vec![Some(1000.0), None]]));
        assert!(run);
        assert!(
            !any_run(&dir, &table),
            "nothing was run in a missing directory"
        );
    }

    #[test]
    fn replaces_only_the_marked_block() {
        let document = "intro\n<!-- crud:start -->\nold\n<!-- crud:end -->\noutro\n";
        assert_eq!(
            replace_between(document, "crud", "new\n").unwrap(),
            "intro\n<!-- crud:start -->\nnew\n<!-- crud:end -->\noutro\n"
        );
        assert!(replace_between("no markers", "crud", "x").is_err());
    }

    #[test]
    fn reads_the_cpu_model_and_count() {
        let cpuinfo =
            "processor\t: 0\nmodel name\t: AMD EPYC\n\nprocessor\t: 1\nmodel name\t: AMD EPYC\n";
        assert_eq!(cpu_from_cpuinfo(cpuinfo), ("AMD EPYC".to_string(), 2));
    }

    #[test]
    fn picks_a_readable_unit() {
        assert_eq!(duration(950.0), "950 ns");
        assert_eq!(duration(41_234.0), "41.2 µs");
        assert_eq!(duration(1_234_567.0), "1.23 ms");
    }
}
