//! Rewrites the tables of `BENCHMARKS.md` from criterion's last run.
//!
//! ```text
//! report [--criterion <dir>] [--output <BENCHMARKS.md>]
//! ```
//!
//! `<dir>` defaults to `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the
//! workspace's `target/criterion`; the output to the workspace's `BENCHMARKS.md`. The
//! PostgreSQL version is asked of the server at `DATABASE_URL` (`scripts/bench.sh` runs this
//! inside the same throwaway cluster as the benchmarks). A table none of whose benchmarks has
//! results in `<dir>` is left as it is; one with only some of them is an error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use instant_benchmarks::report::{self, Environment, ReportError};
use instant_runtime::chrono::Local;

fn main() -> ExitCode {
    match run() {
        Ok(output) => {
            eprintln!("wrote {}", output.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("report: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<PathBuf, ReportError> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let mut criterion_dir = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|dir| PathBuf::from(dir).join("criterion"))
        })
        .unwrap_or_else(|| workspace.join("target").join("criterion"));
    let mut output = workspace.join("BENCHMARKS.md");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| error(format!("`{arg}` needs a value")))?;
        match arg.as_str() {
            "--criterion" => criterion_dir = PathBuf::from(value),
            "--output" => output = PathBuf::from(value),
            _ => {
                return Err(error(format!(
                    "unknown argument `{arg}` (expected --criterion or --output)"
                )));
            }
        }
    }

    let environment = environment();
    let mut document = std::fs::read_to_string(&output)
        .map_err(|e| error(format!("cannot read {}: {e}", output.display())))?;
    for table in report::TABLES {
        if !report::any_run(&criterion_dir, table) {
            eprintln!(
                "report: no results for the `{}` table in {}; left as it is",
                table.marker,
                criterion_dir.display()
            );
            continue;
        }
        let medians = report::medians(&criterion_dir, table)?;
        let text = report::render(table, &medians, &environment);
        document = report::replace_between(&document, table.marker, &text)?;
    }
    std::fs::write(&output, document)
        .map_err(|e| error(format!("cannot write {}: {e}", output.display())))?;
    Ok(output)
}

fn environment() -> Environment {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let (cpu, cores) = report::cpu_from_cpuinfo(&cpuinfo);
    Environment {
        cpu,
        cores,
        date: Local::now().format("%Y-%m-%d").to_string(),
        postgres: postgres_version().unwrap_or_else(|| "(unknown version)".to_string()),
    }
}

/// `server_version` of the server at `DATABASE_URL`, when it answers.
fn postgres_version() -> Option<String> {
    let url = std::env::var("DATABASE_URL").ok()?;
    let mut client = postgres::Client::connect(&url, postgres::NoTls).ok()?;
    let row = client.query_one("SHOW server_version", &[]).ok()?;
    row.try_get::<_, String>(0).ok()
}

fn error(message: String) -> ReportError {
    ReportError::new(message)
}
