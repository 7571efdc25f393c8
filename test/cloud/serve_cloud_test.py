#!/usr/bin/python3
"""End to end: `deltashare serve` over Delta tables in S3, Azure Blob and GCS emulators.

  serve_cloud_test.py --deltashare BIN --upload BIN --batch-cat BIN [--testdata DIR]
                      [--oracle-dir DIR]

Starts @20minutes/s3rver (checks SigV4, also of pre-signed URLs), Azurite (checks Shared Key
and SAS) and the fake GCS XML API of test/objstore (checks V4 signed URLs with the public
half of a throw-away service account key, independently of our signer). Uploads real
tables (golden: one partitioned, one with a checkpoint; kernel: cdf-table with
_change_data) into each with `cloud_upload` (our stores, configured from the same
`storage:` section as the server), writes a config whose locations are s3://, abfss:// and
gs:// URIs, starts `deltashare serve`, and then over plain HTTP:

  * lists shares, schemas and tables; version (header) and metadata of every table;
  * queries in parquet and delta format; every file's expirationTimestamp is
    now + preSignedUrlTimeoutSeconds (and the URL's own expiry agrees); every URL is
    downloaded straight from the emulator (size as announced), decoded with our Parquet
    reader, partition values added, and the rows equal Spark's expected/ (or, for the CDF
    table, the local kernel's `deltashare table scan`);
  * a URL with a changed signature, or another file's path under the same signature, is
    refused by the emulator with 403;
  * change queries on the CDF table in both formats (every URL downloaded) and
    `deltashare client changes` equal to the kernel's `deltashare table changes`;
  * `deltashare client load` of every table equal to the expected rows;
  * wasbs:// and s3a:// spellings name the same objects; /metrics counts the cached tables;
  * broken locations (missing bucket or container, an Azure account without a key, a
    missing table) answer with a JSON 4xx/5xx while the other tables keep working; a second
    server with wrong keys for all three clouds refuses each cloud table clearly, leaks no
    secret, and still serves its local table.

Exits 77 (skipped) without the test data, node, the npm emulators (scripts/install-oracles.sh)
or the openssl CLI. Debian python3, standard library only.
"""
import argparse
import base64
import calendar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OBJSTORE = os.path.join(REPO, "test", "objstore")
COMPARE = os.path.join(REPO, "test", "oracle", "compare_jsonl.py")

TOKEN = "cloud-serve-token-0123456789abcdef"
URL_LIFETIME = 1234  # preSignedUrlTimeoutSeconds; an unusual value so it is recognisable
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
               "K1SZFPTOtr/KBHBeksoGMGw==")
WRONG_SECRET = "wrong-secret-5f0c1e"  # must never appear in a response or a log
# (share-local table name, group, archive name)
TABLES = [("partitioned", "golden", "time-travel-partition-changes-b"),
          ("checkpoint", "golden", "basic-with-inserts-deletes-checkpoint"),
          ("cdf", "kernel", "cdf-table")]
CLOUDS = ["s3", "azure", "gcs"]

failures = []
passes = 0


def check(cond, what):
    global passes
    if cond:
        passes += 1
    else:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def hermetic_env():
    """The environment without cloud credentials, so only the config counts."""
    env = dict(os.environ)
    for name in list(env):
        if name.startswith(("AWS_", "AZURE_", "GOOGLE_")):
            del env[name]
    return env


class Process:
    """A child that prints READY <port> (emulators) or the serving line (the server)."""

    def __init__(self, args, pattern, stream="stdout", env=None, timeout=60):
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        self.lines = []
        source = self.proc.stdout if stream == "stdout" else self.proc.stderr
        other = self.proc.stderr if stream == "stdout" else self.proc.stdout
        threading.Thread(target=self._drain, args=(other,), daemon=True).start()
        self.match = None
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = source.readline()
            if not line:
                break
            self.lines.append(line)
            m = re.search(pattern, line)
            if m:
                self.match = m
                break
        threading.Thread(target=self._drain, args=(source,), daemon=True).start()
        if self.match is None:
            self.stop()
            raise RuntimeError("%s did not start: %s" % (args[1] if len(args) > 1 else args[0],
                                                         "".join(self.lines)[-2000:]))

    def _drain(self, stream):
        for line in stream:
            self.lines.append(line)

    def output(self):
        return "".join(self.lines)

    def stop(self):
        """Terminates the child; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def http(method, url, body=None, headers=None, timeout=30):
    """(status, headers, body bytes); never raises for an HTTP status."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Api:
    def __init__(self, endpoint):
        self.endpoint = endpoint

    def call(self, method, path, body=None, headers=None):
        h = {"Authorization": "Bearer " + TOKEN}
        h.update(headers or {})
        return http(method, self.endpoint + path, body, h)

    def json(self, path):
        status, _, body = self.call("GET", path)
        if status != 200:
            raise RuntimeError("GET %s: %d %s" % (path, status, body[:500]))
        return json.loads(body)


def ndjson(body):
    return [json.loads(line) for line in body.decode().splitlines() if line.strip()]


def extract(testdata, group, name, work):
    dest = os.path.join(work, "data", group)
    os.makedirs(dest, exist_ok=True)
    subprocess.run(["tar", "--zstd", "-xf", os.path.join(testdata, "delta", group, name + ".tar.zst"),
                    "-C", dest], check=True)
    root = os.path.join(dest, name)
    table = os.path.join(root, "delta") if os.path.isdir(os.path.join(root, "delta")) else root
    expected = os.path.join(root, "expected")
    return table, (expected if os.path.isdir(expected) else None)


def make_service_account(work, name):
    pem = os.path.join(work, name + ".pem")
    r = run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
             "-out", pem])
    if r.returncode != 0:
        return None
    with open(pem) as f:
        key = f.read()
    path = os.path.join(work, name + ".json")
    with open(path, "w") as f:
        json.dump({"type": "service_account", "project_id": "deltashare-test",
                   "client_email": name + "@deltashare-test.iam.gserviceaccount.com",
                   "private_key": key}, f)
    return path


def yaml_storage(s3_port, azure_port, gcs_port, gcs_key, wrong=False):
    azure_key = base64.b64encode(b"not the azurite key, 64 bytes long, for a wrong signature!!!!!!").decode() \
        if wrong else AZURITE_KEY
    return ["storage:",
            "  s3:",
            "    accessKeyId: S3RVER",
            "    secretAccessKey: %s" % (WRONG_SECRET if wrong else "S3RVER"),
            "    region: us-east-1",
            "    endpoint: http://127.0.0.1:%d" % s3_port,
            "    addressing: path",
            "  azure:",
            "    accountName: " + AZURITE_ACCOUNT,
            "    accountKey: " + json.dumps(azure_key),
            "    endpoint: http://127.0.0.1:%d/%s" % (azure_port, AZURITE_ACCOUNT),
            "  gcs:",
            "    serviceAccountKeyFile: " + json.dumps(gcs_key),
            "    endpoint: http://127.0.0.1:%d" % gcs_port]


def location(cloud, bucket, table):
    if cloud == "s3":
        return "s3://%s/tables/%s" % (bucket, table)
    if cloud == "azure":
        return "abfss://%s@%s.dfs.core.windows.net/tables/%s" % (bucket, AZURITE_ACCOUNT, table)
    return "gs://%s/tables/%s" % (bucket, table)


def write_config(path, storage, shares, master_key):
    lines = ["version: 1", "host: 127.0.0.1", "port: 0", "endpoint: /delta-sharing",
             "preSignedUrlTimeoutSeconds: %d" % URL_LIFETIME,
             "authorization:", "  bearerToken: " + TOKEN,
             "masterKeyFile: " + json.dumps(master_key), 'accessLog: "off"', "shares:"]
    for share, tables in shares.items():
        lines += ["- name: " + share, "  schemas:", "  - name: default", "    tables:"]
        for name, loc in tables:
            lines += ["    - name: " + name, "      location: " + json.dumps(loc),
                      "      historyShared: true"]
    lines += storage
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


class Decoder:
    """Parquet files -> rows (JSON objects) with our reader, many files per process."""

    def __init__(self, batch_cat, work):
        self.batch_cat = batch_cat
        self.work = work
        self.n = 0

    def rows(self, paths):
        self.n += 1
        listing = os.path.join(self.work, "decode-%d.txt" % self.n)
        out = os.path.join(self.work, "decode-%d" % self.n)
        os.makedirs(out)
        with open(listing, "w") as f:
            f.write("".join(p + "\n" for p in paths))
        r = run([self.batch_cat, listing, out])
        if r.returncode != 0:
            raise RuntimeError("parquet_batch_cat: " + r.stderr)
        result = []
        for i, p in enumerate(paths):
            err = os.path.join(out, "%d.err" % i)
            if os.path.exists(err):
                raise RuntimeError("cannot decode %s: %s" % (p, open(err).read()))
            with open(os.path.join(out, "%d.jsonl" % i)) as f:
                result.append([json.loads(line) for line in f if line.strip()])
        return result


def partition_value(text, type_name):
    if text is None or text == "":
        return None
    if type_name in ("integer", "long", "short", "byte"):
        return int(text)
    if type_name in ("float", "double"):
        return float(text)
    if type_name == "boolean":
        return text == "true"
    return text  # string, date (YYYY-MM-DD)


def same_rows(expected, actual, what, work):
    stem = os.path.join(work, "compare-" + re.sub(r"\W+", "_", what).strip("_"))
    e, a = stem + ".expected.jsonl", stem + ".actual.jsonl"
    for path, rows in ((e, expected), (a, actual)):
        with open(path, "w") as f:
            for row in rows:
                f.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    r = run(["/usr/bin/python3", COMPARE, e, a, "--unordered"])
    return check(r.returncode == 0, what + ": rows differ\n" + r.stdout[-2000:])


def url_expiry_seconds(url):
    """The lifetime or expiry the URL itself carries: ('lifetime', s) or ('expiry', epoch)."""
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    if "X-Amz-Expires" in q:
        return "lifetime", int(q["X-Amz-Expires"])
    if "X-Goog-Expires" in q:
        return "lifetime", int(q["X-Goog-Expires"])
    if "se" in q:
        return "expiry", calendar.timegm(time.strptime(q["se"], "%Y-%m-%dT%H:%M:%SZ"))
    return None, None


def tamper_signature(url):
    for name in ("X-Amz-Signature=", "X-Goog-Signature=", "sig="):
        i = url.find(("&" + name)) + 1 or (url.find("?" + name) + 1)
        if i > 0:
            j = i + len(name)
            c = url[j]
            return url[:j] + ("b" if c != "b" else "c") + url[j + 1:]
    return None


def download(url):
    return http("GET", url, timeout=60)


class CloudCheck:
    def __init__(self, opts, api, decoder, work, tables, endpoints, profile):
        self.opts = opts
        self.api = api
        self.decoder = decoder
        self.work = work
        self.tables = tables  # table name -> (local dir, expected dir)
        self.endpoints = endpoints  # cloud -> emulator base URL
        self.profile = profile
        self.expected_cache = {}
        self.uploaded_at = 0

    def expected_rows(self, table):
        if table not in self.expected_cache:
            local, expected = self.tables[table]
            if expected:
                files = sorted(os.path.join(root, f) for root, _, fs in os.walk(expected)
                               for f in fs if f.endswith(".parquet") and not f.startswith("."))
                rows = [r for part in self.decoder.rows(files) for r in part]
            else:
                r = run([self.opts.deltashare, "table", "scan", local])
                if r.returncode != 0:
                    raise RuntimeError("table scan %s: %s" % (local, r.stderr))
                rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
            self.expected_cache[table] = rows
        return self.expected_cache[table]

    def local_version(self, table):
        log = os.path.join(self.tables[table][0], "_delta_log")
        return max(int(f[:20]) for f in os.listdir(log) if re.match(r"^\d{20}\.json$", f))

    def check_expiry(self, files, before_ms, after_ms, what):
        ok = True
        for url, expiration in files:
            lo = before_ms + URL_LIFETIME * 1000 - 5000
            hi = after_ms + URL_LIFETIME * 1000 + 5000
            ok &= expiration is not None and lo <= expiration <= hi
            kind, value = url_expiry_seconds(url)
            if kind == "lifetime":
                ok &= abs(value - URL_LIFETIME) <= 1
            elif kind == "expiry":
                ok &= abs(value * 1000 - expiration) <= 2000
            else:
                ok = False
        check(ok, "%s: expirationTimestamp / URL expiry not now + %d s: %s" %
              (what, URL_LIFETIME, [(u[:120], e) for u, e in files[:3]]))

    def fetch_all(self, urls, what):
        """Downloads every URL straight from the emulator; returns local paths."""
        paths = []
        for i, (url, size) in enumerate(urls):
            status, _, body = download(url)
            if not check(status == 200, "%s: GET %s -> %d %s" % (what, url[:160], status, body[:300])):
                continue
            check(size is None or len(body) == size,
                  "%s: %s has %d bytes, announced %s" % (what, url[:120], len(body), size))
            path = os.path.join(self.work, "dl-%s-%d-%d.parquet" % (re.sub(r"\W", "_", what), i,
                                                                     time.monotonic_ns()))
            with open(path, "wb") as f:
                f.write(body)
            paths.append(path)
        return paths

    def rows_of(self, files, schema_types, what):
        """files: (url, size, partitionValues) -> rows of the table's columns, partition values
        added. Columns outside the schema are dropped, as readers do: Spark leaves a
        _change_type column in data files written by CDF-enabled UPDATEs."""
        paths = self.fetch_all([(u, s) for u, s, _ in files], what)
        if len(paths) != len(files):
            return None
        rows = []
        for (_, _, pv), part in zip(files, self.decoder.rows(paths)):
            for row in part:
                for col, text in pv.items():
                    row[col] = partition_value(text, schema_types.get(col, "string"))
                rows.append({k: v for k, v in row.items() if k in schema_types})
        return rows

    def check_table(self, cloud, table):
        what = "%s/%s" % (cloud, table)
        base = "/shares/%s/schemas/default/tables/%s" % (cloud, table)
        status, headers, _ = self.api.call("GET", base + "/version")
        version = {k.lower(): v for k, v in headers.items()}.get("delta-table-version")
        check(status == 200 and version == str(self.local_version(table)),
              "%s: version %s %s (local %d)" % (what, status, version, self.local_version(table)))

        status, _, body = self.api.call("GET", base + "/metadata")
        if not check(status == 200, "%s: metadata %d %s" % (what, status, body[:300])):
            return
        lines = ndjson(body)
        meta = next(l["metaData"] for l in lines if "metaData" in l)
        schema = json.loads(meta["schemaString"])
        types = {f["name"]: f["type"] if isinstance(f["type"], str) else "nested"
                 for f in schema["fields"]}
        local_meta = None
        for f in sorted(os.listdir(os.path.join(self.tables[table][0], "_delta_log"))):
            if f.endswith(".json"):
                for line in open(os.path.join(self.tables[table][0], "_delta_log", f)):
                    if '"metaData"' in line:
                        local_meta = json.loads(line)["metaData"]
        check(meta["partitionColumns"] == local_meta["partitionColumns"] and
              meta["id"] == local_meta["id"], "%s: metadata differs from the log: %s" % (what, meta))
        expected = self.expected_rows(table)

        # Snapshot query, parquet format.
        before = int(time.time() * 1000)
        status, _, body = self.api.call("POST", base + "/query", {})
        after = int(time.time() * 1000)
        if not check(status == 200, "%s: query %d %s" % (what, status, body[:300])):
            return
        files = [l["file"] for l in ndjson(body) if "file" in l]
        check(len(files) >= 2, "%s: %d files" % (what, len(files)))
        check(all(f["url"].startswith(self.endpoints[cloud] + "/") for f in files),
              "%s: URLs not on the emulator: %s" % (what, files[0]["url"][:160]))
        self.check_expiry([(f["url"], f.get("expirationTimestamp")) for f in files], before, after,
                          what + " (parquet)")
        rows = self.rows_of([(f["url"], f["size"], f["partitionValues"]) for f in files], types,
                            what + " parquet")
        if rows is not None:
            same_rows(expected, rows, what + " (parquet format, downloaded)", self.work)

        # Snapshot query, delta format: the same files, rows again.
        before = int(time.time() * 1000)
        status, headers, body = self.api.call(
            "POST", base + "/query", {},
            {"delta-sharing-capabilities": "responseformat=delta", "fileidhash": "parquet"})
        after = int(time.time() * 1000)
        if not check(status == 200, "%s: delta query %d %s" % (what, status, body[:300])):
            return
        check({k.lower(): v for k, v in headers.items()}.get("fileidhash") == "parquet",
              "%s: fileidhash not echoed: %s" % (what, headers))
        dfiles = [l["file"] for l in ndjson(body) if "file" in l]
        adds = [f["deltaSingleAction"]["add"] for f in dfiles]
        check(sorted(f["id"] for f in dfiles) == sorted(f["id"] for f in files),
              "%s: delta format ids (fileidhash: parquet) differ from the parquet format's" % what)
        object_path = lambda url: urllib.parse.urlsplit(url).path
        check(sorted(object_path(a["path"]) for a in adds) ==
              sorted(object_path(f["url"]) for f in files),
              "%s: delta format names other objects than parquet format" % what)
        self.check_expiry([(a["path"], f.get("expirationTimestamp")) for a, f in zip(adds, dfiles)],
                          before, after, what + " (delta)")
        drows = self.rows_of([(a["path"], a["size"], a["partitionValues"]) for a in adds], types,
                             what + " delta")
        if drows is not None:
            same_rows(expected, drows, what + " (delta format, downloaded)", self.work)

        # Tampered URLs: the emulator must refuse them.
        url_a, url_b = files[0]["url"], files[1]["url"]
        bad = tamper_signature(url_a)
        status, _, body = download(bad) if bad else (0, None, b"no signature parameter")
        check(status == 403, "%s: changed signature -> %d %s" % (what, status, body[:200]))
        other_path = url_b.split("?", 1)[0]
        swapped = other_path + "?" + url_a.split("?", 1)[1]
        status, _, body = download(swapped)
        check(status == 403, "%s: other file's path under A's signature -> %d %s" %
              (what, status, body[:200]))
        status, _, _ = download(url_b)
        check(status == 200, "%s: the untampered URL B -> %d" % (what, status))

        # The client: `deltashare client load` through the same server and emulator.
        r = run([self.opts.deltashare, "client", "load",
                 "%s#%s.default.%s" % (self.profile, cloud, table)])
        if check(r.returncode == 0, "%s: client load: %s" % (what, r.stderr[-500:])):
            same_rows(expected, r.stdout.splitlines(), what + " (deltashare client load)", self.work)

        if table == "cdf":
            self.check_changes(cloud, table, base, what)

    def check_changes(self, cloud, table, base, what):
        for fmt in ("parquet", "delta"):
            headers = {"delta-sharing-capabilities": "responseformat=" + fmt}
            before = int(time.time() * 1000)
            status, _, body = self.api.call("GET", base + "/changes?startingVersion=0",
                                            headers=headers)
            after = int(time.time() * 1000)
            if not check(status == 200, "%s: changes (%s) %d %s" % (what, fmt, status, body[:300])):
                continue
            lines = ndjson(body)
            urls = []
            kinds = set()
            for l in lines:
                if fmt == "parquet":
                    for kind in ("add", "cdf", "remove"):
                        if kind in l:
                            kinds.add(kind)
                            urls.append((l[kind]["url"], l[kind]["size"],
                                         l[kind].get("expirationTimestamp")))
                elif "file" in l:
                    (kind, action), = l["file"]["deltaSingleAction"].items()
                    kinds.add(kind)
                    urls.append((action["path"], action["size"], l["file"].get("expirationTimestamp")))
            check("cdf" in kinds or "cdc" in kinds, "%s: changes (%s) have no CDF files: %s" %
                  (what, fmt, sorted(kinds)))
            self.check_expiry([(u, e) for u, _, e in urls], before, after, what + " changes " + fmt)
            paths = self.fetch_all([(u, s) for u, s, _ in urls], what + " changes " + fmt)
            check(len(paths) == len(urls), "%s: changes (%s) downloads" % (what, fmt))
        r = run([self.opts.deltashare, "client", "changes",
                 "%s#%s.default.%s" % (self.profile, cloud, table), "--from-version", "0"])
        kernel = run([self.opts.deltashare, "table", "changes", self.tables[table][0], "--from", "0"])
        if check(r.returncode == 0 and kernel.returncode == 0,
                 "%s: client changes: %s %s" % (what, r.stderr[-500:], kernel.stderr[-500:])):
            # Without in-commit timestamps a commit's time is its log file's modification
            # time: the upload time in the emulator, the archive's times locally. Compared
            # apart: within the upload window for the cloud copy.
            got = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
            want = [json.loads(l) for l in kernel.stdout.splitlines() if l.strip()]
            check(len(got) > 0, what + ": no changes")
            stamps = [calendar.timegm(time.strptime(g.pop("_commit_timestamp")[:19],
                                                    "%Y-%m-%dT%H:%M:%S")) for g in got]
            for w in want:
                w.pop("_commit_timestamp", None)
            check(all(self.uploaded_at - 5 <= t <= time.time() + 5 for t in stamps),
                  "%s: commit timestamps outside the upload window: %s" % (what, stamps[:5]))
            same_rows(want, got, what + " (client changes vs kernel)", self.work)


def check_error(api, share, table, what, secrets=(), want=None):
    """A broken table answers every call with a clear JSON error (status `want` if given)."""
    base = "/shares/%s/schemas/default/tables/%s" % (share, table)
    for method, path, body in (("GET", "/version", None), ("GET", "/metadata", None),
                               ("POST", "/query", {})):
        status, _, raw = api.call(method, base + path, body)
        text = raw.decode(errors="replace")
        try:
            doc = json.loads(text)
        except ValueError:
            doc = {}
        check(400 <= status < 600 and doc.get("errorCode") and doc.get("message"),
              "%s %s: %d %s" % (what, path, status, text[:300]))
        check(want is None or status == want, "%s %s: %d, want %s" % (what, path, status, want))
        check(not any(s in text for s in secrets), "%s %s: a secret in the answer" % (what, path))
        print("  %s %s -> %d %s" % (what, path, status, text[:200]), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deltashare", required=True)
    ap.add_argument("--upload", required=True)
    ap.add_argument("--batch-cat", required=True)
    ap.add_argument("--testdata", default=os.environ.get(
        "DS_TESTDATA", os.path.join(REPO, "..", "shared", "testdata")))
    ap.add_argument("--oracle-dir", default=os.path.join(REPO, "build", "oracles"))
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    opts = ap.parse_args()
    opts.deltashare = os.path.abspath(opts.deltashare)
    modules = os.path.join(opts.oracle_dir, "node_modules")
    if not os.path.isdir(os.path.join(opts.testdata, "delta", "golden")):
        print("shared test data not found; skipping")
        return 77
    node = shutil.which("node") or "/usr/bin/node"
    if not os.path.exists(node):
        print("node not found; skipping")
        return 77
    for pkg in ("@20minutes/s3rver", "azurite"):
        if not os.path.isdir(os.path.join(modules, pkg)):
            print("%s not installed (run scripts/install-oracles.sh); skipping" % pkg)
            return 77
    if shutil.which("openssl") is None:
        print("openssl CLI not found (needed for a throw-away GCS key); skipping")
        return 77

    started = time.time()
    work = tempfile.mkdtemp(prefix="ds-cloud-serve-")
    procs = []
    env = hermetic_env()
    node_env = dict(env, DS_ORACLE_DIR=opts.oracle_dir)
    try:
        tables = {}
        for name, group, archive in TABLES:
            tables[name] = extract(opts.testdata, group, archive, work)
        gcs_key = make_service_account(work, "ds-serve")
        wrong_gcs_key = make_service_account(work, "ds-other")
        if gcs_key is None or wrong_gcs_key is None:
            print("openssl could not make an RSA key; skipping")
            return 77

        s3 = Process([node, os.path.join(OBJSTORE, "start_s3rver.cjs"), "lake"],
                     r"READY (\d+)", env=node_env)
        procs.append(s3)
        azurite = Process([node, os.path.join(OBJSTORE, "start_azurite.cjs")], r"READY (\d+)",
                          env=node_env)
        procs.append(azurite)
        # The fake knows only the server's key: the second key is an unknown credential.
        gcs = Process([node, os.path.join(OBJSTORE, "fake_gcs.cjs"), "--key-file", gcs_key, "lake"],
                      r"READY (\d+)", env=node_env)
        procs.append(gcs)
        ports = {"s3": int(s3.match.group(1)), "azure": int(azurite.match.group(1)),
                 "gcs": int(gcs.match.group(1))}
        endpoints = {"s3": "http://127.0.0.1:%d" % ports["s3"],
                     "azure": "http://127.0.0.1:%d/%s" % (ports["azure"], AZURITE_ACCOUNT),
                     "gcs": "http://127.0.0.1:%d" % ports["gcs"]}
        print("emulators up in %.1f s: %s" % (time.time() - started, ports), flush=True)

        master_key = os.path.join(work, "master.key")
        with open(master_key, "w") as f:
            f.write(os.urandom(32).hex() + "\n")
        os.chmod(master_key, 0o600)
        storage = yaml_storage(ports["s3"], ports["azure"], ports["gcs"], gcs_key)
        shares = {cloud: [(t, location(cloud, "lake", t)) for t, _, _ in TABLES] for cloud in CLOUDS}
        shares["broken"] = [
            ("s3_no_bucket", location("s3", "nobucket", "partitioned")),
            ("s3_no_table", location("s3", "lake", "absent")),
            ("azure_no_container", location("azure", "nocontainer", "partitioned")),
            ("azure_no_key", "abfss://lake@otheraccount.dfs.core.windows.net/tables/partitioned"),
            ("gcs_no_bucket", location("gcs", "nobucket", "partitioned")),
            ("gcs_no_table", location("gcs", "lake", "absent")),
        ]
        # Other spellings of the same locations: wasbs:// (the Blob host) and s3a://.
        shares["aliases"] = [
            ("wasbs", "wasbs://lake@%s.blob.core.windows.net/tables/checkpoint" % AZURITE_ACCOUNT),
            ("s3a", "s3a://lake/tables/checkpoint")]
        config = os.path.join(work, "server.yaml")
        write_config(config, storage, shares, master_key)

        upload_started = time.time()
        r = run([opts.upload, config, "--create-container", location("azure", "lake", "")], env=env)
        if r.returncode != 0:
            raise RuntimeError("create container: " + r.stderr)
        for cloud in CLOUDS:
            for name, (local, _) in tables.items():
                r = run([opts.upload, config, local, location(cloud, "lake", name)], env=env)
                if r.returncode != 0:
                    raise RuntimeError("upload %s to %s: %s" % (name, cloud, r.stderr))
        print("uploaded in %.1f s" % (time.time() - started), flush=True)

        server = Process([opts.deltashare, "serve", "-c", config],
                         r"serving Delta Sharing at (\S+)", stream="stderr", env=env)
        procs.append(server)
        api = Api(server.match.group(1))
        profile = os.path.join(work, "profile.share")
        with open(profile, "w") as f:
            json.dump({"shareCredentialsVersion": 1, "endpoint": api.endpoint,
                       "bearerToken": TOKEN}, f)

        # Listing.
        listed = api.json("/shares")
        check(sorted(s["name"] for s in listed["items"]) == sorted(shares),
              "shares listed: %s" % listed)
        for cloud in CLOUDS:
            doc = api.json("/shares/%s/all-tables" % cloud)
            check(sorted(t["name"] for t in doc["items"]) == sorted(t for t, _, _ in TABLES),
                  "%s tables listed: %s" % (cloud, doc))
            doc = api.json("/shares/%s/schemas" % cloud)
            check([s["name"] for s in doc["items"]] == ["default"], "%s schemas: %s" % (cloud, doc))

        decoder = Decoder(os.path.abspath(opts.batch_cat), work)
        checker = CloudCheck(opts, api, decoder, work, tables, endpoints, profile)
        checker.uploaded_at = upload_started
        for cloud in CLOUDS:
            for name, _, _ in TABLES:
                t0 = time.time()
                checker.check_table(cloud, name)
                print("%s/%s checked in %.1f s" % (cloud, name, time.time() - t0), flush=True)

        # Aliases name the same objects as the canonical locations.
        for alias, cloud in (("wasbs", "azure"), ("s3a", "s3")):
            paths = []
            for share, table in (("aliases", alias), (cloud, "checkpoint")):
                status, _, body = api.call(
                    "POST", "/shares/%s/schemas/default/tables/%s/query" % (share, table), {})
                paths.append(sorted(urllib.parse.urlsplit(l["file"]["url"]).path
                                    for l in ndjson(body) if "file" in l) if status == 200 else status)
            check(isinstance(paths[0], list) and paths[0] and paths[0] == paths[1],
                  "%s location: %s vs %s" % (alias, paths[0], paths[1]))

        # The snapshot cache gauge counts the cloud tables (it holds the cache weakly).
        status, _, body = http("GET", api.endpoint.rsplit("/delta-sharing", 1)[0] + "/metrics")
        m = re.search(rb"^deltashare_cached_tables (\d+)", body, re.M)
        check(status == 200 and m and int(m.group(1)) >= 9,
              "metrics: deltashare_cached_tables %s" % (m.group(0) if m else body[:300]))

        # Broken locations fail alone.
        for name, _ in shares["broken"]:
            check_error(api, "broken", name, "broken/" + name)
        for cloud in CLOUDS:
            status, _, body = api.call("POST", "/shares/%s/schemas/default/tables/checkpoint/query" %
                                       cloud, {})
            check(status == 200 and b'"file"' in body,
                  "%s: a good table after the broken ones: %d" % (cloud, status))

        # A second server whose keys are all wrong: clear errors, no secrets, local tables work.
        wrong_storage = yaml_storage(ports["s3"], ports["azure"], ports["gcs"], wrong_gcs_key,
                                     wrong=True)
        wrong_shares = {"wrong": [(cloud, location(cloud, "lake", "checkpoint")) for cloud in CLOUDS]
                        + [("local", tables["checkpoint"][0])]}
        wrong_config = os.path.join(work, "wrong.yaml")
        write_config(wrong_config, wrong_storage, wrong_shares, master_key)
        wrong = Process([opts.deltashare, "serve", "-c", wrong_config],
                        r"serving Delta Sharing at (\S+)", stream="stderr", env=env)
        procs.append(wrong)
        wrong_api = Api(wrong.match.group(1))
        for cloud in CLOUDS:
            # The store refusing the server's credentials is the provider's fault: 500 with the
            # details in the server's log only, never a 403 that reads as a bad token.
            check_error(wrong_api, "wrong", cloud, "wrong-credentials/" + cloud,
                        [WRONG_SECRET, "SignatureDoesNotMatch", "AuthenticationFailed"], want=500)
        status, _, body = wrong_api.call("POST", "/shares/wrong/schemas/default/tables/local/query", {})
        check(status == 200 and b'"file"' in body, "wrong-credentials server, local table: %d" % status)
        time.sleep(0.2)
        check("no credentials to pre-sign URLs" in server.output(),
              "the error log does not say why broken/azure_no_key failed")
        check(WRONG_SECRET not in wrong.output(), "the wrong secret appears in the server's log")
        check(AZURITE_KEY not in server.output(), "the Azure key appears in the server's log")
        # A clean exit on SIGTERM: in sanitizer builds this also means no leak at shutdown.
        for name, p in (("server", server), ("wrong-credentials server", wrong)):
            code = p.stop()
            check(code == 0, "%s exited with %s: %s" % (name, code, p.output()[-3000:]))
    finally:
        for p in reversed(procs):
            p.stop()
        if opts.keep:
            for i, p in enumerate(procs):
                with open(os.path.join(work, "process-%d.log" % i), "w") as f:
                    f.write(p.output())
            print("work folder kept:", work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("%d checks passed, %d failed, %.1f s" % (passes, len(failures), time.time() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
