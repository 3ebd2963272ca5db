//! Code generation at scale: a synthetic instant.dev project of 500 tables and 5 000 columns
//! built by a 100-file migration history, timed through what a `build.rs` does with it —
//! read the folder ([`Project::load`]), replay the migrations ([`Project::schema`]) and
//! generate the Rust code ([`instant_codegen::generate`]).
//!
//! ```sh
//! cargo run --release -p instant-codegen --example scale -- --out /tmp/codegen-scale
//! ```
//!
//! Writes `_instant/` (the project), `instant_models.rs` (the generated code),
//! `diesel_schema.rs` (the same schema as `diesel print-schema` writes it) and
//! `diesel_features` (the `N-column-tables` feature its widest table needs) into `--out`
//! (default: `$TMPDIR/instant-codegen-scale`), and prints a markdown table of the medians.
//! `scripts/codegen-scale.sh` runs it, then times `cargo check` of the schema files.
//! No database is needed.

mod design;
mod diesel_schema;
mod history;

use std::error::Error;
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use instant_codegen::{Options, generate};
use instant_schema::Project;

use crate::design::{IMPLICIT_COLUMNS, Size, design};
use crate::diesel_schema::print_schema;
use crate::history::{history, write_project};

/// The file that marks an output folder as this example's, so it may be overwritten.
const MARKER: &str = ".codegen-scale";

/// The load → replay → generate budget the numbers are judged against.
const TARGET: Duration = Duration::from_millis(200);

#[derive(Debug)]
struct Args {
    out: PathBuf,
    runs: usize,
    size: Size,
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    let size = args.size;

    let started = Instant::now();
    let tables = design(size);
    let (migrations, schema) = history(size, &tables)?;
    let built = started.elapsed();
    prepare_out(&args.out)?;
    write_project(&args.out, &migrations, &schema)?;

    let options = Options::default();
    let mut load = Samples::default();
    let mut replay = Samples::default();
    let mut codegen = Samples::default();
    let mut total = Samples::default();
    let mut code = String::new();
    for _ in 0..args.runs {
        let t0 = Clock::now();
        let project = Project::load(&args.out)?;
        let t1 = Clock::now();
        let replayed = project.schema()?;
        let t2 = Clock::now();
        code = generate(black_box(&replayed), &options)?;
        let t3 = Clock::now();
        load.push(&t0, &t1);
        replay.push(&t1, &t2);
        codegen.push(&t2, &t3);
        total.push(&t0, &t3);
        if replayed != schema {
            return Err("replaying the written migrations gave another schema".into());
        }
    }
    fs::write(args.out.join("instant_models.rs"), &code)?;
    let diesel = print_schema(&schema);
    fs::write(args.out.join("diesel_schema.rs"), &diesel)?;
    let widest = schema
        .tables
        .values()
        .map(|t| t.columns.len())
        .max()
        .unwrap_or(0);
    fs::write(
        args.out.join("diesel_features"),
        column_tables_feature(widest)?,
    )?;

    let columns: usize = schema.tables.values().map(|t| t.columns.len()).sum();
    let commands: usize = migrations.iter().map(|m| m.up.len()).sum();
    let files_bytes = dir_bytes(&args.out.join("_instant").join("migrations"))?;
    let total_median = total.wall();
    let verdict = if total_median < TARGET {
        "under"
    } else {
        "over"
    };

    println!(
        "Synthetic project: {} tables, {columns} columns ({} implicit `id`/`created_at`/`updated_at`, widest table {widest}), {} foreign keys, {} indexes; {} migration files ({} KB) with {commands} `up` commands. Medians of {} runs, release build; wall-clock time, and in parentheses the time the timing thread was on a CPU (what a busy machine does not inflate; `generate` writes tables on worker threads too, whose time is not in it).",
        schema.tables.len(),
        IMPLICIT_COLUMNS * schema.tables.len(),
        schema.foreign_keys.len(),
        schema.indices.len(),
        migrations.len(),
        files_bytes / 1024,
        args.runs,
    );
    println!();
    println!("| step | median |");
    println!("|---|---|");
    println!(
        "| read and parse `_instant/` (`Project::load`) | {} |",
        load.show()
    );
    println!(
        "| replay the migrations (`Project::schema`) | {} |",
        replay.show()
    );
    println!(
        "| generate the Rust code (`instant_codegen::generate`) | {} |",
        codegen.show()
    );
    println!(
        "| **total**, load + replay + generate (target < {} ms) | **{}** ({verdict} the target) |",
        TARGET.as_millis(),
        total.show()
    );
    println!(
        "| generated code | {} lines, {} KB |",
        code.lines().count(),
        code.len() / 1024
    );
    println!(
        "| the same schema as `diesel print-schema` writes it | {} lines, {} KB |",
        diesel.lines().count(),
        diesel.len() / 1024
    );
    eprintln!(
        "designing and writing the history took {} (not timed above); files in {}",
        ms(built),
        args.out.display()
    );
    Ok(())
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut args = Args {
        out: std::env::temp_dir().join("instant-codegen-scale"),
        runs: 11,
        size: Size {
            tables: 500,
            columns: 5000,
            migrations: 100,
        },
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || given.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => args.out = PathBuf::from(value()?),
            "--runs" => args.runs = value()?.parse()?,
            "--tables" => args.size.tables = value()?.parse()?,
            "--columns" => args.size.columns = value()?.parse()?,
            "--migrations" => args.size.migrations = value()?.parse()?,
            _ => {
                return Err(format!(
                    "unknown argument {flag:?}; expected --out DIR, --runs N, --tables N, --columns N, --migrations N"
                )
                .into());
            }
        }
    }
    if args.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(args)
}

/// Empties `out/_instant` when an earlier run wrote it; refuses any other existing `_instant`.
fn prepare_out(out: &Path) -> Result<(), Box<dyn Error>> {
    let instant = out.join("_instant");
    if instant.exists() {
        if !out.join(MARKER).exists() {
            return Err(format!(
                "{} exists and was not written by this example; choose another --out",
                instant.display()
            )
            .into());
        }
        fs::remove_dir_all(&instant)?;
    }
    fs::create_dir_all(out)?;
    fs::write(
        out.join(MARKER),
        "written by instant-codegen's `scale` example\n",
    )?;
    Ok(())
}

fn dir_bytes(dir: &Path) -> Result<u64, Box<dyn Error>> {
    let mut bytes = 0;
    for entry in fs::read_dir(dir)? {
        bytes += entry?.metadata()?.len();
    }
    Ok(bytes)
}

/// The Diesel feature a table of `columns` columns needs (`table!` supports 32 by default).
fn column_tables_feature(columns: usize) -> Result<&'static str, Box<dyn Error>> {
    Ok(match columns {
        0..=32 => "",
        33..=64 => "64-column-tables",
        65..=128 => "128-column-tables",
        _ => {
            return Err(
                format!("Diesel's `table!` takes at most 128 columns, not {columns}").into(),
            );
        }
    })
}

/// A point in time, on the wall clock and on this thread's CPU clock.
struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn now() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: thread_cpu_time(),
        }
    }
}

/// This thread's time on a CPU so far, from Linux's `/proc/thread-self/schedstat` (nanoseconds
/// on CPU, nanoseconds waiting, time slices); `None` elsewhere.
fn thread_cpu_time() -> Option<Duration> {
    let text = fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos)).filter(|d| !d.is_zero())
}

/// Durations of one step over the runs.
#[derive(Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Samples {
    fn push(&mut self, from: &Clock, to: &Clock) {
        self.wall.push(to.wall - from.wall);
        if let (Some(from), Some(to)) = (from.cpu, to.cpu) {
            self.cpu.push(to.saturating_sub(from));
        }
    }

    fn wall(&self) -> Duration {
        median(&self.wall)
    }

    /// `123.4 ms (CPU 98.7 ms)`.
    fn show(&self) -> String {
        if self.cpu.len() == self.wall.len() {
            format!("{} (CPU {})", ms(median(&self.wall)), ms(median(&self.cpu)))
        } else {
            ms(median(&self.wall))
        }
    }
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
