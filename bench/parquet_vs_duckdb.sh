#!/usr/bin/env bash
# Parquet decode and encode, side by side in one run: deltashare vs DuckDB (1 thread each)
# vs the physical limit of reading the same bytes from the page cache.
#   bench/parquet_vs_duckdb.sh [ROWS]        (default 5,000,000 rows)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-5000000}
tool=build/release/bench/parquet_scan
dir=build/bench
mkdir -p "$dir"
for codec in snappy zstd; do
  f=$dir/opportunities.$codec.parquet
  echo "# $codec, $rows rows"
  for i in 1 2 3; do $tool generate "$f" "$rows" "$codec"; done
  ls -l "$f" | awk '{print "# file bytes", $5}'
  $tool read "$f"
  for i in 1 2 3; do $tool scan "$f"; done
  node bench/duckdb_scan.mjs "$PWD/$f" 1
  node bench/duckdb_scan.mjs "$PWD/$f" 2
  for i in 1 2 3; do $tool scan "$f" amount,stage; done
  node bench/duckdb_scan.mjs "$PWD/$f" 1 columns amount,stage
  node bench/duckdb_scan.mjs "$PWD/$f" 1 write "$codec"
done
