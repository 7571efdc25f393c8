#!/usr/bin/env python3
"""Time to first byte, time to last byte and peak server memory of `deltashare serve` answering
POST .../query for whole large tables, in both response formats, cold and warm.

    bench/sharing_query_ttfb.py [--rounds R] [--warm W] [--tables 300k,1m] [--formats parquet,delta]

Tables: the kernel's 300k-add-files-100-col-partitioned (extracted once under /tmp, like
delta_replay_benchmark) and a generated 1M-file table with stats and partition values (the same
layout delta_replay_benchmark --generate-files 1000000 writes; reused from
/tmp/delta-bench-1000000-files when it is there, else written by this script).

"cold" is the first query of a freshly started server (no cached snapshot: the snapshot load is
part of the first byte; the OS page cache holds the log, as it would on a busy server). "warm"
is a repeat query served from the cached snapshot. Each (table, format) pair gets its own
server process per round so that the peak RSS (VmHWM) belongs to that pair alone. Rounds
alternate over the pairs; medians are printed, with the load average before each
measurement (the machine may be shared).

Figures per query:
  head   - the status line arrived (the 200 goes out once the plan is checked)
  first  - the first file line arrived (protocol and metaData lines precede it)
  last   - the final byte of the chunked body arrived
  files/s = file lines / last
  cpu s  - the server's user+system CPU time for the query (/proc/PID/stat), so that
           files/cpu-s is comparable across load averages where wall times are not

The client is this script (stdlib sockets; chunked decoding and line counting in C via
bytes.find/count), on the same machine: its CPU competes with the server's.

Needs the release build (BUILD, default build/loadbench) with the deltashare target and the
shared test data (DS_TESTDATA, default ../shared/testdata); exits 77 when the data is absent.
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TOKEN = "bench-token-0123456789abcdef0123"
MASTER_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"


def testdata_dir():
    for c in (os.environ.get("DS_TESTDATA"), os.path.join(REPO, "..", "shared", "testdata")):
        if c and os.path.isdir(os.path.join(c, "delta")):
            return os.path.abspath(c)
    return None


def table_300k():
    out = os.path.join(tempfile.gettempdir(), "delta-bench-300k")
    table = os.path.join(out, "300k-add-files-100-col-partitioned")
    if os.path.isdir(os.path.join(table, "_delta_log")):
        return table
    data = testdata_dir()
    if data is None:
        return None
    archive = os.path.join(data, "delta", "kernel", "300k-add-files-100-col-partitioned.tar.zst")
    if not os.path.exists(archive):
        return None
    os.makedirs(out, exist_ok=True)
    subprocess.run(["tar", "--zstd", "-xf", archive, "-C", out], check=True)
    return table


SCHEMA = json.dumps({"type": "struct", "fields": [
    {"name": "region", "type": "string", "nullable": True, "metadata": {}},
    {"name": "id", "type": "long", "nullable": True, "metadata": {}},
    {"name": "amount", "type": "double", "nullable": True, "metadata": {}}]},
    separators=(",", ":"))


def table_generated(n):
    """A table of n adds with stats and a partition column, 100k adds per commit."""
    root = os.path.join(tempfile.gettempdir(), "delta-bench-%d-files" % n)
    log = os.path.join(root, "_delta_log")
    if os.path.exists(os.path.join(log, "done")):
        return root
    os.makedirs(log, exist_ok=True)
    c0 = [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
          {"metaData": {"id": "bench", "format": {"provider": "parquet", "options": {}},
                        "schemaString": SCHEMA, "partitionColumns": ["region"],
                        "configuration": {}}}]
    with open(os.path.join(log, "%020d.json" % 0), "w") as f:
        f.write("".join(json.dumps(a, separators=(",", ":")) + "\n" for a in c0))
    version = 1
    for start in range(0, n, 100000):
        lines = []
        for i in range(start, min(n, start + 100000)):
            stats = ('{"numRecords":1000,"minValues":{"id":%d,"amount":0.5},"maxValues":'
                     '{"id":%d999,"amount":99.5},"nullCount":{"id":0,"amount":3}}' % (i, i))
            add = {"add": {"path": "region=r%d/part-%d-0a1b2c3d-4e5f.snappy.parquet" % (i % 50, i),
                           "partitionValues": {"region": "r%d" % (i % 50)}, "size": 123456,
                           "modificationTime": 1700000000000, "dataChange": True,
                           "stats": stats}}
            lines.append(json.dumps(add, separators=(",", ":")))
        with open(os.path.join(log, "%020d.json" % version), "w") as f:
            f.write("\n".join(lines) + "\n")
        version += 1
    open(os.path.join(log, "done"), "w").close()
    return root


class Server:
    """`deltashare serve` on an ephemeral port."""

    def __init__(self, binary, config):
        env = dict(os.environ, DELTASHARE_MASTER_KEY=MASTER_KEY)
        self.process = subprocess.Popen([binary, "serve", "-c", config, "--port", "0"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, env=env)
        self.stderr = []
        ready = threading.Event()
        self.port = None

        def drain():
            for line in self.process.stderr:
                self.stderr.append(line)
                m = re.search(r"serving Delta Sharing at http://[^:]+:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(60) or self.port is None:
            self.stop()
            raise RuntimeError("deltashare serve did not start:\n" + "".join(self.stderr))

    def memory_kb(self):
        """(VmRSS, VmHWM) in kB."""
        fields = {}
        with open("/proc/%d/status" % self.process.pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                fields[k] = v.split()[0] if v.split() else "0"
        return int(fields.get("VmRSS", 0)), int(fields.get("VmHWM", 0))

    def cpu_seconds(self):
        """User + system CPU time the server has used."""
        with open("/proc/%d/stat" % self.process.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def query(port, table, fmt):
    """One POST /query over a fresh connection: (head_s, first_line_s, last_s, file_lines,
    body_bytes)."""
    body = b"{}"
    caps = "responseformat=%s" % fmt
    req = ("POST /delta-sharing/shares/bench/schemas/s/tables/%s/query HTTP/1.1\r\n"
           "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
           "delta-sharing-capabilities: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
           % (table, TOKEN, caps, len(body))).encode() + body
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    t0 = time.perf_counter()
    s.sendall(req)
    buf = bytearray()
    head = first = None
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(1 << 20)
        if not chunk:
            raise RuntimeError("connection closed before the headers")
        if head is None:
            head = time.perf_counter() - t0
        buf += chunk
    header, _, rest = bytes(buf).partition(b"\r\n\r\n")
    status = header.split(b"\r\n", 1)[0]
    if b" 200 " not in status:
        raise RuntimeError("query failed: %r %r" % (status, rest[:300]))
    if b"chunked" not in header.lower():
        raise RuntimeError("expected a chunked body")
    # Chunked decoding: `pending` holds undecoded bytes; newlines are counted per chunk.
    pending = bytearray(rest)
    newlines = 0
    body_bytes = 0
    last_line = b""
    done = False
    while not done:
        pos = 0
        while True:
            eol = pending.find(b"\r\n", pos)
            if eol < 0:
                break
            size = int(bytes(pending[pos:eol]).split(b";")[0], 16)
            start = eol + 2
            if size == 0:
                done = True
                pos = start
                break
            if len(pending) < start + size + 2:
                break
            data = pending[start:start + size]
            newlines += data.count(b"\n")
            body_bytes += size
            if first is None and newlines >= 3:
                first = time.perf_counter() - t0
            tail = data.rfind(b"\n", 0, len(data) - 1)
            last_line = bytes(data[tail + 1:]) if tail >= 0 else last_line + bytes(data)
            pos = start + size + 2
        del pending[:pos]
        if done:
            break
        chunk = s.recv(1 << 20)
        if not chunk:
            raise RuntimeError("connection closed mid-body (after %d lines)" % newlines)
        pending += chunk
    last = time.perf_counter() - t0
    s.close()
    files = newlines - 2 - (1 if last_line.startswith(b'{"endStreamAction"') else 0)
    return head, first if first is not None else last, last, files, body_bytes


def write_config(path, tables):
    lines = ["version: 1", "host: 127.0.0.1", "port: 0", "authorization:",
             "  bearerToken: " + TOKEN, 'accessLog: "off"', "shares:", "- name: bench",
             "  schemas:", "  - name: s", "    tables:"]
    for name, location in tables.items():
        lines += ["    - name: " + name, "      location: " + json.dumps(location)]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warm", type=int, default=3, help="warm queries per round")
    ap.add_argument("--tables", default="300k,1m")
    ap.add_argument("--formats", default="parquet,delta")
    ap.add_argument("--build", default=os.environ.get("BUILD", os.path.join(REPO, "build",
                                                                             "loadbench")))
    args = ap.parse_args()
    binary = os.path.join(args.build, "deltashare")
    if not os.access(binary, os.X_OK):
        print("sharing_query_ttfb: build %s first" % binary, file=sys.stderr)
        return 1
    tables = {}
    for t in args.tables.split(","):
        loc = table_300k() if t == "300k" else table_generated(
            int(t[:-1]) * 1000000 if t.endswith("m") else int(t))
        if loc is None:
            print("sharing_query_ttfb: test data absent (DS_TESTDATA)", file=sys.stderr)
            return 77
        tables["t" + t] = loc
    work = tempfile.mkdtemp(prefix="sharing-ttfb-")
    config = os.path.join(work, "config.yaml")
    write_config(config, tables)
    formats = args.formats.split(",")
    results = {}  # (table, format, phase) -> list of (head, first, last, files, hwm_kb, load)
    for r in range(args.rounds):
        for table in tables:
            for fmt in formats:
                server = Server(binary, config)
                try:
                    for i in range(1 + args.warm):
                        load = os.getloadavg()[0]
                        cpu = server.cpu_seconds()
                        head, first, last, files, size = query(server.port, table, fmt)
                        cpu = server.cpu_seconds() - cpu
                        _, hwm = server.memory_kb()
                        results.setdefault((table, fmt, "warm" if i else "cold"), []).append(
                            (head, first, last, files, hwm, load, cpu, size))
                finally:
                    server.stop()
                print("round %d %s %s done (load %.1f)" % (r + 1, table, fmt, load),
                      file=sys.stderr)
    print("%-6s %-8s %-5s %8s %9s %9s %9s %10s %8s %12s %8s %8s %6s" % (
        "table", "format", "phase", "files", "head ms", "first ms", "last s", "files/s",
        "cpu s", "files/cpu-s", "body MB", "HWM MB", "load"))
    for table in tables:
        for fmt in formats:
            for phase in ("cold", "warm"):
                rows = results.get((table, fmt, phase), [])
                if not rows:
                    continue
                med = lambda i: statistics.median(row[i] for row in rows)
                last = med(2)
                print("%-6s %-8s %-5s %8d %9.1f %9.1f %9.3f %10.0f %8.2f %12.0f %8.1f %8.1f %6.1f"
                      % (table[1:], fmt, phase, rows[0][3], med(0) * 1e3, med(1) * 1e3, last,
                         rows[0][3] / last, med(6), rows[0][3] / max(med(6), 1e-3),
                         rows[0][7] / 1e6, max(row[4] for row in rows) / 1024, med(5)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
