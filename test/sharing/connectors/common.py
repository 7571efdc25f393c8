"""Shared pieces of the connector look-alikes (test-only).

ConnectorError is what a real connector would raise (KeyError, LookupError,
IllegalStateException, ...): the message says which connector rule the server broke.
ScanFile is one data file a connector would read, with what it needs to turn the file's rows
into table rows (partition values, deletion vector, column-mapping renames, CDF columns).
"""

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


class ConnectorError(Exception):
    """The server's answer would make the real connector fail."""


@dataclass(frozen=True)
class Table:
    share: str
    schema: str
    name: str


@dataclass
class ScanFile:
    url: str
    size: int
    partition_values: Dict[str, Optional[str]]
    file_id: str = ""
    deletion_vector: Optional[Dict[str, Any]] = None  # the delta-format DV descriptor
    extra: Dict[str, Any] = field(default_factory=dict)  # CDF columns added by the connector
    kind: str = "file"  # file | add | remove | cdf


@dataclass
class ScanResult:
    """What a connector knows after its requests: the table version it was told, the schema
    (Spark JSON, logical), the partition columns, and the files to read."""
    version: int
    schema: Dict[str, Any]
    partition_columns: List[str]
    files: List[ScanFile]
    response_format: str = "parquet"
    column_mapping: bool = False
    configuration: Dict[str, str] = field(default_factory=dict)
    refresh_token: Optional[str] = None
    pages: int = 1
    requests: int = 0


def require(obj, key, where):
    """obj[key], or a ConnectorError naming the missing key (the connectors' KeyError)."""
    if not isinstance(obj, dict) or key not in obj:
        raise ConnectorError("%s: missing required key %r in %s" % (
            where, key, json.dumps(obj)[:300]))
    return obj[key]


def parse_json(line, where):
    try:
        return json.loads(line)
    except ValueError as e:
        raise ConnectorError("%s: not JSON (%s): %r" % (where, e, line[:300])) from None


def java_read_lines(text):
    """Lines as java.io.BufferedReader.readLine returns them (\\n, \\r or \\r\\n end a line;
    a final terminator does not add an empty line)."""
    lines, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n" or c == "\r":
            lines.append(text[start:i])
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            start = i + 1
        i += 1
    if start < n:
        lines.append(text[start:])
    return lines
