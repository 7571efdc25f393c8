"""Delta-format responses turned into files to read, the way both connectors do it (test-only).

The Python connector writes the protocol, the metaData and every `deltaSingleAction` into a
local `_delta_log/00000000000000000000.json` and hands it to delta-kernel-rs; Spark's delta
path builds a local log the same way. A reader of that log needs from each action what the
Delta protocol makes required (kernel's Add schema: path, partitionValues, size,
modificationTime, dataChange) and from the metadata the schema with its column-mapping
physical names. This module checks exactly that and returns ScanFiles.
"""

import json

from .common import ConnectorError, ScanFile, require

ADD_REQUIRED = ("path", "partitionValues", "size", "modificationTime", "dataChange")
REMOVE_REQUIRED = ("path", "dataChange")
CDC_REQUIRED = ("path", "partitionValues", "size", "dataChange")


def check_protocol(delta_protocol, where):
    reader = require(delta_protocol, "minReaderVersion", where)
    require(delta_protocol, "minWriterVersion", where)  # py's Protocol.from_json needs it
    if not isinstance(reader, int) or reader < 1 or reader > 3:
        raise ConnectorError("%s: minReaderVersion %r unsupported" % (where, reader))
    if reader == 3 and not isinstance(delta_protocol.get("readerFeatures"), list):
        raise ConnectorError("%s: reader version 3 without readerFeatures" % where)


def check_metadata(delta_metadata, where):
    for key in ("id", "format", "schemaString", "partitionColumns"):
        require(delta_metadata, key, where)
    schema = json.loads(delta_metadata["schemaString"])
    mode = delta_metadata.get("configuration", {}).get("delta.columnMapping.mode", "none")
    return schema, mode != "none"


def file_from_action(action, where, version=None, timestamp=None):
    """A ScanFile from a deltaSingleAction ({"add"|"remove"|"cdc": {...}})."""
    kinds = [k for k in ("add", "remove", "cdc") if k in action]
    if len(kinds) != 1:
        raise ConnectorError("%s: deltaSingleAction must hold exactly one of add/remove/cdc: %s"
                             % (where, json.dumps(action)[:300]))
    kind = kinds[0]
    body = action[kind]
    for key in {"add": ADD_REQUIRED, "remove": REMOVE_REQUIRED, "cdc": CDC_REQUIRED}[kind]:
        require(body, key, where + "." + kind)
    path = body["path"]
    if not path.startswith(("http://", "https://")):
        raise ConnectorError("%s: %s.path is not a pre-signed URL: %r" % (where, kind, path))
    dv = body.get("deletionVector")
    if dv is not None:
        for key in ("storageType", "pathOrInlineDv", "sizeInBytes", "cardinality"):
            require(dv, key, where + ".deletionVector")
        if dv["storageType"] not in ("p", "i"):
            raise ConnectorError("%s: deletion vector storageType %r (the server must rewrite "
                                 "'u' to 'p' with a URL)" % (where, dv["storageType"]))
    extra = {}
    if version is not None:
        extra = {"_commit_version": version, "_commit_timestamp": timestamp}
        if kind == "add":
            extra["_change_type"] = "insert"
        elif kind == "remove":
            extra["_change_type"] = "delete"
    return ScanFile(url=path, size=int(body.get("size", -1)),
                    partition_values=body.get("partitionValues") or {}, deletion_vector=dv,
                    extra=extra, kind={"add": "file", "remove": "remove", "cdc": "cdf"}[kind]
                    if version is None else {"add": "add", "remove": "remove",
                                             "cdc": "cdf"}[kind])
