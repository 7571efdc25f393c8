#!/usr/bin/env python3
"""Two `deltashare serve` processes on one access store: a token revoked through one of them
(admin REST API), or by a third process (`deltashare admin tokens revoke`), is refused by the
other within a second. Prints the measured latencies.

  two_servers_test.py --deltashare build/debug/deltashare [--store URL]
The store defaults to $DS_TEST_POSTGRES_URL (test/access/with_postgres.sh sets it), else a
SQLite file. Exits 77 (skipped) when the binary or python3-requests is missing.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_harness import SKIP, Cli, Server, check, write_config, write_master_key  # noqa: E402

try:
    import requests
except ImportError:
    requests = None

ROUNDS = 6
LIMIT_S = 1.0


def status(endpoint, token):
    return requests.get(endpoint + "/shares", headers={"Authorization": "Bearer " + token},
                        timeout=10).status_code


def wait_refused(endpoint, token, since):
    """Seconds from `since` until `endpoint` refuses `token` (polling every 10 ms)."""
    while True:
        code = status(endpoint, token)
        elapsed = time.monotonic() - since
        if code == 401:
            return elapsed
        check(code == 200, f"unexpected status {code}")
        check(elapsed < 5, "revocation not seen after 5 s")
        time.sleep(0.01)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deltashare", required=True)
    parser.add_argument("--store", default=os.environ.get("DS_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    if not os.access(args.deltashare, os.X_OK) or requests is None:
        print("two_servers_test: no deltashare binary or python3-requests; skipping",
              file=sys.stderr)
        return SKIP
    with tempfile.TemporaryDirectory(prefix="ds-two-servers-") as tmp:
        store = args.store or "sqlite:" + os.path.join(tmp, "access.db")
        kind = store.split(":", 1)[0]
        cli = Cli(args.deltashare, store)
        cli.out("init")
        cli.out("recipients", "create", "acme")
        cli.out("shares", "create", "sales")
        cli.out("grants", "add", "acme", "sales")
        tokens = [cli.issue("acme") for _ in range(ROUNDS)]
        admin = cli.issue("")
        key_file = os.path.join(tmp, "master.key")
        write_master_key(key_file)
        config = os.path.join(tmp, "server.yaml")
        write_config(config, store, key_file, "accessLog: off\n")
        servers = [Server(args.deltashare, config, os.path.join(tmp, f"server{i}.stderr"))
                   for i in range(2)]
        try:
            a, b = servers[0].endpoint, servers[1].endpoint
            check(a != b, "two servers, two ports")
            latencies = {"rest": [], "cli": []}
            for i, t in enumerate(tokens):
                for endpoint in (a, b):
                    check(status(endpoint, t["token"]) == 200, "both servers accept the token")
                # REST: from the 204 (the revocation is committed by then). CLI: from before
                # the command starts, an upper bound that includes the command's own run.
                if i % 2 == 0:
                    r = requests.delete(f"{a}/admin/tokens/{t['id']}", timeout=10,
                                        headers={"Authorization": "Bearer " + admin["token"]})
                    check(r.status_code == 204, r.text)
                    since = time.monotonic()
                    how = "rest"
                else:
                    since = time.monotonic()
                    cli.out("tokens", "revoke", t["id"])
                    how = "cli"
                latencies[how].append(wait_refused(b, t["token"], since))
                wait_refused(a, t["token"], since)
            for endpoint in (a, b):
                check(status(endpoint, cli.issue("acme")["token"]) == 200, "others still work")
        except BaseException:
            for s in servers:
                print(f"--- {s.stderr_path} ---\n{s.stderr()[-5000:]}", file=sys.stderr)
            raise
        finally:
            codes = [s.stop() for s in servers]
        check(codes == [0, 0], f"server exit codes {codes}")
    all_s = latencies["rest"] + latencies["cli"]
    worst = max(all_s)
    print(f"two_servers_test ({kind}): revocation refused by the other server after "
          f"median {statistics.median(all_s) * 1000:.0f} ms, max {worst * 1000:.0f} ms "
          f"(REST {', '.join(f'{x * 1000:.0f}' for x in latencies['rest'])} ms; "
          f"CLI {', '.join(f'{x * 1000:.0f}' for x in latencies['cli'])} ms)")
    check(worst < LIMIT_S, f"a revocation took {worst:.3f} s to be seen (limit {LIMIT_S} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
