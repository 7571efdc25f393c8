#!/usr/bin/env python3
"""Encryption at rest, end to end: tables written sealed by `deltashare table write --encrypt`
are unreadable on disk and served decrypted by `deltashare serve`.

  sealed_table_test.py --deltashare build/debug/deltashare

Two encrypted tables with the same rows as a plaintext copy: one in the config (`encrypted:
true`, bearer token), one in the SQLite access store (`admin shares add-table --encrypted`,
two recipients). Checks:
  - on disk: no file is Parquet (no PAR1 magic), no column value appears, no log line is JSON;
    `table scan` without the key fails, with it returns the plaintext copy's rows;
  - over HTTP: every URL of a query downloads a Parquet file whose size is the query's `size`,
    whose rows (`deltashare parquet cat`) are the plaintext copy's, and whose ranges (across
    the 64 KiB chunks, suffix ranges, HEAD) match the whole download;
  - another tenant's URL for the same file is 403;
  - a file altered on disk is never served as bytes: 5xx or a cut response;
  - configs and store records that make an encrypted table a cloud one are refused.
Exits 77 (skipped) when the binary or python3-requests is missing.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_harness import (MASTER_KEY, SKIP, Cli, Server, check, ndjson,  # noqa: E402
                          write_config, write_master_key)

try:
    import requests
except ImportError:
    requests = None

TOKEN = "sealed-test-bearer-token-0123456789"
CONFIG_SHARE_ID = "5ea1ed00-0000-4000-8000-00000000c0f1"
ROWS = 4000  # per commit: data files of ~200 KB, several 64 KiB chunks each
MARKER = "confidential-"  # in every name value


def run(binary, *args, code=0, env=None):
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=300,
                       env=env or dict(os.environ))
    if p.returncode != code:
        raise AssertionError(f"{' '.join(args)}: exit {p.returncode} (want {code})\n"
                             f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def write_inputs(tmp):
    schema = {"type": "struct", "fields": [
        {"name": "id", "type": "long", "nullable": False, "metadata": {}},
        {"name": "name", "type": "string", "nullable": True, "metadata": {}},
        {"name": "amount", "type": "double", "nullable": True, "metadata": {}}]}
    schema_path = os.path.join(tmp, "schema.json")
    with open(schema_path, "w") as f:
        json.dump(schema, f)
    inputs = []
    for commit in range(2):
        path = os.path.join(tmp, f"rows{commit}.jsonl")
        with open(path, "w") as f:
            for i in range(commit * ROWS, (commit + 1) * ROWS):
                digest = hashlib.sha256(str(i).encode()).hexdigest()
                f.write(json.dumps({"id": i, "name": MARKER + digest, "amount": i * 1.25}) + "\n")
        inputs.append(path)
    return schema_path, inputs


def write_table(binary, path, schema, inputs, seal=()):
    for rows in inputs:
        run(binary, "table", "write", path, "--input", rows, "--schema", schema, *seal)


def files_under(root):
    for d, _, names in os.walk(root):
        for n in names:
            yield os.path.join(d, n)


def parquet_rows(binary, path):
    out = run(binary, "parquet", "cat", path).stdout
    return [line for line in out.splitlines() if line.strip()]


def plaintext_rows(binary, root):
    rows = []
    for path in files_under(root):
        if path.endswith(".parquet") and "_delta_log" not in path:
            rows += parquet_rows(binary, path)
    return sorted(rows)


def check_sealed_on_disk(binary, root, seal, expected_rows):
    seen = 0
    for path in files_under(root):
        with open(path, "rb") as f:
            data = f.read()
        rel = os.path.relpath(path, root)
        check(data[:4] == b"DSEF", f"{rel} is not a sealed file")
        check(b"PAR1" not in data[:8] and b"PAR1" not in data[-8:], f"{rel} looks like Parquet")
        check(MARKER.encode() not in data, f"{rel} holds plaintext column values")
        for word in (b"commitInfo", b"metaData", b"\"add\"", b"confidential"):
            check(word not in data, f"{rel} holds {word!r}")
        if "_delta_log" in rel:
            for line in data.splitlines():
                try:
                    json.loads(line)
                    raise AssertionError(f"{rel}: a log line parses as JSON")
                except (ValueError, UnicodeDecodeError):
                    pass
        seen += 1
    check(seen >= 4, f"only {seen} files in {root}")
    # The kernel cannot read it without the key, and reads the plaintext rows with it.
    run(binary, "table", "scan", root, code=1)
    env = dict(os.environ, DELTASHARE_MASTER_KEY=MASTER_KEY)
    scanned = run(binary, "table", "scan", root, "--encrypt", "--share", seal, env=env).stdout
    check(len(scanned.splitlines()) == len(expected_rows),
          f"scan with the key: {len(scanned.splitlines())} rows, want {len(expected_rows)}")


def query(endpoint, token, share, schema, table):
    r = requests.post(f"{endpoint}/shares/{share}/schemas/{schema}/tables/{table}/query",
                      headers={"Authorization": "Bearer " + token}, json={}, timeout=60)
    check(r.status_code == 200, f"query {share}: {r.status_code} {r.text}")
    files = [line["file"] for line in ndjson(r) if "file" in line]
    check(files, f"query {share}: no files")
    return files


def check_downloads(binary, tmp, files, expected_rows, tag):
    rows = []
    for n, f in enumerate(files):
        r = requests.get(f["url"], timeout=60)
        check(r.status_code == 200, f"{tag}: GET {r.status_code} {r.text[:200]}")
        body = r.content
        check(int(r.headers["Content-Length"]) == len(body) == f["size"],
              f"{tag}: Content-Length {r.headers['Content-Length']}, body {len(body)}, "
              f"size {f['size']}")
        check(body[:4] == b"PAR1" and body[-4:] == b"PAR1", f"{tag}: not Parquet")
        check(len(body) > 3 * 65536, f"{tag}: file of {len(body)} bytes spans too few chunks")
        head = requests.head(f["url"], timeout=60)
        check(head.status_code == 200 and int(head.headers["Content-Length"]) == len(body),
              f"{tag}: HEAD {head.status_code} {head.headers}")
        # Ranges of 50,000 bytes (crossing the 64 KiB chunk boundaries), then odd ones.
        pieces = []
        for start in range(0, len(body), 50_000):
            end = min(start + 50_000, len(body)) - 1
            p = requests.get(f["url"], headers={"Range": f"bytes={start}-{end}"}, timeout=60)
            check(p.status_code == 206, f"{tag}: range {start}-{end}: {p.status_code}")
            check(p.headers["Content-Range"] == f"bytes {start}-{end}/{len(body)}",
                  f"{tag}: Content-Range {p.headers['Content-Range']}")
            pieces.append(p.content)
        check(b"".join(pieces) == body, f"{tag}: ranges differ from the whole file")
        for spec, want in ((f"bytes=-{100}", body[-100:]), ("bytes=65535-65537", body[65535:65538]),
                           (f"bytes={len(body) - 1}-", body[-1:])):
            p = requests.get(f["url"], headers={"Range": spec}, timeout=60)
            check(p.status_code == 206 and p.content == want, f"{tag}: {spec}: {p.status_code}")
        p = requests.get(f["url"], headers={"Range": f"bytes={len(body)}-"}, timeout=60)
        check(p.status_code == 416, f"{tag}: range past the end: {p.status_code}")
        path = os.path.join(tmp, f"{tag}-{n}.parquet")
        with open(path, "wb") as out:
            out.write(body)
        rows += parquet_rows(binary, path)
    check(sorted(rows) == expected_rows,
          f"{tag}: {len(rows)} downloaded rows differ from the plaintext copy's "
          f"{len(expected_rows)}")


def tenant_of(url):
    """The (percent-encoded) tenant segment of a local-file URL."""
    return url.split("/files/", 1)[1].split("/", 1)[0]


def other_tenant(url, other):
    tenant = tenant_of(url)
    return url.replace(f"/files/{tenant}/", f"/files/{other}/", 1)


def get_outcome(url):
    """'ok' with the full body, or how it failed: 'status N' or 'cut'."""
    try:
        r = requests.get(url, timeout=60, stream=True)
        if r.status_code != 200:
            return f"status {r.status_code}", b""
        want = int(r.headers["Content-Length"])
        body = b"".join(r.iter_content(65536))
        return ("ok" if len(body) == want else "cut"), body
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError):
        return "cut", b""


def check_tampering(root, files, body_before):
    """Alters a byte of the third chunk, then the header, of the first file on disk."""
    key = files[0]["url"].split("/files/", 1)[1].split("/", 3)[3]
    path = os.path.join(root, requests.utils.unquote(key))
    with open(path, "r+b") as f:
        f.seek(32 + 2 * (65536 + 28) + 500)
        b = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([b[0] ^ 0x01]))
    outcome, body = get_outcome(files[0]["url"])
    check(outcome in ("cut",) or outcome.startswith("status 5"),
          f"a tampered chunk was served: {outcome}")
    check(body_before.startswith(body), "bytes before the damaged chunk differ")
    # The chunks before the damage still serve exactly.
    r = requests.get(files[0]["url"], headers={"Range": "bytes=0-999"}, timeout=60)
    check(r.status_code == 206 and r.content == body_before[:1000], "first chunk after tamper")
    with open(path, "r+b") as f:
        f.seek(10)
        b = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([b[0] ^ 0x01]))
    outcome, _ = get_outcome(files[0]["url"])
    check(outcome.startswith("status 5"), f"a tampered header: {outcome}")
    print(f"sealed_table_test: tampered chunk -> cut response; tampered header -> {outcome}")


def check_cloud_refused(binary, tmp, key_file, cli):
    config = os.path.join(tmp, "cloud.yaml")
    write_config(config, "sqlite:" + os.path.join(tmp, "cloud.db"), key_file, f"""
authorization: {{bearerToken: {TOKEN}}}
shares:
- name: cloud
  schemas:
  - name: s
    tables:
    - {{name: t, location: "s3://bucket/t", encrypted: true}}
""")
    p = run(binary, "serve", "-c", config, "--port", "0", code=1)
    check("tables[0].encrypted" in p.stderr and "must be local" in p.stderr,
          f"cloud config error: {p.stderr}")
    p = cli.run("shares", "add-table", "vault", "s", "cloudy", "--location", "s3://bucket/t",
                "--encrypted", code=1)
    check("must be a path or a file://" in p.stderr, f"cloud store record error: {p.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deltashare", required=True)
    args = parser.parse_args()
    binary = args.deltashare
    if not os.access(binary, os.X_OK) or requests is None:
        print("sealed_table_test: no deltashare binary or python3-requests; skipping",
              file=sys.stderr)
        return SKIP
    with tempfile.TemporaryDirectory(prefix="ds-sealed-") as tmp:
        key_file = os.path.join(tmp, "master.key")
        write_master_key(key_file)
        store = "sqlite:" + os.path.join(tmp, "access.db")
        cli = Cli(binary, store)
        cli.out("init")
        vault_id = cli.out("shares", "create", "vault").strip()
        for r in ("alice", "bob"):
            cli.out("recipients", "create", r)
        cli.out("grants", "add", "alice", "vault")
        cli.out("grants", "add", "bob", "vault")
        ids = {r: json.loads(cli.out("recipients", "show", r))["id"] for r in ("alice", "bob")}
        tokens = {r: cli.issue(r)["token"] for r in ("alice", "bob")}

        schema, inputs = write_inputs(tmp)
        plain = os.path.join(tmp, "plain")
        cfg_table = os.path.join(tmp, "sealed-config")
        store_table = os.path.join(tmp, "sealed-store")
        write_table(binary, plain, schema, inputs)
        write_table(binary, cfg_table, schema, inputs,
                    ("--encrypt", "--share", CONFIG_SHARE_ID, "--master-key-file", key_file))
        env_seal = dict(os.environ, DELTASHARE_MASTER_KEY=MASTER_KEY)
        for rows in inputs:  # the key from the environment, as `deltashare serve` takes it
            run(binary, "table", "write", store_table, "--input", rows, "--schema", schema,
                "--encrypt", "--share", vault_id, env=env_seal)
        expected = plaintext_rows(binary, plain)
        check(len(expected) == 2 * ROWS, f"plaintext copy has {len(expected)} rows")
        check_sealed_on_disk(binary, cfg_table, CONFIG_SHARE_ID, expected)
        check_sealed_on_disk(binary, store_table, vault_id, expected)
        # Writing without the key, or under another share's key, fails and changes nothing.
        run(binary, "table", "write", store_table, "--input", inputs[0], "--schema", schema,
            code=1)
        run(binary, "table", "write", store_table, "--input", inputs[0], "--schema", schema,
            "--encrypt", "--share", CONFIG_SHARE_ID, env=env_seal, code=1)
        run(binary, "table", "write", store_table, "--input", inputs[0], "--share", vault_id,
            code=1)  # --share without --encrypt
        cli.out("shares", "add-table", "vault", "s", "t", "--location", store_table,
                "--encrypted")
        check(json.loads(cli.out("shares", "show", "vault", "--json"))["schemas"][0]["tables"][0]
              .get("encrypted") is True, "the store does not report the table as encrypted")
        check_cloud_refused(binary, tmp, key_file, cli)

        config = os.path.join(tmp, "server.yaml")
        write_config(config, store, key_file, f"""
authorization: {{bearerToken: {TOKEN}}}
shares:
- name: cfg
  id: {CONFIG_SHARE_ID}
  schemas:
  - name: s
    tables:
    - {{name: t, location: "{cfg_table}", encrypted: true}}
    - {{name: plain, location: "{plain}"}}
""")
        server = Server(binary, config, os.path.join(tmp, "server.log"))
        try:
            ep = server.endpoint
            cfg_files = query(ep, TOKEN, "cfg", "s", "t")
            check_downloads(binary, tmp, cfg_files, expected, "config")
            plain_files = query(ep, TOKEN, "cfg", "s", "plain")
            check_downloads(binary, tmp, plain_files, expected, "plain")
            alice_files = query(ep, tokens["alice"], "vault", "s", "t")
            check_downloads(binary, tmp, alice_files, expected, "alice")
            check(sorted(f["size"] for f in alice_files) == sorted(f["size"] for f in cfg_files),
                  "the two encrypted copies report different plaintext sizes")
            # URLs are bound to their recipient: bob cannot use alice's, nor anyone the
            # bearer token's.
            check(tenant_of(alice_files[0]["url"]) == ids["alice"], "alice's URL tenant")
            static_tenant = tenant_of(cfg_files[0]["url"])
            for url, others in ((alice_files[0]["url"], (ids["bob"], static_tenant)),
                                (cfg_files[0]["url"], (ids["alice"], ids["bob"]))):
                for other in others:
                    r = requests.get(other_tenant(url, other), timeout=60)
                    check(r.status_code == 403, f"another tenant's URL: {r.status_code}")
            bob_files = query(ep, tokens["bob"], "vault", "s", "t")
            check(requests.get(bob_files[0]["url"], timeout=60).status_code == 200,
                  "bob's own URL")
            body_before = requests.get(alice_files[0]["url"], timeout=60).content
            check_tampering(store_table, alice_files, body_before)
            check(server.proc.poll() is None, "the server died")
        finally:
            code = server.stop()
        check(code == 0, f"server exit code {code}:\n{server.stderr()[-3000:]}")
        print(f"sealed_table_test: ok ({len(cfg_files)} + {len(alice_files)} sealed files, "
              f"{len(expected)} rows each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
