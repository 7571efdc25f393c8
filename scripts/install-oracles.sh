#!/usr/bin/env bash
# Installs the test-only npm oracles (independent Parquet readers, storage emulators) into
# build/oracles (ignored by git). They are never product dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/oracles
mkdir -p "$dir"
cp test/oracle/package.json "$dir/package.json"
if [[ ! -f "$dir/.stamp" || ! -d "$dir/node_modules" || test/oracle/package.json -nt "$dir/.stamp" ]]; then
  echo "install-oracles: npm install in $dir"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$dir/.stamp"
fi
