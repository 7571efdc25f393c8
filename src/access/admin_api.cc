#include "access/admin_api.h"

#include <functional>

#include "access/model_json.h"
#include "access/names.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::access {
namespace {

using Args = std::vector<std::string>;

struct Route {
  const char* method;
  std::vector<const char*> pattern;  // literal segments, "*" captures one segment
  const char* operation;
  std::function<Result<AdminResponse>(AccessService&, const Args&, const AdminRequest&)> run;
};

AdminResponse Json(int status, std::string body) { return {status, std::move(body), ""}; }
AdminResponse NoContent() { return {204, "", ""}; }

template <typename T>
AdminResponse One(int status, const T& value) {
  std::string out;
  JsonWriter w(&out);
  WriteJson(value, &w);
  return Json(status, std::move(out));
}

template <typename T, typename WriteFn>
AdminResponse Items(const std::vector<T>& items, WriteFn write) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
  for (const T& item : items) write(item, &w);
  w.EndArray();
  w.EndObject();
  return Json(200, std::move(out));
}

template <typename T>
AdminResponse Items(const std::vector<T>& items) {
  return Items(items, [](const T& item, JsonWriter* w) { WriteJson(item, w); });
}

// The body as a JSON object (an empty body is {}), with only `allowed` keys.
Result<JsonValue> Body(const AdminRequest& request,
                       std::initializer_list<std::string_view> allowed) {
  if (Trim(request.body).empty()) return JsonValue::Object();
  auto doc = ParseJson(request.body, /*max_depth=*/8);
  if (!doc.ok()) return Status::InvalidArgument("request body: " + doc.status().message());
  if (!doc->is_object()) return Status::InvalidArgument("request body must be a JSON object");
  for (const std::string& key : doc->keys()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) return Status::InvalidArgument("request body: unknown key '" + key + "'");
  }
  return doc;
}

Result<std::optional<int64_t>> IntField(const JsonValue& doc, std::string_view key) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  auto n = v->GetInt64();
  if (!v->is_number() || !n.ok()) {
    return Status::InvalidArgument("'" + std::string(key) + "' must be an integer");
  }
  return std::optional<int64_t>(*n);
}

Result<std::string> StringField(const JsonValue& doc, std::string_view key) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string())
    return Status::InvalidArgument("'" + std::string(key) + "' must be a string");
  return v->string_value();
}

Result<std::optional<int64_t>> QueryInt(const AdminRequest& request, std::string_view key) {
  for (const auto& [k, v] : request.query) {
    if (k != key) continue;
    auto n = ParseInt64(v);
    if (!n) return Status::InvalidArgument("query parameter '" + k + "' must be an integer");
    return std::optional<int64_t>(*n);
  }
  return std::optional<int64_t>();
}

std::string QueryString(const AdminRequest& request, std::string_view key) {
  for (const auto& [k, v] : request.query) {
    if (k == key) return v;
  }
  return "";
}

AdminResponse Issued(const IssuedToken& issued) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("token", issued.token);
  w.Field("id", issued.record.id);
  w.Field("expiresAt", FormatTimeMs(issued.record.expires_at_ms));
  w.EndObject();
  return Json(201, std::move(out));
}

// --- Handlers ------------------------------------------------------------------------------

Result<AdminResponse> ListSharesRoute(AccessService& s, const Args&, const AdminRequest&) {
  std::vector<Share> all;
  ListOptions options;
  for (;;) {
    ASSIGN_OR_RETURN(auto page, s.store()->ListShares(options));
    all.insert(all.end(), page.begin(), page.end());
    if (static_cast<int>(page.size()) < options.limit) break;
    options.after = page.back().name;
  }
  return Items(all);
}

Result<AdminResponse> ListRecipientsRoute(AccessService& s, const Args&, const AdminRequest&) {
  std::vector<Recipient> all;
  ListOptions options;
  for (;;) {
    ASSIGN_OR_RETURN(auto page, s.store()->ListRecipients(options));
    all.insert(all.end(), page.begin(), page.end());
    if (static_cast<int>(page.size()) < options.limit) break;
    options.after = page.back().name;
  }
  return Items(all);
}

Result<AdminResponse> PutRecipientRoute(AccessService& s, const Args& a, const AdminRequest& r) {
  auto doc = ParseJson(Trim(r.body).empty() ? "{}" : r.body, /*max_depth=*/8);
  if (!doc.ok() || !doc->is_object()) {
    return Status::InvalidArgument("request body must be a JSON object");
  }
  if (const JsonValue* name = doc->Find("name")) {
    if (!name->is_string() || !SameName(name->string_value(), a[0])) {
      return Status::InvalidArgument("'name' must match the recipient in the path");
    }
  }
  doc->Set("name", JsonValue::String(a[0]));
  ASSIGN_OR_RETURN(Recipient update, RecipientFromJson(doc->ToString()));
  RETURN_NOT_OK(s.store()->UpdateRecipient(update));
  ASSIGN_OR_RETURN(Recipient stored, s.store()->GetRecipient(a[0]));
  return One(200, stored);
}

Result<AdminResponse> IssueTokenRoute(AccessService& s, const Args& a, const AdminRequest& r) {
  ASSIGN_OR_RETURN(JsonValue body, Body(r, {"lifetimeSeconds", "label"}));
  ASSIGN_OR_RETURN(auto lifetime, IntField(body, "lifetimeSeconds"));
  ASSIGN_OR_RETURN(std::string label, StringField(body, "label"));
  ASSIGN_OR_RETURN(Recipient recipient, s.store()->GetRecipient(a[0]));
  ASSIGN_OR_RETURN(IssuedToken issued, s.tokens().Issue(recipient, lifetime, label));
  return Issued(issued);
}

Result<AdminResponse> ListTokensRoute(AccessService& s, const Args& a, const AdminRequest&) {
  ASSIGN_OR_RETURN(Recipient recipient, s.store()->GetRecipient(a[0]));
  ASSIGN_OR_RETURN(auto tokens, s.store()->ListTokens({recipient.id, std::nullopt, ""}));
  const int64_t now = s.tokens().NowMs();
  return Items(tokens, [now](const TokenRecord& t, JsonWriter* w) { WriteJson(t, now, w); });
}

Result<AdminResponse> CreateOAuthClientRoute(AccessService& s, const Args& a,
                                             const AdminRequest& r) {
  ASSIGN_OR_RETURN(JsonValue body, Body(r, {"accessTokenLifetimeSeconds"}));
  ASSIGN_OR_RETURN(auto lifetime, IntField(body, "accessTokenLifetimeSeconds"));
  ASSIGN_OR_RETURN(Recipient recipient, s.store()->GetRecipient(a[0]));
  ASSIGN_OR_RETURN(IssuedClient client,
                   s.tokens().CreateOAuthClient(
                       recipient, lifetime.value_or(kDefaultOAuthTokenLifetimeSeconds)));
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("clientId", client.client.client_id);
  w.Field("clientSecret", client.client_secret);
  w.FieldInt("accessTokenLifetimeSeconds", client.client.access_token_lifetime_seconds);
  w.EndObject();
  return Json(201, std::move(out));
}

Result<AdminResponse> CreateActivationRoute(AccessService& s, const Args& a,
                                            const AdminRequest& r) {
  ASSIGN_OR_RETURN(JsonValue body, Body(r, {"endpoint", "expiresInSeconds"}));
  ASSIGN_OR_RETURN(std::string endpoint, StringField(body, "endpoint"));
  ASSIGN_OR_RETURN(auto valid, IntField(body, "expiresInSeconds"));
  if (!StartsWith(endpoint, "https://") && !StartsWith(endpoint, "http://")) {
    return Status::InvalidArgument("'endpoint' must be the sharing endpoint's http(s) URL");
  }
  while (EndsWith(endpoint, "/")) endpoint.pop_back();
  ASSIGN_OR_RETURN(Recipient recipient, s.store()->GetRecipient(a[0]));
  ASSIGN_OR_RETURN(
      IssuedActivation link,
      s.tokens().CreateActivationLink(
          recipient, endpoint, valid.value_or(TokenService::kDefaultActivationLifetimeSeconds)));
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("id", link.link.id);
  w.Field("url", endpoint + std::string(kActivationPathPrefix) + link.code);
  w.Field("expiresAt", FormatTimeMs(link.link.expires_at_ms));
  w.EndObject();
  return Json(201, std::move(out));
}

Result<AdminResponse> AuditRoute(AccessService& s, const Args&, const AdminRequest& r) {
  AuditQuery q;
  q.recipient = QueryString(r, "recipient");
  q.share = QueryString(r, "share");
  ASSIGN_OR_RETURN(q.from_ms, QueryInt(r, "since"));
  ASSIGN_OR_RETURN(q.to_ms, QueryInt(r, "until"));
  ASSIGN_OR_RETURN(auto status, QueryInt(r, "status"));
  if (status) q.status = static_cast<int>(*status);
  ASSIGN_OR_RETURN(auto limit, QueryInt(r, "limit"));
  if (limit) q.limit = static_cast<int>(std::clamp<int64_t>(*limit, 0, 100000));
  ASSIGN_OR_RETURN(q.before_seq, QueryInt(r, "beforeSeq"));
  ASSIGN_OR_RETURN(auto records, s.store()->QueryAudit(q));
  return Items(records);
}

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = {
      {"GET", {"shares"}, "listShares", ListSharesRoute},
      {"POST",
       {"shares"},
       "createShare",
       [](AccessService& s, const Args&, const AdminRequest& r) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(Share share, ShareFromJson(r.body));
         ASSIGN_OR_RETURN(Share created, s.store()->CreateShare(share));
         return One(201, created);
       }},
      {"GET",
       {"shares", "*"},
       "getShare",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(Share share, s.store()->GetShare(a[0]));
         return One(200, share);
       }},
      {"DELETE",
       {"shares", "*"},
       "deleteShare",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         RETURN_NOT_OK(s.store()->DeleteShare(a[0]));
         return NoContent();
       }},
      {"PUT",
       {"shares", "*", "schemas", "*"},
       "addSchema",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         RETURN_NOT_OK(s.store()->AddSchema(a[0], a[1]));
         return Json(201, "{}");
       }},
      {"DELETE",
       {"shares", "*", "schemas", "*"},
       "deleteSchema",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         RETURN_NOT_OK(s.store()->DeleteSchema(a[0], a[1]));
         return NoContent();
       }},
      {"POST",
       {"shares", "*", "schemas", "*", "tables"},
       "addTable",
       [](AccessService& s, const Args& a, const AdminRequest& r) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(Table table, TableFromJson(r.body));
         ASSIGN_OR_RETURN(Table added, s.store()->AddTable(a[0], a[1], table));
         return One(201, added);
       }},
      {"DELETE",
       {"shares", "*", "schemas", "*", "tables", "*"},
       "deleteTable",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         RETURN_NOT_OK(s.store()->DeleteTable(a[0], a[1], a[2]));
         return NoContent();
       }},
      {"GET", {"recipients"}, "listRecipients", ListRecipientsRoute},
      {"POST",
       {"recipients"},
       "createRecipient",
       [](AccessService& s, const Args&, const AdminRequest& r) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(Recipient recipient, RecipientFromJson(r.body));
         ASSIGN_OR_RETURN(Recipient created, s.store()->CreateRecipient(recipient));
         return One(201, created);
       }},
      {"GET",
       {"recipients", "*"},
       "getRecipient",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(Recipient recipient, s.store()->GetRecipient(a[0]));
         return One(200, recipient);
       }},
      {"PUT", {"recipients", "*"}, "updateRecipient", PutRecipientRoute},
      {"DELETE",
       {"recipients", "*"},
       "deleteRecipient",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         RETURN_NOT_OK(s.store()->DeleteRecipient(a[0]));
         return NoContent();
       }},
      {"GET",
       {"recipients", "*", "grants"},
       "listGrants",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(auto grants, s.store()->ListGrants({a[0], ""}));
         return Items(grants);
       }},
      {"PUT",
       {"recipients", "*", "grants", "*"},
       "putGrant",
       [](AccessService& s, const Args& a, const AdminRequest& r) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(auto filter,
                          PartitionFilterFromJson(Trim(r.body).empty() ? "{}" : r.body));
         ASSIGN_OR_RETURN(Grant grant, s.store()->PutGrant(a[0], a[1], filter));
         return One(200, grant);
       }},
      {"DELETE",
       {"recipients", "*", "grants", "*"},
       "deleteGrant",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         RETURN_NOT_OK(s.store()->DeleteGrant(a[0], a[1]));
         return NoContent();
       }},
      {"GET", {"recipients", "*", "tokens"}, "listTokens", ListTokensRoute},
      {"POST", {"recipients", "*", "tokens"}, "issueToken", IssueTokenRoute},
      {"DELETE",
       {"recipients", "*", "tokens"},
       "revokeRecipientTokens",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(Recipient recipient, s.store()->GetRecipient(a[0]));
         ASSIGN_OR_RETURN(int64_t n, s.tokens().RevokeAll(recipient));
         return Json(200, "{\"revoked\":" + std::to_string(n) + "}");
       }},
      {"POST",
       {"tokens", "*", "rotate"},
       "rotateToken",
       [](AccessService& s, const Args& a, const AdminRequest& r) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(JsonValue body, Body(r, {"graceSeconds"}));
         ASSIGN_OR_RETURN(auto grace, IntField(body, "graceSeconds"));
         ASSIGN_OR_RETURN(IssuedToken issued, s.tokens().Rotate(a[0], grace.value_or(3600)));
         return Issued(issued);
       }},
      {"DELETE",
       {"tokens", "*"},
       "revokeToken",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         RETURN_NOT_OK(s.tokens().Revoke(a[0]));
         return NoContent();
       }},
      {"POST", {"recipients", "*", "oauth-clients"}, "createOAuthClient", CreateOAuthClientRoute},
      {"DELETE",
       {"oauth-clients", "*"},
       "deleteOAuthClient",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         RETURN_NOT_OK(s.store()->DeleteOAuthClient(a[0], s.tokens().NowMs()));
         return NoContent();
       }},
      {"POST",
       {"recipients", "*", "activation-links"},
       "createActivationLink",
       CreateActivationRoute},
      {"GET",
       {"keys"},
       "listKeys",
       [](AccessService& s, const Args&, const AdminRequest&) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(auto versions, s.store()->ListKeyVersions());
         return Items(versions);
       }},
      {"POST",
       {"keys"},
       "addKeyVersion",
       [](AccessService& s, const Args&, const AdminRequest&) -> Result<AdminResponse> {
         ASSIGN_OR_RETURN(KeyVersion v, s.store()->AddKeyVersion(s.tokens().NowMs()));
         return One(201, v);
       }},
      {"DELETE",
       {"keys", "*"},
       "retireKeyVersion",
       [](AccessService& s, const Args& a, const AdminRequest&) -> Result<AdminResponse> {
         std::optional<int64_t> version = ParseInt64(a[0]);
         if (!version) return Status::InvalidArgument("key version must be a number");
         RETURN_NOT_OK(s.store()->RetireKeyVersion(*version, s.tokens().NowMs()));
         return NoContent();
       }},
      {"GET", {"audit"}, "queryAudit", AuditRoute},
  };
  return routes;
}

bool Matches(const Route& route, const std::vector<std::string>& path, Args* args) {
  if (route.pattern.size() != path.size()) return false;
  args->clear();
  for (size_t i = 0; i < path.size(); ++i) {
    if (std::string_view(route.pattern[i]) == "*") {
      args->push_back(path[i]);
    } else if (path[i] != route.pattern[i]) {
      return false;
    }
  }
  return true;
}

std::string ErrorBody(std::string_view code, std::string_view message) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("errorCode", code);
  w.Field("message", message);
  w.EndObject();
  return out;
}

}  // namespace

AdminResponse AdminError(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      return Json(400, ErrorBody("INVALID_PARAMETER_VALUE", status.message()));
    case StatusCode::kNotFound:
      return Json(404, ErrorBody("RESOURCE_DOES_NOT_EXIST", status.message()));
    case StatusCode::kAlreadyExists:
      return Json(409, ErrorBody("RESOURCE_ALREADY_EXISTS", status.message()));
    case StatusCode::kFailedPrecondition:
      return Json(409, ErrorBody("FAILED_PRECONDITION", status.message()));
    case StatusCode::kUnauthenticated:
      return Json(401, ErrorBody("UNAUTHENTICATED", status.message()));
    case StatusCode::kPermissionDenied:
      return Json(403, ErrorBody("PERMISSION_DENIED", status.message()));
    case StatusCode::kUnavailable:
      return Json(503, ErrorBody("TEMPORARILY_UNAVAILABLE", "the access store is unavailable"));
    default:
      return Json(500, ErrorBody("INTERNAL_ERROR", ""));
  }
}

AdminResponse AdminApi::Handle(const AdminRequest& request) {
  Args args;
  bool path_known = false;
  for (const Route& route : Routes()) {
    if (!Matches(route, request.path, &args)) continue;
    path_known = true;
    if (request.method != route.method) continue;
    auto result = route.run(*service_, args, request);
    AdminResponse response = result.ok() ? std::move(result).value() : AdminError(result.status());
    response.operation = std::string("admin.") + route.operation;
    return response;
  }
  AdminResponse response =
      path_known ? Json(405, ErrorBody("METHOD_NOT_ALLOWED",
                                       request.method + " is not allowed on this resource"))
                 : Json(404, ErrorBody("RESOURCE_DOES_NOT_EXIST", "no such admin resource"));
  response.operation = "admin.unknown";
  return response;
}

}  // namespace ds::access
