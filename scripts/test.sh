#!/usr/bin/env bash
# The project's test command (README, .ci/run): formatting, lints and every test, against a
# private PostgreSQL 15 + pgvector cluster that is started for the run and stopped afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

run_tests='
set -euo pipefail
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked --doc
# Every library crate packages (metadata, file lists, sizes): a few seconds.
scripts/package-check.sh
# Last, so that the run closes on the main test summary.
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked --no-fail-fast --lib --bins --tests
fi
'
exec scripts/with-postgres.sh bash -c "$run_tests"
