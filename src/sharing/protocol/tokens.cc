#include "sharing/protocol/tokens.h"

#include "crypto/crypto.h"
#include "util/json.h"

namespace ds::sharing::protocol {
namespace {

Status DecodeError(std::string_view what) {
  return Status::InvalidArgument("Error decoding the " + std::string(what) +
                                 ": it is malformed or was not issued by this server");
}

Result<JsonValue> ParseToken(std::string_view bytes, std::string_view what) {
  auto doc = ParseJson(bytes, /*max_depth=*/4);
  if (!doc.ok() || !doc->is_object()) return DecodeError(what);
  return std::move(doc).value();
}

Result<std::string> GetString(const JsonValue& doc, std::string_view key, std::string_view what) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr || !v->is_string()) return DecodeError(what);
  return v->string_value();
}

Result<int64_t> GetInt(const JsonValue& doc, std::string_view key, std::string_view what) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr) return DecodeError(what);
  auto n = v->GetInt64();
  if (!n.ok() || *n < 0) return DecodeError(what);
  return *n;
}

// Canonical text of optional values for the digests: "k=v;" or "k=;" when absent.
void Put(std::string* s, std::string_view key, const std::optional<int64_t>& v) {
  s->append(key).push_back('=');
  if (v) s->append(std::to_string(*v));
  s->push_back(';');
}
void Put(std::string* s, std::string_view key, const std::optional<std::string>& v) {
  s->append(key).push_back('=');
  if (v) AppendJsonString(*v, s);
  s->push_back(';');
}

}  // namespace

std::string EncodeListToken(const ListToken& t) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("s", t.scope);
  w.FieldInt("o", t.offset);
  w.EndObject();
  return out;
}

Result<ListToken> DecodeListToken(std::string_view bytes) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseToken(bytes, "page token"));
  ListToken t;
  ASSIGN_OR_RETURN(t.scope, GetString(doc, "s", "page token"));
  ASSIGN_OR_RETURN(t.offset, GetInt(doc, "o", "page token"));
  return t;
}

std::string EncodeFilePageToken(const FilePageToken& t) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("t", t.table);
  w.FieldInt("v", t.version);
  if (t.end_version) w.FieldInt("e", *t.end_version);
  if (t.head_version) w.FieldInt("h", *t.head_version);
  if (t.resume_version) w.FieldInt("r", *t.resume_version);
  if (t.format) w.Field("f", *t.format);
  w.FieldInt("n", t.next_index);
  w.Field("p", t.params_digest);
  w.EndObject();
  return out;
}

Result<FilePageToken> DecodeFilePageToken(std::string_view bytes) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseToken(bytes, "page token"));
  FilePageToken t;
  ASSIGN_OR_RETURN(t.table, GetString(doc, "t", "page token"));
  ASSIGN_OR_RETURN(t.version, GetInt(doc, "v", "page token"));
  if (doc.Find("e") != nullptr) {
    ASSIGN_OR_RETURN(t.end_version, GetInt(doc, "e", "page token"));
  }
  if (doc.Find("h") != nullptr) {
    ASSIGN_OR_RETURN(t.head_version, GetInt(doc, "h", "page token"));
  }
  if (doc.Find("r") != nullptr) {
    ASSIGN_OR_RETURN(t.resume_version, GetInt(doc, "r", "page token"));
  }
  if (doc.Find("f") != nullptr) {
    ASSIGN_OR_RETURN(t.format, GetString(doc, "f", "page token"));
  }
  ASSIGN_OR_RETURN(t.next_index, GetInt(doc, "n", "page token"));
  ASSIGN_OR_RETURN(t.params_digest, GetString(doc, "p", "page token"));
  return t;
}

std::string EncodeRefreshToken(const RefreshToken& t) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("t", t.table);
  w.FieldInt("v", t.version);
  w.Field("p", t.params_digest);
  w.EndObject();
  return out;
}

Result<RefreshToken> DecodeRefreshToken(std::string_view bytes) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseToken(bytes, "refresh token"));
  RefreshToken t;
  ASSIGN_OR_RETURN(t.table, GetString(doc, "t", "refresh token"));
  ASSIGN_OR_RETURN(t.version, GetInt(doc, "v", "refresh token"));
  ASSIGN_OR_RETURN(t.params_digest, GetString(doc, "p", "refresh token"));
  return t;
}

std::string EncodeQueryId(const QueryIdToken& t) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("t", t.table);
  w.Field("q", t.query_key);
  w.EndObject();
  return out;
}

Result<QueryIdToken> DecodeQueryId(std::string_view bytes) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseToken(bytes, "query id"));
  QueryIdToken t;
  ASSIGN_OR_RETURN(t.table, GetString(doc, "t", "query id"));
  ASSIGN_OR_RETURN(t.query_key, GetString(doc, "q", "query id"));
  return t;
}

std::string QueryParamsDigest(const QueryRequest& r) {
  std::string s = "query;";
  Put(&s, "version", r.version);
  Put(&s, "timestamp", r.timestamp_ms);
  Put(&s, "startingVersion", r.starting_version);
  Put(&s, "endingVersion", r.ending_version);
  s += "predicateHints=";
  for (const auto& h : r.predicate_hints) AppendJsonString(h, &s);
  s += ';';
  Put(&s, "jsonPredicateHints", r.json_predicate_hints);
  Put(&s, "limitHint", r.limit_hint);
  s += r.include_historical_protocol ? "hp=1;" : "hp=0;";
  return crypto::Sha256Hex(s);
}

std::string ChangesParamsDigest(const ChangesRequest& r) {
  std::string s = "changes;";
  Put(&s, "startingVersion", r.starting_version);
  Put(&s, "startingTimestamp", r.starting_timestamp_ms);
  Put(&s, "endingVersion", r.ending_version);
  Put(&s, "endingTimestamp", r.ending_timestamp_ms);
  s += r.include_historical_metadata ? "hm=1;" : "hm=0;";
  s += r.include_historical_protocol ? "hp=1;" : "hp=0;";
  return crypto::Sha256Hex(s);
}

}  // namespace ds::sharing::protocol
