"""Rows of a connector's ScanResult, decoded by outside readers (test-only).

Each file is downloaded from its pre-signed URL with requests (its length must equal the
announced `size`; the Python-connector style also checks HEAD and ranged reads, as fsspec
does), then every file is decoded by DuckDB (test/oracle/duckdb_cat.mjs, one node process for
the batch), never by deltashare's own Parquet reader. Then what a connector adds is applied:
column-mapping physical names → logical names, partition values (typed from the schema, like
py's `_normalize_record_batch`), deletion vectors (the Delta DV file format and the portable
64-bit Roaring serialization are decoded here, independently of the server's code), and the
CDF columns (`_change_type` from cdf files' data, else insert/delete; `_commit_version`;
`_commit_timestamp`).
"""

import concurrent.futures
import dataclasses
import datetime
import decimal
import hashlib
import json
import os
import struct
import threading
import subprocess
import zlib

import requests

from .common import ConnectorError

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DUCKDB_CAT = os.path.join(REPO, "test", "oracle", "duckdb_cat.mjs")
DUCKDB_FILES = os.path.join(HERE, "duckdb_files.mjs")
# Delta types duckdb_files.mjs decodes (with decimal(p,s)); others go through duckdb_cat.mjs.
SIMPLE = {"boolean", "byte", "short", "integer", "long", "float", "double", "string", "date"}


class Downloader:
    def __init__(self, folder):
        self.folder = folder
        self.local = threading.local()
        self.lock = threading.Lock()
        self.count = 0
        self.bytes = 0
        self.paths = {}  # sha256 of the content -> local file
        self.decoded = {}  # sha256 -> DuckDB's rows
        os.makedirs(folder, exist_ok=True)

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def fetch(self, url, size, ranged=False):
        """The file at `url` saved locally: (path, sha256 of the content). `ranged`: HEAD then a tail and a head
        range, as fsspec's HTTPFileSystem reads a Parquet footer first."""
        with self.lock:
            self.count += 1
            path = os.path.join(self.folder, "f%06d.parquet" % self.count)
        if ranged:
            head = self.session().head(url)
            if head.status_code != 200:
                raise ConnectorError("HEAD %s: %d" % (url[:120], head.status_code))
            length = int(head.headers.get("Content-Length", "-1"))
            if length != size:
                raise ConnectorError("HEAD Content-Length %d != size %d" % (length, size))
            tail_start = max(0, size - 8)
            tail = self.session().get(url, headers={"Range": "bytes=%d-%d" % (tail_start, size - 1)})
            if tail.status_code != 206 or len(tail.content) != size - tail_start:
                raise ConnectorError("ranged GET of the footer: %d, %d bytes" % (
                    tail.status_code, len(tail.content)))
            if size >= 4 and tail.content[-4:] != b"PAR1":
                raise ConnectorError("the file does not end with PAR1")
        response = self.session().get(url)
        if response.status_code != 200:
            raise ConnectorError("GET %s: %d %s" % (url[:120], response.status_code,
                                                    response.text[:200]))
        if size >= 0 and len(response.content) != size:
            raise ConnectorError("downloaded %d bytes, the response said size %d (%s)" % (
                len(response.content), size, url[:120]))
        digest = hashlib.sha256(response.content).hexdigest()
        with self.lock:
            self.bytes += len(response.content)
            if digest in self.paths:  # the same bytes again: decoded once
                return self.paths[digest], digest
            self.paths[digest] = path
        with open(path, "wb") as f:
            f.write(response.content)
        return path, digest

    def fetch_bytes(self, url):
        response = self.session().get(url)
        if response.status_code != 200:
            raise ConnectorError("GET %s: %d" % (url[:120], response.status_code))
        return response.content


def duckdb_rows(paths, work, oracle_dir, per_file=False):
    """DuckDB's rows of each file (a list of lists of dicts), one node process for all.
    per_file: files of different tables (no single-query fast path)."""
    listfile = os.path.join(work, "duckdb-%d.list" % len(os.listdir(work)))
    outdir = listfile[:-5] + ".out"
    os.makedirs(outdir)
    with open(listfile, "w") as f:
        f.write("\n".join(os.path.abspath(p) for p in paths) + "\n")
    env = dict(os.environ, DS_ORACLE_DIR=oracle_dir)
    # One query over all files when their columns are flat and simple, else per file.
    fast = None if per_file else subprocess.run(["node", DUCKDB_FILES, listfile, outdir],
                                                 env=env, stderr=subprocess.DEVNULL)
    if fast is None or fast.returncode != 0:
        subprocess.run(["node", DUCKDB_CAT, "--batch", listfile, outdir], check=True, env=env,
                       stderr=subprocess.DEVNULL)
    result = []
    for i, p in enumerate(paths):
        out = os.path.join(outdir, "%d.jsonl" % i)
        if not os.path.exists(out):
            err = os.path.join(outdir, "%d.err" % i)
            raise ConnectorError("DuckDB cannot read %s: %s" % (
                p, open(err).read().strip() if os.path.exists(err) else "no output"))
        with open(out) as f:
            result.append([json.loads(line) for line in f if line.strip()])
    return result


# ---- column mapping

def physical_name(field, mapped):
    if mapped:
        return field.get("metadata", {}).get("delta.columnMapping.physicalName", field["name"])
    return field["name"]


def convert(dtype, value, mapped):
    if value is None or not mapped or not isinstance(dtype, dict):
        return value
    kind = dtype["type"]
    if kind == "struct":
        return {f["name"]: convert(f["type"], value.get(physical_name(f, mapped)), mapped)
                for f in dtype["fields"]}
    if kind == "array":
        return [convert(dtype["elementType"], v, mapped) for v in value]
    if kind == "map":
        return [{"key": convert(dtype["keyType"], e["key"], mapped),
                 "value": convert(dtype["valueType"], e["value"], mapped)} for e in value]
    return value


# ---- partition values (strings in the response → the oracle's JSON encoding)

def partition_value(dtype, text):
    if text is None or text == "":
        return None
    if dtype in ("integer", "long", "short", "byte"):
        return int(text)
    if dtype in ("float", "double"):
        return float(text)
    if dtype == "boolean":
        if text.lower() not in ("true", "false"):
            raise ConnectorError("boolean partition value %r" % text)
        return text.lower() == "true"
    if dtype in ("string", "date"):
        return text
    if isinstance(dtype, str) and dtype.startswith("decimal("):
        scale = int(dtype[:-1].split(",")[1])
        return str(decimal.Decimal(text).quantize(decimal.Decimal(1).scaleb(-scale)))
    if dtype in ("timestamp", "timestamp_ntz"):
        t = text.replace("T", " ").rstrip("Z")
        fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in t else "%Y-%m-%d %H:%M:%S"
        value = datetime.datetime.strptime(t, fmt)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f") + ("Z" if dtype == "timestamp" else "")
    raise ConnectorError("Cannot partition on binary or complex columns (%r)" % (dtype,))


# ---- deletion vectors

Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"


def z85_decode(text):
    out = bytearray()
    for i in range(0, len(text), 5):
        n = 0
        for c in text[i:i + 5]:
            n = n * 85 + Z85.index(c)
        out += struct.pack(">I", n)
    return bytes(out)


def roaring32(data, pos):
    """One portable RoaringBitmap at data[pos:]; (set of values, end position)."""
    cookie = struct.unpack_from("<I", data, pos)[0]
    pos += 4
    if cookie & 0xFFFF == 12347:
        n = (cookie >> 16) + 1
        run_bits = data[pos:pos + (n + 7) // 8]
        pos += (n + 7) // 8
    elif cookie == 12346:
        n = struct.unpack_from("<I", data, pos)[0]
        pos += 4
        run_bits = b""
    else:
        raise ConnectorError("bad Roaring cookie %d" % cookie)
    keys = []
    for i in range(n):
        key, card = struct.unpack_from("<HH", data, pos)
        keys.append((key, card + 1))
        pos += 4
    if not run_bits or n >= 4:
        pos += 4 * n  # offset header
    values = set()
    for i, (key, card) in enumerate(keys):
        base = key << 16
        is_run = bool(run_bits) and (run_bits[i // 8] >> (i % 8)) & 1
        if is_run:
            runs = struct.unpack_from("<H", data, pos)[0]
            pos += 2
            for _ in range(runs):
                start, length = struct.unpack_from("<HH", data, pos)
                pos += 4
                values.update(range(base + start, base + start + length + 1))
        elif card > 4096:
            words = struct.unpack_from("<1024Q", data, pos)
            pos += 8192
            for w, word in enumerate(words):
                while word:
                    low = word & -word
                    values.add(base + w * 64 + low.bit_length() - 1)
                    word ^= low
        else:
            values.update(base + v for v in struct.unpack_from("<%dH" % card, data, pos))
            pos += 2 * card
    return values, pos


def dv_positions(blob):
    """Row indexes of a serialized DV (magic + 64-bit Roaring treemap, portable form)."""
    magic = struct.unpack_from("<I", blob, 0)[0]
    if magic != 1681511377:
        raise ConnectorError("bad deletion vector magic %d" % magic)
    count = struct.unpack_from("<Q", blob, 4)[0]
    pos, rows = 12, set()
    for _ in range(count):
        high = struct.unpack_from("<I", blob, pos)[0]
        values, pos = roaring32(blob, pos + 4)
        rows.update((high << 32) | v for v in values)
    return rows


def read_dv(dv, downloader):
    kind = dv["storageType"]
    if kind == "i":
        blob = z85_decode(dv["pathOrInlineDv"])[:dv["sizeInBytes"]]
    else:
        data = downloader.fetch_bytes(dv["pathOrInlineDv"])
        offset = dv.get("offset", 1)
        size = struct.unpack_from(">I", data, offset)[0]
        if size != dv["sizeInBytes"]:
            raise ConnectorError("DV size %d != sizeInBytes %d" % (size, dv["sizeInBytes"]))
        blob = data[offset + 4:offset + 4 + size]
        crc = struct.unpack_from(">I", data, offset + 4 + size)[0]
        if zlib.crc32(blob) != crc:
            raise ConnectorError("DV checksum mismatch")
    rows = dv_positions(blob)
    if len(rows) != dv["cardinality"]:
        raise ConnectorError("DV holds %d rows, cardinality says %d" % (len(rows), dv["cardinality"]))
    return rows


# ---- a whole ScanResult

def table_rows(result, downloader, work, oracle_dir, ranged=False):
    """The rows the connector would produce from `result`."""
    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # connectors read in parallel
        fetched = list(pool.map(lambda f: downloader.fetch(f.url, f.size, ranged), result.files))
    todo = sorted({(p, d) for p, d in fetched if d not in downloader.decoded})
    if todo:
        simple = all(f["type"] in SIMPLE or str(f["type"]).startswith("decimal(")
                     for f in result.schema["fields"])
        for (p, d), rows in zip(todo, duckdb_rows([p for p, _ in todo], work, oracle_dir,
                                                  per_file=not simple)):
            downloader.decoded[d] = rows
    decoded = [downloader.decoded[d] for _, d in fetched]
    fields = result.schema["fields"]
    by_name = {f["name"]: f for f in fields}
    rows = []
    for f, file_rows in zip(result.files, decoded):
        deleted = read_dv(f.deletion_vector, downloader) if f.deletion_vector else set()
        parts = {}
        for name in result.partition_columns:
            field = by_name.get(name)
            if field is None:
                raise ConnectorError("partition column %r not in the schema" % name)
            key = physical_name(field, result.column_mapping)
            pv = f.partition_values
            text = pv.get(key, pv.get(name))  # delta format: physical; parquet: logical
            if key not in pv and name not in pv:
                raise ConnectorError("file %s lacks partition value %r" % (f.file_id, name))
            parts[name] = partition_value(field["type"], text)
        for index, raw in enumerate(file_rows):
            if index in deleted:
                continue
            row = {}
            for field in fields:
                name = field["name"]
                if name in parts:
                    row[name] = parts[name]
                    continue
                key = physical_name(field, result.column_mapping)
                row[name] = convert(field["type"], raw.get(key), result.column_mapping)
            if f.extra:
                row.update(f.extra)
                if "_change_type" not in f.extra:
                    row["_change_type"] = raw.get("_change_type")
                ts = row.get("_commit_timestamp")
                if isinstance(ts, int):
                    row["_commit_timestamp"] = ms_to_iso(ts)
            rows.append(row)
    return rows


def subset(result, files):
    """The ScanResult with only `files`."""
    return dataclasses.replace(result, files=list(files))


def ms_to_iso(ms):
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"

