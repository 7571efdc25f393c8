#!/usr/bin/python3
"""End-to-end test of `deltashare serve` driven by clients that behave like the official
Python connector and the Spark connector (test/sharing/connectors/), with the rows checked.

  connectors_test.py --deltashare BUILD/deltashare [--oracle-dir build/oracles]

Every data file is downloaded from its pre-signed URL (size checked; ranged reads for the
Python style), decoded by DuckDB (never by deltashare's Parquet reader), then the connector's
own steps are applied (partition values, column mapping, deletion vectors, CDF columns) and
the rows compared with Spark's expected/ rows of golden tables, with the rows we wrote to a
generated 2000-file table, or (CDF) with `deltashare table changes`. Lists are checked
against the configured tables (more than one page of shares and of all-tables).
Exit 0 = pass, 1 = fail (readable diffs), 77 = skipped (no python3-requests, DuckDB oracle
or ../shared/testdata).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
try:
    import requests  # noqa: F401
except ImportError:
    print("SKIP: python3-requests is not installed")
    sys.exit(77)
import harness  # noqa: E402
from connectors import rows as rowlib  # noqa: E402
from connectors.common import ConnectorError, Table  # noqa: E402
from connectors.python_connector import HttpError, PythonConnectorClient  # noqa: E402
from connectors.spark_connector import (DELTA_READER_FEATURES,  # noqa: E402
                                        SparkConnectorClient)

COMPARE = os.path.join(harness.REPO, "test", "oracle", "compare_jsonl.py")
# Golden tables: (name, what it covers, the format autoresolve must pick).
GOLDEN = [
    ("data-reader-primitives", "plain", "parquet"),
    ("data-reader-partition-values", "partitioned, every partition type", "parquet"),
    ("basic-with-inserts-deletes-checkpoint", "checkpoint, removes", "parquet"),
    ("table-with-columnmapping-mode-name", "column mapping", "delta"),
    ("dv-partitioned-with-checkpoint", "deletion vectors, partitions", "delta"),
    ("dv-with-columnmapping", "deletion vectors and column mapping", "delta"),
]
CDF_TABLE = "cdf-table"
MANY_FILES = 2000
LIST_SHARES = 505  # more than the server's default page of 500
WIDE_TABLES = 520

failures = []
STARTED = time.time()


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, flush=True)
    return cond


def compare(expected, actual, what, work):
    """Rows as multisets (compare_jsonl.py --unordered); prints its diff on mismatch."""
    e = os.path.join(work, "expected.jsonl")
    a = os.path.join(work, "actual.jsonl")
    for path, rows in ((e, expected), (a, actual)):
        with open(path, "w") as f:
            for r in rows:
                f.write(json.dumps(r, sort_keys=True) + "\n")
    r = subprocess.run(["/usr/bin/python3", COMPARE, e, a, "--unordered", "--float-tolerance",
                        "1e-6", "--max-diffs", "5"], capture_output=True, text=True)
    if check(r.returncode == 0, "%s: rows differ (expected %d rows, got %d)\n%s" % (
            what, len(expected), len(actual), (r.stdout + r.stderr)[-3000:])):
        print("ok   %s (%d rows) [%.1f s]" % (what, len(actual), time.time() - STARTED),
              flush=True)


def attempt(what, fn):
    """Runs one connector scenario; a ConnectorError (the real connector would fail) or any
    other exception is a failure with its message."""
    try:
        return fn()
    except ConnectorError as e:
        check(False, "%s: the connector would fail: %s" % (what, e))
    except Exception as e:  # noqa: BLE001 (report, go on with the others)
        check(False, "%s: %s: %s" % (what, type(e).__name__, e))
    return None


def latest_version(table_dir):
    log = os.path.join(table_dir, "_delta_log")
    return max(int(n.split(".")[0]) for n in os.listdir(log) if n.endswith(".json"))


EXPECTED = {}


def spark_expected_rows(name, root, work, oracle_dir):
    return EXPECTED[name]


def read_expected(golden, work, oracle_dir):
    """Every golden table's expected/ rows, decoded by DuckDB in one process."""
    paths = []
    for name, root in golden.items():
        expected = os.path.join(os.path.dirname(root), "expected")
        paths += sorted((os.path.join(d, n), name) for d, _, ns in os.walk(expected)
                        for n in ns if n.endswith(".parquet"))
    decoded = rowlib.duckdb_rows([p for p, _ in paths], work, oracle_dir, per_file=True)
    for name in golden:
        EXPECTED[name] = []
    for (_, name), rows in zip(paths, decoded):
        EXPECTED[name] += rows
    # Spark wrote the zone-less partition value "2021-09-08 11:11:11" in its session zone
    # (America/Los_Angeles, UTC-7); the Delta protocol and both connectors read it as UTC.
    for r in EXPECTED.get("data-reader-partition-values", []):
        if r.get("as_timestamp") == "2021-09-08T18:11:11.000000Z":
            r["as_timestamp"] = "2021-09-08T11:11:11.000000Z"


def kernel_changes(deltashare, path, start):
    out = subprocess.run([deltashare, "table", "changes", path, "--from", str(start)],
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def write_many(deltashare, work, start, count, create):
    """Appends rows id start..start+count-1 partitioned by p = id % MANY_FILES."""
    src = os.path.join(work, "many-%d.jsonl" % start)
    rows = [{"id": i, "p": i % MANY_FILES, "name": "n%d" % i} for i in range(start, start + count)]
    with open(src, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    cmd = [deltashare, "table", "write", os.path.join(work, "many"), "--input", src]
    if create:
        schema = os.path.join(work, "many-schema.json")
        with open(schema, "w") as f:
            json.dump({"type": "struct", "fields": [
                {"name": n, "type": t, "nullable": True, "metadata": {}}
                for n, t in (("id", "long"), ("p", "integer"), ("name", "string"))]}, f)
        cmd += ["--schema", schema, "--partition-by", "p", "--enable-cdf"]
    subprocess.run(cmd, check=True, capture_output=True)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deltashare", required=True)
    ap.add_argument("--oracle-dir", default=os.path.join(harness.REPO, "build", "oracles"))
    ap.add_argument("--write-tables")  # accepted for the shared CMake arguments; unused
    args = ap.parse_args()
    if harness.testdata_dir() is None:
        print("SKIP: ../shared/testdata not found")
        return 77
    if not os.path.isdir(os.path.join(args.oracle_dir, "node_modules", "@duckdb")):
        print("SKIP: DuckDB oracle not installed (scripts/install-oracles.sh)")
        return 77
    if shutil.which("node") is None:
        print("SKIP: node not found")
        return 77
    deltashare = os.path.abspath(args.deltashare)
    oracle_dir = os.path.abspath(args.oracle_dir)
    # tmpfs when there is one: the generated table's 2000 files are fsynced one by one.
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="ds-connectors-", dir=base)
    started = time.time()
    try:
        return run(deltashare, oracle_dir, work, started)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(deltashare, oracle_dir, work, started):
    tables, golden = [], {}
    for name, _, _ in GOLDEN:
        location = harness.golden_delta_dir(name, work)
        if location is None:
            print("SKIP: golden table %s not found" % name)
            return 77
        golden[name] = location
        tables.append({"share": "golden", "schema": "default", "name": name,
                       "location": location, "historyShared": True})
    cdf_dir = harness.extract_table("kernel", CDF_TABLE, work)
    tables.append({"share": "cdf", "schema": "kernel", "name": CDF_TABLE, "location": cdf_dir,
                   "historyShared": True})
    many_v0 = write_many(deltashare, work, 0, 3 * MANY_FILES, create=True)
    many_dir = os.path.join(work, "many")
    tables.append({"share": "gen", "schema": "default", "name": "many", "location": many_dir,
                   "historyShared": True})
    for i in range(WIDE_TABLES):
        tables.append({"share": "wide", "schema": "s%d" % (i % 3), "name": "t%03d" % i,
                       "location": golden["data-reader-primitives"]})
    for i in range(LIST_SHARES - 4):
        tables.append({"share": "z%03d" % i, "schema": "default", "name": "only",
                       "location": golden["data-reader-primitives"]})
    config = os.path.join(work, "config.yaml")
    harness.write_config(config, tables)
    expected_tables = {(t["share"], t["schema"], t["name"]) for t in tables}
    downloads = rowlib.Downloader(os.path.join(work, "files"))
    scratch = os.path.join(work, "scratch")
    os.makedirs(scratch)

    read_expected(golden, scratch, oracle_dir)
    with harness.Server(deltashare, config) as server:
        endpoint = server.origin + server.prefix
        token = harness.TOKEN

        # ---------- Python connector ----------
        py = PythonConnectorClient(endpoint, token)
        listed = attempt("py list_all_tables", py.list_all_tables)
        if listed is not None:
            got = [(t.share, t.schema, t.name) for t in listed]
            check(len(got) == len(set(got)), "py list_all_tables: duplicates")
            check(set(got) == expected_tables, "py list_all_tables: %d tables, expected %d; "
                  "missing %s" % (len(got), len(expected_tables),
                                  sorted(expected_tables - set(got))[:5]))
            lists = [t for t in py.log if "/all-tables" in t[1] or t[1] == "/shares"]
            print("ok   py list_all_tables (%d tables, %d list requests)" % (len(got), len(lists)))

        for name, what, fmt in GOLDEN:
            table = Table("golden", "default", name)
            version = attempt("py %s version" % name, lambda: py.query_table_version(table))
            check(version == latest_version(golden[name]),
                  "py %s: version %s, the log's latest is %d" % (
                      name, version, latest_version(golden[name])))
            picked = attempt("py %s autoresolve" % name, lambda: py.autoresolve_query_format(table))
            check(picked == fmt, "py %s: autoresolve picked %s, expected %s" % (name, picked, fmt))
            result = attempt("py %s load_as_pandas" % name, lambda: py.load_as_pandas(table))
            if result is None:
                continue
            check(result.version == version, "py %s: query version %s" % (name, result.version))
            if "deletion vectors" in what:
                check(sum(1 for f in result.files if f.deletion_vector) > 0,
                      "py %s: no file carries a deletion vector" % name)
            rows = attempt("py %s rows" % name, lambda: rowlib.table_rows(
                result, downloads, scratch, oracle_dir, ranged=True))
            if rows is not None:
                compare(spark_expected_rows(name, golden[name], scratch, oracle_dir),
                        rows, "py load_as_pandas %s (%s, %s format)" % (
                            name, what, result.response_format), scratch)
            if fmt == "delta":
                # The parquet path (no capabilities) on a table that needs delta: a 4xx, which
                # py does not retry and reports; never a 5xx (retried 10 times) or a wrong answer.
                try:
                    py.load_as_pandas(table, use_delta_format=False)
                    check(False, "py %s: parquet format was served for a %s table" % (name, what))
                except HttpError as e:
                    check(400 <= e.status < 500, "py %s parquet: status %d" % (name, e.status))

        # time travel and a limit on the generated table (its v0 rows are known)
        many = Table("gen", "default", "many")
        result = py_many = attempt("py many load", lambda: py.load_as_pandas(many))
        if result is not None:
            check(len(result.files) == MANY_FILES, "py many: %d files" % len(result.files))
            rows = attempt("py many rows", lambda: rowlib.table_rows(
                result, downloads, scratch, oracle_dir))
            if rows is not None:
                compare(many_v0, rows, "py load_as_pandas many (%d files)" % MANY_FILES, scratch)

        v = attempt("py many version startingTimestamp", lambda: py.query_table_version(
            many, starting_timestamp="2001-01-01T00:00:00Z"))
        check(v == 0, "py many: version at a timestamp before v0 is %s" % v)
        cdf = Table("cdf", "kernel", CDF_TABLE)
        kernel = kernel_changes(deltashare, cdf_dir, 0)
        for use_delta in (None, True):
            what = "py load_table_changes %s (%s)" % (CDF_TABLE, "delta" if use_delta else "parquet")
            result = attempt(what, lambda: py.load_table_changes(cdf, starting_version=0,
                                                                 use_delta_format=use_delta))
            if result is not None:
                rows = attempt(what + " rows", lambda: rowlib.table_rows(
                    result, downloads, scratch, oracle_dir))
                if rows is not None:
                    compare(kernel, rows, what, scratch)

        # ---------- Spark connector ----------
        spark = SparkConnectorClient(endpoint, token, end_stream_action=True, max_files=2)
        listed = attempt("spark list_all_tables", spark.list_all_tables)
        if listed is not None:
            got = [(t.share, t.schema, t.name) for t in listed]
            check(len(got) == len(set(got)) and set(got) == expected_tables,
                  "spark list_all_tables: %d tables, expected %d" % (len(got),
                                                                     len(expected_tables)))
            print("ok   spark list_all_tables (%d tables)" % len(got))
        spark_delta = SparkConnectorClient(endpoint, token, response_format="delta",
                                           reader_features=DELTA_READER_FEATURES,
                                           end_stream_action=True, max_files=2,
                                           file_id_hash="delta")
        for name, what, fmt in GOLDEN:
            table = Table("golden", "default", name)
            client = spark if fmt == "parquet" else spark_delta
            version = attempt("spark %s version" % name, lambda: client.get_table_version(table))
            check(version == latest_version(golden[name]), "spark %s version %s" % (name, version))
            meta = attempt("spark %s metadata" % name, lambda: client.get_metadata(table))
            if meta is not None:
                check(meta[1] == fmt, "spark %s metadata format %s" % (name, meta[1]))
            result = attempt("spark %s getFiles" % name, lambda: client.get_files(table))
            if result is None:
                continue
            check(result.refresh_token is not None, "spark %s: no refreshToken" % name)
            rows = attempt("spark %s rows" % name, lambda: rowlib.table_rows(
                result, downloads, scratch, oracle_dir))
            if rows is not None:
                compare(spark_expected_rows(name, golden[name], scratch, oracle_dir),
                        rows, "spark getFiles %s (%s, %s, %d pages)" % (
                            name, what, result.response_format, result.pages), scratch)

        # the 2000-file table: pages of 300, a refresh after a new commit, time travel, CDF
        spark_many = SparkConnectorClient(endpoint, token, end_stream_action=True,
                                          max_files=300, file_id_hash="parquet")
        first = attempt("spark many getFiles", lambda: spark_many.get_files(many))
        if first is not None:
            check(first.pages == (MANY_FILES + 299) // 300, "spark many: %d pages" % first.pages)
            # The same files as the Python connector's (whose rows were checked), by id and
            # size, each once; their URLs serve the same bytes (a sample is fetched).
            got = sorted((f.file_id, f.size) for f in first.files)
            check(py_many is not None and got == sorted((f.file_id, f.size)
                                                        for f in py_many.files),
                  "spark many: %d files, not the Python connector's" % len(got))
            sample = first.files[::97]
            rows = attempt("spark many rows", lambda: rowlib.table_rows(
                rowlib.subset(first, sample), downloads, scratch, oracle_dir))
            if rows is not None:
                ids = {r["id"] for r in rows}
                compare([r for r in many_v0 if r["id"] in ids], rows,
                        "spark getFiles many (%d pages, %d of %d files read)" % (
                            first.pages, len(sample), len(first.files)), scratch)
        many_v1 = write_many(deltashare, work, 3 * MANY_FILES, 500, create=False)
        if first is not None and check(first.refresh_token, "spark many: no refreshToken"):
            again = attempt("spark many refresh", lambda: spark_many.get_files(
                many, refresh_token=first.refresh_token))
            if again is not None:
                check(again.version == first.version,
                      "refresh: version %s, first %s" % (again.version, first.version))
                check(sorted(f.file_id for f in again.files) ==
                      sorted(f.file_id for f in first.files),
                      "refresh: a different file set (%d vs %d files)" % (
                          len(again.files), len(first.files)))
                print("ok   spark refreshToken after a new commit (%d files, %d pages)" % (
                    len(again.files), again.pages))
        latest = attempt("spark many latest", lambda: spark_many.get_files(many))
        if latest is not None:
            # (the rows of v1 are checked through the change data feed below)
            check(latest.version == 1 and len(latest.files) == MANY_FILES + 500,
                  "spark many: latest version %s with %d files" % (latest.version,
                                                                   len(latest.files)))
        meta = attempt("spark many metadata versionAsOf 0",
                       lambda: spark_many.get_metadata(many, version_as_of=0))
        check(meta is None or meta[0] == 0, "spark many metadata v0: version %s" % (
            meta and meta[0]))
        old = attempt("spark many versionAsOf 0", lambda: spark_many.get_files(many,
                                                                               version_as_of=0))
        if old is not None and first is not None:
            check(sorted(f.file_id for f in old.files) == sorted(f.file_id for f in first.files),
                  "spark versionAsOf=0: a different file set")
        streamed = attempt("spark many startingVersion=1",
                           lambda: spark_many.get_changes_by_query(many, 1))
        if streamed is not None:
            rows = attempt("spark many stream rows", lambda: rowlib.table_rows(
                streamed, downloads, scratch, oracle_dir))
            if rows is not None:
                compare([dict(r, _change_type="insert", _commit_version=1) for r in many_v1],
                        [{k: v for k, v in r.items() if k != "_commit_timestamp"} for r in rows],
                        "spark change-mode query many from 1", scratch)
        spark_cdf = SparkConnectorClient(endpoint, token, end_stream_action=True, max_files=700)
        result = attempt("spark many CDF", lambda: spark_cdf.get_cdf_files(
            many, {"startingVersion": 0}))
        if result is not None:
            rows = attempt("spark many CDF rows", lambda: rowlib.table_rows(
                result, downloads, scratch, oracle_dir))
            if rows is not None:
                compare(kernel_changes(deltashare, many_dir, 0), rows,
                        "spark getCDFFiles many (%d pages)" % result.pages, scratch)
        small_pages = SparkConnectorClient(endpoint, token, end_stream_action=False, max_files=1)
        for client, label in ((small_pages, "parquet, 1 file a page"),
                              (SparkConnectorClient(endpoint, token, response_format="delta",
                                                    reader_features=DELTA_READER_FEATURES,
                                                    pagination=False), "delta, no pagination")):
            result = attempt("spark CDF " + label, lambda: client.get_cdf_files(
                cdf, {"startingVersion": 0}))
            if result is not None:
                rows = attempt("spark CDF rows " + label, lambda: rowlib.table_rows(
                    result, downloads, scratch, oracle_dir))
                if rows is not None:
                    compare(kernel, rows, "spark getCDFFiles %s (%s, %d pages)" % (
                        CDF_TABLE, label, result.pages), scratch)

        for client, label in ((spark, "spark"), (spark_delta, "spark delta"),
                              (spark_many, "spark many")):
            check(client.end_stream_checked > 0 and client.end_stream_not_echoed == 0,
                  "%s: includeendstreamaction=true echoed on %d responses, not on %d" % (
                      label, client.end_stream_checked, client.end_stream_not_echoed))
        if failures:
            print("server stderr (last 20 lines):\n" + "\n".join(server.stderr_lines[-20:]))
    print("%d downloads (%.1f MiB), %.1f s, %d failures" % (
        downloads.count, downloads.bytes / 2**20, time.time() - started, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
