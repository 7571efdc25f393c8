#!/usr/bin/env bash
# The demo (`make demo`): a B2B SaaS CRM sharing each customer's data as Delta tables.
#
# Generates build/demo with `deltashare demo generate` (3 tenants; six CRM tables each,
# published over three snapshots with inserts, updates and deletes; CDF on; a SQLite access
# store with one share, recipient and profile per tenant), then serves it on 127.0.0.1
# in the foreground until Ctrl-C. Run it again to start over from a clean demo.
# DEMO_BIN picks another deltashare binary (default build/deltashare, from `make build`).
#   DEMO_PORT=8080 DEMO_TENANTS=3 DEMO_ACCOUNTS=200 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DEMO_BIN:-build/deltashare}
dir=build/demo
port=${DEMO_PORT:-8080}
tenants=${DEMO_TENANTS:-3}
accounts=${DEMO_ACCOUNTS:-200}

if [[ ! -x $bin ]]; then
  echo "demo: $bin is missing; run 'make build' (or 'make demo') first" >&2
  exit 1
fi
# build/demo is this script's own: a folder left by an older demo.sh is replaced too.
if [[ -d $dir && ! -e $dir/.deltashare-demo ]]; then rm -rf "$dir"; fi

echo "== deltashare demo generate --out $dir --tenants $tenants --port $port"
$bin demo generate --out "$dir" --tenants "$tenants" --accounts "$accounts" --port "$port"

profile=$dir/profiles/acme.share
cat <<EOT

== The server starts below (Ctrl-C stops it). From another shell, in this folder, try:

  # what the acme tenant's recipient sees, and its rows
  $bin client list $profile
  $bin client load '$profile#acme.crm.accounts' --limit 5
  $bin client load '$profile#acme.crm.activities' -o /tmp/acme-activities.parquet
  $bin client changes '$profile#acme.crm.opportunities' --from-version 1 --limit 5

  # tenant isolation: acme's token cannot see globex's share (HTTP 404)
  $bin client load '$profile#globex.crm.accounts'

  # the raw protocol
  TOKEN=\$(sed -n 's/.*"bearerToken": *"\\([^"]*\\)".*/\\1/p' $profile)
  curl -s -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$port/delta-sharing/shares/acme/all-tables

  # the Python connector (pip install delta-sharing)
  python3 -c "import delta_sharing; print(delta_sharing.load_as_pandas('$profile#acme.crm.accounts').head())"

  # publish a new snapshot (edit $dir/source/snapshot-3/accounts.jsonl first); the server
  # sees the new version on the next request
  $bin publish snapshot --source $dir/source/snapshot-3/accounts.jsonl \\
    --schema $dir/source/schemas/accounts.schema.json --table accounts \\
    --dest $dir/lake --key account_id --tenant-column tenant_id

  # who did what
  $bin admin --store sqlite:$dir/access.db audit list --limit 10

EOT
exec $bin serve -c "$dir/server.yaml"
