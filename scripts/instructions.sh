#!/usr/bin/env bash
# Client instructions per operation of the diesel suite, raw driver against instant, counted
# by callgrind (benchmarks/examples/instructions.rs). Unlike times, instruction counts do not
# move with the load of the machine, so they show what a change to a hot path does even
# while other builds run. Needs valgrind; starts its own PostgreSQL through with-postgres.sh.
#
#   scripts/instructions.sh                      # every benchmark
#   scripts/instructions.sh medium_1 associations
#
# INSTRUCTIONS_RUNS (default 200; associations run a tenth of it): measured runs per side.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${INSTRUCTIONS_RUNS:-200}"
benchmarks=("$@")
if [[ ${#benchmarks[@]} -eq 0 ]]; then
  benchmarks=(trivial_1 trivial_100 trivial_10000 medium_1 medium_10000 associations insert_1 insert_100)
fi
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }

cd "$root"
cargo build --quiet --release -p instant-benchmarks --example instructions
target="${CARGO_TARGET_DIR:-$root/target}"
binary="$target/release/examples/instructions"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

measure() {
  local benchmark="$1" side="$2" count="$3"
  valgrind --tool=callgrind --toggle-collect='instructions::measured' \
    --callgrind-out-file="$out/$benchmark-$side" "$binary" "$benchmark" "$side" "$count" \
    >/dev/null 2>"$out/$benchmark-$side.log" || { cat "$out/$benchmark-$side.log" >&2; return 1; }
  local total
  total="$(callgrind_annotate "$out/$benchmark-$side" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')"
  echo $(( total / count ))
}

export -f measure
run_all() {
  printf '| benchmark | raw instructions | raw_instant_pg instructions | instant instructions | raw_instant_pg / raw | instant / raw |\n|---|---:|---:|---:|---:|---:|\n'
  for benchmark in "${benchmarks[@]}"; do
    local count="$runs"
    [[ "$benchmark" == associations || "$benchmark" == *_10000 ]] && count=$(( runs / 20 > 0 ? runs / 20 : 1 ))
    local raw raw_pg instant
    raw="$(measure "$benchmark" raw "$count")"
    raw_pg="$(measure "$benchmark" raw_instant_pg "$count")"
    instant="$(measure "$benchmark" instant "$count")"
    printf '| `%s` | %s | %s | %s | %s× | %s× |\n' "$benchmark" "$raw" "$raw_pg" "$instant" \
      "$(awk -v a="$raw_pg" -v b="$raw" 'BEGIN { printf "%.2f", a / b }')" \
      "$(awk -v a="$instant" -v b="$raw" 'BEGIN { printf "%.2f", a / b }')"
  done
}
export binary out runs
export -f run_all
"$root/scripts/with-postgres.sh" bash -c "$(declare -f measure run_all); benchmarks=(${benchmarks[*]}); runs=$runs; run_all"
