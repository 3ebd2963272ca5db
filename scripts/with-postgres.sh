#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a private, throwaway PostgreSQL cluster.
#
#   scripts/with-postgres.sh cargo nextest run
#
# Installs pgvector when missing, starts a cluster from the machine's PostgreSQL binaries on a
# free port (as the `postgres` user when run as root, since initdb refuses root), runs the
# command, and stops and removes the cluster whatever happens. The command's exit code is kept.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/${PG_MAJOR}/bin}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

"$here/install-pgvector.sh"

dir="$(mktemp -d /tmp/instant-pg.XXXXXX)"
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"

stop() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_pg[@]}" "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:${port}/postgres"
echo "PostgreSQL ${PG_MAJOR} at ${DATABASE_URL}" >&2
set +e
"$@"
code=$?
set -e
exit "$code"
