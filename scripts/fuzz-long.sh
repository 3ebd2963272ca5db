#!/usr/bin/env bash
# The long fuzz campaign (RELIABILITY.md): every pure fuzz target of instant-schema with a
# million inputs each, in release mode, one test binary at a time, then a table of inputs,
# accepted inputs, wall time and panics per target.
#
# CI runs the same targets with a few thousand inputs each (their defaults); this is the run
# whose figures are written down. A panic is caught by proptest, shrunk, and reported with the
# smallest input (see the log); a stack overflow aborts the binary (exit 134) and a hang is
# ended by the time limit (exit 124): both are reported as such.
#
# Settings (environment):
#   FUZZ_CASES=1000000      inputs per target
#   FUZZ_TARGETS="..."      instant-schema test files to run (default: all four)
#   FUZZ_TIMEOUT=7200       seconds each test file may take
#   FUZZ_DYNAMIC_CASES=0    also run tests/tests/fuzz_dynamic.rs with this many inputs per target
#                           (debug build: a release build would take in the whole workspace;
#                           needs DATABASE_URL, as the other database tests do)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cases="${FUZZ_CASES:-1000000}"
targets="${FUZZ_TARGETS:-fuzz_migrations fuzz_schema_json fuzz_db_json fuzz_seed_json}"
limit="${FUZZ_TIMEOUT:-7200}"
dynamic_cases="${FUZZ_DYNAMIC_CASES:-0}"
logs=target/fuzz-long
mkdir -p "$logs"

# Built once, then the binaries run directly: the whole campaign tests one state of the code,
# whatever is edited meanwhile.
build() {
  cargo test --locked "$@" --no-run 2>&1 | tee "$logs/build.log" >&2
  [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
}
binary() {
  grep -a "Executable tests/$1.rs" "$logs/build.log" | sed -E 's/.*\((.*)\)$/\1/'
}

test_args=()
for target in $targets; do
  test_args+=(--test "$target")
done
echo "building ${targets} (release)"
build --release -p instant-schema "${test_args[@]}"
declare -A binaries
for target in $targets; do
  binaries[$target]=$(binary "$target")
done
if [ "$dynamic_cases" -gt 0 ]; then
  echo "building fuzz_dynamic (debug)"
  build -p instant-tests --test fuzz_dynamic
  binaries[fuzz_dynamic]=$(binary fuzz_dynamic)
fi

# One test file: its campaigns one after another, the summary lines kept.
run() {
  local name="$1" count="$2"
  shift 2
  local log="$logs/$name.log" started status
  started=$(date +%s)
  echo "running $name: $count inputs per target"
  PROPTEST_CASES="$count" timeout "$limit" "$@" --test-threads 1 --nocapture >"$log" 2>&1
  status=$?
  local seconds=$(($(date +%s) - started))
  case "$status" in
    0) verdict="ok" ;;
    124) verdict="HANG: still running after ${limit} s" ;;
    134) verdict="ABORTED (stack overflow?): see $log" ;;
    *) verdict="FAILED (exit $status): smallest input in $log" ;;
  esac
  grep -ao 'fuzz [a-z_]*: .*' "$log" | sed 's/^/  /'
  echo "  $name: ${seconds} s, $verdict"
  [ "$status" -eq 0 ] || failed=1
}

failed=0
for target in $targets; do
  run "$target" "$cases" "${binaries[$target]}"
done
if [ "$dynamic_cases" -gt 0 ]; then
  run fuzz_dynamic "$dynamic_cases" "${binaries[fuzz_dynamic]}"
fi

echo
echo "| target | inputs | accepted | seconds | panics |"
echo "|---|---:|---:|---:|---:|"
for target in $targets fuzz_dynamic; do
  [ -f "$logs/$target.log" ] && grep -aoh 'fuzz [a-z_]*: .*' "$logs/$target.log"
done |
  sed -E 's/^fuzz ([^:]+): ([0-9]+) inputs \(([0-9]+) accepted\) in ([0-9.]+) s, ([0-9]+) panics$/| \1 | \2 | \3 | \4 | \5 |/'
exit "$failed"
