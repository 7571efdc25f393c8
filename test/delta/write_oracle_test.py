#!/usr/bin/python3
"""Tables written by `deltashare table write` checked against DuckDB.

Each step writes with the CLI (create with partitions and CDF, CSV append, merge, delete,
snapshot merge, Parquet append, two concurrent writer processes), then replays the JSON
commits' adds and removes independently (no deltashare code), reads the live files with
DuckDB (test/oracle/duckdb_cat.mjs), adds the partition values and requires the same rows as
`deltashare table scan`. DuckDB must also read the checkpoint (its add paths = the live
files) and the change data files.

usage: write_oracle_test.py --cli PATH --oracle-dir DIR [--work DIR]
Skips (exit 77) when node or the DuckDB oracle is missing.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ORACLE = os.path.join(ROOT, 'test', 'oracle')

SCHEMA = {"type": "struct", "fields": [
    {"name": "id", "type": "long", "nullable": False, "metadata": {}},
    {"name": "name", "type": "string", "nullable": True, "metadata": {}},
    {"name": "amount", "type": "decimal(12,2)", "nullable": True, "metadata": {}},
    {"name": "score", "type": "double", "nullable": True, "metadata": {}},
    {"name": "active", "type": "boolean", "nullable": True, "metadata": {}},
    {"name": "day", "type": "date", "nullable": True, "metadata": {}},
    {"name": "at", "type": "timestamp", "nullable": True, "metadata": {}},
    {"name": "tags", "type": {"type": "array", "elementType": "string", "containsNull": True},
     "nullable": True, "metadata": {}},
    {"name": "kind", "type": "string", "nullable": True, "metadata": {}},
    {"name": "bucket", "type": "integer", "nullable": True, "metadata": {}},
]}
KINDS = ["a:b", "x y", "é", "#%=?", None, "plain", "tab\there"]


def make_row(rnd, i, name=None):
    return {
        "id": i,
        "name": name if name is not None else rnd.choice([f"name {i}", None, "", "ünï"]),
        "amount": None if i % 11 == 0 else f"{rnd.randint(-99999, 99999)}.{rnd.randint(0, 99):02d}",
        "score": None if i % 7 == 0 else rnd.uniform(-1e6, 1e6),
        "active": None if i % 5 == 0 else bool(i % 2),
        "day": None if i % 13 == 0 else f"20{rnd.randint(10, 30)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
        "at": None if i % 17 == 0 else f"2024-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}T0{rnd.randint(0, 9)}:00:0{rnd.randint(0, 9)}.{rnd.randint(0, 999999):06d}Z",
        "tags": None if i % 3 == 0 else rnd.sample(["red", "green", "blue", "é"], k=i % 3),
        "kind": KINDS[i % len(KINDS)],
        "bucket": None if i % 9 == 0 else i % 3,
    }


class Failure(Exception):
    pass


class Env:
    def __init__(self, cli, oracle_dir, work):
        self.cli = os.path.abspath(cli)
        self.oracle_dir = os.path.abspath(oracle_dir)
        self.work = work
        self.table = os.path.join(work, "table")
        self.schema = os.path.join(work, "schema.json")
        with open(self.schema, "w") as f:
            json.dump(SCHEMA, f)
        self.steps = 0

    def run(self, *args, check=True):
        p = subprocess.run([self.cli, *args], capture_output=True, text=True)
        if check and p.returncode != 0:
            raise Failure(f"deltashare {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
        return p

    def write_jsonl(self, name, rows):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return path

    def node(self, *args):
        env = dict(os.environ, DS_ORACLE_DIR=self.oracle_dir)
        p = subprocess.run(["node", *args], capture_output=True, text=True, env=env)
        if p.returncode != 0:
            raise Failure(f"node {' '.join(args)} failed:\n{p.stderr}")
        return p.stdout

    def replay(self):
        """Live files {path: partitionValues} from the JSON commits alone."""
        log = os.path.join(self.table, "_delta_log")
        live = {}
        commits = sorted(n for n in os.listdir(log) if n.endswith(".json") and len(n) == 25)
        for i, name in enumerate(commits):
            if name != f"{i:020d}.json":
                raise Failure(f"commit {i} missing: found {name}")
            with open(os.path.join(log, name)) as f:
                for line in f:
                    action = json.loads(line)
                    if "add" in action:
                        live[action["add"]["path"]] = action["add"]["partitionValues"]
                    elif "remove" in action:
                        live.pop(action["remove"]["path"], None)
        return live, len(commits) - 1

    def duckdb_rows(self, live):
        paths = sorted(live)
        listfile = os.path.join(self.work, "files.txt")
        outdir = os.path.join(self.work, "duckdb-out")
        shutil.rmtree(outdir, ignore_errors=True)
        with open(listfile, "w") as f:
            for p in paths:
                f.write(os.path.join(self.table, urllib.parse.unquote(p)) + "\n")
        self.node(os.path.join(ORACLE, "duckdb_cat.mjs"), "--batch", listfile, outdir)
        rows = []
        for i, p in enumerate(paths):
            err = os.path.join(outdir, f"{i}.err")
            if os.path.exists(err):
                raise Failure(f"DuckDB cannot read {p}: {open(err).read()}")
            pv = live[p]
            with open(os.path.join(outdir, f"{i}.jsonl")) as f:
                for line in f:
                    row = json.loads(line)
                    row["kind"] = pv.get("kind")
                    row["bucket"] = None if pv.get("bucket") is None else int(pv["bucket"])
                    rows.append(row)
        return rows

    def check(self, label, expect_rows=None):
        self.steps += 1
        live, version = self.replay()
        expected = self.duckdb_rows(live)
        ours = self.run("table", "scan", self.table).stdout
        exp_path = os.path.join(self.work, f"step{self.steps}.duckdb.jsonl")
        our_path = os.path.join(self.work, f"step{self.steps}.deltashare.jsonl")
        with open(exp_path, "w") as f:
            for r in expected:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        with open(our_path, "w") as f:
            f.write(ours)
        p = subprocess.run(["/usr/bin/python3", os.path.join(ORACLE, "compare_jsonl.py"), exp_path,
                            our_path, "--unordered"], capture_output=True, text=True)
        if p.returncode != 0:
            raise Failure(f"{label}: DuckDB replay and deltashare differ:\n{p.stdout}{p.stderr}")
        if expect_rows is not None and len(expected) != expect_rows:
            raise Failure(f"{label}: {len(expected)} rows, expected {expect_rows}")
        print(f"ok {self.steps} - {label}: version {version}, {len(live)} files, {len(expected)} rows")
        return version, expected


def csv_cell(v):
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False)
    elif isinstance(v, bool):
        v = "true" if v else "false"
    s = str(v)
    return '"' + s.replace('"', '""') + '"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--oracle-dir", required=True)
    ap.add_argument("--work")
    args = ap.parse_args()
    if shutil.which("node") is None or not os.path.isdir(
            os.path.join(args.oracle_dir, "node_modules", "@duckdb", "node-api")):
        print("skipping: node or the DuckDB oracle is missing (scripts/install-oracles.sh)")
        return 77
    work = args.work or tempfile.mkdtemp(prefix="ds-write-oracle-")
    os.makedirs(work, exist_ok=True)
    env = Env(args.cli, args.oracle_dir, work)
    rnd = random.Random(42)
    try:
        rows = {i: make_row(rnd, i) for i in range(1, 201)}
        a = env.write_jsonl("a.jsonl", rows.values())
        env.run("table", "write", env.table, "--input", a, "--schema", env.schema,
                "--partition-by", "kind,bucket", "--enable-cdf",
                "--property", "delta.checkpointInterval=4")
        env.check("create", 200)

        more = [make_row(rnd, i) for i in range(201, 251)]
        csv_path = os.path.join(work, "b.csv")
        names = [f["name"] for f in SCHEMA["fields"]]
        with open(csv_path, "w") as f:
            f.write(",".join(names) + "\n")
            for r in more:
                f.write(",".join(csv_cell(r[n]) for n in names) + "\n")
        env.run("table", "write", env.table, "--input", csv_path)
        rows.update({r["id"]: r for r in more})
        env.check("append CSV", 250)

        updates = [make_row(rnd, i, name=f"updated {i}") for i in range(100, 120)]
        inserts = [make_row(rnd, i) for i in range(1000, 1010)]
        c = env.write_jsonl("c.jsonl", updates + inserts)
        env.run("table", "write", env.table, "--input", c, "--mode", "merge", "--key", "id")
        _, got = env.check("merge", 260)
        if sum(1 for r in got if str(r["name"]).startswith("updated")) != 20:
            raise Failure("merge: the 20 updated rows are not all there")

        env.run("table", "delete", env.table, "--where", json.dumps({
            "op": "lessThan", "children": [{"op": "column", "name": "id", "valueType": "long"},
                                           {"op": "literal", "value": "10", "valueType": "long"}]}))
        env.check("delete", 251)

        snapshot = [r for r in (updates + inserts + list(rows.values())) if r["id"] >= 10]
        seen, full = set(), []
        for r in snapshot:
            if r["id"] not in seen and r["id"] % 4 != 0:
                seen.add(r["id"])
                full.append(r)
        d = env.write_jsonl("d.jsonl", full)
        env.run("table", "write", env.table, "--input", d, "--mode", "merge", "--key", "id",
                "--delete-missing")
        env.check("snapshot merge", len(full))

        pq_rows = [make_row(rnd, i) for i in range(2000, 2030)]
        e = env.write_jsonl("e.jsonl", pq_rows)
        e_pq = os.path.join(work, "e.parquet")
        env.run("parquet", "write", "--input", e, "--schema", env.schema, "-o", e_pq)
        env.run("table", "write", env.table, "--input", e_pq)
        version, _ = env.check("append Parquet", len(full) + 30)

        # Two processes appending and one merging, at the same time.
        procs = []
        for w in range(2):
            for k in range(4):
                base = 3000 + w * 100 + k * 10
                path = env.write_jsonl(f"w{w}-{k}.jsonl", [make_row(rnd, base + j) for j in range(10)])
                procs.append(["table", "write", env.table, "--input", path])
        m = env.write_jsonl("m.jsonl", [make_row(rnd, 2000, name="merged")])
        procs.insert(3, ["table", "write", env.table, "--input", m, "--mode", "merge", "--key", "id"])
        running = [subprocess.Popen([env.cli, *p], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True) for p in procs]
        for p in running:
            out, err = p.communicate()
            if p.returncode != 0:
                raise Failure(f"a concurrent writer failed: {err}")
        latest, _ = env.check("concurrent writers", len(full) + 30 + 80)
        if latest != version + len(procs):
            raise Failure(f"concurrent writers: version {latest}, expected {version + len(procs)}")

        # The newest checkpoint, read by DuckDB, lists exactly the live files of its version.
        log = os.path.join(env.table, "_delta_log")
        cps = sorted(n for n in os.listdir(log) if n.endswith(".checkpoint.parquet"))
        if not cps:
            raise Failure("no checkpoint was written (interval 4)")
        cp_version = int(cps[-1][:20])
        out = env.node(os.path.join(ORACLE, "duckdb_cat.mjs"), os.path.join(log, cps[-1]))
        cp_adds = {json.loads(l)["add"]["path"] for l in out.splitlines() if json.loads(l)["add"]}
        files = env.run("table", "files", env.table, "--version", str(cp_version)).stdout
        live = {json.loads(l)["path"] for l in files.splitlines()}
        if cp_adds != live:
            raise Failure(f"checkpoint {cps[-1]}: {len(cp_adds)} adds, {len(live)} live files")
        print(f"ok - DuckDB reads checkpoint {cps[-1]} ({len(cp_adds)} adds)")

        cdc_dir = os.path.join(env.table, "_change_data")
        cdc = [os.path.join(d, f) for d, _, fs in os.walk(cdc_dir) for f in fs if f.endswith(".parquet")]
        if not cdc:
            raise Failure("no change data files")
        listfile = os.path.join(work, "cdc.txt")
        outdir = os.path.join(work, "cdc-out")
        with open(listfile, "w") as f:
            f.write("\n".join(cdc) + "\n")
        env.node(os.path.join(ORACLE, "duckdb_cat.mjs"), "--batch", listfile, outdir)
        types = set()
        for i in range(len(cdc)):
            if os.path.exists(os.path.join(outdir, f"{i}.err")):
                raise Failure(f"DuckDB cannot read {cdc[i]}")
            with open(os.path.join(outdir, f"{i}.jsonl")) as f:
                for line in f:
                    types.add(json.loads(line)["_change_type"])
        if not types <= {"insert", "delete", "update_preimage", "update_postimage"} or \
                "update_postimage" not in types:
            raise Failure(f"change data files hold change types {types}")
        print(f"ok - DuckDB reads {len(cdc)} change data files ({', '.join(sorted(types))})")
    except Failure as e:
        print(f"FAIL: {e}\n(work folder: {work})")
        return 1
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
