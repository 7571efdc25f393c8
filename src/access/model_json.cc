#include "access/model_json.h"

#include <initializer_list>

#include "util/civil_time.h"

namespace ds::access {

std::string FormatTimeMs(int64_t ms) {
  std::string out;
  AppendTimestamp(ms, TimeUnit::kMillis, /*utc=*/true, &out);
  return out;
}

namespace {

void Time(JsonWriter* w, std::string_view key, int64_t ms) {
  w->Key(key);
  w->String(FormatTimeMs(ms));
}

void OptionalTime(JsonWriter* w, std::string_view key, const std::optional<int64_t>& ms) {
  if (ms) Time(w, key, *ms);
}

void NonEmpty(JsonWriter* w, std::string_view key, const std::string& value) {
  if (!value.empty()) w->Field(key, value);
}

void WriteProperties(const Properties& properties, JsonWriter* w) {
  w->Key("properties");
  w->BeginObject();
  for (const auto& [k, v] : properties) w->Field(k, v);
  w->EndObject();
}

// --- Input ---------------------------------------------------------------------------------

Result<JsonValue> ParseObject(std::string_view text, std::string_view what,
                              std::initializer_list<std::string_view> allowed) {
  auto doc = ParseJson(text, /*max_depth=*/8);
  if (!doc.ok()) {
    return Status::InvalidArgument(std::string(what) + ": " + doc.status().message());
  }
  if (!doc->is_object()) return Status::InvalidArgument(std::string(what) + " must be an object");
  for (const std::string& key : doc->keys()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) {
      return Status::InvalidArgument(std::string(what) + ": unknown key '" + key + "'");
    }
  }
  return doc;
}

Status TypeError(std::string_view what, std::string_view key, std::string_view type) {
  return Status::InvalidArgument(std::string(what) + ": '" + std::string(key) + "' must be " +
                                 std::string(type));
}

Result<std::string> GetString(const JsonValue& doc, std::string_view what, std::string_view key,
                              bool required) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr || (v->is_null() && !required)) {
    if (required) {
      return Status::InvalidArgument(std::string(what) + ": '" + std::string(key) +
                                     "' is required");
    }
    return std::string();
  }
  if (!v->is_string()) return TypeError(what, key, "a string");
  return v->string_value();
}

Result<std::optional<int64_t>> GetInt(const JsonValue& doc, std::string_view what,
                                      std::string_view key) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  auto n = v->GetInt64();
  if (!v->is_number() || !n.ok()) return TypeError(what, key, "an integer");
  return std::optional<int64_t>(*n);
}

Result<Properties> GetProperties(const JsonValue& doc, std::string_view what) {
  Properties out;
  const JsonValue* v = doc.Find("properties");
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_object()) return TypeError(what, "properties", "an object of strings");
  for (size_t i = 0; i < v->size(); ++i) {
    if (!v->items()[i].is_string()) return TypeError(what, "properties", "an object of strings");
    out.emplace_back(v->keys()[i], v->items()[i].string_value());
  }
  RETURN_NOT_OK(NormalizeProperties(&out));
  return out;
}

}  // namespace

void WriteJson(const Table& t, JsonWriter* w) {
  w->BeginObject();
  w->Field("name", t.name);
  w->Field("id", t.id);
  w->Field("location", t.location);
  NonEmpty(w, "comment", t.comment);
  w->FieldBool("historyShared", t.history_shared);
  if (t.start_version) w->FieldInt("startVersion", *t.start_version);
  if (t.encrypted) w->FieldBool("encrypted", true);
  if (t.created_at_ms) Time(w, "createdAt", t.created_at_ms);
  w->EndObject();
}

void WriteJson(const Share& s, JsonWriter* w) {
  w->BeginObject();
  w->Field("name", s.name);
  w->Field("id", s.id);
  NonEmpty(w, "comment", s.comment);
  WriteProperties(s.properties, w);
  if (s.created_at_ms) Time(w, "createdAt", s.created_at_ms);
  if (!s.schemas.empty()) {
    w->Key("schemas");
    w->BeginArray();
    for (const Schema& schema : s.schemas) {
      w->BeginObject();
      w->Field("name", schema.name);
      w->Key("tables");
      w->BeginArray();
      for (const Table& t : schema.tables) WriteJson(t, w);
      w->EndArray();
      w->EndObject();
    }
    w->EndArray();
  }
  w->EndObject();
}

void WriteJson(const Recipient& r, JsonWriter* w) {
  w->BeginObject();
  w->Field("name", r.name);
  w->Field("id", r.id);
  NonEmpty(w, "comment", r.comment);
  w->FieldInt("tokenLifetimeSeconds", r.token_lifetime_seconds);
  w->Key("ipAllowList");
  w->BeginArray();
  for (const auto& cidr : r.ip_allow) w->String(cidr);
  w->EndArray();
  w->FieldInt("rateLimitPerMinute", r.rate_limit_per_minute);
  WriteProperties(r.properties, w);
  if (r.created_at_ms) Time(w, "createdAt", r.created_at_ms);
  w->EndObject();
}

void WriteJson(const Grant& g, JsonWriter* w) {
  w->BeginObject();
  w->Field("recipient", g.recipient);
  w->Field("share", g.share);
  w->Key("partitionFilter");
  if (g.partition_filter) {
    w->String(*g.partition_filter);
  } else {
    w->Null();
  }
  if (g.created_at_ms) Time(w, "createdAt", g.created_at_ms);
  w->EndObject();
}

void WriteJson(const TokenRecord& t, int64_t now_ms, JsonWriter* w) {
  w->BeginObject();
  w->Field("id", t.id);
  w->Field("kind", TokenKindName(t.kind));
  NonEmpty(w, "recipientId", t.recipient_id);
  w->Field("state", TokenStateName(t.StateAt(now_ms)));
  Time(w, "createdAt", t.created_at_ms);
  Time(w, "expiresAt", t.expires_at_ms);
  OptionalTime(w, "revokedAt", t.revoked_at_ms);
  NonEmpty(w, "supersededBy", t.superseded_by);
  NonEmpty(w, "oauthClientId", t.oauth_client_id);
  NonEmpty(w, "label", t.label);
  w->FieldInt("keyVersion", t.key_version);
  w->EndObject();
}

void WriteJson(const OAuthClient& c, JsonWriter* w) {
  w->BeginObject();
  w->Field("clientId", c.client_id);
  w->Field("recipientId", c.recipient_id);
  w->FieldInt("accessTokenLifetimeSeconds", c.access_token_lifetime_seconds);
  w->FieldInt("keyVersion", c.key_version);
  Time(w, "createdAt", c.created_at_ms);
  w->EndObject();
}

void WriteJson(const ActivationLink& l, JsonWriter* w) {
  w->BeginObject();
  w->Field("id", l.id);
  w->Field("recipientId", l.recipient_id);
  NonEmpty(w, "endpoint", l.endpoint);
  Time(w, "createdAt", l.created_at_ms);
  Time(w, "expiresAt", l.expires_at_ms);
  OptionalTime(w, "usedAt", l.used_at_ms);
  NonEmpty(w, "issuedTokenId", l.issued_token_id);
  w->EndObject();
}

void WriteJson(const AuditRecord& r, JsonWriter* w) {
  w->BeginObject();
  w->FieldInt("seq", r.seq);
  Time(w, "time", r.time_ms);
  w->Field("recipient", r.recipient);
  NonEmpty(w, "recipientId", r.recipient_id);
  NonEmpty(w, "tokenId", r.token_id);
  w->Field("operation", r.operation);
  NonEmpty(w, "share", r.share);
  NonEmpty(w, "schema", r.schema);
  NonEmpty(w, "table", r.table);
  if (r.version) w->FieldInt("version", *r.version);
  w->FieldInt("files", r.files);
  w->FieldInt("status", r.status);
  NonEmpty(w, "clientAddress", r.client_address);
  NonEmpty(w, "userAgent", r.user_agent);
  w->FieldInt("durationUs", r.duration_us);
  NonEmpty(w, "message", r.message);
  w->EndObject();
}

void WriteJson(const KeyVersion& v, JsonWriter* w) {
  w->BeginObject();
  w->FieldInt("version", v.version);
  Time(w, "createdAt", v.created_at_ms);
  OptionalTime(w, "retiredAt", v.retired_at_ms);
  w->EndObject();
}

Result<Share> ShareFromJson(std::string_view text) {
  constexpr std::string_view kWhat = "share";
  ASSIGN_OR_RETURN(JsonValue doc, ParseObject(text, kWhat, {"name", "comment", "properties"}));
  Share s;
  ASSIGN_OR_RETURN(s.name, GetString(doc, kWhat, "name", true));
  ASSIGN_OR_RETURN(s.comment, GetString(doc, kWhat, "comment", false));
  ASSIGN_OR_RETURN(s.properties, GetProperties(doc, kWhat));
  RETURN_NOT_OK(ValidateShareFields(s));
  return s;
}

Result<Table> TableFromJson(std::string_view text) {
  constexpr std::string_view kWhat = "table";
  ASSIGN_OR_RETURN(JsonValue doc, ParseObject(text, kWhat,
                                              {"name", "location", "comment", "historyShared",
                                               "startVersion", "id", "encrypted"}));
  Table t;
  ASSIGN_OR_RETURN(t.name, GetString(doc, kWhat, "name", true));
  ASSIGN_OR_RETURN(t.location, GetString(doc, kWhat, "location", true));
  ASSIGN_OR_RETURN(t.comment, GetString(doc, kWhat, "comment", false));
  ASSIGN_OR_RETURN(t.id, GetString(doc, kWhat, "id", false));
  if (const JsonValue* h = doc.Find("historyShared"); h != nullptr && !h->is_null()) {
    if (!h->is_bool()) return TypeError(kWhat, "historyShared", "true or false");
    t.history_shared = h->bool_value();
  }
  ASSIGN_OR_RETURN(t.start_version, GetInt(doc, kWhat, "startVersion"));
  if (const JsonValue* e = doc.Find("encrypted"); e != nullptr && !e->is_null()) {
    if (!e->is_bool()) return TypeError(kWhat, "encrypted", "true or false");
    t.encrypted = e->bool_value();
  }
  RETURN_NOT_OK(ValidateTableFields(t));
  return t;
}

Result<Recipient> RecipientFromJson(std::string_view text) {
  constexpr std::string_view kWhat = "recipient";
  ASSIGN_OR_RETURN(JsonValue doc, ParseObject(text, kWhat,
                                              {"name", "comment", "tokenLifetimeSeconds",
                                               "ipAllowList", "rateLimitPerMinute", "properties"}));
  Recipient r;
  ASSIGN_OR_RETURN(r.name, GetString(doc, kWhat, "name", true));
  ASSIGN_OR_RETURN(r.comment, GetString(doc, kWhat, "comment", false));
  ASSIGN_OR_RETURN(auto lifetime, GetInt(doc, kWhat, "tokenLifetimeSeconds"));
  if (lifetime) r.token_lifetime_seconds = *lifetime;
  ASSIGN_OR_RETURN(auto rate, GetInt(doc, kWhat, "rateLimitPerMinute"));
  if (rate) r.rate_limit_per_minute = *rate;
  if (const JsonValue* list = doc.Find("ipAllowList"); list != nullptr && !list->is_null()) {
    if (!list->is_array()) return TypeError(kWhat, "ipAllowList", "an array of CIDR strings");
    for (const JsonValue& item : list->items()) {
      if (!item.is_string()) return TypeError(kWhat, "ipAllowList", "an array of CIDR strings");
      r.ip_allow.push_back(item.string_value());
    }
  }
  ASSIGN_OR_RETURN(r.properties, GetProperties(doc, kWhat));
  RETURN_NOT_OK(ValidateRecipientFields(r));
  return r;
}

Result<std::optional<std::string>> PartitionFilterFromJson(std::string_view text) {
  constexpr std::string_view kWhat = "grant";
  ASSIGN_OR_RETURN(JsonValue doc, ParseObject(text, kWhat, {"partitionFilter"}));
  const JsonValue* f = doc.Find("partitionFilter");
  if (f == nullptr || f->is_null()) return std::optional<std::string>();
  if (!f->is_string()) return TypeError(kWhat, "partitionFilter", "a string or null");
  std::optional<std::string> filter = f->string_value();
  RETURN_NOT_OK(ValidatePartitionFilter(filter));
  return filter;
}

}  // namespace ds::access
