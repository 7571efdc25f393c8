#!/usr/bin/env bash
# Runs a command next to a throw-away PostgreSQL 15 cluster and exports its URL as
# DS_TEST_POSTGRES_URL; the cluster listens only on a Unix socket in a private temporary
# folder and is stopped and deleted when the command ends (even on failure).
#   test/access/with_postgres.sh COMMAND [ARGS...]
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
# Exits 77 (CTest's skip code) when the PostgreSQL 15 server binaries are not installed.
set -euo pipefail
bindir=${DS_PG_BINDIR:-/usr/lib/postgresql/15/bin}
if [[ ! -x $bindir/initdb || ! -x $bindir/pg_ctl ]]; then
  echo "with_postgres: no PostgreSQL server in $bindir; skipping" >&2
  exit 77
fi
as_pg=()
if [[ $(id -u) == 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with_postgres: running as root but there is no 'postgres' user; skipping" >&2
    exit 77
  fi
  as_pg=(runuser -u postgres --)
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/ds-pg.XXXXXX")
[[ ${#as_pg[@]} -gt 0 ]] && chown postgres "$dir"
chmod 700 "$dir"
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
if ! "${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync \
     >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi
if ! "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
     -o "-c listen_addresses='' -k $dir -c fsync=off -c max_connections=200" start >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi
export DS_TEST_POSTGRES_URL="postgresql:///postgres?host=$dir&user=postgres"
"$@"
