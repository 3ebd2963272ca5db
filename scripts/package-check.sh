#!/usr/bin/env bash
# Checks that every library crate could be published with one `cargo publish`: each packages
# (metadata complete, path dependencies carrying versions), each package holds only its
# sources, README.md and LICENSE, each stays under a size limit, and the workspace-only crates
# are `publish = false`.
#
#   scripts/package-check.sh           package without building (a few seconds)
#   scripts/package-check.sh --verify  also build every package from its .crate, as
#                                      `cargo publish` does (a separate build of every
#                                      dependency: minutes)
#
# The crates are packaged together, in dependency order, because the siblings are not on
# crates.io yet: cargo resolves each package's dependencies on its siblings against the packages
# made before it (target/package/tmp-registry). Packaging one crate alone that depends on
# another (`cargo package -p instant-runtime`) fails with "no matching package named
# `instant-macros` found" until the sibling is published. The working tree may be dirty
# (`--allow-dirty`): the check is about the manifests and file lists, not about a release.
#
# Publishing is then `cargo publish --workspace`: it skips the `publish = false` crates and
# uploads the six in dependency order (`--dry-run` shows it without uploading).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Dependency order, leaves first.
crates=(instant-schema instant-codegen instant-macros instant-pg instant-runtime instant-cli)
not_published=(instant-tests instant-demo instant-benchmarks)
# crates.io takes up to 10 MiB; ours are well under 1 MiB, so more is a file that slipped in.
max_crate_bytes=$((1024 * 1024))

verify=(--no-verify)
if [[ "${1:-}" == "--verify" ]]; then
  verify=()
fi

failed=0
fail() {
  echo "package-check: $*" >&2
  failed=1
}

metadata=$(cargo metadata --no-deps --format-version 1 --locked)
for crate in "${not_published[@]}"; do
  publish=$(jq -r --arg name "$crate" '.packages[] | select(.name == $name) | .publish' <<<"$metadata")
  if [[ "$publish" != "[]" ]]; then
    fail "$crate must have publish = false (it is a workspace-only crate); publish is $publish"
  fi
done
for crate in "${crates[@]}"; do
  for field in description license repository readme rust_version; do
    value=$(jq -r --arg name "$crate" --arg field "$field" \
      '.packages[] | select(.name == $name) | .[$field] // empty' <<<"$metadata")
    [[ -n "$value" ]] || fail "$crate has no $field"
  done
  for field in keywords categories; do
    count=$(jq -r --arg name "$crate" --arg field "$field" \
      '.packages[] | select(.name == $name) | .[$field] | length' <<<"$metadata")
    [[ "$count" -gt 0 ]] || fail "$crate has no $field"
  done
done

for crate in "${crates[@]}"; do
  # Files cargo adds itself, then what the workspace's `include` lets in.
  unexpected=$(cargo package --list --allow-dirty --locked -p "$crate" 2>/dev/null \
    | grep -Ev '^(\.cargo_vcs_info\.json|Cargo\.lock|Cargo\.toml|Cargo\.toml\.orig|README\.md|LICENSE|src/.*)$' \
    || true)
  [[ -z "$unexpected" ]] || fail "$crate would package files outside src/: $unexpected"
done

packages=()
for crate in "${crates[@]}"; do
  packages+=(-p "$crate")
done
if ! cargo package --allow-dirty --locked "${verify[@]}" "${packages[@]}" 2>&1 \
  | grep -Ev '^warning: ignoring (test|example|bench) '; then
  fail "cargo package failed (output above)"
fi

target_dir=$(jq -r '.target_directory' <<<"$metadata")
version=$(jq -r '.packages[] | select(.name == "instant-runtime") | .version' <<<"$metadata")
for crate in "${crates[@]}"; do
  file="$target_dir/package/$crate-$version.crate"
  if [[ ! -f "$file" ]]; then
    fail "$crate: no $file"
    continue
  fi
  bytes=$(stat -c %s "$file")
  printf '%-18s %8d bytes\n' "$crate" "$bytes"
  [[ "$bytes" -le "$max_crate_bytes" ]] || fail "$crate-$version.crate is $bytes bytes, over the $max_crate_bytes-byte limit"
done

exit "$failed"
