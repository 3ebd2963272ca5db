#!/usr/bin/env bash
# Code generation at scale: a synthetic instant.dev project of 500 tables and 5 000 columns
# (100 migration files), timed through load → replay → generate, then `cargo check` of the
# generated models next to the same schema as Diesel `table!` macros. Rewrites the
# codegen-scale section of BENCHMARKS.md. No database needed.
#
#   scripts/codegen-scale.sh
#
# CODEGEN_SCALE_RUNS (default 11): runs of load/replay/generate, the median is reported.
# CODEGEN_SCALE_CHECKS (default 3): timed `cargo check` runs per crate, the median is reported.
# CODEGEN_SCALE_CHECK_LIMIT (seconds, default 1800): a `cargo check` run taking longer is
# stopped and reported as "> limit" (Diesel's print-schema output for 500 tables is).
# The throwaway crates and their target directory live in ${TMPDIR:-/tmp}/instant-codegen-scale;
# the first run builds their dependencies (several minutes), later runs reuse them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${TMPDIR:-/tmp}/instant-codegen-scale"
runs="${CODEGEN_SCALE_RUNS:-11}"
checks="${CODEGEN_SCALE_CHECKS:-3}"
limit="${CODEGEN_SCALE_CHECK_LIMIT:-1800}"
mkdir -p "$work"

# 1. The project, the generated code, the Diesel schema, and the load/replay/generate medians.
(cd "$root" && cargo run --quiet --release -p instant-codegen --example scale -- \
  --out "$work/project" --runs "$runs") > "$work/generate.md"
cat "$work/generate.md"

# 2. Throwaway crates, each holding one schema file as `src/schema.rs`, sharing one target
#    directory; all start from the workspace's Cargo.lock, so they build the same versions.
#    - instant-check: the generated models, with instant-runtime;
#    - diesel-check: the schema exactly as `diesel print-schema` writes it;
#    - diesel-tables-check: the same without `allow_tables_to_appear_in_same_query!`, that is
#      only the `table!` and `joinable!` definitions.
diesel_features="$(cat "$work/project/diesel_features")"
diesel_dependency="diesel = { version = \"2.3\", features = [\"postgres\"${diesel_features:+, \"$diesel_features\"}] }"
sed '/^diesel::allow_tables_to_appear_in_same_query!(/,$d' "$work/project/diesel_schema.rs" \
  > "$work/project/diesel_tables.rs"
write_crate() { # name, dependency line, lib.rs text
  local dir="$work/$1"
  mkdir -p "$dir/src"
  printf '%s\n' \
    '[package]' "name = \"$1\"" 'version = "0.0.0"' 'edition = "2024"' 'publish = false' '' \
    '[dependencies]' "$2" '' '# Not a member of any workspace.' '[workspace]' > "$dir/Cargo.toml"
  printf '%s\n' "$3" > "$dir/src/lib.rs"
  [ -f "$dir/Cargo.lock" ] || cp "$root/Cargo.lock" "$dir/Cargo.lock"
}
write_crate instant-check "instant-runtime = { path = \"$root/instant-runtime\" }" \
  '//! The models instant-codegen generated for the synthetic project.
pub mod schema;'
diesel_lib='//! The synthetic project in Diesel `table!` macros. One
//! `allow_tables_to_appear_in_same_query!` over 500 tables nests 500 macro calls deep.
#![recursion_limit = "1024"]
pub mod schema;'
write_crate diesel-check "$diesel_dependency" "$diesel_lib"
write_crate diesel-tables-check "$diesel_dependency" "$diesel_lib"

# 3. `cargo check` of each crate: dependencies first (with an empty schema), then the schema
#    file put in place and the crate checked, `checks` times. Not incremental: every run checks
#    the schema code from scratch, as after a schema change. A run longer than `limit` seconds
#    is stopped (`timeout` signals cargo's whole process group) and reported as such.
export CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=0
now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f s", v[int((NR + 1) / 2)] }'; }
check_seconds() { # crate, schema file → "12.3 s" (the median) or "> 1800 s (stopped)"
  local dir="$work/$1" times=() start end
  : > "$dir/src/schema.rs"
  (cd "$dir" && cargo check --quiet) >&2
  for _ in $(seq "$checks"); do
    cp "$2" "$dir/src/schema.rs"
    start="$(now)"
    if ! (cd "$dir" && timeout "$limit" cargo check --quiet) >&2; then
      end="$(now)"
      awk -v a="$start" -v b="$end" -v l="$limit" \
        'BEGIN { if (b - a >= l) printf "> %d s (stopped)", l; else printf "failed" }'
      return
    fi
    end="$(now)"
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
  done
  printf '%s\n' "${times[@]}" | median
}
echo "cargo check: instant ($checks runs)…" >&2
instant_check="$(check_seconds instant-check "$work/project/instant_models.rs")"
echo "cargo check: Diesel, table! + joinable! ($checks runs)…" >&2
tables_check="$(check_seconds diesel-tables-check "$work/project/diesel_tables.rs")"
echo "cargo check: Diesel as print-schema writes it ($checks runs, at most $limit s each)…" >&2
diesel_check="$(check_seconds diesel-check "$work/project/diesel_schema.rs")"

size() { echo "$(wc -l < "$1" | tr -d ' ') lines, $(( $(wc -c < "$1") / 1024 )) KB"; }
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || true)"
{
  cat "$work/generate.md"
  echo
  echo "| \`cargo check\` of the schema code (median of $checks) | instant, generated models | Diesel, as \`print-schema\` writes it | Diesel, \`table!\` + \`joinable!\` only |"
  echo "|---|---|---|---|"
  echo "| time | **${instant_check}** | **${diesel_check}** | **${tables_check}** |"
  echo "| file | $(size "$work/project/instant_models.rs") | $(size "$work/project/diesel_schema.rs") | $(size "$work/project/diesel_tables.rs") |"
  echo "| dependency | \`instant-runtime\` | \`diesel\` 2.3, features \`postgres\`${diesel_features:+, \`$diesel_features\`} | the same |"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on ${cpu:-an unknown CPU}, $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg) at the end), $(rustc --version)."
} > "$work/section.md"

# 4. Between the markers of BENCHMARKS.md.
awk -v block="$work/section.md" '
  BEGIN { while ((getline line < block) > 0) text = text line "\n" }
  /<!-- codegen-scale:start -->/ { print; printf "%s", text; skip = 1; next }
  /<!-- codegen-scale:end -->/ { skip = 0 }
  !skip { print }
' "$root/BENCHMARKS.md" > "$work/BENCHMARKS.md"
cp "$work/BENCHMARKS.md" "$root/BENCHMARKS.md"
cat "$work/section.md"
