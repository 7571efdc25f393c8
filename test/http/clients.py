#!/usr/bin/python3
"""Checks the deltashare HTTP server with python-requests, the client the Delta Sharing
Python connector uses. Called by src/http/clients_test.cc against a server it started.

  clients.py range URL FILE     whole file, the three Range forms, 416, several ranges
  clients.py abort URL          an aborted stream must raise, never look complete
  clients.py complete URL       a clean stream must not raise
  clients.py tls URL CA_FILE    HTTPS with certificate verification against CA_FILE

Prints "ok" and exits 0 on success; prints what went wrong and exits 1 otherwise; exits 77
when requests is not installed.
"""
import sys

try:
    import requests
except ImportError:
    sys.exit(77)


def fail(msg):
    print(msg)
    sys.exit(1)


def check_range(url, path):
    data = open(path, "rb").read()
    n = len(data)
    r = requests.get(url)
    if r.status_code != 200 or r.content != data:
        fail("whole file: status %d, %d bytes" % (r.status_code, len(r.content)))
    if r.headers.get("Accept-Ranges") != "bytes":
        fail("no Accept-Ranges")
    cases = [("bytes=0-99", 0, 100), ("bytes=100-", 100, n), ("bytes=-100", n - 100, n),
             ("bytes=%d-%d" % (n - 10, n + 1000), n - 10, n)]
    for header, start, end in cases:
        r = requests.get(url, headers={"Range": header})
        want_range = "bytes %d-%d/%d" % (start, end - 1, n)
        if r.status_code != 206 or r.content != data[start:end]:
            fail("%s: status %d, %d bytes" % (header, r.status_code, len(r.content)))
        if r.headers.get("Content-Range") != want_range:
            fail("%s: Content-Range %r, want %r" % (header, r.headers.get("Content-Range"),
                                                     want_range))
        if int(r.headers["Content-Length"]) != end - start:
            fail("%s: Content-Length %s" % (header, r.headers["Content-Length"]))
    r = requests.get(url, headers={"Range": "bytes=%d-" % n})
    if r.status_code != 416 or r.headers.get("Content-Range") != "bytes */%d" % n:
        fail("unsatisfiable: status %d, Content-Range %r" % (r.status_code,
                                                            r.headers.get("Content-Range")))
    r = requests.get(url, headers={"Range": "bytes=0-1,5-6"})
    if r.status_code != 200 or r.content != data:
        fail("several ranges: status %d" % r.status_code)
    with requests.Session() as s:  # keep-alive across ranged reads, as DuckDB/pyarrow do
        for i in range(20):
            r = s.get(url, headers={"Range": "bytes=%d-%d" % (i * 1000, i * 1000 + 99)})
            if r.content != data[i * 1000:i * 1000 + 100]:
                fail("session range %d" % i)
    print("ok")


def check_abort(url):
    try:
        r = requests.get(url)
        fail("aborted stream looked complete: status %d, %d bytes" % (r.status_code,
                                                                     len(r.content)))
    except requests.exceptions.RequestException as e:
        print("ok %s" % type(e).__name__)


def check_complete(url):
    r = requests.get(url)
    if r.status_code != 200 or not r.text.endswith("\n"):
        fail("clean stream: status %d, %r" % (r.status_code, r.text[-20:]))
    print("ok %d lines" % r.text.count("\n"))


def check_tls(url, ca):
    r = requests.get(url, verify=ca)
    if r.status_code != 200 or r.text != "hello\n":
        fail("tls: status %d, %r" % (r.status_code, r.text))
    try:
        requests.get(url, verify=True)  # the system store does not know our certificate
        fail("tls: an unknown certificate was accepted")
    except requests.exceptions.SSLError:
        pass
    print("ok")


def main():
    cmd = sys.argv[1]
    if cmd == "range":
        check_range(sys.argv[2], sys.argv[3])
    elif cmd == "abort":
        check_abort(sys.argv[2])
    elif cmd == "complete":
        check_complete(sys.argv[2])
    elif cmd == "tls":
        check_tls(sys.argv[2], sys.argv[3])
    else:
        fail("unknown command %s" % cmd)


if __name__ == "__main__":
    main()
