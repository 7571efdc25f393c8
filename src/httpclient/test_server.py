#!/usr/bin/python3
"""A local HTTP/1.1 server for the HTTP client tests (stdlib only).

Listens on 127.0.0.1 (port 0 = a free one), prints "READY <port>" on stdout, serves until
killed. With --cert/--key it speaks HTTPS. Endpoints:
  /echo                any method: JSON {method, path, headers, body_hex, via_proxy}
  /status/<code>       that status (3xx ones point Location at /echo)
  /flaky/<id>?fail=N&code=C&retry_after=S   the first N calls answer C, then 200
  /attempts/<id>       how many calls /flaky/<id> has had
  /slow?ms=N           answers after N ms
  /drip?bytes=N&ms=M   announces N bytes, sends one every M ms
  /bytes/<n>           n bytes (byte i = i % 251); honours Range unless ?ignore_range=1
  /close               closes the connection without answering
  /redirect?to=URL     302 to URL
  /stats               JSON {connections}: TCP connections accepted so far
A request line in absolute form (GET http://host/path) is answered as a proxy would,
with via_proxy = true in /echo.
"""
import argparse
import json
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
connections = 0
flaky_calls = {}


def body_bytes(n):
    return bytes(i % 251 for i in range(n))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # Clients that time out or abort on purpose are part of the tests.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        global connections
        super().setup()
        with lock:
            connections += 1

    def send_body(self, code, body, ctype="text/plain", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def route(self):
        raw = self.path
        via_proxy = raw.startswith("http://") or raw.startswith("https://")
        if via_proxy:
            raw = "/" + raw.split("://", 1)[1].split("/", 1)[1] if "/" in raw.split("://", 1)[1] else "/"
        parsed = urllib.parse.urlsplit(raw)
        path = parsed.path
        q = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        body = self.read_body()
        parts = path.strip("/").split("/")
        head = parts[0] if parts else ""
        if head == "echo":
            doc = {"method": self.command, "path": raw, "via_proxy": via_proxy,
                   "headers": {k.lower(): v for k, v in self.headers.items()},
                   "body_hex": body.hex()}
            return self.send_body(200, json.dumps(doc).encode(), "application/json")
        if head == "status" and len(parts) == 2:
            code = int(parts[1])
            hdrs = [("Location", "/echo")] if 300 <= code < 400 else []
            return self.send_body(code, ("status %d" % code).encode(), headers=hdrs)
        if head == "flaky" and len(parts) == 2:
            with lock:
                calls = flaky_calls.get(parts[1], 0) + 1
                flaky_calls[parts[1]] = calls
            if calls <= int(q.get("fail", "1")):
                hdrs = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
                return self.send_body(int(q.get("code", "503")), b"try again", headers=hdrs)
            return self.send_body(200, ("ok after %d" % calls).encode())
        if head == "attempts" and len(parts) == 2:
            with lock:
                calls = flaky_calls.get(parts[1], 0)
            return self.send_body(200, str(calls).encode())
        if head == "slow":
            time.sleep(int(q.get("ms", "1000")) / 1000.0)
            return self.send_body(200, b"slow")
        if head == "drip":
            n, ms = int(q.get("bytes", "10")), int(q.get("ms", "1000"))
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            for _ in range(n):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(ms / 1000.0)
            return
        if head == "bytes" and len(parts) == 2:
            data = body_bytes(int(parts[1]))
            rng = self.headers.get("Range")
            if rng and q.get("ignore_range") != "1":
                spec = rng.split("=", 1)[1]
                a, b = spec.split("-")
                a = int(a)
                b = min(int(b) if b else len(data) - 1, len(data) - 1)
                if a >= len(data):
                    return self.send_body(416, b"", headers=[("Content-Range", "bytes */%d" % len(data))])
                return self.send_body(206, data[a:b + 1], "application/octet-stream",
                                      [("Content-Range", "bytes %d-%d/%d" % (a, b, len(data)))])
            return self.send_body(200, data, "application/octet-stream")
        if head == "close":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if head == "redirect":
            return self.send_body(302, b"", headers=[("Location", q.get("to", "/echo"))])
        if head == "stats":
            with lock:
                doc = {"connections": connections}
            return self.send_body(200, json.dumps(doc).encode(), "application/json")
        return self.send_body(404, b"no such endpoint")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = route


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    args = ap.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("READY %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
