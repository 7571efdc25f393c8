// The access endpoints through the router, without sockets: the OAuth token endpoint, the
// one-time activation download, the admin API's authentication, audit records and failing
// closed when the audit log is full. (test/access/http_matrix_test.py runs the same over a
// real server.)
#include "access/http/access_routes.h"

#include "access/memory_store.h"
#include "access/token_format.h"
#include "sharing/protocol/profile.h"
#include "test/testing/testing.h"
#include "util/base64.h"
#include "util/json.h"

namespace ds::access {
namespace {

constexpr const char* kMasterKey =
    "5e1c9a3f7b2d4e6a8c0f1b3d5e7a9c2b4d6f8e0a1c3b5d7f9e2a4c6b8d0f1e3a";

class AccessRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(AccessRoutesOptions{}); }

  void Start(AccessRoutesOptions routes, size_t max_queued = 100000) {
    if (!store_) store_ = std::make_shared<MemoryAccessStore>();
    auto keys = std::make_shared<KeyRing>(MasterKey::FromText(kMasterKey, "test").ValueOrDie());
    AccessServiceOptions options;
    options.audit_options.flush_interval_ms = 10;
    options.audit_options.max_queued = max_queued;
    service_ = AccessService::Make(store_, keys, {}, options).ValueOrDie();
    router_ = http::Router();
    ASSERT_OK(AddAccessRoutes(&router_, service_, std::move(routes)));
  }

  Recipient MakeRecipient(const std::string& name, std::vector<std::string> allow = {}) {
    Recipient r;
    r.name = name;
    r.ip_allow = std::move(allow);
    return store_->CreateRecipient(r).ValueOrDie();
  }

  struct Answer {
    int status = 0;
    http::Headers headers;
    std::string body;
    JsonValue json() const {
      auto v = ParseJson(body);
      return v.ok() ? std::move(v).value() : JsonValue();
    }
    std::string field(std::string_view key) const {
      JsonValue v = json();
      const JsonValue* f = v.is_object() ? v.Find(key) : nullptr;
      return f != nullptr && f->is_string() ? f->string_value() : "";
    }
  };

  Answer Call(http::Method method, const std::string& target, http::Headers headers = {},
              std::string body = "", std::string client = "127.0.0.1") {
    Answer out;
    auto request = http::Request::Make(method, target, std::move(headers), std::move(body));
    EXPECT_TRUE(request.ok()) << request.status();
    if (!request.ok()) return out;
    request->set_addresses(client, client);
    request->set_request_id("req-1");
    http::Router::Match m = router_.Find(method, request->path());
    if (m.kind == http::Router::Match::Kind::kMethodNotAllowed) {
      out.status = 405;
      return out;
    }
    if (m.kind != http::Router::Match::Kind::kFound) {
      out.status = 404;
      return out;
    }
    request->set_route(m.route->pattern, std::move(m.params));
    http::Response r = m.route->handler(*request);
    out.status = r.status;
    out.headers = std::move(r.headers);
    out.body = std::move(r.body);
    return out;
  }

  Answer PostToken(const std::string& authorization, const std::string& form,
                   const std::string& client = "127.0.0.1") {
    http::Headers h;
    if (!authorization.empty()) h.Add("Authorization", authorization);
    h.Add("Content-Type", "application/x-www-form-urlencoded");
    return Call(http::Method::kPost, "/delta-sharing/oauth/token", std::move(h), form, client);
  }

  static std::string Basic(const std::string& id, const std::string& secret) {
    return "Basic " + Base64Encode(id + ":" + secret);
  }

  static http::Headers Bearer(const std::string& token) {
    http::Headers h;
    h.Add("Authorization", "Bearer " + token);
    return h;
  }

  std::vector<AuditRecord> Audit() {
    EXPECT_OK(service_->audit()->Flush());
    AuditQuery q;
    q.limit = 1000;
    return store_->QueryAudit(q).ValueOr({});
  }

  std::shared_ptr<MemoryAccessStore> store_;
  std::shared_ptr<AccessService> service_;
  http::Router router_;
};

TEST_F(AccessRoutesTest, TokenEndpointExchangesClientCredentialsLikeTheConnectors) {
  Recipient acme = MakeRecipient("acme");
  ASSERT_OK_AND_ASSIGN(IssuedClient client, service_->tokens().CreateOAuthClient(acme, 600));
  // As the Python connector sends it: Basic header, form body with an optional scope.
  Answer a = PostToken(Basic(client.client.client_id, client.client_secret),
                       "grant_type=client_credentials&scope=sharing");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.headers.Get("Cache-Control"), std::optional<std::string_view>("no-store"));
  JsonValue json = a.json();
  ASSERT_TRUE(json.is_object()) << a.body;
  EXPECT_EQ(json.Find("token_type")->string_value(), "Bearer");
  EXPECT_EQ(json.Find("expires_in")->GetInt64().ValueOr(0), 600);
  const std::string access_token = json.Find("access_token")->string_value();
  ASSERT_OK_AND_ASSIGN(Principal p, service_->Authenticate("Bearer " + access_token, ""));
  EXPECT_EQ(p.recipient_name(), "acme");
  EXPECT_EQ(p.kind(), TokenKind::kOAuthAccess);

  // Credentials as form fields instead.
  a = PostToken("", "grant_type=client_credentials&client_id=" + client.client.client_id +
                        "&client_secret=" + client.client_secret);
  ASSERT_EQ(a.status, 200) << a.body;
}

TEST_F(AccessRoutesTest, TokenEndpointErrorsFollowRfc6749) {
  Recipient acme = MakeRecipient("acme");
  ASSERT_OK_AND_ASSIGN(IssuedClient client, service_->tokens().CreateOAuthClient(acme, 600));
  const std::string id = client.client.client_id;

  Answer a = PostToken(Basic(id, "dsos_wrong"), "grant_type=client_credentials");
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.field("error"), "invalid_client");
  EXPECT_EQ(a.headers.Get("WWW-Authenticate"),
            std::optional<std::string_view>("Basic realm=\"deltashare\""));
  EXPECT_EQ(a.headers.Get("Cache-Control"), std::optional<std::string_view>("no-store"));

  a = PostToken("", "grant_type=client_credentials");
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.field("error"), "invalid_client");

  a = PostToken(Basic(id, client.client_secret), "scope=x");
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.field("error"), "invalid_request");

  a = PostToken(Basic(id, client.client_secret), "grant_type=password");
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.field("error"), "unsupported_grant_type");

  http::Headers json_body;
  json_body.Add("Authorization", Basic(id, client.client_secret));
  json_body.Add("Content-Type", "application/json");
  a = Call(http::Method::kPost, "/delta-sharing/oauth/token", std::move(json_body),
           R"({"grant_type":"client_credentials"})");
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.field("error"), "invalid_request");

  a = Call(http::Method::kGet, "/delta-sharing/oauth/token");
  EXPECT_EQ(a.status, 405);
  EXPECT_EQ(a.headers.Get("Allow"), std::optional<std::string_view>("POST"));

  // Nothing above minted a token.
  EXPECT_TRUE(store_->ListTokens({acme.id, std::nullopt, ""}).ValueOrDie().empty());
}

TEST_F(AccessRoutesTest, TokenEndpointHonoursTheRecipientsAllowList) {
  Recipient acme = MakeRecipient("acme", {"10.0.0.0/8"});
  ASSERT_OK_AND_ASSIGN(IssuedClient client, service_->tokens().CreateOAuthClient(acme, 600));
  Answer a = PostToken(Basic(client.client.client_id, client.client_secret),
                       "grant_type=client_credentials", "192.0.2.7");
  EXPECT_EQ(a.status, 400) << a.body;
  EXPECT_EQ(a.field("error"), "unauthorized_client");
  EXPECT_TRUE(store_->ListTokens({acme.id, std::nullopt, ""}).ValueOrDie().empty());
  a = PostToken(Basic(client.client.client_id, client.client_secret),
                "grant_type=client_credentials", "10.1.2.3");
  EXPECT_EQ(a.status, 200) << a.body;
}

TEST_F(AccessRoutesTest, ActivationLinkServesTheProfileExactlyOnce) {
  Recipient acme = MakeRecipient("acme");
  ASSERT_OK_AND_ASSIGN(IssuedActivation link,
                       service_->tokens().CreateActivationLink(
                           acme, "https://share.example.com/delta-sharing", 3600));
  const std::string path = "/delta-sharing/activation/" + link.code;
  // HEAD and POST never use the link up (a HEAD would otherwise fall back to GET).
  EXPECT_EQ(Call(http::Method::kHead, path).status, 405);
  EXPECT_EQ(Call(http::Method::kPost, path).status, 405);

  Answer a = Call(http::Method::kGet, path);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.headers.Get("Cache-Control"), std::optional<std::string_view>("no-store"));
  EXPECT_EQ(a.headers.Get("Content-Disposition"),
            std::optional<std::string_view>("attachment; filename=\"config.share\""));
  ASSERT_OK_AND_ASSIGN(sharing::protocol::Profile profile, sharing::protocol::ParseProfile(a.body));
  EXPECT_EQ(profile.share_credentials_version, 1);
  EXPECT_EQ(profile.endpoint, "https://share.example.com/delta-sharing");
  ASSERT_OK_AND_ASSIGN(Principal p, service_->Authenticate("Bearer " + profile.bearer_token, ""));
  EXPECT_EQ(p.recipient_name(), "acme");
  ASSERT_TRUE(profile.expiration_ms.has_value());
  EXPECT_EQ(*profile.expiration_ms, p.expires_at_ms());

  a = Call(http::Method::kGet, path);
  EXPECT_EQ(a.status, 410);
  EXPECT_EQ(a.field("errorCode"), "ACTIVATION_LINK_GONE");
  EXPECT_NE(a.field("message").find("only once"), std::string::npos) << a.body;

  // Forged and mangled codes look like unknown ones.
  std::string forged = link.code;
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& code : {forged, std::string("x"), std::string("%zz")}) {
    a = Call(http::Method::kGet, "/delta-sharing/activation/" + code);
    EXPECT_EQ(a.status, 404) << code;
  }
}

TEST_F(AccessRoutesTest, ActivationRouteNeverLogsItsPath) {
  bool found = false;
  for (size_t i = 0; i < router_.size(); ++i) {
    const http::Route& r = router_.route(i);
    if (r.pattern.find("/activation/") == std::string::npos) continue;
    found = true;
    EXPECT_FALSE(r.options.log_path) << r.pattern;
  }
  EXPECT_TRUE(found);
}

TEST_F(AccessRoutesTest, ProfileEndpointComesFromThePublicUrlOrTheRequest) {
  AccessRoutesOptions options;
  options.public_url = "https://public.example.com/";
  Start(options);
  Recipient acme = MakeRecipient("acme");
  ASSERT_OK_AND_ASSIGN(IssuedActivation link, service_->tokens().CreateActivationLink(
                                                  acme, "http://internal:8080/x", 3600));
  Answer a = Call(http::Method::kGet, "/delta-sharing/activation/" + link.code);
  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_OK_AND_ASSIGN(auto profile, sharing::protocol::ParseProfile(a.body));
  EXPECT_EQ(profile.endpoint, "https://public.example.com/delta-sharing");

  ASSERT_OK_AND_ASSIGN(auto request, http::Request::Make(http::Method::kGet, "/x"));
  EXPECT_EQ(RequestEndpoint(request, "", "/p"), "http://localhost/p");
  request.mutable_headers().Add("Host", "share.example.com:8443");
  EXPECT_EQ(RequestEndpoint(request, "", "/p"), "http://share.example.com:8443/p");
  request.set_tls(true);
  EXPECT_EQ(RequestEndpoint(request, "", ""), "https://share.example.com:8443");
  ASSERT_OK_AND_ASSIGN(auto evil, http::Request::Make(http::Method::kGet, "/x"));
  evil.mutable_headers().Add("Host", "evil.example/\"><script>");
  EXPECT_EQ(RequestEndpoint(evil, "", "/p"), "http://localhost/p");
}

TEST_F(AccessRoutesTest, AdminApiNeedsAnAdminToken) {
  Recipient acme = MakeRecipient("acme");
  ASSERT_OK_AND_ASSIGN(IssuedToken recipient_token, service_->tokens().Issue(acme));
  ASSERT_OK_AND_ASSIGN(IssuedToken admin, service_->tokens().IssueAdmin());

  Answer a = Call(http::Method::kGet, "/delta-sharing/admin/recipients");
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.headers.Get("WWW-Authenticate"),
            std::optional<std::string_view>("Bearer realm=\"deltashare-admin\""));
  a = Call(http::Method::kGet, "/delta-sharing/admin/recipients", Bearer("dstk_garbage"));
  EXPECT_EQ(a.status, 401);
  a = Call(http::Method::kGet, "/delta-sharing/admin/recipients", Bearer(recipient_token.token));
  EXPECT_EQ(a.status, 403);
  EXPECT_EQ(a.body.find("acme"), std::string::npos);

  a = Call(http::Method::kGet, "/delta-sharing/admin/recipients", Bearer(admin.token));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_NE(a.body.find("acme"), std::string::npos);
  EXPECT_EQ(a.headers.Get("Cache-Control"), std::optional<std::string_view>("no-store"));

  a = Call(http::Method::kPost, "/delta-sharing/admin/shares", Bearer(admin.token),
           R"({"name":"sales data"})");
  EXPECT_EQ(a.status, 400) << a.body;  // names have no spaces
  a = Call(http::Method::kPost, "/delta-sharing/admin/shares", Bearer(admin.token),
           R"({"name":"sales"})");
  ASSERT_EQ(a.status, 201) << a.body;
  // Segments are percent-decoded; a malformed escape or an empty segment is no resource.
  a = Call(http::Method::kGet, "/delta-sharing/admin/shares/%73ales", Bearer(admin.token));
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Call(http::Method::kGet, "/delta-sharing/admin/shares/", Bearer(admin.token)).status,
            404);
  EXPECT_EQ(Call(http::Method::kGet, "/delta-sharing/admin", Bearer(admin.token)).status, 404);
  a = Call(http::Method::kDelete, "/delta-sharing/admin/shares/sales", Bearer(admin.token));
  EXPECT_EQ(a.status, 204);
  a = Call(http::Method::kGet, "/delta-sharing/admin/audit?limit=5", Bearer(admin.token));
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Call(http::Method::kPatch, "/delta-sharing/admin/shares", Bearer(admin.token)).status,
            405);
}

TEST_F(AccessRoutesTest, EveryAccessRequestIsAuditedWithoutSecrets) {
  Recipient acme = MakeRecipient("acme");
  ASSERT_OK_AND_ASSIGN(IssuedClient client, service_->tokens().CreateOAuthClient(acme, 600));
  ASSERT_OK_AND_ASSIGN(IssuedActivation link,
                       service_->tokens().CreateActivationLink(acme, "http://h/p", 3600));
  ASSERT_OK_AND_ASSIGN(IssuedToken admin, service_->tokens().IssueAdmin());
  http::Headers ua = Bearer(admin.token);
  ua.Add("User-Agent", "test-agent/1");
  Answer token = PostToken(Basic(client.client.client_id, client.client_secret),
                           "grant_type=client_credentials");
  ASSERT_EQ(token.status, 200);
  Answer profile = Call(http::Method::kGet, "/delta-sharing/activation/" + link.code);
  ASSERT_EQ(profile.status, 200);
  ASSERT_EQ(Call(http::Method::kPost, "/delta-sharing/admin/shares", ua, R"({"name":"s1"})").status,
            201);
  ASSERT_EQ(Call(http::Method::kPut, "/delta-sharing/admin/shares/s1/schemas/eu", ua).status, 201);
  ASSERT_EQ(Call(http::Method::kPost, "/delta-sharing/admin/recipients/acme/tokens", ua).status,
            201);
  ASSERT_EQ(Call(http::Method::kGet, "/delta-sharing/admin/nothing", ua).status, 404);
  ASSERT_EQ(PostToken(Basic(client.client.client_id, "dsos_nope"), "grant_type=client_credentials")
                .status,
            401);

  std::vector<AuditRecord> records = Audit();
  ASSERT_EQ(records.size(), 7u);
  std::reverse(records.begin(), records.end());  // oldest first
  EXPECT_EQ(records[0].operation, "oauth_token");
  EXPECT_EQ(records[0].recipient, "acme");
  EXPECT_EQ(records[0].status, 200);
  EXPECT_EQ(records[0].token_id, TokenIdOf(token.field("access_token")).ValueOr(""));
  EXPECT_EQ(records[1].operation, "get_profile");
  EXPECT_EQ(records[1].recipient, "acme");
  EXPECT_EQ(records[1].recipient_id, acme.id);
  EXPECT_EQ(records[2].operation, "admin.createShare");
  EXPECT_EQ(records[2].message, "shares");
  EXPECT_EQ(records[2].status, 201);
  EXPECT_EQ(records[2].token_id, admin.record.id);
  EXPECT_EQ(records[2].user_agent, "test-agent/1");
  EXPECT_EQ(records[3].operation, "admin.addSchema");
  EXPECT_EQ(records[3].share, "s1");
  EXPECT_EQ(records[3].schema, "eu");
  EXPECT_EQ(records[4].operation, "admin.issueToken");
  EXPECT_EQ(records[4].message, "recipients/acme/tokens");
  EXPECT_EQ(records[5].operation, "admin.unknown");
  EXPECT_EQ(records[5].status, 404);
  EXPECT_EQ(records[6].operation, "oauth_token");
  EXPECT_EQ(records[6].status, 401);
  EXPECT_EQ(records[6].message, "invalid client credentials");
  const std::string secrets[] = {client.client_secret, link.code, admin.token,
                                 token.field("access_token")};
  for (const AuditRecord& r : records) {
    EXPECT_EQ(r.client_address, "127.0.0.1");
    EXPECT_GE(r.duration_us, 0);
    for (const std::string& s : secrets) {
      for (const std::string* field :
           {&r.recipient, &r.token_id, &r.operation, &r.share, &r.message, &r.user_agent}) {
        EXPECT_EQ(field->find(s), std::string::npos) << r.operation;
      }
    }
  }
}

TEST_F(AccessRoutesTest, RefusesToServeUnauditedRequests) {
  Recipient acme = MakeRecipient("acme");
  ASSERT_OK_AND_ASSIGN(IssuedClient client, service_->tokens().CreateOAuthClient(acme, 600));
  ASSERT_OK_AND_ASSIGN(IssuedActivation link,
                       service_->tokens().CreateActivationLink(acme, "http://h/p", 3600));
  ASSERT_OK_AND_ASSIGN(IssuedToken admin, service_->tokens().IssueAdmin());
  Start(AccessRoutesOptions{}, /*max_queued=*/0);  // an audit log that takes nothing

  Answer a = PostToken(Basic(client.client.client_id, client.client_secret),
                       "grant_type=client_credentials");
  EXPECT_EQ(a.status, 503);
  EXPECT_EQ(a.field("error"), "temporarily_unavailable");
  EXPECT_TRUE(a.headers.Contains("Retry-After"));
  a = Call(http::Method::kGet, "/delta-sharing/activation/" + link.code);
  EXPECT_EQ(a.status, 503);
  EXPECT_TRUE(a.headers.Contains("Retry-After"));
  a = Call(http::Method::kPost, "/delta-sharing/admin/shares", Bearer(admin.token),
           R"({"name":"s1"})");
  EXPECT_EQ(a.status, 503);
  // Nothing happened: no token, the link is unused, no share.
  EXPECT_TRUE(store_->ListTokens({acme.id, std::nullopt, ""}).ValueOrDie().empty());
  EXPECT_TRUE(store_->GetShare("s1").status().IsNotFound());
  Start(AccessRoutesOptions{});
  EXPECT_EQ(Call(http::Method::kGet, "/delta-sharing/activation/" + link.code).status, 200);
}

}  // namespace
}  // namespace ds::access
