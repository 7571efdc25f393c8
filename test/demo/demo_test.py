#!/usr/bin/python3
"""Smoke test of the demo: `deltashare demo generate`, `deltashare serve`, `deltashare client`.

  demo_test.py --deltashare BUILD/deltashare

Generates a small demo (2 tenants) in a temporary folder, serves it on a free loopback
port, and reads as each tenant's recipient: `client list` shows only its own share, `client
load` returns the rows `table scan` finds in the lake, `client changes` shows the three
published snapshots' inserts/updates/deletes, and tenant A's token gets 404 for tenant B's
share (over HTTP and through the client). Also checks that generate is deterministic in its
data and refuses to overwrite a folder it did not make. Debian python3, stdlib only.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=180, **kw)


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, token):
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deltashare", required=True)
    args = ap.parse_args()
    ds = args.deltashare
    with tempfile.TemporaryDirectory() as work:
        demo = os.path.join(work, "demo")
        port = free_port()
        gen = [ds, "demo", "generate", "--out", demo, "--tenants", "2", "--accounts", "20",
               "--port", str(port)]
        t0 = time.time()
        r = run(gen)
        check(r.returncode == 0, "generate: " + r.stdout + r.stderr)
        if r.returncode != 0:
            return 1
        print("generate: %.1f s" % (time.time() - t0), flush=True)
        check("demo ready" in r.stdout, "generate output: " + r.stdout)
        for p in ["server.yaml", "access.db", "master.key", "profiles/acme.share",
                  "profiles/globex.share", "source/schemas/activities.schema.json",
                  "source/snapshot-3/cases.jsonl", "lake/acme/accounts/_delta_log"]:
            check(os.path.exists(os.path.join(demo, p)), "missing " + p)
        check(os.stat(os.path.join(demo, "master.key")).st_mode & 0o077 == 0, "master.key mode")
        check(os.stat(os.path.join(demo, "profiles/acme.share")).st_mode & 0o077 == 0,
              "profile mode")
        with open(os.path.join(demo, "server.yaml")) as f:
            config = f.read()
        check("masterKeyFile: master.key" in config and "store: sqlite:access.db" in config,
              "config: " + config)
        with open(os.path.join(demo, "master.key")) as f:
            check(f.read().strip() not in config, "the key is not in the config")

        # The tables: CDF on, activities partitioned by region, several versions.
        info = json.loads(run([ds, "table", "info", os.path.join(demo, "lake/acme/activities"),
                               "--json"]).stdout)
        check(info["metaData"]["partitionColumns"] == ["region"], "activities partitions")
        check(info["metaData"]["configuration"].get("delta.enableChangeDataFeed") == "true", "CDF")
        check(info["version"] == 2, "activities version %s" % info["version"])
        schema = json.loads(info["metaData"]["schemaString"])
        check("tenant_id" not in [f["name"] for f in schema["fields"]], "tenant column dropped")

        # Deterministic data: a second generate (same seed) gives the same source exports,
        # and replaces the earlier demo cleanly.
        with open(os.path.join(demo, "source/snapshot-2/contacts.jsonl")) as f:
            first = f.read()
        r = run(gen)
        check(r.returncode == 0, "regenerate: " + r.stderr)
        with open(os.path.join(demo, "source/snapshot-2/contacts.jsonl")) as f:
            check(f.read() == first, "same seed, same data")
        other = os.path.join(work, "not-a-demo")
        os.makedirs(other)
        with open(os.path.join(other, "keep.txt"), "w") as f:
            f.write("precious")
        r = run([ds, "demo", "generate", "--out", other])
        check(r.returncode == 1 and "holds no earlier demo" in r.stderr, "refuses: " + r.stderr)
        check(os.path.exists(os.path.join(other, "keep.txt")), "kept the foreign folder")

        server = subprocess.Popen([ds, "serve", "-c", os.path.join(demo, "server.yaml")],
                                  stderr=subprocess.PIPE, text=True)
        log = []
        ready = threading.Event()

        def drain():
            for line in server.stderr:
                log.append(line)
                if "serving Delta Sharing at" in line:
                    ready.set()
        threading.Thread(target=drain, daemon=True).start()
        try:
            if not ready.wait(60):
                print("the server did not start: " + "".join(log))
                return 1
            profiles = {t: os.path.join(demo, "profiles", t + ".share") for t in ("acme", "globex")}
            for tenant, other_tenant in (("acme", "globex"), ("globex", "acme")):
                prof = profiles[tenant]
                r = run([ds, "client", "list", prof, "--json"])
                check(r.returncode == 0, "list %s: %s" % (tenant, r.stderr))
                doc = json.loads(r.stdout)
                shares = [s["name"] for s in doc["shares"]]
                check(shares == [tenant], "%s sees shares %s" % (tenant, shares))
                tables = sorted(t for s in doc["shares"] for sc in s["schemas"] for t in sc["tables"])
                check(tables == sorted(["accounts", "contacts", "opportunities", "activities",
                                        "conversations", "cases"]), "%s tables %s" % (tenant, tables))
                for table in ("accounts", "activities"):
                    r = run([ds, "client", "load", "%s#%s.crm.%s" % (prof, tenant, table)])
                    check(r.returncode == 0, "load %s %s: %s" % (tenant, table, r.stderr))
                    remote = sorted(json.dumps(x, sort_keys=True) for x in jsonl(r.stdout))
                    local = run([ds, "table", "scan", os.path.join(demo, "lake", tenant, table)])
                    want = sorted(json.dumps(x, sort_keys=True) for x in jsonl(local.stdout))
                    check(len(remote) > 0 and remote == want,
                          "%s.%s: %d rows over sharing, %d in the lake" %
                          (tenant, table, len(remote), len(want)))
                r = run([ds, "client", "load", "%s#%s.crm.accounts" % (prof, tenant), "--limit", "5"])
                check(r.returncode == 0 and len(jsonl(r.stdout)) == 5, "load --limit 5")
                r = run([ds, "client", "changes", "%s#%s.crm.accounts" % (prof, tenant),
                         "--from-version", "0"])
                check(r.returncode == 0, "changes: " + r.stderr)
                kinds = {x["_change_type"] for x in jsonl(r.stdout)}
                check(kinds == {"insert", "update_preimage", "update_postimage", "delete"},
                      "%s change types %s" % (tenant, kinds))
                # Tenant isolation: the other tenant's share is 404 for this token.
                r = run([ds, "client", "load", "%s#%s.crm.accounts" % (prof, other_tenant)])
                check(r.returncode == 1 and r.stdout == "", "cross-tenant load must fail")
                with open(prof) as f:
                    p = json.load(f)
                status, body = http_get(p["endpoint"] + "/shares/" + other_tenant, p["bearerToken"])
                check(status == 404, "GET other share: %d %s" % (status, body))
                status, body = http_get(p["endpoint"] + "/shares/%s/schemas/crm/tables/accounts/version"
                                        % other_tenant, p["bearerToken"])
                check(status == 404, "other table version: %d %s" % (status, body))
                status, body = http_get(p["endpoint"] + "/shares/" + tenant, p["bearerToken"])
                check(status == 200, "GET own share: %d %s" % (status, body))
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("demo: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
