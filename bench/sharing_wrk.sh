#!/usr/bin/env bash
# Requests/s and latency of `deltashare serve` itself (real config, bearer token, a real Delta
# table) under wrk, against nginx serving the same response bytes as static files in the same
# run, both on loopback.
#
#   bench/sharing_wrk.sh [SECONDS] [--c1000[=SECONDS]]
#
# SECONDS (default 10) per wrk run at 64 connections; ROUNDS (default 3) alternating runs per
# server, medians (by requests/s) reported, with the 1-minute load average before each run.
# Endpoints:
#   metadata - GET  .../tables/small/metadata   (Content-Length body, ~480 B)
#   query    - POST .../tables/small/query {}   (chunked NDJSON, 6 files with signed URLs)
# The small table is the kernel's basic_partitioned. nginx gets GET for both (its static
# module refuses POST); the bytes it serves were captured from our server first.
# --c1000 adds runs at 1,000 connections against our server (default 60 s each): errors
# (socket errors, timeouts, non-2xx), p50/p90/p99, and the server's peak RSS (VmHWM, and the
# largest VmRSS sampled every 0.5 s during the runs).
# STORE=sqlite (default) gives the server an SQLite access store in the run's temp folder, as a
# deployment has, so audit records go to disk; STORE=memory runs config-only (no store: key),
# where the in-memory store keeps every audit record (the RSS then grows with the requests).
# Needs wrk and nginx (Debian packages wrk, nginx-light), the release build (BUILD, default
# build/loadbench, target deltashare) and the shared test data (exit 77 without it).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
[[ ${1:-} =~ ^[0-9]+$ ]] && seconds=$1
c1000=0
for arg in "$@"; do
  [[ $arg == --c1000 ]] && c1000=60
  [[ $arg =~ ^--c1000=([0-9]+)$ ]] && c1000=${BASH_REMATCH[1]}
done
build=${BUILD:-build/loadbench}
bin=$build/deltashare
threads=${WRK_THREADS:-2}
rounds=${ROUNDS:-3}
for tool in wrk nginx curl; do
  command -v $tool >/dev/null || { echo "sharing_wrk: $tool is not installed" >&2; exit 77; }
done
[[ -x $bin ]] || { echo "sharing_wrk: build $bin first" >&2; exit 1; }
testdata=${DS_TESTDATA:-../shared/testdata}
table=$(realpath -m "$testdata/delta/kernel/basic_partitioned")
[[ -d $table/_delta_log ]] || { echo "sharing_wrk: $table is absent" >&2; exit 77; }

tmp=$(mktemp -d)
chmod 755 "$tmp"  # nginx workers may run as another user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

token=bench-token-0123456789abcdef0123
auth="Authorization: Bearer $token"
ours_port=$(free_port)
store_line=""
case ${STORE:-sqlite} in
  sqlite) store_line="store: sqlite:$tmp/access.db" ;;
  memory) ;;
  *) echo "sharing_wrk: STORE must be sqlite or memory" >&2; exit 2 ;;
esac
cat > "$tmp/config.yaml" <<CONF
version: 1
host: 127.0.0.1
port: $ours_port
$store_line
authorization:
  bearerToken: $token
accessLog: "off"
shares:
- name: bench
  schemas:
  - name: s
    tables:
    - name: small
      location: "$table"
CONF
DELTASHARE_MASTER_KEY=${DELTASHARE_MASTER_KEY:-000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f} \
  "$bin" serve -c "$tmp/config.yaml" 2> "$tmp/ours.log" &
ours_pid=$!
pids+=($ours_pid)
base=http://127.0.0.1:$ours_port/delta-sharing/shares/bench/schemas/s/tables/small
for _ in $(seq 200); do
  curl -sf -o /dev/null -H "$auth" "$base/metadata" && break
  sleep 0.05
done
mkdir -p "$tmp/www"
curl -sf -H "$auth" "$base/metadata" -o "$tmp/www/metadata.ndjson"
curl -sf -H "$auth" -H 'Content-Type: application/json' -d '{}' "$base/query" \
  -o "$tmp/www/query.ndjson"
[[ $(wc -l < "$tmp/www/query.ndjson") -ge 3 ]] || { echo "sharing_wrk: bad query" >&2; exit 1; }

nginx_port=$(free_port)
cat > "$tmp/nginx.conf" <<CONF
worker_processes 2;
daemon off;
error_log $tmp/nginx-error.log;
pid $tmp/nginx.pid;
events { worker_connections 8192; }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 10000000;
  keepalive_timeout 60s;
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /metadata { default_type "application/x-ndjson; charset=utf-8"; alias $tmp/www/metadata.ndjson; }
    location = /query { default_type "application/x-ndjson; charset=utf-8"; alias $tmp/www/query.ndjson; }
  }
}
CONF
nginx -c "$tmp/nginx.conf" -p "$tmp" &
pids+=($!)
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/metadata" && break
  sleep 0.05
done
cmp "$tmp/www/metadata.ndjson" <(curl -s "http://127.0.0.1:$nginx_port/metadata") \
  || { echo "sharing_wrk: nginx serves other bytes" >&2; exit 1; }

# POST with a JSON body, as Delta Sharing clients send queries.
cat > "$tmp/query.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
LUA

# Prints "rps p50 p90 p99 errors" for one wrk run. Errors: socket errors (connect, read,
# write, timeout) plus non-2xx responses.
run_wrk() {
  local url=$1 conns=$2 secs=$3 script=$4 out
  local args=(-t"$threads" -c"$conns" -d"${secs}s" --latency --timeout 10s -H "$auth")
  [[ -n $script ]] && args+=(-s "$script")
  out=$(wrk "${args[@]}" "$url")
  echo "$out" >> "$tmp/wrk-all.txt"
  local rps p50 p90 p99 errs
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p90=$(awk '$1=="90%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Socket errors/ {gsub(",",""); s=$4+$6+$8+$10} /Non-2xx/ {s+=$5} END {print s+0}' \
    <<<"$out")
  echo "$rps $p50 $p90 $p99 $errs"
}
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -n -k1,1 | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'; }

echo "64 connections, $rounds alternating rounds of ${seconds}s, medians; $(nproc) cores;" \
  "access store: ${STORE:-sqlite}"
printf '%-10s %-8s %12s %9s %9s %9s %7s %6s\n' endpoint server 'requests/s' p50 p90 p99 errors \
  load
for path in metadata query; do
  script=""
  [[ $path == query ]] && script=$tmp/query.lua
  : > "$tmp/nginx.txt"
  : > "$tmp/ours.txt"
  for _ in $(seq "$rounds"); do
    l=$(load)
    echo "$(run_wrk "http://127.0.0.1:$nginx_port/$path" 64 "$seconds" "") $l" >> "$tmp/nginx.txt"
    l=$(load)
    echo "$(run_wrk "$base/$path" 64 "$seconds" "$script") $l" >> "$tmp/ours.txt"
  done
  read -r n_rps n50 n90 n99 nerr nload < <(median < "$tmp/nginx.txt")
  read -r o_rps o50 o90 o99 oerr oload < <(median < "$tmp/ours.txt")
  printf '%-10s %-8s %12s %9s %9s %9s %7s %6s\n' "/$path" nginx "$n_rps" "$n50" "$n90" "$n99" \
    "$nerr" "$nload"
  printf '%-10s %-8s %12s %9s %9s %9s %7s %6s\n' "/$path" ours "$o_rps" "$o50" "$o90" "$o99" \
    "$oerr" "$oload"
  awk -v o="$o_rps" -v n="$n_rps" -v p="/$path" \
    'BEGIN {printf "%-10s ratio deltashare/nginx: %.2f (rounds: ", p, o / n}'
  paste -d/ <(cut -d' ' -f1 "$tmp/ours.txt") <(cut -d' ' -f1 "$tmp/nginx.txt") | paste -sd' ' \
    | tr -d '\n'
  echo ")"
done

if [[ $c1000 -gt 0 ]]; then
  peak_file=$tmp/peak-rss
  echo 0 > "$peak_file"
  (
    peak=0
    while kill -0 "$ours_pid" 2>/dev/null; do
      rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$ours_pid/status" 2>/dev/null || echo 0)
      ((rss > peak)) && peak=$rss && echo "$peak" > "$peak_file"
      sleep 0.5
    done
  ) &
  pids+=($!)
  rss_before=$(awk '/^VmRSS:/ {print $2}' "/proc/$ours_pid/status")
  for path in metadata query; do
    script=""
    [[ $path == query ]] && script=$tmp/query.lua
    l=$(load)
    read -r rps p50 p90 p99 errs < <(run_wrk "$base/$path" 1000 "$c1000" "$script")
    printf '1000 connections, %s s, /%s: %s requests/s, p50 %s, p90 %s, p99 %s, errors %s, load %s\n' \
      "$c1000" "$path" "$rps" "$p50" "$p90" "$p99" "$errs" "$l"
  done
  sleep 1
  printf 'server RSS: %s kB before the 1,000-connection runs, largest sampled %s kB, VmHWM %s kB\n' \
    "$rss_before" "$(cat "$peak_file")" "$(awk '/^VmHWM:/ {print $2}' "/proc/$ours_pid/status")"
fi
if grep -q '"status":5' "$tmp/ours.log" 2>/dev/null; then
  echo "sharing_wrk: the server logged 5xx errors:" >&2
  head -5 "$tmp/ours.log" >&2
fi
