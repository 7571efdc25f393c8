"""Slow and stalled clients against `deltashare serve` with a real /query response.

A client that asks for a large query response (40,000 file lines, ~19 MB) and never reads it,
and a client that trickles its request head one byte at a time, must both be cut by the
server's deadlines (limits.writeStallTimeoutSeconds, limits.headerTimeoutSeconds) while other
clients are served without delay: metadata requests and a complete read of the same large
response by a well-behaved client. The stalled response's buffered bytes stay bounded by the
server's per-stream buffer (http_stream_buffered_bytes on /metrics), and /metrics counts both
timeouts. The framework's own tests (src/http/server_test.cc) prove the same for toy
handlers; this proves it for the sharing service's streaming path.

    stalled_client_test.py --deltashare PATH [--write-tables PATH]

Exits 77 when python3-requests is missing.
"""

import argparse
import json
import os
import re
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

try:
    import requests
except ImportError:
    print("stalled_client_test: python3-requests is not installed; skipping", file=sys.stderr)
    sys.exit(harness.SKIP)

FILES = 40000
STREAM_BUFFER_LIMIT = 256 * 1024  # http::ServerOptions::stream_buffer_bytes (the default)


def write_table(root):
    """A Delta table of FILES adds with stats (no data files: queries only list them)."""
    log = os.path.join(root, "_delta_log")
    os.makedirs(log)
    schema = json.dumps({"type": "struct", "fields": [
        {"name": "p", "type": "string", "nullable": True, "metadata": {}},
        {"name": "id", "type": "long", "nullable": True, "metadata": {}}]})
    with open(os.path.join(log, "%020d.json" % 0), "w") as f:
        f.write(json.dumps({"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}) + "\n")
        f.write(json.dumps({"metaData": {
            "id": "stalled-test", "format": {"provider": "parquet", "options": {}},
            "schemaString": schema, "partitionColumns": ["p"], "configuration": {}}}) + "\n")
        for i in range(FILES):
            stats = json.dumps({"numRecords": 10, "minValues": {"id": i},
                                "maxValues": {"id": i + 9}, "nullCount": {"id": 0}})
            f.write(json.dumps({"add": {
                "path": "p=%d/part-%05d-c0ffee00-1111-2222-3333-444455556666.c000.snappy.parquet"
                        % (i % 16, i),
                "partitionValues": {"p": str(i % 16)}, "size": 1000 + i,
                "modificationTime": 1700000000000, "dataChange": True, "stats": stats}}) + "\n")


def metric(text, name, labels=""):
    m = re.search(r"^%s%s (\S+)$" % (re.escape(name), re.escape(labels)), text, re.M)
    return float(m.group(1)) if m else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deltashare", required=True)
    ap.add_argument("--write-tables")  # accepted for symmetry with the other tests
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="stalled-client-") as work:
        table = os.path.join(work, "big")
        write_table(table)
        config = os.path.join(work, "config.yaml")
        harness.write_config(
            config, [{"share": "s", "schema": "d", "name": "big", "location": table}],
            extra="limits:\n  writeStallTimeoutSeconds: 1\n  headerTimeoutSeconds: 1\n")
        with harness.Server(args.deltashare, config) as server:
            run(server)
    print("stalled_client_test: ok")
    return 0


def run(server):
    host, port = re.match(r"https?://([^:/]+):(\d+)", server.origin).groups()
    port = int(port)
    api = server.origin + server.prefix + "/shares/s/schemas/d/tables/big"
    auth = {"Authorization": "Bearer " + harness.TOKEN}
    session = requests.Session()
    r = session.get(api + "/metadata", headers=auth, timeout=30)  # loads the snapshot
    if r.status_code != 200:
        harness.fail("metadata: %d %s" % (r.status_code, r.text))

    body = b"{}"
    query_head = ("POST %s/shares/s/schemas/d/tables/big/query HTTP/1.1\r\nHost: %s\r\n"
                  "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                  "Content-Length: %d\r\n\r\n" % (server.prefix, host, harness.TOKEN,
                                                  len(body))).encode() + body

    # The stalled reader: a tiny receive window, and it never calls recv until the end.
    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.connect((host, port))
    stalled_at = time.monotonic()
    stalled.sendall(query_head)

    # The trickler: one byte of its request head every 50 ms (the head would take ~10 s).
    trickled = {"cut": False, "answer": b""}

    def trickle():
        s = socket.create_connection((host, port))
        s.settimeout(10)
        try:
            for ch in query_head[:-len(body)]:
                s.sendall(bytes([ch]))
                time.sleep(0.05)
        except OSError:
            trickled["cut"] = True
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                trickled["answer"] += data
            trickled["cut"] = True
        except OSError:
            trickled["cut"] = True
        s.close()

    trickler = threading.Thread(target=trickle)
    trickler.start()

    # Others are served meanwhile: metadata requests, and the whole large response read by a
    # well-behaved client.
    full = {}

    def full_read():
        t0 = time.monotonic()
        rr = requests.post(api + "/query", headers=auth, json={}, timeout=60)
        full["status"] = rr.status_code
        full["lines"] = rr.content.count(b"\n")
        full["bytes"] = len(rr.content)
        full["seconds"] = time.monotonic() - t0

    reader = threading.Thread(target=full_read)
    reader.start()
    worst = 0.0
    peak_buffered = 0.0
    deadline = time.monotonic() + 4
    served = 0
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        r = session.get(api + "/metadata", headers=auth, timeout=30)
        if r.status_code != 200:
            harness.fail("metadata while a client stalls: %d" % r.status_code)
        worst = max(worst, time.monotonic() - t0)
        served += 1
        m = session.get(server.origin + "/metrics", timeout=30).text
        peak_buffered = max(peak_buffered, metric(m, "http_stream_buffered_bytes"))
        time.sleep(0.02)
    reader.join(60)
    if full.get("status") != 200 or full.get("lines") != FILES + 2:
        harness.fail("the well-behaved full read: %r" % full)
    # ASan builds are slow and the machine may be shared: generous, but far below a stall.
    if worst > 1.0:
        harness.fail("a metadata request took %.2f s while a client stalled" % worst)

    # The stalled connection was cut: what it can still read ends in EOF (or a reset), long
    # before the whole response, and without the chunked terminator.
    stalled.settimeout(15)
    received = bytearray()
    try:
        while True:
            data = stalled.recv(1 << 20)
            if not data:
                break
            received += data
    except ConnectionResetError:
        pass
    except socket.timeout:
        harness.fail("the stalled reader was never cut (%d bytes read)" % len(received))
    cut_after = time.monotonic() - stalled_at
    stalled.close()
    if not received.startswith(b"HTTP/1.1 200"):
        harness.fail("the stalled reader got %r" % bytes(received[:80]))
    if received.endswith(b"\r\n0\r\n\r\n") or received.count(b"\n{\"file\"") >= FILES:
        harness.fail("the stalled reader got the whole response (%d bytes)" % len(received))

    trickler.join(15)
    if not trickled["cut"] or trickled["answer"]:
        harness.fail("the trickled request was not cut silently: %r" % trickled)

    m = session.get(server.origin + "/metrics", timeout=30).text
    write_timeouts = metric(m, "http_timeouts_total", '{phase="write"}')
    header_timeouts = metric(m, "http_timeouts_total", '{phase="header"}')
    if write_timeouts < 1 or header_timeouts < 1:
        harness.fail("timeouts on /metrics: write %s, header %s" % (write_timeouts,
                                                                    header_timeouts))
    # Two streamed responses were in flight (the stalled one and the full read): the gauge
    # sums their buffers, each bounded by the per-stream limit.
    if peak_buffered > 2 * STREAM_BUFFER_LIMIT:
        harness.fail("streams buffered %d bytes (limit 2 x %d)" % (peak_buffered,
                                                                    STREAM_BUFFER_LIMIT))
    print("stalled reader cut (seen %.1f s after its request) having received %d of ~%d bytes; trickler cut; "
          "%d metadata requests served meanwhile, worst %.0f ms; full read %.1f s; peak "
          "buffered %d bytes" % (cut_after, len(received), full["bytes"], served, worst * 1e3,
                                 full["seconds"], peak_buffered))


if __name__ == "__main__":
    sys.exit(main())
