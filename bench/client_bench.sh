#!/usr/bin/env bash
# Sharing-client throughput on loopback (figures in docs/benchmarks.md):
#   load     = query + parallel download + decode of a whole table through `deltashare serve`
#   download = the same downloads without decoding
#   curl     = the same pre-signed URLs fetched by curl --parallel (the transport limit)
#   decode   = the Delta kernel decoding the same files from local disk (one thread), against
#              DuckDB reading them (bench/duckdb_scan.mjs-style aggregate, 1 and 2 threads)
#
#   bench/client_bench.sh [FILES=200] [ROWS_PER_FILE=400000] [PARALLELISM=8] [BUILD=build/clientbench] [ROUNDS=3]
#
# Rounds alternate curl, download and load; the summary at the end gives the best round of
# each and the ratios quoted in docs/benchmarks.md, with the load average before and after.
set -euo pipefail
files=${1:-200}
rows=${2:-400000}
par=${3:-8}
build=${4:-build/clientbench}
rounds=${5:-3}
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

results="$work/results.jsonl"
echo "{\"op\":\"loadavg-before\",\"value\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" | tee -a "$results"
bytes=$(find "$dir" -name '*.parquet' -printf '%s\n' | awk '{s+=$1} END {print s}')
for round in $(seq "$rounds"); do
  # Fresh URLs each round (they are only valid for the server's URL lifetime).
  "$bench" urls "$work/profile.share" bench.default.t "$work/curl.cfg"
  start=$(date +%s.%N)
  curl -s --no-progress-meter --fail --parallel --parallel-max "$par" -K "$work/curl.cfg" > /dev/null
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  echo "{\"op\":\"curl\",\"round\":$round,\"seconds\":$secs,\"bytes\":$bytes,\"files\":$files,\"mib_per_s\":$(echo "scale=1; $bytes / 1048576 / $secs" | bc)}" | tee -a "$results"
  "$bench" download "$work/profile.share" bench.default.t "$par" | tee -a "$results"
  "$bench" load "$work/profile.share" bench.default.t "$par" | tee -a "$results"
done
for round in $(seq 2); do
  "$bench" decode "$dir" | tee -a "$results"
done
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
console.log(JSON.stringify({ op: 'duckdb-decode-' + threads, threads: Number(threads), seconds: +best.toFixed(3) }));
JS
  done | tee -a "$results"
fi
echo "{\"op\":\"loadavg-after\",\"value\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" | tee -a "$results"
python3 - "$results" "$bytes" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
nbytes = int(sys.argv[2])
best = {}
for r in rows:
    if "seconds" in r:
        best[r["op"]] = min(best.get(r["op"], 1e18), float(r["seconds"]))
mib = nbytes / 1048576
print("summary: %.0f MiB; best of rounds" % mib)
for op, s in sorted(best.items()):
    print("  %-16s %8.2f s  %8.1f MiB/s" % (op, s, mib / s))
if "curl" in best:
    for op in ("download", "load"):
        if op in best:
            print("  %s / curl throughput: %.2f" % (op, best["curl"] / best[op]))
for t in (1, 2):
    k = "duckdb-decode-%d" % t
    if k in best and "decode" in best:
        print("  decode (1 thread) / DuckDB %d thread(s) throughput: %.2f" % (t, best[k] / best["decode"]))
PY
