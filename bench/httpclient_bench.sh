#!/usr/bin/env bash
# Serves FILES files of BYTES bytes from a throw-away nginx on a free loopback port and runs
# httpclient_benchmark against it.
#   bench/httpclient_bench.sh [FILES=200] [BYTES=262144] [path/to/httpclient_benchmark]
set -euo pipefail
files=${1:-200}
bytes=${2:-262144}
bin=${3:-build/release/bench/httpclient_benchmark}
dir=$(mktemp -d)
trap 'kill "$(cat "$dir/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$dir"' EXIT
chmod 755 "$dir"  # nginx workers may run as another user
mkdir -p "$dir/www"
for ((i = 0; i < files; i++)); do head -c "$bytes" /dev/urandom > "$dir/www/f$i"; done
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000;
  sendfile on;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  server { listen 127.0.0.1:$port; root $dir/www; }
}
CONF
/usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
sleep 0.5
DS_BENCH_HTTP_URL="http://127.0.0.1:$port" DS_BENCH_HTTP_FILES=$files "$bin" --benchmark_min_time=2
