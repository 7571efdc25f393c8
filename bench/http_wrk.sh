#!/usr/bin/env bash
# Requests/s and latency of the deltashare HTTP framework against nginx serving the same
# response bytes as static files, in the same run, both on loopback, measured with wrk.
#
#   bench/http_wrk.sh [SECONDS] [--c1000]
#
# SECONDS (default 10) per wrk run at 64 connections, ROUNDS (default 3) alternating runs per
# server, medians reported. "ours" runs handlers on the worker pool (as blocking handlers
# must), "ours-inline" on the I/O threads (RouteOptions::run_inline). --c1000 adds 60 s runs
# at 1,000 connections against our server (errors, latency percentiles, peak RSS). Needs wrk
# and nginx (Debian packages wrk, nginx-light) and the optimized build (BUILD, default
# build/release, with bench/http_bench_server).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
[[ ${1:-} =~ ^[0-9]+$ ]] && seconds=$1
c1000=0
for arg in "$@"; do [[ $arg == --c1000 ]] && c1000=1; done
build=${BUILD:-build/release}
server_bin=$build/bench/http_bench_server
threads=${WRK_THREADS:-2}
for tool in wrk nginx; do
  command -v $tool >/dev/null || { echo "http_wrk: $tool is not installed" >&2; exit 77; }
done
[[ -x $server_bin ]] || { echo "http_wrk: build $server_bin first (make build)" >&2; exit 1; }

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

mkdir -p "$tmp/www"
"$server_bin" --write-responses "$tmp/www"

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

ours_port=$(free_port)
"$server_bin" --port "$ours_port" --io-threads 2 > "$tmp/ours.log" &
ours_pid=$!
pids+=($ours_pid)
inline_port=$(free_port)
"$server_bin" --port "$inline_port" --io-threads 2 --inline > "$tmp/inline.log" &
pids+=($!)

for port in $nginx_port $ours_port $inline_port; do
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/metadata" && break
    sleep 0.05
  done
done
for path in metadata query; do
  cmp <(curl -s "http://127.0.0.1:$ours_port/$path") <(curl -s "http://127.0.0.1:$nginx_port/$path") \
    || { echo "http_wrk: /$path bodies differ" >&2; cat "$tmp/nginx-error.log" >&2; exit 1; }
done

# Prints "rps p50 p90 p99 errors" for one wrk run.
run_wrk() {
  local url=$1 conns=$2 secs=$3 out
  out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$url")
  echo "$out" > "$tmp/last-wrk.txt"
  local rps p50 p90 p99 errs
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p90=$(awk '$1=="90%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Socket errors/ {gsub(",",""); s=$4+$6+$8+$10} /Non-2xx/ {s+=$5} END {print s+0}' <<<"$out")
  echo "$rps $p50 $p90 $p99 $errs"
}

# The machine may be shared: alternate the servers for ROUNDS rounds and report each one's
# median round (by requests/s).
rounds=${ROUNDS:-3}
median() { sort -n -k1,1 | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'; }
printf '%-10s %-12s %12s %9s %9s %9s %7s\n' endpoint server 'requests/s' p50 p90 p99 errors
for path in metadata query; do
  : > "$tmp/nginx.txt"; : > "$tmp/ours.txt"; : > "$tmp/inline.txt"
  for _ in $(seq "$rounds"); do
    run_wrk "http://127.0.0.1:$nginx_port/$path" 64 "$seconds" >> "$tmp/nginx.txt"
    run_wrk "http://127.0.0.1:$ours_port/$path" 64 "$seconds" >> "$tmp/ours.txt"
    run_wrk "http://127.0.0.1:$inline_port/$path" 64 "$seconds" >> "$tmp/inline.txt"
  done
  read -r n_rps n50 n90 n99 nerr < <(median < "$tmp/nginx.txt")
  read -r o_rps o50 o90 o99 oerr < <(median < "$tmp/ours.txt")
  read -r i_rps i50 i90 i99 ierr < <(median < "$tmp/inline.txt")
  printf '%-10s %-12s %12s %9s %9s %9s %7s\n' "/$path" nginx "$n_rps" "$n50" "$n90" "$n99" "$nerr"
  printf '%-10s %-12s %12s %9s %9s %9s %7s\n' "/$path" ours "$o_rps" "$o50" "$o90" "$o99" "$oerr"
  printf '%-10s %-12s %12s %9s %9s %9s %7s\n' "/$path" ours-inline "$i_rps" "$i50" "$i90" "$i99" \
    "$ierr"
  awk -v o="$o_rps" -v i="$i_rps" -v n="$n_rps" -v p="/$path" \
    'BEGIN {printf "%-10s ratio ours/nginx: %.2f (handlers on workers), %.2f (inline)\n", p, o / n, i / n}'
done

if [[ $c1000 == 1 ]]; then
  for path in metadata query; do
    read -r rps p50 p90 p99 errs < <(run_wrk "http://127.0.0.1:$ours_port/$path" 1000 60)
    printf '1000 connections, 60 s, /%s: %s requests/s, p50 %s, p90 %s, p99 %s, errors %s\n' \
      "$path" "$rps" "$p50" "$p90" "$p99" "$errs"
  done
  grep -E 'VmHWM|VmRSS' "/proc/$ours_pid/status" | tr -s ' \t' ' ' | paste -sd ' '
fi
