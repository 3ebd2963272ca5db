#!/usr/bin/env bash
# Runs the benchmarks against a private, throwaway PostgreSQL cluster and rewrites the tables
# of BENCHMARKS.md from the run.
#
#   scripts/bench.sh                 # every benchmark, then the report
#   scripts/bench.sh find_by_id      # a criterion filter: only matching benchmarks (the
#                                    # report then mixes in older results for the others)
#   scripts/bench.sh associations    # the same for one of the diesel suite's benchmarks
#   scripts/bench.sh 'query_|associations|insert_users'   # the whole diesel suite
#
# Three bench targets: `crud` (find, insert, select on the blog fixture), `diesel_suite`
# (the diesel benchmark suite's trivial query, medium query, associations and insert, with
# Diesel and SeaORM measured next to instant: the crate's `peers` feature, on here) and
# `vectors` (the ten most similar of 10 000 vectors, without and with an HNSW index).
#
# BENCH_MEASUREMENT_TIME (seconds per function, default 10) trades run time for precision.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

target="${CARGO_TARGET_DIR:-$root/target}"
export CRITERION_HOME="${CRITERION_HOME:-$target/criterion}"
measurement="${BENCH_MEASUREMENT_TIME:-10}"

# Compile before the cluster starts, so it only lives for the measurements.
cargo bench -p instant-benchmarks --features peers --bench crud --bench diesel_suite --bench vectors --no-run
cargo build --release -p instant-benchmarks --bin report

scripts/with-postgres.sh bash -c '
  set -euo pipefail
  cargo bench -p instant-benchmarks --features peers --bench crud --bench diesel_suite --bench vectors -- \
    --measurement-time "$1" --noplot "${@:2}"
  cargo run --quiet --release -p instant-benchmarks --bin report
' bench "$measurement" "$@"
