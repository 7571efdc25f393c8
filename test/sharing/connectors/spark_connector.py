"""A client that sends what the Spark connector's DeltaSharingRestClient sends.

Follows client/src/main/scala/io/delta/sharing/client/DeltaSharingClient.scala:

* headers on every request: `User-Agent: Delta-Sharing-Spark/<v> Spark/<v> QueryId-<8 hex>
  Hadoop/<v> <os>/<v> <vm>/<v> java/<v> scala/<v> java_vendor/<v>` (two spaces before Hadoop,
  as the code joins a value that starts with one), `delta-sharing-capabilities:
  responseformat=<fmt>[;readerfeatures=<f>][;includeendstreamaction=true]`, the bearer token,
  `fileidhash` when configured (the echo must match). Names are java.net.URLEncoder-encoded
  (space → '+').
* lists: `GET shares`, then `shares?pageToken=<encoded>` while the token is present — a token
  of "" counts as present (Option[String] = Some("")), so the last page must omit it; the
  body is read as one string and must be one JSON document.
* version: `GET …/version[?startingTimestamp=]`, 200 or 204, `Delta-Table-Version` required.
* metadata: exactly two lines; the responded format must be one of the requested ones.
* snapshot query: POST body from the Scala case class serialized by Jackson with NON_ABSENT:
  `predicateHints` always (an array), then `limitHint`, `version`, `timestamp`,
  `jsonPredicateHints`, `maxFiles` (with pagination), `pageToken`, `includeRefreshToken`
  (true for the latest snapshot, false for time travel), `refreshToken`, `idempotency_key`.
  Later pages resend the body with `maxFiles` and `pageToken` and without the refresh keys, and
  always declare `includeendstreamaction=true`. Each page must repeat the version header,
  the responded format and byte-identical protocol and metaData lines. A declared
  endStreamAction must end the stream (MissingEndStreamActionException); its errorMessage fails
  the query; a refreshToken is kept; every parquet line after the first two must be `file`.
* change mode query: `startingVersion`/`endingVersion` body; parquet lines add/remove/metaData.
* CDF: `GET …/changes?startingVersion=..&includeHistoricalMetadata=true[&maxFiles=N
  [&pageToken=<raw, not encoded>]]`.
"""

import json
import uuid

import requests

from . import delta_replay
from .common import (ConnectorError, ScanFile, ScanResult, Table, java_read_lines, parse_json,
                     require)

VERSION = "1.3.0"
SYSTEM = (" Hadoop/3.3.4 Linux/6.1.0-28-amd64 OpenJDK_64-Bit_Server_VM/17.0.12+7"
          " java/17.0.12 scala/2.12.18 java_vendor/Eclipse_Adoptium")
# delta-spark's sharing module (responseFormat=delta) declares Delta's own feature names.
DELTA_READER_FEATURES = "deletionVectors,columnMapping,timestampNtz,domainMetadata,v2Checkpoint"


def url_encode(text):
    """java.net.URLEncoder.encode(text, "UTF-8")."""
    out = []
    for b in text.encode("utf-8"):
        c = chr(b)
        if c.isascii() and (c.isalnum() or c in ".-*_"):
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append("%%%02X" % b)
    return "".join(out)


class SparkConnectorClient:
    def __init__(self, endpoint, token, response_format="parquet", reader_features="",
                 pagination=True, max_files=100000, end_stream_action=False, file_id_hash=None,
                 streaming=False):
        self.endpoint = endpoint.rstrip("/")
        self.token = token
        self.response_format = response_format
        self.formats = set(response_format.split(","))
        self.reader_features = reader_features
        self.pagination = pagination
        self.max_files = max_files
        self.end_stream_action = end_stream_action
        self.file_id_hash = file_id_hash
        self.agent = "Delta-Sharing-SparkStructuredStreaming" if streaming else "Delta-Sharing-Spark"
        self.session = requests.Session()
        self.requests = 0
        self.end_stream_checked = 0
        self.end_stream_not_echoed = 0
        self.log = []  # (method, url, body, headers)

    # ---- transport (prepareHeaders, getResponse)

    def _capabilities(self, include_end_stream_action):
        caps = ["responseformat=" + self.response_format]
        if "delta" in self.formats and self.reader_features:
            caps.append("readerfeatures=" + self.reader_features)
        if include_end_stream_action:
            caps.append("includeendstreamaction=true")
        return ";".join(caps)

    def _send(self, method, url, body=None, include_end_stream_action=False, allow_no_content=False,
              one_string=False, file_id_hash=None):
        query_id = uuid.uuid4().hex[:8]
        headers = {
            "User-Agent": "%s/%s Spark/3.5.3 QueryId-%s%s" % (self.agent, VERSION, query_id,
                                                              " " + SYSTEM),
            "delta-sharing-capabilities": self._capabilities(include_end_stream_action),
            "Authorization": "Bearer " + self.token,
        }
        if file_id_hash is not None:
            headers["fileidhash"] = file_id_hash.lower()
        data = None
        if body is not None:
            headers["Content-type"] = "application/json"
            data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        response = self.session.request(method, url, headers=headers, data=data)
        self.requests += 1
        self.log.append((method, url, data, headers))
        ok = response.status_code == 200 or (allow_no_content and response.status_code == 204)
        if not ok:
            raise ConnectorError("HTTP request failed with status: %d %s" % (
                response.status_code, response.text[-500:]))
        text = response.content.decode("utf-8")
        lines = [text] if one_string else java_read_lines(text)
        caps = parse_capabilities(response.headers.get("delta-sharing-capabilities"))
        if include_end_stream_action:
            if check_end_stream_action(caps, lines):
                self.end_stream_checked += 1
            else:
                self.end_stream_not_echoed += 1  # Spark only logs a warning
        version = response.headers.get("Delta-Table-Version")
        if version is not None:
            try:
                version = int(version)
            except ValueError:
                raise ConnectorError("Delta-Table-Version %r is not a long" % version) from None
        return version, caps, lines, response.headers.get("fileidhash")

    def _url(self, suffix):
        return self.endpoint + "/" + suffix.lstrip("/")

    def _json(self, url):
        _, _, lines, _ = self._send("GET", url, one_string=True)
        return parse_json(lines[0], url)

    # ---- lists

    def _paged(self, first, next_url):
        items = []
        response = self._json(first)
        items += response.get("items") or []
        while response.get("nextPageToken") is not None:
            token = response["nextPageToken"]
            if token == "":
                raise ConnectorError("nextPageToken \"\" on the last page: Spark reads it as "
                                     "present and requests ?pageToken= again")
            response = self._json(next_url(url_encode(token)))
            items += response.get("items") or []
        return items

    def list_all_tables(self):
        shares = self._paged(self._url("shares"), lambda t: self._url("/shares?pageToken=" + t))
        tables = []
        for share in shares:
            s = url_encode(require(share, "name", "Share"))
            tables += self._paged(self._url("/shares/%s/all-tables" % s),
                                  lambda t: self._url("/shares/%s/all-tables?pageToken=%s" % (s, t)))
        return [Table(require(t, "share", "Table"), require(t, "schema", "Table"),
                      require(t, "name", "Table")) for t in tables]

    # ---- table calls

    def _prefix(self, table):
        return self._url("/shares/%s/schemas/%s/tables/%s" % (
            url_encode(table.share), url_encode(table.schema), url_encode(table.name)))

    def get_table_version(self, table, starting_timestamp=None):
        url = self._prefix(table) + "/version"
        if starting_timestamp is not None:
            url += "?startingTimestamp=" + url_encode(starting_timestamp)
        version, _, _, _ = self._send("GET", url, allow_no_content=True, one_string=True)
        if version is None:
            raise ConnectorError("Cannot find Delta-Table-Version in the header")
        return version

    def _responded_format(self, caps, rpc):
        fmt = caps.get("responseformat", "parquet")
        if fmt not in self.formats:
            raise ConnectorError("%s: respondedFormat(%s) != requestedFormat(%s)" % (
                rpc, fmt, self.response_format))
        return fmt

    def get_metadata(self, table, version_as_of=None, timestamp_as_of=None):
        params = []
        if version_as_of is not None:
            params.append("version=%d" % version_as_of)
        if timestamp_as_of is not None:
            params.append("timestamp=" + url_encode(timestamp_as_of))
        url = self._prefix(table) + "/metadata" + ("?" + "&".join(params) if params else "")
        version, caps, lines, _ = self._send("GET", url)
        if version is None:
            raise ConnectorError("getMetadata: Cannot find Delta-Table-Version in the header")
        fmt = self._responded_format(caps, "getMetadata")
        if len(lines) != 2:
            raise ConnectorError("getMetadata: received more than two lines: %d" % len(lines))
        if fmt == "parquet":
            check_protocol(require(parse_json(lines[0], "line 1"), "protocol", "line 1"))
            require(parse_json(lines[1], "line 2"), "metaData", "line 2")
        return version, fmt, lines

    def get_files(self, table, predicates=(), limit=None, version_as_of=None,
                  timestamp_as_of=None, json_predicate_hints=None, refresh_token=None):
        """getFiles for a snapshot: every page fetched, returns the ScanResult."""
        latest = version_as_of is None and timestamp_as_of is None
        body = {"predicateHints": list(predicates)}
        for key, value in (("limitHint", limit), ("version", version_as_of),
                           ("timestamp", timestamp_as_of),
                           ("jsonPredicateHints", json_predicate_hints)):
            if value is not None:
                body[key] = value
        if self.pagination:
            body["maxFiles"] = self.max_files
        body["includeRefreshToken"] = latest
        if refresh_token is not None:
            body["refreshToken"] = refresh_token
        version, fmt, lines, refresh, pages = self._files_by_page(self._prefix(table) + "/query",
                                                                  body)
        result = self._to_result(version, fmt, lines, change_mode=False)
        if fmt == "parquet" and version_as_of is not None and version_as_of != version:
            raise ConnectorError("requirement failed: asked version %d, got %d" % (
                version_as_of, version))
        result.refresh_token = refresh
        result.pages = pages
        return result

    def get_changes_by_query(self, table, starting_version, ending_version=None):
        """getFiles(startingVersion, endingVersion): the change-mode query streaming uses."""
        body = {"predicateHints": [], "startingVersion": starting_version}
        if ending_version is not None:
            body["endingVersion"] = ending_version
        url = self._prefix(table) + "/query"
        if self.pagination:
            body["maxFiles"] = self.max_files
            version, fmt, lines, _, pages = self._files_by_page(url, body)
        else:
            version, caps, lines, hash_echo = self._send(
                "POST", url, body, self.end_stream_action, file_id_hash=self.file_id_hash)
            self._check_hash(hash_echo)
            if version is None:
                raise ConnectorError("Cannot find Delta-Table-Version in the header")
            fmt = self._responded_format(caps, "getFiles(startingVersion)")
            lines, _ = extract_end_stream_action(lines)
            pages = 1
        result = self._to_result(version, fmt, lines, change_mode=True)
        result.pages = pages
        return result

    def get_cdf_files(self, table, cdf_options, include_historical_metadata=True):
        params = "&".join("%s=%s" % (k, url_encode(str(v))) for k, v in cdf_options.items())
        if include_historical_metadata:
            params += "&includeHistoricalMetadata=true"
        target = self._prefix(table) + "/changes?" + params
        if not self.pagination:
            version, caps, lines, hash_echo = self._send("GET", target, None,
                                                         self.end_stream_action,
                                                         file_id_hash=self.file_id_hash)
            self._check_hash(hash_echo)
            fmt = self._responded_format(caps, "getCDFFiles")
            lines, _ = extract_end_stream_action(lines)
            result = self._to_result(version or 0, fmt, lines, change_mode=True)
            return result
        url = "%s&maxFiles=%d" % (target, self.max_files)
        version, caps, lines, hash_echo = self._send("GET", url, None, self.end_stream_action,
                                                     file_id_hash=self.file_id_hash)
        self._check_hash(hash_echo)
        fmt = self._responded_format(caps, "getCDFFiles")
        lines, end = extract_end_stream_action(lines)
        protocol, metadata = lines[0], lines[1]
        all_lines, pages = list(lines), 1
        while end is not None and end.get("nextPageToken"):
            pages += 1
            url = "%s&maxFiles=%d&pageToken=%s" % (target, self.max_files, end["nextPageToken"])
            more, end = self._next_page("GET", url, None, version or 0, fmt, protocol, metadata,
                                        self.end_stream_action)
            all_lines += more
        result = self._to_result(version or 0, fmt, all_lines, change_mode=True)
        result.pages = pages
        return result

    # ---- pagination (getFilesByPage, fetchNextPageFiles)

    def _check_hash(self, echo):
        if self.file_id_hash is None:
            return
        if echo is None:
            raise ConnectorError("Client sent fileidhash=%s but server did not return it" %
                                 self.file_id_hash)
        if echo.lower() != self.file_id_hash.lower():
            raise ConnectorError("Server returned fileidhash=%s but client sent %s" % (
                echo, self.file_id_hash))

    def _files_by_page(self, url, body):
        version, caps, lines, hash_echo = self._send("POST", url, body, self.end_stream_action,
                                                     file_id_hash=self.file_id_hash)
        if version is None:
            raise ConnectorError("Cannot find Delta-Table-Version in the header")
        self._check_hash(hash_echo)
        fmt = self._responded_format(caps, "getFiles")
        lines, end = extract_end_stream_action(lines)
        if len(lines) < 2:
            raise ConnectorError("getFiles: fewer than two lines")
        protocol, metadata = lines[0], lines[1]
        refresh = end.get("refreshToken") or None if end else None
        all_lines, pages = list(lines), 1
        while end is not None and end.get("nextPageToken"):
            pages += 1
            page_body = dict(body)
            page_body.pop("refreshToken", None)
            page_body.pop("includeRefreshToken", None)
            page_body["maxFiles"] = self.max_files
            page_body["pageToken"] = end["nextPageToken"]
            more, end = self._next_page("POST", url, page_body, version, fmt, protocol, metadata,
                                        True)
            all_lines += more
        return version, fmt, all_lines, refresh, pages

    def _next_page(self, method, url, body, version, fmt, protocol, metadata, end_stream):
        got_version, caps, lines, hash_echo = self._send(method, url, body, end_stream,
                                                         file_id_hash=self.file_id_hash)
        self._check_hash(hash_echo)
        got_fmt = caps.get("responseformat", "parquet")
        if ((got_version or 0) != version or got_fmt != fmt or len(lines) < 2
                or lines[0] != protocol or lines[1] != metadata):
            raise ConnectorError(
                "Received inconsistent version/format/protocol/metadata across pages.\n"
                "Expected: version %s, %s,\n%s\n%s\nActual: version %s, %s,\n%s" % (
                    version, fmt, protocol, metadata, got_version, got_fmt,
                    "\n".join(lines[:2])))
        return extract_end_stream_action(lines[2:])

    # ---- parsing (the parquet branches of getFiles/getCDFFiles, the delta log for delta)

    def _to_result(self, version, fmt, lines, change_mode):
        if fmt == "delta":
            return delta_result(version, lines, change_mode)
        check_protocol(require(parse_json(lines[0], "line 1"), "protocol", "line 1"))
        metadata = require(parse_json(lines[1], "line 2"), "metaData", "line 2")
        for key in ("id", "format", "schemaString", "partitionColumns"):
            require(metadata, key, "metaData")
        files = []
        for n, line in enumerate(lines[2:], 3):
            where = "line %d" % n
            doc = parse_json(line, where)
            if not change_mode:
                if "file" not in doc:
                    raise ConnectorError("Unexpected Line:" + line[:300])
                files.append(file_action(doc["file"], where, "file"))
                continue
            kinds = [k for k in ("cdf", "add", "remove", "metaData") if k in doc]
            if not kinds:
                raise ConnectorError("Unexpected Line:" + line[:300])
            if kinds[0] == "metaData":
                continue
            files.append(file_action(doc[kinds[0]], where, kinds[0]))
        return ScanResult(version, json.loads(metadata["schemaString"]),
                          metadata["partitionColumns"], files,
                          configuration=metadata.get("configuration", {}))


def delta_result(version, lines, change_mode):
    protocol = require(require(parse_json(lines[0], "line 1"), "protocol", "line 1"),
                       "deltaProtocol", "line 1")
    delta_replay.check_protocol(protocol, "line 1")
    head = require(require(parse_json(lines[1], "line 2"), "metaData", "line 2"),
                   "deltaMetadata", "line 2")
    schema, mapped = delta_replay.check_metadata(head, "line 2")
    files = []
    for n, line in enumerate(lines[2:], 3):
        where = "line %d" % n
        doc = parse_json(line, where)
        if "file" in doc:
            f = doc["file"]
            action = require(f, "deltaSingleAction", where)
            if change_mode:
                sf = delta_replay.file_from_action(action, where, require(f, "version", where),
                                                   require(f, "timestamp", where))
            else:
                sf = delta_replay.file_from_action(action, where)
            sf.file_id = require(f, "id", where)
            files.append(sf)
        elif change_mode and ("metaData" in doc or "protocol" in doc):
            continue
        else:
            raise ConnectorError("Unexpected Line:" + line[:300])
    return ScanResult(version, schema, head["partitionColumns"], files, response_format="delta",
                      column_mapping=mapped, configuration=head.get("configuration", {}))


def file_action(body, where, kind):
    for key in ("url", "id", "partitionValues", "size"):
        require(body, key, where)
    extra = {}
    if kind in ("add", "remove", "cdf"):
        extra = {"_commit_version": require(body, "version", where),
                 "_commit_timestamp": require(body, "timestamp", where)}
        if kind != "cdf":
            extra["_change_type"] = "insert" if kind == "add" else "delete"
    return ScanFile(url=body["url"], size=int(body["size"]),
                    partition_values=body["partitionValues"], file_id=body["id"], extra=extra,
                    kind=kind)


def check_protocol(protocol):
    reader = require(protocol, "minReaderVersion", "protocol")
    if reader > 2:  # DeltaSharingProfile.CURRENT
        raise ConnectorError("The table requires a newer version %s to read" % reader)


def parse_capabilities(value):
    """parseDeltaSharingCapabilities: lower-cased, ';'-separated k=v, other segments dropped."""
    if value is None:
        return {}
    out = {}
    for part in value.lower().split(";"):
        kv = part.split("=")
        if len(kv) == 2:
            out[kv[0]] = kv[1]
    return out


def extract_end_stream_action(lines):
    if not lines:
        raise ConnectorError("empty response body")
    last = parse_json(lines[-1], "last line")
    end = last.get("endStreamAction") if isinstance(last, dict) else None
    if end is None:
        return lines, None
    return lines[:-1], end


def check_end_stream_action(caps, lines):
    """checkEndStreamAction: the server echoed includeendstreamaction=true → the last line must
    be an endStreamAction, and one with errorMessage fails the query."""
    echoed = caps.get("includeendstreamaction")
    if echoed != "true":
        return False
    last = lines[-1] if lines else "Empty_Seq_in_checkEndStreamAction"
    try:
        end = json.loads(last).get("endStreamAction")
    except (ValueError, AttributeError):
        end = None
    if end is None:
        raise ConnectorError("MissingEndStreamActionException: %d lines, last line [%s]" % (
            len(lines), last[:300]))
    if end.get("errorMessage") is not None:
        raise ConnectorError("DeltaSharingServerException[%s]: %s" % (
            end.get("httpStatusErrorCode", ""), end["errorMessage"]))
    return True
