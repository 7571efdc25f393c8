#!/usr/bin/python3
"""End-to-end test of `deltashare client` against `deltashare serve` on loopback.

  cli_e2e_test.py --deltashare BUILD/deltashare [--testdata DIR] [--oracle-dir DIR]

Starts the server binary on an ephemeral port over Delta tables from ../shared/testdata and
checks every client command: list (tree and --json), version, metadata, load (JSON Lines on
stdout equal to the local kernel's `deltashare table scan` and to Spark's expected/ rows;
-o x.parquet read back identically by DuckDB and by `deltashare parquet cat`; -o x.csv;
--where/--limit/--columns), changes (equal to `deltashare table changes`), and clear errors
with exit code 1. Exits 77 (skipped) without the test data; the DuckDB check is skipped
without the npm oracles. Debian python3, stdlib only.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
COMPARE = os.path.join(REPO, "test", "oracle", "compare_jsonl.py")
DUCKDB_CAT = os.path.join(REPO, "test", "oracle", "duckdb_cat.mjs")

GOLDEN = ["data-reader-primitives", "dv-with-columnmapping", "basic-decimal-table",
          "data-reader-nested-struct", "table-with-columnmapping-mode-name"]
KERNEL_CDF = "cdf-table"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def extract(archive, dest):
    os.makedirs(dest, exist_ok=True)
    subprocess.run(["tar", "--zstd", "-xf", archive, "-C", dest], check=True)


def table_dir(root, name):
    """The folder holding _delta_log."""
    for cand in (os.path.join(root, name, "delta"), os.path.join(root, name)):
        if os.path.isdir(os.path.join(cand, "_delta_log")):
            return cand
    raise RuntimeError("no _delta_log under " + os.path.join(root, name))


def write_jsonl(path, text):
    with open(path, "w") as f:
        f.write(text)


def same_rows(expected_text, actual_text, what, work):
    e, a = os.path.join(work, "expected.jsonl"), os.path.join(work, "actual.jsonl")
    write_jsonl(e, expected_text)
    write_jsonl(a, actual_text)
    r = run(["/usr/bin/python3", COMPARE, e, a, "--unordered"])
    check(r.returncode == 0, what + ": rows differ\n" + r.stdout[-2000:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deltashare", required=True)
    ap.add_argument("--testdata", default=os.environ.get("DS_TESTDATA",
                                                         os.path.join(REPO, "..", "shared", "testdata")))
    ap.add_argument("--oracle-dir", default=os.path.join(REPO, "build", "oracles"))
    opts = ap.parse_args()
    golden_root = os.path.join(opts.testdata, "delta", "golden")
    kernel_root = os.path.join(opts.testdata, "delta", "kernel")
    if not os.path.isdir(golden_root) or not os.path.isdir(kernel_root):
        print("shared test data not found; skipping")
        return 77
    ds = os.path.abspath(opts.deltashare)
    work = tempfile.mkdtemp(prefix="ds-client-cli-")
    server = None
    try:
        tables = {}
        for name in GOLDEN:
            extract(os.path.join(golden_root, name + ".tar.zst"), os.path.join(work, "golden"))
            tables[("golden", name)] = table_dir(os.path.join(work, "golden"), name)
        extract(os.path.join(kernel_root, KERNEL_CDF + ".tar.zst"), os.path.join(work, "kernel"))
        tables[("cdf", KERNEL_CDF)] = table_dir(os.path.join(work, "kernel"), KERNEL_CDF)

        key = os.path.join(work, "master.key")
        with open(key, "w") as f:
            f.write(os.urandom(32).hex() + "\n")
        os.chmod(key, 0o600)
        cfg = ["version: 1", "host: 127.0.0.1", "port: 0", "endpoint: /delta-sharing",
               "authorization:", "  bearerToken: cli-test-token-0123456789",
               "masterKeyFile: %s" % json.dumps(key), 'accessLog: "off"', "shares:"]
        for share in ("golden", "cdf"):
            cfg += ["- name: %s" % share, "  schemas:", "  - name: default", "    tables:"]
            for (s, name), path in tables.items():
                if s == share:
                    cfg += ["    - name: %s" % json.dumps(name),
                            "      location: %s" % json.dumps(path), "      historyShared: true"]
        config = os.path.join(work, "server.yaml")
        with open(config, "w") as f:
            f.write("\n".join(cfg) + "\n")

        server = subprocess.Popen([ds, "serve", "-c", config], stderr=subprocess.PIPE, text=True)
        endpoint = None
        seen = ""
        deadline = time.time() + 60
        while time.time() < deadline:
            line = server.stderr.readline()
            seen += line
            if not line:
                break
            m = re.search(r"serving Delta Sharing at (\S+)", line)
            if m:
                endpoint = m.group(1)
                break
        if endpoint is None:
            print("the server did not start: " + seen)
            return 1
        profile = os.path.join(work, "profile.share")
        with open(profile, "w") as f:
            json.dump({"shareCredentialsVersion": 1, "endpoint": endpoint,
                       "bearerToken": "cli-test-token-0123456789"}, f)

        # list
        r = run([ds, "client", "list", profile])
        check(r.returncode == 0 and "golden\n  default\n    " in r.stdout, "list tree: " + r.stdout + r.stderr)
        r = run([ds, "client", "list", profile, "--json"])
        doc = json.loads(r.stdout)
        names = {t for s in doc["shares"] for sc in s["schemas"] for t in sc["tables"]}
        check(names == {n for _, n in tables}, "list --json names: %s" % names)

        # version / metadata
        r = run([ds, "client", "version", profile + "#cdf.default." + KERNEL_CDF])
        check(r.returncode == 0 and r.stdout.strip().isdigit(), "version: " + r.stdout + r.stderr)
        r = run([ds, "client", "metadata", profile + "#golden.default.dv-with-columnmapping", "--json"])
        check(r.returncode == 0, "metadata: " + r.stderr)
        if r.returncode == 0:
            meta = json.loads(r.stdout)
            check(meta["format"] == "delta", "metadata format " + meta["format"])
        r = run([ds, "client", "metadata", profile + "#golden.default.basic-decimal-table"])
        check(r.returncode == 0 and "schema:" in r.stdout, "metadata text: " + r.stdout + r.stderr)

        have_duckdb = os.path.isdir(os.path.join(opts.oracle_dir, "node_modules", "@duckdb"))
        env = dict(os.environ, DS_ORACLE_DIR=opts.oracle_dir)
        for (share, name), path in tables.items():
            url = "%s#%s.default.%s" % (profile, share, name)
            if share == "cdf":
                continue
            loaded = run([ds, "client", "load", url])
            check(loaded.returncode == 0, name + ": load failed: " + loaded.stderr)
            kernel = run([ds, "table", "scan", path])
            check(kernel.returncode == 0, name + ": table scan failed: " + kernel.stderr)
            same_rows(kernel.stdout, loaded.stdout, name + " (vs kernel)", work)
            expected_dir = os.path.join(os.path.dirname(path), "expected")
            if os.path.isdir(expected_dir):
                rows = ""
                for root, _, files in os.walk(expected_dir):
                    for fn in sorted(files):
                        if fn.endswith(".parquet"):
                            rows += run([ds, "parquet", "cat", os.path.join(root, fn)]).stdout
                same_rows(rows, loaded.stdout, name + " (vs expected/)", work)
            out = os.path.join(work, name + ".parquet")
            r = run([ds, "client", "load", url, "-o", out])
            check(r.returncode == 0 and os.path.getsize(out) > 0, name + ": load -o parquet: " + r.stderr)
            back = run([ds, "parquet", "cat", out])
            same_rows(loaded.stdout, back.stdout, name + " (-o parquet, read back)", work)
            if have_duckdb:
                duck = run(["node", DUCKDB_CAT, out], env=env)
                check(duck.returncode == 0, name + ": duckdb: " + duck.stderr)
                same_rows(loaded.stdout, duck.stdout, name + " (-o parquet, DuckDB)", work)
            csv = os.path.join(work, name + ".csv")
            r = run([ds, "client", "load", url, "-o", csv])
            check(r.returncode == 0 and open(csv).readline().strip() != "", name + ": csv: " + r.stderr)

        # projection, limit and predicates on the CLI
        url = profile + "#golden.default.data-reader-primitives"
        r = run([ds, "client", "load", url, "--columns", "as_int,as_string", "--limit", "3"])
        rows = [json.loads(l) for l in r.stdout.splitlines()]
        check(len(rows) == 3 and all(list(x) == ["as_int", "as_string"] for x in rows),
              "columns/limit: " + r.stdout + r.stderr)
        where = json.dumps({"op": "equal", "children": [
            {"op": "column", "name": "as_int", "valueType": "int"},
            {"op": "literal", "value": "3", "valueType": "int"}]})
        r = run([ds, "client", "load", url, "--where", where])
        rows = [json.loads(l) for l in r.stdout.splitlines()]
        check(len(rows) == 1 and rows[0]["as_int"] == 3, "where: " + r.stdout + r.stderr)

        # changes
        path = tables[("cdf", KERNEL_CDF)]
        r = run([ds, "client", "changes", "%s#cdf.default.%s" % (profile, KERNEL_CDF), "--from-version", "0"])
        check(r.returncode == 0 and r.stdout, "changes: " + r.stderr)
        kernel = run([ds, "table", "changes", path, "--from", "0"])
        same_rows(kernel.stdout, r.stdout, "changes (vs kernel)", work)

        # errors
        r = run([ds, "client", "load", profile + "#golden.default.nope"])
        check(r.returncode == 1 and "RESOURCE_DOES_NOT_EXIST" in r.stderr, "missing table: " + r.stderr)
        r = run([ds, "client", "list", os.path.join(work, "absent.share")])
        check(r.returncode == 1 and "absent.share" in r.stderr, "missing profile: " + r.stderr)
        r = run([ds, "client", "load", "no-hash-here"])
        check(r.returncode == 1 and "PROFILE#share.schema.table" in r.stderr, "bad url: " + r.stderr)
        r = run([ds, "client", "load", url, "-o", os.path.join(work, "x.txt")])
        check(r.returncode == 1 and ".parquet" in r.stderr, "bad output: " + r.stderr)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (1 if not failures else 0, 1 if failures else 0))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
