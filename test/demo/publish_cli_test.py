#!/usr/bin/python3
"""End-to-end test of `deltashare publish snapshot` / `publish register` through the CLI.

  publish_cli_test.py --deltashare BUILD/deltashare

Publishes four successive snapshots of a two-tenant `accounts` export (JSON Lines, then a
folder holding a Parquet file written by `deltashare parquet write`, then the same data
again) and checks with `deltashare table history|changes|scan` that each tenant's table got
exactly the versions, `_change_type`s and final rows the snapshots imply, that an unchanged
snapshot makes no commit, that the tenants' shares are registered in a SQLite access store,
that bad input fails with a clear message and changes nothing, and that `--every` stops on
SIGINT. Debian python3, stdlib only.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

failures = []

SCHEMA = {"type": "struct", "fields": [
    {"name": "tenant_id", "type": "string", "nullable": False, "metadata": {}},
    {"name": "id", "type": "long", "nullable": False, "metadata": {}},
    {"name": "name", "type": "string", "nullable": True, "metadata": {}},
    {"name": "amount", "type": "decimal(12,2)", "nullable": True, "metadata": {}},
]}


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def write_rows(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def row(tenant, i, name, amount=None):
    return {"tenant_id": tenant, "id": i, "name": name, "amount": amount}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deltashare", required=True)
    args = ap.parse_args()
    ds = args.deltashare
    with tempfile.TemporaryDirectory() as work:
        schema = os.path.join(work, "accounts.schema.json")
        with open(schema, "w") as f:
            json.dump(SCHEMA, f)
        lake = os.path.join(work, "lake")
        store = "sqlite:" + os.path.join(work, "access.db")

        def publish(source, extra=()):
            return run([ds, "publish", "snapshot", "--source", source, "--schema", schema,
                        "--table", "accounts", "--dest", lake, "--key", "id",
                        "--tenant-column", "tenant_id", "--store", store, *extra])

        def version(tenant):
            r = run([ds, "table", "history", os.path.join(lake, tenant, "accounts"), "--json"])
            check(r.returncode == 0, "history " + tenant + ": " + r.stderr)
            return max(e["version"] for e in jsonl(r.stdout))

        def scan(tenant):
            r = run([ds, "table", "scan", os.path.join(lake, tenant, "accounts")])
            check(r.returncode == 0, "scan " + tenant + ": " + r.stderr)
            return sorted((x["id"], x["name"], x["amount"]) for x in jsonl(r.stdout))

        def changes(tenant, start, end=None):
            cmd = [ds, "table", "changes", os.path.join(lake, tenant, "accounts"),
                   "--from", str(start)]
            if end is not None:
                cmd += ["--to", str(end)]
            r = run(cmd)
            check(r.returncode == 0, "changes " + tenant + ": " + r.stderr)
            return sorted((x["_commit_version"], x["_change_type"], x["id"], x["name"])
                          for x in jsonl(r.stdout))

        # Snapshot 1: creates acme (3 rows) and beta (1 row), CDF on, shares registered.
        s1 = os.path.join(work, "s1.jsonl")
        write_rows(s1, [row("acme", 1, "Blue Labs", "10.50"), row("acme", 2, "Iron Works"),
                        row("beta", 1, "Pine Foods", "7.00"), row("acme", 3, "Coral Systems")])
        r = publish(s1)
        check(r.returncode == 0, "publish 1: " + r.stderr)
        check("acme/accounts: version 0: created with 3 rows" in r.stdout, "run 1 acme: " + r.stdout)
        check("beta/accounts: version 0: created with 1 rows" in r.stdout, "run 1 beta: " + r.stdout)
        check("shared as acme.crm.accounts" in r.stdout, "run 1 registered: " + r.stdout)
        info = run([ds, "table", "info", os.path.join(lake, "acme", "accounts"), "--json"])
        doc = json.loads(info.stdout)
        check(doc["metaData"]["configuration"].get("delta.enableChangeDataFeed") == "true",
              "CDF on: %s" % doc["metaData"]["configuration"])
        check("tenant_id" not in doc["metaData"]["schemaString"], "tenant column dropped")

        # Snapshot 2: acme updates 2, deletes 3, inserts 4; beta unchanged.
        s2 = os.path.join(work, "s2.jsonl")
        write_rows(s2, [row("acme", 1, "Blue Labs", "10.50"), row("acme", 2, "Iron Works GmbH"),
                        row("acme", 4, "Delta Motors", "99.99"), row("beta", 1, "Pine Foods", "7.00")])
        r = publish(s2)
        check(r.returncode == 0, "publish 2: " + r.stderr)
        check("acme/accounts: version 1: inserted 1, updated 1, deleted 1" in r.stdout,
              "run 2 acme: " + r.stdout)
        check("beta/accounts: unchanged (1 rows), no commit" in r.stdout, "run 2 beta: " + r.stdout)
        check("shared as" not in r.stdout, "run 2 registers nothing new: " + r.stdout)

        # Snapshot 3: a folder with a Parquet file: beta gets a row, acme deletes 1.
        s3 = os.path.join(work, "s3")
        os.makedirs(s3)
        rows3 = [row("acme", 2, "Iron Works GmbH"), row("acme", 4, "Delta Motors", "99.99"),
                 row("beta", 1, "Pine Foods", "7.00"), row("beta", 2, "Green Health", "1.25")]
        write_rows(os.path.join(work, "s3.jsonl"), rows3)
        r = run([ds, "parquet", "write", "--input", os.path.join(work, "s3.jsonl"), "--schema",
                 schema, "-o", os.path.join(s3, "part-0.parquet")])
        check(r.returncode == 0, "parquet write: " + r.stderr)
        r = publish(s3)
        check(r.returncode == 0, "publish 3: " + r.stderr)
        check("acme/accounts: version 2: inserted 0, updated 0, deleted 1" in r.stdout,
              "run 3 acme: " + r.stdout)
        check("beta/accounts: version 1: inserted 1, updated 0, deleted 0" in r.stdout,
              "run 3 beta: " + r.stdout)

        # Snapshot 4 = snapshot 3 again (as JSON Lines): no commit anywhere.
        r = publish(os.path.join(work, "s3.jsonl"))
        check(r.returncode == 0, "publish 4: " + r.stderr)
        check(r.stdout.count("no commit") == 2, "run 4 unchanged: " + r.stdout)
        check(version("acme") == 2 and version("beta") == 1,
              "versions after an unchanged run: %d %d" % (version("acme"), version("beta")))

        check(scan("acme") == [(2, "Iron Works GmbH", None), (4, "Delta Motors", "99.99")],
              "acme rows: %s" % scan("acme"))
        check(scan("beta") == [(1, "Pine Foods", "7.00"), (2, "Green Health", "1.25")],
              "beta rows: %s" % scan("beta"))
        got = changes("acme", 0)
        want = sorted([(0, "insert", 1, "Blue Labs"), (0, "insert", 2, "Iron Works"),
                       (0, "insert", 3, "Coral Systems"),
                       (1, "update_preimage", 2, "Iron Works"),
                       (1, "update_postimage", 2, "Iron Works GmbH"),
                       (1, "delete", 3, "Coral Systems"), (1, "insert", 4, "Delta Motors"),
                       (2, "delete", 1, "Blue Labs")])
        check(got == want, "acme changes:\n%s\nwant\n%s" % (got, want))
        check(changes("beta", 1) == [(1, "insert", 2, "Green Health")],
              "beta changes: %s" % changes("beta", 1))

        # The access store has share <tenant>, schema crm, the table with history shared.
        r = run([ds, "admin", "--store", store, "shares", "show", "acme", "--json"])
        check(r.returncode == 0, "shares show: " + r.stderr)
        share = json.loads(r.stdout)
        tables = [(sc["name"], t["name"], t["location"], t.get("historyShared"))
                  for sc in share["schemas"] for t in sc["tables"]]
        check(tables == [("crm", "accounts", os.path.join(lake, "acme", "accounts"), True)],
              "acme share: %s" % r.stdout)

        # publish register: discovers the tables of a tenant folder, idempotently.
        reg_store = "sqlite:" + os.path.join(work, "other.db")
        r = run([ds, "publish", "register", "--store", reg_store, "--lake", lake,
                 "--tenant", "beta"])
        check(r.returncode == 0 and "share beta created: 1 table(s) added" in r.stdout,
              "register: " + r.stdout + r.stderr)
        r = run([ds, "publish", "register", "--store", reg_store, "--lake", lake,
                 "--tenant", "beta"])
        check(r.returncode == 0 and "share beta exists: 0 table(s) added, 0 re-pointed, 1 unchanged"
              in r.stdout, "register again: " + r.stdout + r.stderr)
        r = run([ds, "publish", "register", "--store", reg_store, "--lake", lake,
                 "--tenant", "nobody"])
        check(r.returncode == 1 and "error:" in r.stderr, "register missing tenant: " + r.stderr)

        # Bad input: clear errors, exit 1, nothing committed.
        bad = os.path.join(work, "bad.jsonl")
        write_rows(bad, [row("acme", 2, "x"), row("acme", 2, "y")])
        r = publish(bad)
        check(r.returncode == 1 and "several rows with key" in r.stderr, "dup key: " + r.stderr)
        write_rows(bad, [row("../etc", 1, "x")])
        r = publish(bad)
        check(r.returncode == 1 and "tenant '../etc'" in r.stderr, "bad tenant: " + r.stderr)
        with open(bad, "w") as f:
            f.write('{"tenant_id":"acme","id":"not a number"}\n')
        r = publish(bad)
        check(r.returncode == 1 and "line 1" in r.stderr, "bad row: " + r.stderr)
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        r = publish(empty)
        check(r.returncode == 1 and "no data files" in r.stderr, "empty folder: " + r.stderr)
        r = run([ds, "publish", "snapshot", "--source", s1, "--table", "accounts", "--dest", lake,
                 "--key", "id", "--tenant-column", "tenant_id"])
        check(r.returncode == 1 and "--schema" in r.stderr, "no schema: " + r.stderr)
        r = publish(s1, ["--partition-by", "name"])
        check(r.returncode == 1 and "partitioned by" in r.stderr, "partition change: " + r.stderr)
        check(version("acme") == 2 and version("beta") == 1, "bad input committed nothing")
        r = run([ds, "publish", "snapshot", "--help"])
        check(r.returncode == 0 and "--tenant-column" in r.stdout, "help")

        # --every: repeats; SIGINT stops it cleanly after the run in progress.
        proc = subprocess.Popen([ds, "publish", "snapshot", "--source", s2, "--schema", schema,
                                 "--table", "accounts", "--dest", lake, "--key", "id",
                                 "--tenant-column", "tenant_id", "--every", "1s"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        check(proc.returncode == 0 and "stopped" in err, "--every stop: %s %s" % (proc.returncode, err))
        check(out.count("acme/accounts:") >= 2, "--every ran several times: " + out)
        check(out.count("acme/accounts: version 3") == 1 and version("acme") == 3,
              "--every: one commit, then unchanged: " + out)

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("publish CLI: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
