#!/usr/bin/env python3
"""End-to-end test of `deltashare admin` against a throw-away SQLite store (and PostgreSQL
when $DS_TEST_POSTGRES_URL is set, as test/access/with_postgres.sh does).

  admin_cli_test.py --deltashare build/debug/deltashare
"""
import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile
import uuid

MASTER_KEY = "3c9e1a7f5b2d8c4e6a0f1b3d5e7c9a2b4d6f8e0a1c3b5d7f9e2a4c6b8d0f1e3a"


class Cli:
    def __init__(self, binary, store, env=None):
        self.binary = binary
        self.env = dict(os.environ, DELTASHARE_STORE=store, DELTASHARE_MASTER_KEY=MASTER_KEY)
        self.env.update(env or {})

    def run(self, *args, code=0, env=None):
        full_env = dict(self.env, **(env or {}))
        p = subprocess.run([self.binary, "admin", *args], capture_output=True, text=True,
                           env=full_env, timeout=120)
        if p.returncode != code:
            raise AssertionError(f"{args}: exit {p.returncode} (want {code})\n"
                                 f"stdout: {p.stdout}\nstderr: {p.stderr}")
        return p

    def out(self, *args):
        return self.run(*args).stdout

    def jsonl(self, *args):
        return [json.loads(line) for line in self.out(*args, "--json").splitlines()]


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def test_catalog(cli):
    share_id = cli.out("shares", "create", "sales", "--comment", "Sales data",
                       "--property", "owner=ann").strip()
    check(uuid.UUID(share_id), "share id is a UUID")
    table_id = cli.out("shares", "add-table", "sales", "eu", "orders", "--location",
                       "s3://bucket/orders", "--history-shared", "--start-version", "2").strip()
    check(uuid.UUID(table_id), "table id is a UUID")
    cli.out("shares", "add-schema", "sales", "us")
    shown = cli.jsonl("shares", "show", "SALES")[0]
    check(shown["name"] == "sales" and shown["comment"] == "Sales data", shown)
    check(shown["properties"] == {"owner": "ann"}, shown)
    schemas = {s["name"]: s["tables"] for s in shown["schemas"]}
    check(schemas["eu"][0]["location"] == "s3://bucket/orders", schemas)
    check(schemas["eu"][0]["historyShared"] is True and schemas["eu"][0]["startVersion"] == 2,
          schemas)
    check(schemas["us"] == [], schemas)
    text = cli.out("shares", "show", "sales")
    check(text.splitlines()[0].split() == ["SCHEMA", "TABLE", "LOCATION", "HISTORY", "START", "ID"],
          text)
    listed = cli.jsonl("shares", "list")
    check([s["name"] for s in listed] == ["sales"], listed)
    err = cli.run("shares", "create", "Sales", code=1).stderr
    check("already exists" in err, err)
    err = cli.run("shares", "add-table", "sales", "eu", "bad.name", "--location", "x",
                  code=1).stderr
    check("contains '.'" in err, err)
    cli.out("shares", "remove-table", "sales", "eu", "orders")
    cli.out("shares", "remove-schema", "sales", "us")
    cli.out("shares", "add-table", "sales", "eu", "orders", "--location", "s3://bucket/orders")


def test_recipients_and_grants(cli):
    cli.out("recipients", "create", "acme", "--token-lifetime", "12h", "--ip-allow",
            "10.0.0.0/8", "--ip-allow", "2001:DB8::/32", "--rate-limit", "600")
    r = cli.jsonl("recipients", "list")[0]
    check(r["tokenLifetimeSeconds"] == 43200 and r["rateLimitPerMinute"] == 600, r)
    check(r["ipAllowList"] == ["10.0.0.0/8", "2001:db8::/32"], r)
    cli.out("recipients", "update", "acme", "--comment", "Acme Corp", "--clear-ip-allow")
    r = json.loads(cli.out("recipients", "show", "acme"))
    check(r["comment"] == "Acme Corp" and r["ipAllowList"] == [], r)
    check(r["tokenLifetimeSeconds"] == 43200, "update keeps what is not given")
    err = cli.run("recipients", "create", "bad", "--ip-allow", "10.0.0.1/8", code=1).stderr
    check("bits set after the prefix" in err, err)
    cli.out("recipients", "create", "globex")
    cli.out("grants", "add", "acme", "sales", "--partition-filter", "region = 'EU'")
    err = cli.run("grants", "add", "acme", "sales", "--partition-filter", "region =",
                  code=1).stderr
    check("partition filter" in err, err)
    grants = cli.jsonl("grants", "list", "--recipient", "acme")
    check(grants == [{"recipient": "acme", "share": "sales", "partitionFilter": "region = 'EU'",
                      "createdAt": grants[0]["createdAt"]}], grants)
    check(cli.jsonl("grants", "list", "--recipient", "globex") == [], "globex has no grants")
    err = cli.run("grants", "remove", "globex", "sales", code=1).stderr
    check("has no grant" in err, err)


def token_states(cli, *args):
    return {t["id"]: t["state"] for t in cli.jsonl("tokens", "list", "--all", *args)}


def test_tokens(cli):
    p = cli.run("tokens", "issue", "acme", "--label", "laptop")
    token = p.stdout.strip()
    check(token.startswith("dstk_") and len(token) == 65 and "\n" not in token, token)
    check("shown once" in p.stderr, p.stderr)
    token_id = token[5:21]
    check(token_states(cli, "acme") == {token_id: "active"}, token_states(cli, "acme"))
    listing = cli.out("tokens", "list", "acme")
    check(token not in listing and token[22:] not in listing, "listings never show tokens")
    rotated = json.loads(cli.out("tokens", "rotate", token_id, "--grace", "1h", "--json"))
    states = token_states(cli, "acme")
    check(states[token_id] == "in-grace" and states[rotated["id"]] == "active", states)
    cli.out("tokens", "rotate", rotated["id"], "--grace", "0")
    check(token_states(cli, "acme")[rotated["id"]] == "revoked", "grace 0 revokes now")
    other = cli.out("tokens", "issue", "globex").strip()
    cli.run("tokens", "revoke", "--recipient", "acme")
    states = token_states(cli, "acme")
    check(all(s == "revoked" for s in states.values()), states)
    check(token_states(cli, "globex") == {other[5:21]: "active"}, "globex untouched")
    check(cli.jsonl("tokens", "list", "acme") == [], "ended tokens hidden without --all")
    admin = cli.out("tokens", "issue", "--admin").strip()
    check(list(token_states(cli, "--admin").values()) == ["active"], admin)
    cli.run("tokens", "issue", code=1)
    cli.run("tokens", "rotate", "no-such-token", code=1)


def test_profiles(cli, tmp):
    path = os.path.join(tmp, "acme.share")
    cli.out("profile", "export", "acme", "--endpoint", "https://share.example.com/delta-sharing/",
            "-o", path)
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "profile is private")
    with open(path) as f:
        profile = json.load(f)
    check(profile["shareCredentialsVersion"] == 1, profile)
    check(profile["endpoint"] == "https://share.example.com/delta-sharing", profile)
    check(profile["bearerToken"].startswith("dstk_"), profile)
    check(profile["expirationTime"].endswith("Z"), profile)
    before = token_states(cli, "acme")
    err = cli.run("profile", "export", "acme", "--endpoint", "https://x", "-o", path,
                  code=1).stderr
    check("--force" in err, err)
    check(token_states(cli, "acme") == before, "a refused export mints no token")
    cli.out("profile", "export", "acme", "--endpoint", "https://x", "-o", path, "--force")
    oauth = json.loads(cli.out("profile", "export", "acme", "--endpoint", "https://s.example/ds",
                               "--oauth", "-o", "-"))
    check(oauth["shareCredentialsVersion"] == 2 and oauth["type"] == "oauth_client_credentials",
          oauth)
    check(oauth["tokenEndpoint"] == "https://s.example/ds/oauth/token", oauth)
    check(oauth["clientId"].startswith("dsoc_") and oauth["clientSecret"].startswith("dsos_"),
          oauth)
    clients = cli.jsonl("oauth", "list", "acme")
    check([c["clientId"] for c in clients] == [oauth["clientId"]], clients)
    check(oauth["clientSecret"] not in cli.out("oauth", "list"), "secrets never listed")
    cli.out("oauth", "delete", oauth["clientId"])
    check(cli.jsonl("oauth", "list") == [], "deleted")
    err = cli.run("profile", "export", "acme", "--endpoint", "ftp://x", "-o", "-", code=1).stderr
    check("http" in err, err)
    url = cli.out("activation", "create", "acme", "--endpoint",
                  "https://share.example.com/delta-sharing").strip()
    check(url.startswith("https://share.example.com/delta-sharing/activation/"), url)


def test_keys_and_audit(cli, tmp):
    check([v["version"] for v in cli.jsonl("keys", "list")] == [1], "one key version")
    check(cli.out("keys", "rotate").strip() == "2", "rotate adds version 2")
    cli.out("keys", "retire", "1")
    err = cli.run("keys", "retire", "2", code=1).stderr
    check("last active" in err, err)
    key_file = os.path.join(tmp, "new.key")
    cli.out("keys", "generate", "-o", key_file)
    check(stat.S_IMODE(os.stat(key_file).st_mode) == 0o600, "key file is private")
    with open(key_file) as f:
        check(len(f.read().strip()) == 64, "64 hex digits")
    check(cli.jsonl("audit", "list") == [], "no audit records yet")
    header = cli.out("audit", "list").split()
    check(header[:4] == ["SEQ", "TIME", "RECIPIENT", "OPERATION"], header)
    cli.run("audit", "list", "--since", "yesterday", code=1)
    cli.out("audit", "list", "--since", "2h", "--recipient", "acme", "--limit", "5")


def test_errors(cli):
    p = cli.run("shares", "list", code=1, env={"DELTASHARE_STORE": ""})
    check("--store" in p.stderr, p.stderr)
    p = cli.run("tokens", "issue", "acme", code=1, env={"DELTASHARE_MASTER_KEY": ""})
    check("master key" in p.stderr, p.stderr)
    p = cli.run("tokens", "issue", "acme", code=1, env={"DELTASHARE_MASTER_KEY": "abcd" * 4})
    check("at least 32" in p.stderr and "abcd" not in p.stderr, p.stderr)
    p = cli.run("recipients", "show", "nobody", code=1)
    check(p.stderr.startswith("error: recipient 'nobody' does not exist"), p.stderr)
    cli.run("shares", code=2)
    cli.run("shares", "create", code=2)
    for args in [[], ["shares"], ["shares", "add-table"], ["tokens", "rotate"], ["audit", "list"],
                 ["profile", "export"], ["keys", "generate"], ["oauth", "create"]]:
        p = cli.run(*args, "--help")
        check("Usage" in p.stdout or "Options" in p.stdout, p.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deltashare", required=True)
    args = parser.parse_args()
    stores = []
    with tempfile.TemporaryDirectory() as tmp:
        stores.append(("sqlite", "sqlite:" + os.path.join(tmp, "access.db")))
        pg = os.environ.get("DS_TEST_POSTGRES_URL")
        if pg:
            stores.append(("postgres", pg))
        for name, url in stores:
            cli = Cli(args.deltashare, url)  # with_postgres.sh gives a fresh cluster
            cli.out("init")
            for test in (test_catalog, test_recipients_and_grants, test_tokens):
                test(cli)
            work = os.path.join(tmp, name)
            os.mkdir(work)
            test_profiles(cli, work)
            test_keys_and_audit(cli, work)
            test_errors(cli)
            print(f"admin CLI: all checks passed on {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
