"""Shared helpers of the scripted HTTP tests of `deltashare serve` (test-only).

Starts the real server on an ephemeral port from a generated YAML config, finds the shared
Delta test tables (../shared/testdata, extracted from their .tar.zst archives into a work
folder), and decodes Parquet files with `deltashare parquet cat` (JSON Lines).

Uses only the standard library and python3-requests (Debian's system python3).
"""

import json
import os
import re
import subprocess
import sys
import threading
import time

SKIP = 77  # CTest's SKIP_RETURN_CODE
TOKEN = "transcript-token-0123456789abcdef"
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def testdata_dir():
    """The shared test data folder, or None."""
    candidates = [os.environ.get("DS_TESTDATA"), os.path.join(REPO, "..", "shared", "testdata")]
    for c in candidates:
        if c and os.path.isdir(os.path.join(c, "delta")):
            return os.path.abspath(c)
    return None


def extract_table(group, name, work):
    """The folder of ../shared/testdata/delta/<group>/<name> (extracted into `work` when it is
    an archive), or None when absent."""
    data = testdata_dir()
    if data is None:
        return None
    source = os.path.join(data, "delta", group)
    if os.path.isdir(os.path.join(source, name)):
        return os.path.join(source, name)
    archive = os.path.join(source, name + ".tar.zst")
    if not os.path.exists(archive):
        return None
    target = os.path.join(work, "testdata", group)
    if not os.path.isdir(os.path.join(target, name)):
        os.makedirs(target, exist_ok=True)
        subprocess.run(["tar", "--zstd", "-xf", archive, "-C", target], check=True)
    return os.path.join(target, name)


def golden_delta_dir(name, work):
    """A golden table's Delta folder (golden archives hold NAME/delta and NAME/expected)."""
    root = extract_table("golden", name, work)
    if root is None:
        return None
    return os.path.join(root, "delta") if os.path.isdir(os.path.join(root, "delta")) else root


def write_config(path, tables, extra=""):
    """Writes a server config. `tables`: dicts with share, schema, name, location and optional
    historyShared / startVersion / id."""
    shares = {}
    for t in tables:
        shares.setdefault(t["share"], {}).setdefault(t["schema"], []).append(t)
    lines = ["version: 1", "host: 127.0.0.1", "port: 0", "authorization:",
             "  bearerToken: " + TOKEN, "accessLog: \"off\"", "shares:"]
    for share, schemas in shares.items():
        lines += ["- name: " + json.dumps(share), "  schemas:"]
        for schema, items in schemas.items():
            lines += ["  - name: " + json.dumps(schema), "    tables:"]
            for t in items:
                lines.append("    - name: " + json.dumps(t["name"]))
                lines.append("      location: " + json.dumps(t["location"]))
                for key in ("historyShared", "startVersion", "id"):
                    if key in t:
                        value = t[key]
                        text = json.dumps(value) if not isinstance(value, bool) else (
                            "true" if value else "false")
                        lines.append("      %s: %s" % (key, text))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n" + extra)


class Server:
    """`deltashare serve` on an ephemeral port; stderr is collected."""

    def __init__(self, deltashare, config, env=None):
        self.stderr_lines = []
        merged = dict(os.environ)
        merged.setdefault("DELTASHARE_MASTER_KEY",
                          "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        merged.update(env or {})
        self.process = subprocess.Popen([deltashare, "serve", "-c", config, "--port", "0"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, env=merged)
        self.endpoint = None
        ready = threading.Event()

        def drain():
            for line in self.process.stderr:
                self.stderr_lines.append(line.rstrip("\n"))
                m = re.search(r"serving Delta Sharing at (\S+)", line)
                if m:
                    self.endpoint = m.group(1)
                    ready.set()
            ready.set()

        self.thread = threading.Thread(target=drain, daemon=True)
        self.thread.start()
        if not ready.wait(60) or self.endpoint is None:
            self.stop()
            raise RuntimeError("deltashare serve did not start:\n" + "\n".join(self.stderr_lines))
        m = re.match(r"(https?://[^/]+)(/.*)?$", self.endpoint)
        self.origin = m.group(1)
        self.prefix = m.group(2) or ""

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def parquet_rows(deltashare, path, cache={}):
    """Rows of a Parquet file as canonical JSON strings (keys sorted), via deltashare."""
    if path in cache:
        return cache[path]
    out = subprocess.run([deltashare, "parquet", "cat", path], check=True, capture_output=True,
                         text=True).stdout
    rows = [canonical(json.loads(line)) for line in out.splitlines() if line.strip()]
    cache[path] = rows
    return rows


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def expected_rows(deltashare, golden_root):
    """The rows of a golden table's expected/ folder (Spark's output), sorted."""
    rows = []
    expected = os.path.join(golden_root, "expected")
    for dirpath, _, names in os.walk(expected):
        for n in sorted(names):
            if n.endswith(".parquet"):
                rows += parquet_rows(deltashare, os.path.join(dirpath, n))
    return sorted(rows)


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)
