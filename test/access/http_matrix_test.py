#!/usr/bin/env python3
"""The access layer's proof over HTTP, against a real `deltashare serve` on an ephemeral port
with a SQLite access store built by `deltashare admin`:

  * every token state: missing, malformed, unknown, wrong secret, expired, revoked, rotated
    (in and after its grace period), an admin token on the sharing API;
  * two tenants: a tenant's token on the other's share, schema and table is a 404 with the
    very body of a share that does not exist; the other tenant's local-file URLs (403), page
    tokens and refresh tokens (400); the grant's partition filter (only matching files, and
    their rows read back);
  * IP allow-lists (403) and per-token rate limits (429 + Retry-After);
  * the OAuth client-credentials flow exactly as the Python connector performs it (token
    endpoint, bearer, expiry and renewal); the one-time activation link; the admin REST API
    with and without its credential;
  * audit records for all of it (queried with `deltashare admin audit list`), and no token or
    secret in the server's stderr (access and error logs) or in the audit log.

  http_matrix_test.py --deltashare build/debug/deltashare
Exits 77 (skipped) when the binary or python3-requests is missing.
"""
import argparse
import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_harness import (SKIP, Cli, Server, check, ndjson, write_config,  # noqa: E402
                          write_delta_table, write_master_key)

try:
    import requests
except ImportError:
    requests = None

UA = "deltashare-http-matrix-test/1"


class Client:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.checks = 0

    def call(self, method, path, token=None, headers=None, **kw):
        h = {"User-Agent": UA}
        if token is not None:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        url = path if path.startswith("http") else self.endpoint + path
        return requests.request(method, url, headers=h, timeout=30, **kw)

    def expect(self, status, method, path, token=None, what="", **kw):
        r = self.call(method, path, token, **kw)
        self.checks += 1
        check(r.status_code == status,
              f"{what or path}: {method} answered {r.status_code} (want {status}): {r.text}")
        return r

    def shares(self, token):
        r = self.expect(200, "GET", "/shares", token)
        return [s["name"] for s in r.json()["items"]]


def error_code(r):
    try:
        return r.json().get("errorCode")
    except ValueError:
        return None


# --- setup ---------------------------------------------------------------------------------

def build_world(binary, tmp):
    """Tables, shares, recipients, grants and tokens; returns what the checks need."""
    w = {"tmp": tmp}
    tables = os.path.join(tmp, "tables")
    os.makedirs(tables)
    w["events_dir"] = os.path.join(tables, "events")
    w["events"] = write_delta_table(
        binary, w["events_dir"], [("id", "long"), ("amount", "long")],
        {"EU": [[{"id": 1, "amount": 10}, {"id": 2, "amount": 20}], [{"id": 3, "amount": 30}]],
         "US": [[{"id": 10, "amount": 100}, {"id": 11, "amount": 110}]]},
        partition_column="region")
    w["orders_dir"] = os.path.join(tables, "orders")
    write_delta_table(binary, w["orders_dir"], [("order_id", "long")],
                      {None: [[{"order_id": 100}, {"order_id": 101}]]})

    w["store"] = "sqlite:" + os.path.join(tmp, "access.db")
    cli = Cli(binary, w["store"])
    w["cli"] = cli
    cli.out("init")
    # Tokens that must expire or leave their grace first, so that the waiting overlaps setup.
    cli.out("recipients", "create", "acme", "--token-lifetime", "1h")
    w["expired"] = cli.issue("acme", "--lifetime", "1s")
    w["after_grace_old"] = cli.issue("acme")
    w["after_grace_new"] = cli.json("tokens", "rotate", w["after_grace_old"]["id"], "--grace", "1s")
    w["short_deadline"] = time.time() + 1.2

    for share, table, location in [("alpha", "events", w["events_dir"]),
                                   ("beta", "orders", w["orders_dir"]),
                                   ("common", "events", w["events_dir"])]:
        cli.out("shares", "create", share)
        cli.out("shares", "add-table", share, "s", table, "--location", location)
    cli.out("recipients", "create", "globex")
    cli.out("recipients", "create", "limited", "--rate-limit", "3")
    cli.out("recipients", "create", "fenced", "--ip-allow", "10.0.0.0/8")
    cli.out("recipients", "create", "local", "--ip-allow", "127.0.0.0/8", "--ip-allow", "::1")
    cli.out("grants", "add", "acme", "alpha", "--partition-filter", "region = 'EU'")
    for r in ["acme", "globex", "limited", "fenced", "local"]:
        cli.out("grants", "add", r, "common")
    cli.out("grants", "add", "globex", "beta")
    w["ids"] = {r: json.loads(cli.out("recipients", "show", r))["id"] for r in ["acme", "globex"]}

    w["A"] = cli.issue("acme")
    w["B"] = cli.issue("globex")
    w["revoked"] = cli.issue("acme")
    cli.out("tokens", "revoke", w["revoked"]["id"])
    w["grace_old"] = cli.issue("acme")
    w["grace_new"] = cli.json("tokens", "rotate", w["grace_old"]["id"], "--grace", "1h")
    w["limited"] = cli.issue("limited")
    w["fenced"] = cli.issue("fenced")
    w["local"] = cli.issue("local")
    w["admin"] = cli.issue("")
    w["secrets"] = [w[k]["token"] for k in
                    ["expired", "after_grace_old", "after_grace_new", "A", "B", "revoked",
                     "grace_old", "grace_new", "limited", "fenced", "local", "admin"]]
    key_file = os.path.join(tmp, "master.key")
    write_master_key(key_file)
    w["config"] = os.path.join(tmp, "server.yaml")
    write_config(w["config"], w["store"], key_file)
    return w


# --- the checks ----------------------------------------------------------------------------

def check_token_states(c, w):
    remaining = w["short_deadline"] - time.time()
    if remaining > 0:
        time.sleep(remaining)
    random_token = "dstk_" + secrets.token_urlsafe(12) + "." + secrets.token_urlsafe(32)
    known_id_wrong_secret = w["A"]["token"][:22] + secrets.token_urlsafe(32)
    cases = [
        ("missing header", {}, 401),
        ("another scheme", {"Authorization": "Basic Zm9vOmJhcg=="}, 401),
        ("malformed bearer", {"Authorization": "Bearer a b"}, 401),
        ("not a token", {"Authorization": "Bearer hello"}, 401),
        ("unknown token", {"Authorization": "Bearer " + random_token}, 401),
        ("known id, wrong secret", {"Authorization": "Bearer " + known_id_wrong_secret}, 401),
        ("expired", {"Authorization": "Bearer " + w["expired"]["token"]}, 401),
        ("revoked", {"Authorization": "Bearer " + w["revoked"]["token"]}, 401),
        ("rotated, in grace", {"Authorization": "Bearer " + w["grace_old"]["token"]}, 200),
        ("successor of a rotation", {"Authorization": "Bearer " + w["grace_new"]["token"]}, 200),
        ("rotated, after grace", {"Authorization": "Bearer " + w["after_grace_old"]["token"]},
         401),
        ("successor after grace", {"Authorization": "Bearer " + w["after_grace_new"]["token"]},
         200),
        ("admin token on the sharing API", {"Authorization": "Bearer " + w["admin"]["token"]},
         403),
    ]
    for what, headers, status in cases:
        for path in ["/shares", "/shares/alpha/schemas/s/tables/events/version"]:
            r = c.expect(status, "GET", path, headers=headers, what=what)
            if status >= 400:
                check(error_code(r) in ("UNAUTHENTICATED", "PERMISSION_DENIED"), f"{what}: {r.text}")
                for name in ["alpha", "beta", "common", "events", "orders", "acme"]:
                    check(name not in r.json()["message"], f"{what} names {name}: {r.text}")
    r = c.call("GET", "/shares", headers={"Authorization": "Bearer " + w["expired"]["token"]})
    check("expired" in r.json()["message"], r.text)


def check_tenancy(c, w):
    A, B = w["A"]["token"], w["B"]["token"]
    check(c.shares(A) == ["alpha", "common"], c.shares(A))
    check(c.shares(B) == ["beta", "common"], c.shares(B))
    # Another tenant's share, schema and table answer exactly like ones that do not exist.
    requests_on = [
        ("GET", "/shares/{s}", {}), ("GET", "/shares/{s}/schemas", {}),
        ("GET", "/shares/{s}/all-tables", {}), ("GET", "/shares/{s}/schemas/s/tables", {}),
        ("GET", "/shares/{s}/schemas/s/tables/orders/version", {}),
        ("GET", "/shares/{s}/schemas/s/tables/orders/metadata", {}),
        ("POST", "/shares/{s}/schemas/s/tables/orders/query", {"json": {}}),
        ("GET", "/shares/{s}/schemas/s/tables/orders/changes?startingVersion=0", {}),
        ("HEAD", "/shares/{s}/schemas/s/tables/orders", {}),
    ]
    for method, pattern, kw in requests_on:
        foreign = c.expect(404, method, pattern.format(s="beta"), A, **kw)
        missing = c.expect(404, method, pattern.format(s="nosuch"), A, **kw)
        check(foreign.text.replace("beta", "nosuch") == missing.text,
              f"{method} {pattern}: {foreign.text!r} vs {missing.text!r}")
    # Inside a share both see: a schema or table that is not there.
    a = c.expect(404, "GET", "/shares/common/schemas/nosuch/tables", A)
    b = c.expect(404, "GET", "/shares/common/schemas/nosuch/tables", B)
    check(a.text == b.text, (a.text, b.text))


def query_files(c, token, share, body=None):
    r = c.expect(200, "POST", f"/shares/{share}/schemas/s/tables/events/query", token,
                 json=body or {})
    lines = ndjson(r)
    check("protocol" in lines[0] and "metaData" in lines[1], lines[:2])
    return [l["file"] for l in lines if "file" in l], lines


def parquet_rows(binary, path):
    out = subprocess.run([binary, "parquet", "cat", path], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return [json.loads(line) for line in out.splitlines()]


def check_partition_filter_and_urls(c, w, binary):
    A, B = w["A"]["token"], w["B"]["token"]
    files, _ = query_files(c, A, "alpha")
    eu = sorted(p for p in w["events"] if p.startswith("region=EU/"))
    check(sorted(f["partitionValues"]["region"] for f in files) == ["EU", "EU"], files)
    check(len(files) == len(eu), files)
    rows = []
    for i, f in enumerate(files):
        r = c.expect(200, "GET", f["url"], what="data file")
        local = os.path.join(w["tmp"], f"dl-{i}.parquet")
        with open(local, "wb") as out:
            out.write(r.content)
        rows += parquet_rows(binary, local)
    want = [row for p in eu for row in w["events"][p]]
    check(sorted(r["id"] for r in rows) == sorted(r["id"] for r in want), rows)
    check(sorted(r["amount"] for r in rows) == [10, 20, 30], rows)
    # The same table without a filter (share common) has the US file too.
    all_files, _ = query_files(c, A, "common")
    check(sorted(f["partitionValues"]["region"] for f in all_files) == ["EU", "EU", "US"],
          all_files)

    # Local-file URLs: <endpoint>/files/<tenant>/<grant>/<mac>/<key>.
    url = files[0]["url"]
    prefix = c.endpoint + "/files/"
    check(url.startswith(prefix), url)
    tenant, grant, mac, key = url[len(prefix):].split("/", 3)
    check(tenant == w["ids"]["acme"], (tenant, w["ids"]))
    b_files, _ = query_files(c, B, "common")
    b_tenant, b_grant, b_mac, b_key = b_files[0]["url"][len(prefix):].split("/", 3)
    forged = {
        "the other tenant's id": f"{w['ids']['globex']}/{grant}/{mac}/{key}",
        "the other tenant's grant": f"{tenant}/{b_grant}/{mac}/{key}",
        "the other tenant's URL under this tenant's id": f"{tenant}/{b_grant}/{b_mac}/{b_key}",
        "another file": f"{tenant}/{grant}/{mac}/{files[1]['url'].rsplit('/', 1)[1]}",
    }
    for what, rest in forged.items():
        r = c.expect(403, "GET", prefix + rest, what=what)
        check(error_code(r) == "PERMISSION_DENIED", r.text)
    c.expect(200, "GET", b_files[0]["url"], what="globex's own URL")


def check_page_and_refresh_tokens(c, w):
    A, B = w["A"]["token"], w["B"]["token"]
    page = c.expect(200, "GET", "/shares?maxResults=1", A).json()
    check([s["name"] for s in page["items"]] == ["alpha"] and page.get("nextPageToken"), page)
    r = c.expect(400, "GET", "/shares?maxResults=1&pageToken=" + page["nextPageToken"], B,
                 what="another tenant's page token")
    check(error_code(r) == "INVALID_PARAMETER_VALUE", r.text)
    nxt = c.expect(200, "GET", "/shares?maxResults=1&pageToken=" + page["nextPageToken"], A)
    check([s["name"] for s in nxt.json()["items"]] == ["common"], nxt.text)

    files, lines = query_files(c, A, "common", {"includeRefreshToken": True})
    end = [l["endStreamAction"] for l in lines if "endStreamAction" in l]
    check(end and end[0].get("refreshToken"), lines[-1])
    refresh = end[0]["refreshToken"]
    r = c.expect(400, "POST", "/shares/common/schemas/s/tables/events/query", B,
                 json={"refreshToken": refresh}, what="another tenant's refresh token")
    check(error_code(r) == "INVALID_PARAMETER_VALUE", r.text)
    again, _ = query_files(c, A, "common", {"refreshToken": refresh})
    check(sorted(f["id"] for f in again) == sorted(f["id"] for f in files), again)


def check_allow_list_and_rate_limit(c, w):
    r = c.expect(403, "GET", "/shares", w["fenced"]["token"], what="outside the allow-list")
    check(error_code(r) == "PERMISSION_DENIED", r.text)
    c.expect(403, "GET", "/shares", w["fenced"]["token"], headers={"X-Forwarded-For": "10.1.2.3"},
             what="X-Forwarded-For from an untrusted peer")
    c.expect(200, "GET", "/shares", w["local"]["token"], what="inside the allow-list")
    for _ in range(3):
        c.expect(200, "GET", "/shares", w["limited"]["token"], what="within the rate limit")
    r = c.expect(429, "GET", "/shares", w["limited"]["token"], what="over the rate limit")
    retry = r.headers.get("Retry-After", "")
    check(retry.isdigit() and int(retry) >= 1, r.headers)
    check(error_code(r) == "RESOURCE_EXHAUSTED", r.text)
    c.expect(200, "GET", "/shares", w["A"]["token"], what="other tokens are not limited")


def connector_exchange(profile):
    """The token request of the Python connector's OAuthClient.client_credentials."""
    credentials = base64.b64encode(
        f"{profile['clientId']}:{profile['clientSecret']}".encode("utf-8")).decode("utf-8")
    headers = {"accept": "application/json", "authorization": f"Basic {credentials}",
               "content-type": "application/x-www-form-urlencoded"}
    scope = profile.get("scope")
    body = "grant_type=client_credentials" + (f"&scope={scope}" if scope else "")
    return requests.post(profile["tokenEndpoint"], headers=headers, data=body, timeout=30)


def check_oauth(c, w):
    path = os.path.join(w["tmp"], "oauth.share")
    w["cli"].out("profile", "export", "acme", "--oauth", "--endpoint", c.endpoint, "--lifetime",
                 "2s", "-o", path)
    with open(path) as f:
        profile = json.load(f)
    w["secrets"].append(profile["clientSecret"])
    check(profile["shareCredentialsVersion"] == 2 and profile["type"] == "oauth_client_credentials",
          profile)
    check(profile["tokenEndpoint"] == c.endpoint + "/oauth/token", profile)
    issued_at = time.time()
    r = connector_exchange(profile)
    r.raise_for_status()
    c.checks += 1
    token = json.loads(r.text)
    check(isinstance(token.get("access_token"), str) and isinstance(token.get("expires_in"), int),
          token)
    check(token["expires_in"] == 2 and token.get("token_type") == "Bearer", token)
    check(r.headers.get("Cache-Control") == "no-store", r.headers)
    w["secrets"].append(token["access_token"])
    check(c.shares(token["access_token"]) == ["alpha", "common"], "OAuth bearer lists shares")
    # The connector renews when fewer than 600 s remain: with a 2 s token, on every request.
    renewed = connector_exchange(profile)
    renewed.raise_for_status()
    fresh = renewed.json()["access_token"]
    w["secrets"].append(fresh)
    check(fresh != token["access_token"], "a renewal is a new token")
    bad = dict(profile, clientSecret="dsos_" + secrets.token_urlsafe(32))
    r = connector_exchange(bad)
    check(r.status_code == 401 and r.json()["error"] == "invalid_client", r.text)
    check(r.headers.get("WWW-Authenticate", "").startswith("Basic"), r.headers)
    r = requests.post(profile["tokenEndpoint"], data={"grant_type": "password"},
                      auth=(profile["clientId"], profile["clientSecret"]), timeout=30)
    check(r.status_code == 400 and r.json()["error"] == "unsupported_grant_type", r.text)
    c.expect(405, "GET", "/oauth/token", what="GET on the token endpoint")
    return issued_at, token["access_token"], fresh, profile


def check_oauth_expiry(c, issued_at, first, profile):
    remaining = issued_at + 2.3 - time.time()
    if remaining > 0:
        time.sleep(remaining)
    r = c.expect(401, "GET", "/shares", first, what="expired OAuth access token")
    check("expired" in r.json()["message"], r.text)
    renewed = connector_exchange(profile)
    renewed.raise_for_status()
    c.checks += 1
    check(c.shares(renewed.json()["access_token"]) == ["alpha", "common"], "renewed token works")
    return renewed.json()["access_token"]


def check_activation(c, w):
    url = w["cli"].out("activation", "create", "globex", "--endpoint", c.endpoint,
                       "--expires-in", "1h").strip()
    w["secrets"].append(url.rsplit("/", 1)[1])
    check(url.startswith(c.endpoint + "/activation/"), url)
    c.expect(405, "HEAD", url, what="HEAD never uses the link up")
    r = c.expect(200, "GET", url, what="activation")
    check(r.headers.get("Cache-Control") == "no-store", r.headers)
    profile = r.json()
    check(profile["shareCredentialsVersion"] == 1 and profile["endpoint"] == c.endpoint, profile)
    check(profile["bearerToken"].startswith("dstk_") and profile["expirationTime"].endswith("Z"),
          profile)
    w["secrets"].append(profile["bearerToken"])
    check(c.shares(profile["bearerToken"]) == ["beta", "common"], "the profile works")
    r = c.expect(410, "GET", url, what="second download")
    check("only once" in r.json()["message"], r.text)
    c.expect(404, "GET", c.endpoint + "/activation/" + secrets.token_urlsafe(40),
             what="unknown code")


def check_admin_api(c, w):
    admin, A = w["admin"]["token"], w["A"]["token"]
    r = c.expect(401, "GET", "/admin/recipients", what="admin API without a credential")
    check(r.headers.get("WWW-Authenticate", "").startswith("Bearer"), r.headers)
    c.expect(401, "GET", "/admin/recipients", "dstk_" + "x" * 60, what="admin API, bad token")
    r = c.expect(403, "GET", "/admin/recipients", A, what="admin API with a recipient token")
    check("acme" not in r.text and "globex" not in r.text, r.text)
    r = c.expect(200, "GET", "/admin/recipients", admin)
    names = [x["name"] for x in r.json()["items"]]
    check("acme" in names and "globex" in names, names)
    c.expect(201, "POST", "/admin/recipients", admin, json={"name": "restmade"})
    c.expect(200, "PUT", "/admin/recipients/restmade/grants/common", admin, json={})
    issued = c.expect(201, "POST", "/admin/recipients/restmade/tokens", admin, json={}).json()
    w["secrets"].append(issued["token"])
    check(c.shares(issued["token"]) == ["common"], "a token made over REST works")
    c.expect(204, "DELETE", "/admin/tokens/" + issued["id"], admin)
    deadline = time.monotonic() + 1.5
    while c.call("GET", "/shares", issued["token"]).status_code != 401:
        check(time.monotonic() < deadline, "revocation over REST not seen within 1.5 s")
        time.sleep(0.02)
    c.checks += 1
    c.expect(404, "GET", "/admin/nothing", admin)
    c.expect(405, "PATCH", "/admin/recipients", admin)
    r = c.expect(200, "GET", "/admin/audit?limit=5", admin)
    check(len(r.json()["items"]) == 5, r.text)


def check_audit_and_logs(c, w, server):
    time.sleep(0.6)  # the audit log writes every 200 ms
    records = w["cli"].jsonl("audit", "list", "--limit", "10000")
    text = json.dumps(records)
    for s in w["secrets"]:
        check(s not in text, "a secret in the audit log")
    ops = {r["operation"] for r in records}
    for op in ["list_shares", "query", "get_profile", "oauth_token", "admin.createRecipient",
               "admin.revokeToken", "admin.authenticate"]:
        check(op in ops, f"no audit record of {op}: {sorted(ops)}")
    statuses = {r["status"] for r in records}
    for s in [200, 201, 204, 400, 401, 403, 404, 410, 429]:
        check(s in statuses, f"no audit record with status {s}: {sorted(statuses)}")
    mine = [r for r in records if r.get("tokenId") == w["A"]["id"]]
    check(mine and all(r["recipient"] == "acme" for r in mine), mine[:3])
    filtered = [r for r in mine if r["operation"] == "query" and r.get("share") == "alpha"]
    check(filtered and filtered[0]["files"] == 2 and filtered[0]["table"] == "events",
          filtered[:1])
    for r in records:
        check(r.get("clientAddress") == "127.0.0.1" and r["durationUs"] >= 0, r)
        check(r.get("userAgent", "").startswith((UA, "python-requests")), r)
    by_cli = w["cli"].jsonl("audit", "list", "--recipient", "globex", "--status", "404")
    check(all(r["recipient"] == "globex" and r["status"] == 404 for r in by_cli), by_cli)

    log = server.stderr()
    for s in w["secrets"] + [w["cli"].env["DELTASHARE_MASTER_KEY"]]:
        check(s not in log, "a secret in the server's stderr")
    check("/delta-sharing/activation/{code}" in log, "the activation route logs its pattern")
    check('"status":401' in log and '"status":429' in log, "the access log has the requests")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deltashare", required=True)
    args = parser.parse_args()
    if not os.access(args.deltashare, os.X_OK):
        print(f"http_matrix_test: no {args.deltashare}; skipping", file=sys.stderr)
        return SKIP
    if requests is None:
        print("http_matrix_test: python3-requests is not installed; skipping", file=sys.stderr)
        return SKIP
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ds-http-matrix-") as tmp:
        w = build_world(args.deltashare, tmp)
        server = Server(args.deltashare, w["config"], os.path.join(tmp, "server.stderr"))
        try:
            c = Client(server.endpoint)
            issued_at, first, _, profile = check_oauth(c, w)
            check_token_states(c, w)
            check_tenancy(c, w)
            check_partition_filter_and_urls(c, w, args.deltashare)
            check_page_and_refresh_tokens(c, w)
            check_allow_list_and_rate_limit(c, w)
            check_activation(c, w)
            check_admin_api(c, w)
            w["secrets"].append(check_oauth_expiry(c, issued_at, first, profile))
            check_audit_and_logs(c, w, server)
        except BaseException:
            print("--- server stderr ---\n" + server.stderr()[-20000:], file=sys.stderr)
            raise
        finally:
            code = server.stop()
        check(code == 0, f"server exit code {code}")
    print(f"http_matrix_test: {c.checks} HTTP checks passed in "
          f"{time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
