"""A client that sends what the official Python connector (delta-sharing 1.1.0) sends.

Requests, headers and parsing follow python/delta_sharing/rest_client.py and reader.py:

* every request: `Authorization: Bearer`, `User-Agent: Delta-Sharing-Python/<v> pandas/<v>
  PyArrow/<v> Python/<v> System/<platform>`; names go into paths unencoded; GET parameters
  through requests (`params=`), POST bodies through `json=` (only the keys that are set;
  `{}` when none); bodies read with `Response.iter_lines(decode_unicode=True)` (which also
  splits on U+2028, U+0085 and the other str.splitlines separators).
* lists: `GET /shares[?pageToken=]`, `GET /shares/{s}/all-tables[?pageToken=]` until the token
  is missing or "" (never `maxResults`); only the first body line is parsed; 404 on all-tables
  falls back to `/schemas` + `/tables`; a table needs name, share and schema.
* `load_as_pandas`: GET `/metadata` with `delta-sharing-capabilities:
  responseformat=delta,parquet;readerfeatures=deletionvectors,columnmapping,timestampntz`;
  "delta" anywhere in the response capabilities header means the delta path. Parquet: POST
  `/query` without the capabilities header, protocol and metaData then only `file` lines.
  Delta: POST `/query` with `responseformat=delta;readerfeatures=...,timestampntz`, a local
  log from protocol.deltaProtocol, metaData.deltaMetadata and each file.deltaSingleAction.
* `load_table_changes_as_pandas`: GET `/changes?startingVersion=..&endingVersion=..`
  (only the set ones; timestamps `quote`d) `[&includeHistoricalMetadata=True]` (only with
  use_delta_format=True, the Python bool spelled by an f-string); parquet: protocol, metaData,
  then add/cdf/remove lines (anything else fails); delta: header `responseformat=delta;
  readerfeatures=deletionvectors,columnmapping`, every other line a `file` (with version,
  timestamp, deltaSingleAction) or a `metaData` (with version).
* `delta-table-version` must be on /version, /metadata, /query, /changes (LookupError).
* retries 429, 5xx and connection errors with a doubling back-off from 100 ms.
"""

import json
import platform
import time
from urllib.parse import quote

import requests

from . import delta_replay
from .common import ConnectorError, ScanFile, ScanResult, Table, parse_json, require

VERSION = "1.1.0"
USER_AGENT = ("Delta-Sharing-Python/%s pandas/2.2.3 PyArrow/18.1.0 Python/%s System/%s" % (
    VERSION, platform.python_version(), platform.platform()))
CAPABILITIES = "delta-sharing-capabilities"
AUTORESOLVE = "responseformat=delta,parquet;readerfeatures=deletionvectors,columnmapping,timestampntz"
DELTA_SNAPSHOT = "responseformat=delta;readerfeatures=deletionvectors,columnmapping,timestampntz"
DELTA_CDF = "responseformat=delta;readerfeatures=deletionvectors,columnmapping"


class PythonConnectorClient:
    def __init__(self, endpoint, token, num_retries=2):
        self.endpoint = endpoint  # the profile's endpoint, used verbatim like py
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT,
                                     "Authorization": "Bearer " + token})
        self.num_retries = num_retries
        self.requests = 0
        self.log = []  # (method, target, capabilities header) of every request

    # ---- transport (rest_client._request_internal + retry_with_exponential_backoff)

    def _request(self, method, target, headers=None, **kwargs):
        assert target.startswith("/")
        sleep, tries = 0.1, 0
        while True:
            tries += 1
            try:
                response = self.session.request(method, self.endpoint + target,
                                                headers=headers, **kwargs)
            except requests.ConnectionError:
                if tries <= self.num_retries:
                    time.sleep(sleep)
                    sleep *= 2
                    continue
                raise
            self.requests += 1
            self.log.append((method, target, (headers or {}).get(CAPABILITIES)))
            if response.status_code == 429 or 500 <= response.status_code < 600:
                if tries <= self.num_retries:
                    time.sleep(sleep)
                    sleep *= 2
                    continue
            if response.status_code >= 400:
                raise HttpError(response)
            return response

    @staticmethod
    def _lines(response):
        return response.iter_lines(decode_unicode=True)

    @staticmethod
    def _table_version(response):
        if "delta-table-version" not in response.headers:
            raise ConnectorError("LookupError: Missing delta-table-version header")
        try:
            return int(response.headers["delta-table-version"])
        except ValueError:
            raise ConnectorError("delta-table-version %r is not an int" %
                                 response.headers["delta-table-version"]) from None

    # ---- lists

    def _list(self, target, page_token, where):
        params = {} if page_token is None else {"pageToken": page_token}
        response = self._request("GET", target, params=params)
        doc = parse_json(next(self._lines(response)), where)
        return doc.get("items", []), doc.get("nextPageToken", None)

    def _all_pages(self, target, where):
        items, token = [], None
        while True:
            page, token = self._list(target, token, where)
            items += page
            if token is None or token == "":
                return items

    def list_shares(self):
        shares = self._all_pages("/shares", "list_shares")
        for s in shares:
            require(s, "name", "Share")
        return shares

    def list_all_tables(self):
        """SharingClient.list_all_tables: every share's all-tables pages (404 → old APIs)."""
        shares = self.list_shares()
        tables = []
        try:
            for s in shares:
                tables += self._all_pages("/shares/%s/all-tables" % s["name"], "list_all_tables")
        except HttpError as e:
            if e.status != 404:
                raise
            tables = []
            for s in shares:
                for sc in self._all_pages("/shares/%s/schemas" % s["name"], "list_schemas"):
                    tables += self._all_pages("/shares/%s/schemas/%s/tables" % (
                        require(sc, "share", "Schema"), require(sc, "name", "Schema")),
                        "list_tables")
        return [Table(require(t, "share", "Table"), require(t, "schema", "Table"),
                      require(t, "name", "Table")) for t in tables]

    # ---- table calls

    @staticmethod
    def _prefix(table):
        return "/shares/%s/schemas/%s/tables/%s" % (table.share, table.schema, table.name)

    def query_table_version(self, table, starting_timestamp=None):
        target = self._prefix(table) + "/version"
        if starting_timestamp is not None:
            target += "?startingTimestamp=" + quote(starting_timestamp)
        return self._table_version(self._request("GET", target))

    def autoresolve_query_format(self, table):
        response = self._request("GET", self._prefix(table) + "/metadata",
                                 headers={CAPABILITIES: AUTORESOLVE})
        self._table_version(response)
        for _ in self._lines(response):
            pass
        if CAPABILITIES not in response.headers:
            return "parquet"
        return "delta" if "delta" in response.headers[CAPABILITIES] else "parquet"

    def query_table_metadata(self, table):
        response = self._request("GET", self._prefix(table) + "/metadata")
        version = self._table_version(response)
        lines = self._lines(response)
        protocol = require(parse_json(next(lines), "metadata line 1"), "protocol", "line 1")
        metadata = require(parse_json(next(lines), "metadata line 2"), "metaData", "line 2")
        check_parquet_protocol(protocol)
        check_parquet_metadata(metadata)
        return version, protocol, metadata

    def load_as_pandas(self, table, version=None, timestamp=None, limit=None,
                       json_predicate_hints=None, use_delta_format=None):
        """The requests of delta_sharing.load_as_pandas; returns the files it would read."""
        if use_delta_format is None:
            response_format = self.autoresolve_query_format(table)
        else:
            response_format = "delta" if use_delta_format else "parquet"
        data = {}
        if json_predicate_hints is not None:
            data["jsonPredicateHints"] = json_predicate_hints
        if limit is not None:
            data["limitHint"] = limit
        if version is not None:
            data["version"] = version
        if timestamp is not None:
            data["timestamp"] = timestamp
        headers = {CAPABILITIES: DELTA_SNAPSHOT} if response_format == "delta" else None
        response = self._request("POST", self._prefix(table) + "/query", json=data,
                                 headers=headers)
        table_version = self._table_version(response)
        lines = list(self._lines(response))
        if "responseformat=delta" in response.headers.get(CAPABILITIES, ""):
            return self._delta_snapshot(lines, table_version)
        if response_format == "delta":
            # reader.__to_pandas_kernel would parse a parquet answer as delta lines and fail.
            raise ConnectorError("asked for delta, the response is not delta: %s" %
                                 response.headers.get(CAPABILITIES))
        protocol = require(parse_json(lines[0], "query line 1"), "protocol", "query line 1")
        metadata = require(parse_json(lines[1], "query line 2"), "metaData", "query line 2")
        check_parquet_protocol(protocol)
        schema = check_parquet_metadata(metadata)
        files = []
        for n, line in enumerate(lines[2:], 3):
            f = require(parse_json(line, "query line %d" % n), "file", "query line %d" % n)
            files.append(parquet_file(f, "query line %d" % n))
        return ScanResult(table_version, schema, metadata["partitionColumns"], files,
                          configuration=metadata.get("configuration", {}))

    def _delta_snapshot(self, lines, table_version):
        if len(lines) < 2:
            raise ConnectorError("delta snapshot: fewer than 2 lines")
        protocol = require(require(parse_json(lines[0], "line 1"), "protocol", "line 1"),
                           "deltaProtocol", "line 1")
        delta_replay.check_protocol(protocol, "line 1")
        metadata = require(require(parse_json(lines[1], "line 2"), "metaData", "line 2"),
                           "deltaMetadata", "line 2")
        schema, mapped = delta_replay.check_metadata(metadata, "line 2")
        files = []
        for n, line in enumerate(lines[2:], 3):
            f = require(parse_json(line, "line %d" % n), "file", "line %d" % n)
            action = require(f, "deltaSingleAction", "line %d" % n)
            sf = delta_replay.file_from_action(action, "line %d" % n)
            sf.file_id = require(f, "id", "line %d" % n)
            files.append(sf)
        return ScanResult(table_version, schema, metadata["partitionColumns"], files,
                          response_format="delta", column_mapping=mapped,
                          configuration=metadata.get("configuration", {}))

    def load_table_changes(self, table, starting_version=None, ending_version=None,
                           starting_timestamp=None, ending_timestamp=None,
                           use_delta_format=None):
        params = []
        if starting_version is not None:
            params.append("startingVersion=%s" % starting_version)
        if starting_timestamp is not None:
            params.append("startingTimestamp=" + quote(starting_timestamp))
        if ending_version is not None:
            params.append("endingVersion=%s" % ending_version)
        if ending_timestamp is not None:
            params.append("endingTimestamp=" + quote(ending_timestamp))
        if use_delta_format is not None:
            params.append("includeHistoricalMetadata=%s" % use_delta_format)  # True / False
        headers = {CAPABILITIES: DELTA_CDF} if use_delta_format else None
        response = self._request("GET", self._prefix(table) + "/changes?" + "&".join(params),
                                 headers=headers)
        table_version = self._table_version(response)
        lines = list(self._lines(response))
        delta = "responseformat=delta" in response.headers.get(CAPABILITIES, "")
        if use_delta_format and not delta:
            raise ConnectorError("asked for delta CDF, got %s" % response.headers.get(CAPABILITIES))
        if delta:
            return self._delta_changes(lines, table_version)
        protocol = require(parse_json(lines[0], "changes line 1"), "protocol", "line 1")
        metadata = require(parse_json(lines[1], "changes line 2"), "metaData", "line 2")
        check_parquet_protocol(protocol)
        schema = check_parquet_metadata(metadata)
        files = []
        for n, line in enumerate(lines[2:], 3):
            where = "changes line %d" % n
            doc = parse_json(line, where)
            kinds = [k for k in ("add", "cdf", "remove") if k in doc]
            if not kinds:  # FileAction.from_json returns None; _to_pandas then fails
                raise ConnectorError("%s: not add/cdf/remove: %s" % (where, line[:300]))
            kind = kinds[0]
            body = doc[kind]
            f = parquet_file(body, where)
            if kind == "cdf":
                require(body, "timestamp", where)
                require(body, "version", where)
            f.kind = kind
            f.extra = {"_commit_version": body.get("version"),
                       "_commit_timestamp": body.get("timestamp")}
            if kind != "cdf":
                f.extra["_change_type"] = "insert" if kind == "add" else "delete"
            files.append(f)
        return ScanResult(table_version, schema, metadata["partitionColumns"], files)

    def _delta_changes(self, lines, table_version):
        protocol = require(require(parse_json(lines[0], "line 1"), "protocol", "line 1"),
                           "deltaProtocol", "line 1")
        delta_replay.check_protocol(protocol, "line 1")
        files, metadata_by_version = [], {}
        for n, line in enumerate(lines[1:], 2):
            where = "changes line %d" % n
            doc = parse_json(line, where)
            if "file" in doc:
                f = doc["file"]
                action = require(f, "deltaSingleAction", where)
                version = require(f, "version", where)
                timestamp = require(f, "timestamp", where)
                sf = delta_replay.file_from_action(action, where, version, timestamp)
                sf.file_id = require(f, "id", where)
                files.append(sf)
            elif "metaData" in doc:
                m = doc["metaData"]
                metadata_by_version[require(m, "version", where)] = require(
                    m, "deltaMetadata", where)
            else:
                raise ConnectorError("Invalid JSON object: %s Is neither metadata nor file." %
                                     line[:300])
        if not metadata_by_version:
            raise ConnectorError("delta CDF: no metaData line")
        latest = metadata_by_version[max(metadata_by_version)]
        schema, mapped = delta_replay.check_metadata(latest, "metaData")
        return ScanResult(table_version, schema, latest["partitionColumns"], files,
                          response_format="delta", column_mapping=mapped)


class HttpError(ConnectorError):
    def __init__(self, response):
        self.status = response.status_code
        self.body = response.text
        super().__init__("HTTP %d: %s" % (self.status, self.body[:500]))


def check_parquet_protocol(protocol):
    reader = require(protocol, "minReaderVersion", "protocol")
    if int(reader) > 3:
        raise ConnectorError("The table requires a newer version %s to read" % reader)


def check_parquet_metadata(metadata):
    for key in ("id", "format", "schemaString", "partitionColumns"):
        require(metadata, key, "metaData")
    schema = json.loads(metadata["schemaString"])
    for f in schema["fields"]:
        if f["type"] == "timestamp_ntz":  # py's converter has no type for it
            raise ConnectorError("parquet format: unsupported type timestamp_ntz")
    return schema


def parquet_file(body, where):
    for key in ("url", "id", "partitionValues", "size"):
        require(body, key, where)
    return ScanFile(url=body["url"], size=int(body["size"]),
                    partition_values=body["partitionValues"], file_id=body["id"])
