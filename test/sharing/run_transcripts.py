#!/usr/bin/python3
"""HTTP transcript tests of `deltashare serve` (test/sharing/transcripts/*.test).

Starts the server on an ephemeral port with tables written by sharing_write_sample_tables
and (when ../shared/testdata exists) golden Delta tables, then replays each transcript:
requests and the expected status, headers and body lines. Exit code 0 = pass, 1 = fail,
77 = skipped.

Transcript format (one record per request, records separated by blank lines; '#' comments):

    request METHOD TARGET          target below the API prefix, or a full URL ($root is the
                                   server's origin; other $vars hold captured values)
    header NAME: VALUE             added to the request (repeatable)
    auth none | TOKEN              default: the configured bearer token
    body TEXT                      the request body (one line)
    retry N                        resend (100 ms apart) until the expectation holds
    ----
    status CODE
    error CODE ERROR_CODE [TEXT]   status, {"errorCode"} and a message containing TEXT
    header NAME: VALUE             an exact response header (name case-insensitive)
    header NAME: ~REGEX            a header matching REGEX
    noheader NAME
    json PATTERN                   the whole body: one line of JSON matching PATTERN
    line PATTERN                   the next body line matches PATTERN
    lines N PATTERN                the next N lines match PATTERN (N = * for any number)
    empty                          no body
    ...                            more lines may follow (otherwise the body must end)

PATTERN is JSON where the string "<*>" matches anything, "<int>" an integer, "<str>" a
string, "<url>" an http(s) URL, "<hex32>"/"<hex64>" lower-case hex, "<~REGEX>" a string
matching REGEX, and "<$name>" captures the value as $name for later records (substituted in
request lines, headers and bodies). An object pattern with the key "...": "..." allows other
keys; otherwise the keys must be exactly those given.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class Mismatch(Exception):
    pass


def match(pattern, value, captures, where):
    if isinstance(pattern, str) and pattern.startswith("<") and pattern.endswith(">"):
        tag = pattern[1:-1]
        if tag == "*":
            return
        if tag.startswith("$"):
            captures[tag[1:]] = value if isinstance(value, str) else json.dumps(value)
            return
        ok = {
            "int": isinstance(value, int) and not isinstance(value, bool),
            "str": isinstance(value, str),
            "url": isinstance(value, str) and re.match(r"https?://", value) is not None,
            "hex32": isinstance(value, str) and re.fullmatch(r"[0-9a-f]{32}", value) is not None,
            "hex64": isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None,
        }.get(tag)
        if tag.startswith("~"):
            ok = isinstance(value, str) and re.search(tag[1:], value) is not None
        if ok is None:
            raise Mismatch("unknown pattern tag %s" % pattern)
        if not ok:
            raise Mismatch("%s: %r is not %s" % (where, value, pattern))
        return
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            raise Mismatch("%s: expected an object, got %r" % (where, value))
        open_keys = pattern.get("...") == "..."
        keys = [k for k in pattern if k != "..."]
        for k in keys:
            if k not in value:
                raise Mismatch("%s: key %r missing in %s" % (where, k, json.dumps(value)[:300]))
            match(pattern[k], value[k], captures, where + "." + k)
        if not open_keys:
            extra = sorted(set(value) - set(keys))
            if extra:
                raise Mismatch("%s: unexpected keys %s" % (where, extra))
        return
    if isinstance(pattern, list):
        if not isinstance(value, list) or len(value) != len(pattern):
            raise Mismatch("%s: expected %d items, got %r" % (where, len(pattern), value))
        for i, (p, v) in enumerate(zip(pattern, value)):
            match(p, v, captures, "%s[%d]" % (where, i))
        return
    if pattern != value or type(pattern) is not type(value):
        raise Mismatch("%s: expected %r, got %r" % (where, pattern, value))


def substitute(text, variables):
    return re.sub(r"\$([A-Za-z_][A-Za-z0-9_]*)",
                  lambda m: variables.get(m.group(1), m.group(0)), text)


def parse(path):
    """Records: (line number, request lines, expectation lines)."""
    records, current, section = [], None, None
    with open(path) as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if current:
                    records.append(current)
                current, section = None, None
                continue
            if current is None:
                current, section = (number, [], []), 1
            if line == "----":
                section = 2
                continue
            current[section].append(line)
    if current:
        records.append(current)
    return records


class Runner:
    def __init__(self, server):
        self.server = server
        self.variables = {"root": server.origin}
        self.session = requests.Session()

    def send(self, request_lines):
        method, target, headers, body, auth, retry = None, None, {}, None, harness.TOKEN, 1
        for line in request_lines:
            line = substitute(line, self.variables)
            word, _, rest = line.partition(" ")
            if word == "request":
                method, _, target = rest.partition(" ")
            elif word == "header":
                name, _, value = rest.partition(":")
                headers[name.strip()] = value.strip()
            elif word == "auth":
                auth = None if rest == "none" else rest
            elif word == "body":
                body = rest
            elif word == "retry":
                retry = int(rest)
            else:
                raise Mismatch("unknown request directive %r" % line)
        if auth and not target.startswith("http"):
            headers.setdefault("Authorization", "Bearer " + auth)
        url = target if target.startswith("http") else (
            self.server.origin + self.server.prefix + target)
        return method, url, headers, body, retry

    def check(self, response, expect):
        ndjson = response.headers.get("Content-Type", "").startswith("application/x-ndjson")
        if ndjson:
            # One object per '\n'-terminated line, no blank lines.
            lines = response.text.split("\n")
            if lines.pop() != "":
                raise Mismatch("the body does not end with a newline: %r" % response.text[-200:])
            if "" in lines:
                raise Mismatch("blank line in an NDJSON body")
        else:
            lines = [response.text] if response.text else []
        captures = {}
        position, open_end = 0, False
        for directive in expect:
            directive = substitute(directive, self.variables)
            word, _, rest = directive.partition(" ")
            if word == "status":
                if response.status_code != int(rest):
                    raise Mismatch("status %d, expected %s: %s" % (
                        response.status_code, rest, response.text[:500]))
            elif word == "error":
                parts = rest.split(" ", 2)
                if response.status_code != int(parts[0]):
                    raise Mismatch("status %d, expected %s: %s" % (
                        response.status_code, parts[0], response.text[:500]))
                doc = json.loads(response.text)
                if doc.get("errorCode") != parts[1]:
                    raise Mismatch("errorCode %r, expected %s" % (doc.get("errorCode"), parts[1]))
                if len(parts) > 2 and parts[2] not in doc.get("message", ""):
                    raise Mismatch("message %r does not contain %r" % (doc.get("message"), parts[2]))
                if response.headers.get("Content-Type", "").split(";")[0] != "application/json":
                    raise Mismatch("error Content-Type %r" % response.headers.get("Content-Type"))
                position = len(lines)
            elif word == "header":
                name, _, value = rest.partition(":")
                value = value.strip()
                got = response.headers.get(name.strip())
                ok = got is not None and (re.search(value[1:], got) if value.startswith("~")
                                          else got == value)
                if not ok:
                    raise Mismatch("header %s is %r, expected %r" % (name, got, value))
            elif word == "noheader":
                if rest in response.headers:
                    raise Mismatch("unexpected header %s: %s" % (rest, response.headers[rest]))
            elif word == "empty":
                if response.text:
                    raise Mismatch("expected no body, got %r" % response.text[:200])
            elif word == "json":
                if len(lines) != 1:
                    raise Mismatch("expected one line of JSON, got %d lines" % len(lines))
                match(json.loads(rest), json.loads(lines[0]), captures, "body")
                position = 1
            elif word == "line":
                if position >= len(lines):
                    raise Mismatch("missing line %d (expected %s)" % (position + 1, rest))
                match(json.loads(rest), json.loads(lines[position]), captures,
                      "line %d" % (position + 1))
                position += 1
            elif word == "lines":
                count, _, pattern = rest.partition(" ")
                pattern = json.loads(pattern)
                if count == "*":
                    while position < len(lines):
                        try:
                            match(pattern, json.loads(lines[position]), {}, "")
                        except Mismatch:
                            break
                        match(pattern, json.loads(lines[position]), captures, "")
                        position += 1
                else:
                    for _ in range(int(count)):
                        if position >= len(lines):
                            raise Mismatch("missing line %d" % (position + 1))
                        match(pattern, json.loads(lines[position]), captures,
                              "line %d" % (position + 1))
                        position += 1
            elif word == "...":
                open_end = True
            else:
                raise Mismatch("unknown expectation %r" % directive)
        if not open_end and position < len(lines):
            raise Mismatch("unexpected line %d: %s" % (position + 1, lines[position][:300]))
        return captures

    def run(self, record):
        _, request_lines, expect = record
        method, url, headers, body, retry = self.send(request_lines)
        for attempt in range(retry):
            response = self.session.request(method, url, headers=headers, data=body,
                                            allow_redirects=False)
            try:
                captures = self.check(response, expect)
                self.variables.update(captures)
                return
            except Mismatch:
                if attempt + 1 == retry:
                    raise
                time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deltashare", required=True)
    parser.add_argument("--write-tables", required=True)
    parser.add_argument("--transcripts", default=os.path.join(os.path.dirname(__file__),
                                                              "transcripts"))
    parser.add_argument("--only", help="run only transcripts whose name contains this")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="ds-transcripts-")
    try:
        subprocess.run([args.write_tables, work], check=True)
        tables = [
            {"share": "share1", "schema": "default", "name": "events",
             "location": os.path.join(work, "events"), "historyShared": True},
            {"share": "share1", "schema": "default", "name": "plain",
             "location": os.path.join(work, "plain")},
            {"share": "share1", "schema": "default", "name": "private",
             "location": os.path.join(work, "events")},
            {"share": "share1", "schema": "default", "name": "late",
             "location": os.path.join(work, "events"), "historyShared": True, "startVersion": 3},
            {"share": "share1", "schema": "default", "name": "missing",
             "location": os.path.join(work, "does-not-exist")},
            {"share": "share2", "schema": "other", "name": "events",
             "location": os.path.join(work, "events"), "historyShared": True},
        ]
        golden = {}
        for name, table in (("dv-partitioned-with-checkpoint", "dv"),
                            ("table-with-columnmapping-mode-name", "colmap"),
                            ("basic-with-inserts-deletes-checkpoint", "basic")):
            location = harness.golden_delta_dir(name, work)
            if location:
                golden[table] = location
                tables.append({"share": "golden", "schema": "default", "name": table,
                               "location": location, "historyShared": True})
        config = os.path.join(work, "config.yaml")
        harness.write_config(config, tables)
        files = sorted(f for f in os.listdir(args.transcripts) if f.endswith(".test"))
        if args.only:
            files = [f for f in files if args.only in f]
        failures, ran, skipped = 0, 0, 0
        with harness.Server(args.deltashare, config) as server:
            for name in files:
                path = os.path.join(args.transcripts, name)
                with open(path) as f:
                    first = f.readline()
                needs = re.match(r"# requires: (.*)", first)
                if needs and not all(t in golden for t in needs.group(1).split()):
                    print("SKIP %s (needs ../shared/testdata)" % name)
                    skipped += 1
                    continue
                runner = Runner(server)
                for record in parse(path):
                    ran += 1
                    try:
                        runner.run(record)
                    except Exception as e:  # noqa: BLE001 (report every failure)
                        failures += 1
                        print("FAIL %s:%d: %s" % (name, record[0], e))
                print("ran %s" % name)
            if failures:
                print("server stderr (last 20 lines):\n" + "\n".join(server.stderr_lines[-20:]))
        print("%d requests, %d failures, %d transcripts skipped" % (ran, failures, skipped))
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
