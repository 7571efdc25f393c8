#!/usr/bin/env bash
# Sharing-client throughput on loopback (figures in docs/benchmarks.md):
#   load     = query + parallel download + decode of a whole table through `deltashare serve`
#   download = the same downloads without decoding
#   curl     = the same pre-signed URLs fetched by curl --parallel (the transport limit)
#   decode   = the Delta kernel decoding the same files from local disk (one thread), against
#              DuckDB reading them (bench/duckdb_scan.mjs-style aggregate, 1 and 2 threads)
#
#   bench/client_bench.sh [FILES=200] [ROWS_PER_FILE=400000] [PARALLELISM=8] [BUILD=build/client-release]
set -euo pipefail
files=${1:-200}
rows=${2:-400000}
par=${3:-8}
build=${4:-build/client-release}
bench="$build/src/client/client_load_bench"
ds="$build/deltashare"
dir=${DS_BENCH_DIR:-/tmp/ds-client-bench-$files-$rows}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

if [[ ! -f "$dir/_delta_log/00000000000000000000.json" ]]; then
  echo "generating $files files x $rows rows in $dir" >&2
  "$bench" generate "$dir" "$files" "$rows"
fi
echo "table: $(du -sh "$dir" | cut -f1) in $files files" >&2

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/master.key"
echo >> "$work/master.key"
chmod 600 "$work/master.key"
cat > "$work/server.yaml" <<YAML
version: 1
host: 127.0.0.1
port: 0
endpoint: /delta-sharing
authorization: { bearerToken: "bench-token-0123456789" }
masterKeyFile: $work/master.key
accessLog: "off"
shares:
- name: bench
  schemas:
  - name: default
    tables:
    - { name: t, location: "$dir" }
YAML
"$ds" serve -c "$work/server.yaml" 2> "$work/server.log" &
server=$!
for _ in $(seq 100); do
  endpoint=$(grep -o 'http://[^ ]*' "$work/server.log" | head -1 || true)
  [[ -n "$endpoint" ]] && break
  sleep 0.1
done
printf '{"shareCredentialsVersion":1,"endpoint":"%s","bearerToken":"bench-token-0123456789"}\n' \
  "$endpoint" > "$work/profile.share"

"$bench" urls "$work/profile.share" bench.default.t "$work/curl.cfg"
for round in 1 2; do
  start=$(date +%s.%N)
  curl -s --parallel --parallel-max "$par" -K "$work/curl.cfg" > /dev/null 2>&1
  end=$(date +%s.%N)
  bytes=$(du -sb "$dir" --exclude=_delta_log | cut -f1)
  echo "{\"op\":\"curl\",\"round\":$round,\"seconds\":$(echo "$end - $start" | bc),\"parallel\":$par}"
  "$bench" download "$work/profile.share" bench.default.t "$par"
  "$bench" load "$work/profile.share" bench.default.t "$par"
done
"$bench" decode "$dir"
if [[ -d build/oracles/node_modules/@duckdb ]]; then
  for threads in 1 2; do
    node - "$dir" "$threads" <<'JS'
const [dir, threads] = process.argv.slice(2);
const { createRequire } = await import('node:module');
const require = createRequire(process.cwd() + '/build/oracles/package.json');
const { DuckDBInstance } = require('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
const sql = `SELECT sum(id), sum(x), sum(length(s)), count(*) FROM read_parquet('${dir}/**/*.parquet', hive_partitioning=false)`;
let best = Infinity;
for (let i = 0; i < 3; ++i) {
  const t0 = process.hrtime.bigint();
  await con.runAndReadAll(sql);
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
}
console.log(JSON.stringify({ op: 'duckdb-decode', threads: Number(threads), seconds: +best.toFixed(3) }));
JS
  done
fi
