#!/usr/bin/python3
"""`deltashare client sync` end to end, through an HTTP proxy, checked against DuckDB.

  sync_cli_test.py --deltashare BUILD/deltashare [--oracle-dir DIR]

A source table is written with `deltashare table write` (partitioned, CDF on) and served by
`deltashare serve` on loopback. Steps:

  * a tiny forward/CONNECT proxy written here (stdlib) relays every request: `client load
    --proxy` and `https_proxy`/`http_proxy` in the environment go through it (requests
    counted), a dead proxy is a clear error;
  * `client load` prints no progress when stderr is piped, and a progress line with files,
    bytes and rate on a terminal (a pty);
  * `client sync --key id` creates DEST, then applies appends, merges and deletes from the
    change feed in one commit per run; a sync without --key matches full rows; each time
    DEST's rows (`table scan`) equal the source's, and DEST's files, replayed from its JSON
    commits without deltashare and read by DuckDB, hold the same rows;
  * a sync killed (SIGKILL) mid-download, slowed by the proxy, leaves DEST at its previous
    version and the next run gives the right rows;
  * `--every 200ms` picks up a new source commit and stops cleanly on SIGINT.

Exits 77 when node or the DuckDB oracle is missing. Debian python3, stdlib only.
"""
import argparse
import json
import os
import pty
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ORACLE = os.path.join(REPO, "test", "oracle")

SCHEMA = {"type": "struct", "fields": [
    {"name": "id", "type": "long", "nullable": False, "metadata": {}},
    {"name": "name", "type": "string", "nullable": True, "metadata": {}},
    {"name": "amount", "type": "decimal(12,2)", "nullable": True, "metadata": {}},
    {"name": "score", "type": "double", "nullable": True, "metadata": {}},
    {"name": "day", "type": "date", "nullable": True, "metadata": {}},
    {"name": "at", "type": "timestamp", "nullable": True, "metadata": {}},
    {"name": "tags", "type": {"type": "array", "elementType": "string", "containsNull": True},
     "nullable": True, "metadata": {}},
    {"name": "kind", "type": "string", "nullable": True, "metadata": {}},
]}
KINDS = ["a", "b b", "é", None]
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def make_row(rnd, i, name=None, pad=0):
    return {
        "id": i,
        # Random padding: incompressible, so that files have a size worth downloading.
        "name": (name or rnd.choice([f"name {i}", "", "ünï"])) + "".join(rnd.choices(LETTERS, k=pad)),
        "amount": None if i % 11 == 0 else f"{rnd.randint(-99999, 99999)}.{rnd.randint(0, 99):02d}",
        "score": None if i % 7 == 0 else rnd.uniform(-1e6, 1e6),
        "day": None if i % 13 == 0 else f"20{rnd.randint(10, 30)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
        "at": None if i % 17 == 0 else f"2024-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}T0{rnd.randint(0, 9)}:00:00.{rnd.randint(0, 999999):06d}Z",
        "tags": None if i % 3 == 0 else rnd.sample(["red", "green", "é"], k=i % 3),
        "kind": KINDS[i % len(KINDS)],
    }


failures = []
T0 = time.time()


def ok(what):
    print("ok - %s [%.1f s]" % (what, time.time() - T0), flush=True)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


# ---- a forward / CONNECT proxy ---------------------------------------------------------

class Proxy:
    """HTTP proxy on loopback: absolute-URI requests are forwarded (one per connection,
    `Connection: close`), CONNECT is tunnelled. `delay` seconds per 16 KiB slows responses."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.requests = 0
        self.delay = 0.0
        self.lock = threading.Lock()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        try:
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buf += chunk
            head, body = buf.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            with self.lock:
                self.requests += 1
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)))
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self.pump(conn, upstream, body)
                return
            u = urllib.parse.urlsplit(target)
            headers = [l for l in lines[1:] if not l.lower().startswith(("proxy-", "connection:"))]
            length = 0
            for l in headers:
                if l.lower().startswith("content-length:"):
                    length = int(l.split(":", 1)[1])
            while len(body) < length:
                body += conn.recv(65536)
            upstream = socket.create_connection((u.hostname, u.port or 80))
            path = u.path + ("?" + u.query if u.query else "")
            req = "%s %s HTTP/1.1\r\n%s\r\nConnection: close\r\n\r\n" % (
                method, path or "/", "\r\n".join(headers))
            upstream.sendall(req.encode("latin-1") + body)
            while True:
                data = upstream.recv(16384)
                if not data:
                    break
                if self.delay:
                    time.sleep(self.delay)
                conn.sendall(data)
            upstream.close()
        except OSError:
            pass
        finally:
            conn.close()

    @staticmethod
    def pump(a, b, first):
        if first:
            b.sendall(first)
        socks = [a, b]
        while True:
            r, _, _ = select.select(socks, [], [], 30)
            if not r:
                break
            for s in r:
                data = s.recv(65536)
                if not data:
                    a.close()
                    b.close()
                    return
                (b if s is a else a).sendall(data)


# ---- helpers ---------------------------------------------------------------------------

class Env:
    def __init__(self, ds, oracle_dir, work):
        self.ds, self.oracle_dir, self.work = ds, oracle_dir, work
        # No proxy variables from the machine leak into the runs.
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}

    def run(self, *args, env=None, check_rc=True):
        p = subprocess.run([self.ds, *args], capture_output=True, text=True, env=env or self.env)
        if check_rc and p.returncode != 0:
            raise RuntimeError("deltashare %s failed (%d):\n%s" % (" ".join(args), p.returncode, p.stderr))
        return p

    def jsonl(self, name, rows):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return path

    def same(self, expected_text, actual_text, what):
        e = os.path.join(self.work, "expected.jsonl")
        a = os.path.join(self.work, "actual.jsonl")
        with open(e, "w") as f:
            f.write(expected_text)
        with open(a, "w") as f:
            f.write(actual_text)
        p = subprocess.run(["/usr/bin/python3", os.path.join(ORACLE, "compare_jsonl.py"), e, a,
                            "--unordered"], capture_output=True, text=True)
        return check(p.returncode == 0, what + ": rows differ\n" + p.stdout[-3000:] + p.stderr[-1000:])

    def duckdb_replay(self, table):
        """DEST's rows from its JSON commits (adds minus removes) read by DuckDB."""
        log = os.path.join(table, "_delta_log")
        live = {}
        commits = sorted(n for n in os.listdir(log) if re.fullmatch(r"\d{20}\.json", n))
        for i, name in enumerate(commits):
            check(name == "%020d.json" % i, "commit %d missing in %s" % (i, table))
            with open(os.path.join(log, name)) as f:
                for line in f:
                    action = json.loads(line)
                    if "add" in action:
                        live[action["add"]["path"]] = action["add"]["partitionValues"]
                    elif "remove" in action:
                        live.pop(action["remove"]["path"], None)
        paths = sorted(live)
        listfile = os.path.join(self.work, "files.txt")
        outdir = os.path.join(self.work, "duckdb-out")
        shutil.rmtree(outdir, ignore_errors=True)
        with open(listfile, "w") as f:
            for p in paths:
                f.write(os.path.join(table, urllib.parse.unquote(p)) + "\n")
        env = dict(self.env, DS_ORACLE_DIR=self.oracle_dir)
        p = subprocess.run(["node", os.path.join(ORACLE, "duckdb_cat.mjs"), "--batch", listfile,
                            outdir], capture_output=True, text=True, env=env)
        if not check(p.returncode == 0, "duckdb_cat: " + p.stderr):
            return ""
        out = []
        for i, path in enumerate(paths):
            err = os.path.join(outdir, "%d.err" % i)
            if os.path.exists(err):
                check(False, "DuckDB cannot read %s: %s" % (path, open(err).read()))
                continue
            with open(os.path.join(outdir, "%d.jsonl" % i)) as f:
                for line in f:
                    row = json.loads(line)
                    row["kind"] = live[path].get("kind")
                    out.append(json.dumps(row, ensure_ascii=False))
        return "".join(l + "\n" for l in out)

    def versions(self, table):
        log = os.path.join(table, "_delta_log")
        if not os.path.isdir(log):
            return -1
        return len([n for n in os.listdir(log) if re.fullmatch(r"\d{20}\.json", n)]) - 1


def start_server(ds, work, table, env):
    key = os.path.join(work, "master.key")
    with open(key, "w") as f:
        f.write(os.urandom(32).hex() + "\n")
    os.chmod(key, 0o600)
    cfg = ["version: 1", "host: 127.0.0.1", "port: 0", "endpoint: /delta-sharing",
           "authorization:", "  bearerToken: sync-test-token-0123456789",
           "masterKeyFile: %s" % json.dumps(key), 'accessLog: "off"', "shares:",
           "- name: s", "  schemas:", "  - name: d", "    tables:",
           "    - name: t", "      location: %s" % json.dumps(table), "      historyShared: true"]
    config = os.path.join(work, "server.yaml")
    with open(config, "w") as f:
        f.write("\n".join(cfg) + "\n")
    server = subprocess.Popen([ds, "serve", "-c", config], stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = server.stderr.readline()
        if not line:
            break
        m = re.search(r"serving Delta Sharing at (\S+)", line)
        if m:
            threading.Thread(target=lambda: server.stderr.read(), daemon=True).start()
            return server, m.group(1)
    server.kill()
    raise RuntimeError("the server did not start")


def on_terminal(args, env):
    """Runs a command with stderr on a pty; returns (rc, what the terminal showed)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if not data:
                break
            seen += data
        elif p.poll() is not None:
            break
    p.wait()
    os.close(master)
    return p.returncode, seen.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deltashare", required=True)
    ap.add_argument("--oracle-dir", default=os.path.join(REPO, "build", "oracles"))
    opts = ap.parse_args()
    if shutil.which("node") is None or not os.path.isdir(
            os.path.join(opts.oracle_dir, "node_modules", "@duckdb", "node-api")):
        print("skipping: node or the DuckDB oracle is missing (scripts/install-oracles.sh)")
        return 77
    work = tempfile.mkdtemp(prefix="ds-sync-cli-")
    env = Env(os.path.abspath(opts.deltashare), os.path.abspath(opts.oracle_dir), work)
    server = None
    try:
        rnd = random.Random(7)
        src = os.path.join(work, "src")
        schema = os.path.join(work, "schema.json")
        with open(schema, "w") as f:
            json.dump(SCHEMA, f)
        env.run("table", "write", src, "--input",
                env.jsonl("a.jsonl", [make_row(rnd, i) for i in range(1, 301)]),
                "--schema", schema, "--partition-by", "kind", "--enable-cdf")
        # Bigger files, so that a slowed download can be interrupted.
        env.run("table", "write", src, "--input",
                env.jsonl("big.jsonl", [make_row(rnd, i, pad=500) for i in range(1000, 4000)]))
        server, endpoint = start_server(env.ds, work, src, env.env)
        profile = os.path.join(work, "profile.share")
        with open(profile, "w") as f:
            json.dump({"shareCredentialsVersion": 1, "endpoint": endpoint,
                       "bearerToken": "sync-test-token-0123456789"}, f)
        url = profile + "#s.d.t"
        source_rows = lambda: env.run("table", "scan", src).stdout

        # ---- proxy ----
        proxy = Proxy()
        direct = env.run("client", "load", url).stdout
        r = env.run("client", "load", url, "--proxy", proxy.url)
        check(proxy.requests >= 2, "--proxy: %d requests through the proxy" % proxy.requests)
        env.same(direct, r.stdout, "load through --proxy")
        before = proxy.requests
        r = env.run("client", "load", url, env=dict(env.env, http_proxy=proxy.url))
        check(proxy.requests > before, "http_proxy: no request went through the proxy")
        env.same(direct, r.stdout, "load through http_proxy")
        before = proxy.requests
        r = env.run("client", "load", url, env=dict(env.env, http_proxy=proxy.url, no_proxy="127.0.0.1"))
        check(proxy.requests == before, "no_proxy: requests still went through the proxy")
        dead = socket.socket()
        dead.bind(("127.0.0.1", 0))
        dead_url = "http://127.0.0.1:%d" % dead.getsockname()[1]
        dead.close()
        r = env.run("client", "version", url, "--proxy", dead_url, check_rc=False)
        check(r.returncode == 1 and r.stderr.strip() != "", "dead proxy: rc %d %s" % (r.returncode, r.stderr))
        ok("proxy (%d requests relayed)" % proxy.requests)

        # ---- progress: quiet when piped, drawn on a terminal ----
        r = env.run("client", "load", url, "-o", os.path.join(work, "x.parquet"))
        check(r.stderr == "", "piped load printed: " + r.stderr)
        proxy.delay = 0.005
        rc, shown = on_terminal([env.ds, "client", "load", url, "-o", os.path.join(work, "y.parquet"),
                                 "--proxy", proxy.url, "--parallelism", "2"], env.env)
        proxy.delay = 0
        check(rc == 0 and "files" in shown and "/s" in shown,
              "progress on a terminal: rc %d %r" % (rc, shown[-300:]))
        ok("progress")

        # ---- sync by key and by row, DuckDB replay of DEST ----
        by_key, by_row = os.path.join(work, "by_key"), os.path.join(work, "by_row")

        def sync(dest, *extra, **kw):
            p = env.run("client", "sync", url, dest, "--json", *extra, **kw)
            return json.loads(p.stdout.splitlines()[-1]) if p.returncode == 0 else p

        def verify(dest, label):
            expected = source_rows()
            env.same(expected, env.run("table", "scan", dest).stdout, label + " (table scan)")
            env.same(expected, env.duckdb_replay(dest), label + " (DuckDB replay)")

        out = sync(by_key, "--key", "id")
        check(out["mode"] == "created" and out["sourceVersion"] == 1, "create: %s" % out)
        out = sync(by_row)
        check(out["mode"] == "created", "create by row: %s" % out)
        verify(by_key, "created")
        out = sync(by_key, "--key", "id")
        check(out["mode"] == "up-to-date" and env.versions(by_key) == 0, "up to date: %s" % out)

        env.run("table", "write", src, "--input",
                env.jsonl("c.jsonl", [make_row(rnd, i) for i in range(301, 351)]))
        env.run("table", "write", src, "--input",
                env.jsonl("d.jsonl", [make_row(rnd, i, name="updated %d" % i) for i in range(100, 130)]
                          + [make_row(rnd, i) for i in range(400, 410)]),
                "--mode", "merge", "--key", "id")
        env.run("table", "delete", src, "--where", json.dumps({"op": "lessThan", "children": [
            {"op": "column", "name": "id", "valueType": "long"},
            {"op": "literal", "value": "50", "valueType": "long"}]}))
        env.run("table", "delete", src, "--where", json.dumps({"op": "equal", "children": [
            {"op": "column", "name": "kind", "valueType": "string"},
            {"op": "literal", "value": "é", "valueType": "string"}]}))
        out = sync(by_key, "--key", "id")
        check(out["mode"] == "changes" and out["previousVersion"] == 1 and out["sourceVersion"] == 5
              and out["destVersion"] == 1 and out["updated"] > 0 and out["deleted"] > 0,
              "changes by key: %s" % out)
        verify(by_key, "changes by key")
        out = sync(by_row)
        check(out["mode"] == "changes" and out["destVersion"] == 1, "changes by row: %s" % out)
        verify(by_row, "changes by row")
        ok("sync by key and by row")

        # ---- SIGKILL mid-sync, then resume ----
        env.run("table", "write", src, "--input",
                env.jsonl("e.jsonl", [make_row(rnd, i, name="again %d" % i, pad=500) for i in range(1000, 4000)]),
                "--mode", "merge", "--key", "id")
        version_before = env.versions(by_key)
        proxy.delay = 0.02  # 16 KiB per 20 ms: the ~3 MB of change files take seconds
        p = subprocess.Popen([env.ds, "client", "sync", url, by_key, "--key", "id", "--proxy", proxy.url,
                              "--parallelism", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env.env)
        time.sleep(1.5)
        still_running = p.poll() is None
        p.kill()
        p.wait()
        proxy.delay = 0
        check(still_running, "the slowed sync finished before it could be killed")
        check(env.versions(by_key) == version_before,
              "killed sync committed: DEST at %d, was %d" % (env.versions(by_key), version_before))
        out = sync(by_key, "--key", "id")
        check(out["mode"] == "changes" and out["previousVersion"] == 5, "resume: %s" % out)
        verify(by_key, "after the killed sync")
        ok("killed sync resumed")

        # ---- --every, stopped by SIGINT ----
        p = subprocess.Popen([env.ds, "client", "sync", url, by_row, "--every", "200ms", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env.env)
        first = json.loads(p.stdout.readline())
        check(first["mode"] == "changes", "--every first run: %s" % first)
        env.run("table", "write", src, "--input",
                env.jsonl("f.jsonl", [make_row(rnd, i) for i in range(500, 505)]))
        seen = None
        deadline = time.time() + 60
        while time.time() < deadline:
            line = json.loads(p.stdout.readline())
            if line["mode"] != "up-to-date":
                seen = line
                break
        p.send_signal(signal.SIGINT)
        rc = p.wait(30)
        err = p.stderr.read()
        check(seen is not None and seen["mode"] == "changes" and seen["inserted"] == 5,
              "--every picked up the commit: %s" % seen)
        check(rc == 0 and "stopped" in err, "--every on SIGINT: rc %d %s" % (rc, err))
        verify(by_row, "--every")
        r = env.run("client", "sync", url, by_row, "--every", "5 minutes", check_rc=False)
        check(r.returncode == 1 and "--every" in r.stderr, "bad --every: " + r.stderr)
        r = env.run("client", "sync", url, src, check_rc=False)
        check(r.returncode == 1 and "did not create" in r.stderr, "foreign DEST: " + r.stderr)
        ok("--every and errors")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        if not failures:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("work dir kept: " + work)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
