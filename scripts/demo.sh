#!/usr/bin/env bash
# The demo: what deltashare can do today, on generated CRM data.
# (Grows with the product: a Delta lakehouse and a sharing server come next.)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/deltashare
dir=build/demo
mkdir -p "$dir"

cat > "$dir/accounts.schema.json" <<'JSON'
{"type":"struct","fields":[
 {"name":"account_id","type":"long","nullable":false,"metadata":{}},
 {"name":"name","type":"string","nullable":false,"metadata":{}},
 {"name":"region","type":"string","nullable":true,"metadata":{}},
 {"name":"annual_revenue","type":"decimal(18,2)","nullable":true,"metadata":{}},
 {"name":"created_at","type":"timestamp","nullable":false,"metadata":{}},
 {"name":"tags","type":{"type":"array","elementType":"string","containsNull":false},"nullable":true,"metadata":{}}
]}
JSON

python3 - "$dir/accounts.jsonl" <<'PY'
import json, random, sys
random.seed(7)
regions = ["EU", "US", "APAC", None]
with open(sys.argv[1], "w") as f:
    for i in range(1, 10001):
        f.write(json.dumps({
            "account_id": i,
            "name": f"Account {i:05d}",
            "region": random.choice(regions),
            "annual_revenue": None if i % 13 == 0 else f"{random.randint(10_000, 50_000_000)}.{random.randint(0, 99):02d}",
            "created_at": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
            "tags": random.sample(["enterprise", "smb", "partner", "churn-risk"], k=i % 3),
        }) + "\n")
PY

echo "== write 10,000 accounts to Parquet (zstd)"
$bin parquet write --input "$dir/accounts.jsonl" --schema "$dir/accounts.schema.json" \
  -o "$dir/accounts.parquet" --compression zstd
ls -l "$dir/accounts.parquet"
echo
echo "== deltashare parquet schema"
$bin parquet schema "$dir/accounts.parquet"
echo
echo "== deltashare parquet cat --limit 3"
$bin parquet cat "$dir/accounts.parquet" --limit 3
echo
echo "Next: $bin parquet meta $dir/accounts.parquet"
