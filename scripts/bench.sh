#!/usr/bin/env bash
# Runs every benchmark (release build). Figures and how to read them: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-oracles.sh
for b in build/release/bench/*_benchmark; do
  echo "== $b"
  "$b" --benchmark_min_time=0.2
done
echo "== bench/parquet_vs_duckdb.sh"
bench/parquet_vs_duckdb.sh "${BENCH_ROWS:-2000000}"
echo "== bench/http_wrk.sh"
bench/http_wrk.sh
