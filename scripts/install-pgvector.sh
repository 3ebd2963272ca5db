#!/usr/bin/env bash
# Installs pgvector for the machine's PostgreSQL 15 when it is missing.
# Debian bookworm has no pgvector package for PG 15; trixie ships its source, which builds
# cleanly against PG 15 with PGXS. The system's apt sources are left untouched: the source is
# fetched through a private apt state in a temporary directory. Idempotent (about 20 s).
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
CONTROL="/usr/share/postgresql/${PG_MAJOR}/extension/vector.control"
LIB="/usr/lib/postgresql/${PG_MAJOR}/lib/vector.so"

if [[ -f "$CONTROL" && -f "$LIB" ]]; then
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi

echo "pgvector: installing for PostgreSQL ${PG_MAJOR}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq

if [[ ! -x "${PG_BIN}/pg_config" ]] || ! dpkg -s "postgresql-server-dev-${PG_MAJOR}" >/dev/null 2>&1; then
  # Pin the dev package to the installed server's version so apt does not upgrade the server.
  server_version="$(dpkg-query -W -f='${Version}' "postgresql-${PG_MAJOR}" 2>/dev/null || true)"
  if [[ -n "$server_version" ]] && $SUDO apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}=${server_version}" >/dev/null; then
    :
  else
    $SUDO apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}" >/dev/null
  fi
fi
command -v make >/dev/null || $SUDO apt-get install -y -qq make gcc >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
echo "deb-src http://deb.debian.org/debian trixie main" > "$work/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/nonexistent"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Sandbox::User=root"
)
$SUDO apt-get "${apt_opts[@]}" update -qq
(cd "$work/src" && $SUDO apt-get "${apt_opts[@]}" source --download-only pgvector >/dev/null)
tarball="$(ls "$work"/src/pgvector_*.orig.tar.* | head -n 1)"
mkdir -p "$work/build"
tar -xf "$tarball" -C "$work/build" --strip-components=1
make -s -C "$work/build" PG_CONFIG="${PG_BIN}/pg_config" OPTFLAGS="" >/dev/null
$SUDO make -s -C "$work/build" PG_CONFIG="${PG_BIN}/pg_config" OPTFLAGS="" install >/dev/null
echo "pgvector: installed" >&2
