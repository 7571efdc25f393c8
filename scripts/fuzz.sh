#!/usr/bin/env bash
# Runs every libFuzzer target built by the `fuzz` preset for SECONDS each (default 60),
# seeding parquet-related targets with the shared test files. Crashes land in
# build/fuzz-artifacts/<target>/ and make the script fail.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
testdata=${DS_TESTDATA:-../shared/testdata}
status=0
for bin in $(find build/fuzz -type f -name '*_fuzz' -perm -u+x | sort); do
  name=$(basename "$bin")
  corpus=build/fuzz-corpus/$name
  artifacts=build/fuzz-artifacts/$name
  mkdir -p "$corpus" "$artifacts"
  if [[ -d $testdata/parquet-testing/data && $name == parquet_* ]]; then
    find "$testdata/parquet-testing/data" "$testdata/parquet-testing/bad_data" -maxdepth 1 \
      -name '*.parquet' -size -256k -exec cp -n {} "$corpus/" \; 2>/dev/null || true
  fi
  if [[ -d $testdata/delta/kernel ]]; then
    case $name in
      delta_commit_fuzz) pattern='*.json' ;;
      delta_checkpoint_fuzz) pattern='*checkpoint*.parquet' ;;
      delta_dv_fuzz) pattern='deletion_vector_*.bin' ;;
      *) pattern='' ;;
    esac
    if [[ -n $pattern ]]; then
      find "$testdata/delta/kernel" -name "$pattern" -size -256k 2>/dev/null | head -200 |
        while read -r f; do cp -n "$f" "$corpus/$(echo "$f" | md5sum | cut -c1-16)"; done
    fi
  fi
  echo "fuzz: $name for ${seconds}s"
  if ! "$bin" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 \
       -artifact_prefix="$artifacts/" -print_final_stats=1 > "$artifacts/log.txt" 2>&1; then
    echo "fuzz: $name FAILED (see $artifacts/log.txt)"
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$artifacts/log.txt" | tr '\n' ' '
  echo
done
exit $status
