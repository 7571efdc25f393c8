#!/usr/bin/python3
"""Memory per idle keep-alive connection of bench/http_bench_server.

  bench/http_idle_memory.py SERVER_BINARY [CONNECTIONS]

Starts the server, opens CONNECTIONS (default 5000) connections that each complete one
request and then stay idle, and prints the server's resident memory before and after.
"""
import resource
import socket
import subprocess
import sys
import time


def rss_kib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 100), hard))
    server = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline().split()[-1])
        warm = socket.create_connection(("127.0.0.1", port))
        warm.sendall(b"GET /metadata HTTP/1.1\r\nHost: x\r\n\r\n")
        warm.recv(65536)
        time.sleep(0.2)
        before = rss_kib(server.pid)
        conns = []
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /metadata HTTP/1.1\r\nHost: x\r\n\r\n")
            conns.append(s)
        for s in conns:
            got = b""
            while not got.endswith(b"}}\n"):
                got += s.recv(65536)
        time.sleep(1.5)  # idle connections release their read buffers after a second
        after = rss_kib(server.pid)
        print("%d idle connections: RSS %d KiB -> %d KiB, %.1f KiB per connection"
              % (count, before, after, (after - before) / count))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
