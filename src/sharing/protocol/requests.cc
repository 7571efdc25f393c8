#include "sharing/protocol/requests.h"

#include <limits>

#include "sharing/protocol/errors.h"
#include "util/civil_time.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::sharing::protocol {
namespace {

Result<int64_t> ParseVersionParam(std::string_view name, std::string_view text) {
  auto v = ParseInt64(Trim(text));
  if (!v) {
    return Status::InvalidArgument(std::string(name) +
                                   ": expected a number but the string didn't have the "
                                   "appropriate format: '" +
                                   std::string(text.substr(0, 64)) + "'");
  }
  if (*v < 0) {
    return Status::InvalidArgument(std::string(name) + " must be non-negative, got " +
                                   std::to_string(*v));
  }
  return *v;
}

Result<int32_t> ParseMaxFilesParam(std::string_view text) {
  auto v = ParseInt64(Trim(text));
  if (!v) {
    return Status::InvalidArgument(
        "maxFiles: expected a number but the string didn't have the appropriate format");
  }
  if (*v <= 0) return Status::InvalidArgument("maxFiles must be positive.");
  if (*v > std::numeric_limits<int32_t>::max()) {
    return Status::InvalidArgument("maxFiles must fit in a 32-bit integer");
  }
  return static_cast<int32_t>(*v);
}

// A JSON int64 field that may also be given as a numeric string ("3").
Result<int64_t> JsonInt64(const JsonValue& v, std::string_view name) {
  std::optional<int64_t> out;
  if (v.is_number()) out = ParseInt64(v.number_text());
  if (v.is_string()) out = ParseInt64(Trim(v.string_value()));
  if (!out) return MalformedRequest("'" + std::string(name) + "' must be a 64-bit integer");
  return *out;
}

Result<bool> JsonBool(const JsonValue& v, std::string_view name) {
  if (v.is_bool()) return v.bool_value();
  if (v.is_string()) {
    if (EqualsIgnoreCase(v.string_value(), "true")) return true;
    if (EqualsIgnoreCase(v.string_value(), "false")) return false;
  }
  return MalformedRequest("'" + std::string(name) + "' must be a boolean");
}

Result<std::string> JsonString(const JsonValue& v, std::string_view name) {
  if (!v.is_string()) return MalformedRequest("'" + std::string(name) + "' must be a string");
  return v.string_value();
}

Result<JsonValue> ParseBodyObject(std::string_view body) {
  if (Trim(body).empty()) return MalformedRequest("the request body is empty; send {} at least");
  auto doc = ParseJson(body, /*max_depth=*/32);
  if (!doc.ok())
    return MalformedRequest("the request body is not valid JSON: " + doc.status().message());
  if (!doc->is_object()) return MalformedRequest("the request body must be a JSON object");
  return std::move(doc).value();
}

Result<int32_t> JsonMaxFiles(const JsonValue& v) {
  ASSIGN_OR_RETURN(int64_t n, JsonInt64(v, "maxFiles"));
  if (n > std::numeric_limits<int32_t>::max()) {
    return MalformedRequest("'maxFiles' must fit in a 32-bit integer");
  }
  if (n <= 0) return Status::InvalidArgument("maxFiles must be positive.");
  return static_cast<int32_t>(n);
}

}  // namespace

std::optional<std::string_view> FindParam(const QueryParams& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

Result<int64_t> ParseTimestampParam(std::string_view name, std::string_view text) {
  std::string_view t = Trim(text);
  // A time of day is required: a bare date is refused like the reference server does.
  const bool has_time = t.size() > 10 && (t[10] == 'T' || t[10] == 't' || t[10] == ' ');
  auto micros = has_time ? ParseTimestampMicros(t) : Result<int64_t>(Status::InvalidArgument(""));
  if (!micros.ok()) {
    return Status::InvalidArgument("Invalid " + std::string(name) + ": '" +
                                   std::string(t.substr(0, 64)) +
                                   "' (expected an ISO 8601 timestamp such as "
                                   "2022-01-01T00:00:00Z)");
  }
  // Floor division keeps times before 1970 consistent.
  int64_t us = *micros;
  return us >= 0 ? us / 1000 : -((-us + 999) / 1000);
}

Result<bool> ParseBoolParam(std::string_view name, std::string_view text) {
  if (EqualsIgnoreCase(Trim(text), "true")) return true;
  if (EqualsIgnoreCase(Trim(text), "false")) return false;
  return Status::InvalidArgument(std::string(name) + " must be true or false, got '" +
                                 std::string(text.substr(0, 32)) + "'");
}

Result<ListRequest> ParseListRequest(const QueryParams& params) {
  ListRequest r;
  if (auto v = FindParam(params, "maxResults")) {
    auto n = ParseInt64(Trim(*v));
    if (!n) {
      return Status::InvalidArgument(
          "maxResults: expected a number but the string didn't have the appropriate format");
    }
    if (*n < 0) return Status::InvalidArgument("maxResults must be non-negative");
    r.max_results = static_cast<int32_t>(std::min<int64_t>(*n, 500));
  }
  if (auto v = FindParam(params, "pageToken"); v && !v->empty()) r.page_token = std::string(*v);
  return r;
}

Result<VersionRequest> ParseVersionRequest(const QueryParams& params) {
  VersionRequest r;
  if (auto v = FindParam(params, "startingTimestamp")) {
    ASSIGN_OR_RETURN(r.starting_timestamp_ms, ParseTimestampParam("startingTimestamp", *v));
  }
  return r;
}

Result<MetadataRequest> ParseMetadataRequest(const QueryParams& params) {
  MetadataRequest r;
  auto version = FindParam(params, "version");
  auto timestamp = FindParam(params, "timestamp");
  if (version && timestamp) {
    return Status::InvalidArgument("Please only provide one of: version,timestamp");
  }
  if (version) {
    ASSIGN_OR_RETURN(r.version, ParseVersionParam("version", *version));
  }
  if (timestamp) {
    ASSIGN_OR_RETURN(r.timestamp_ms, ParseTimestampParam("timestamp", *timestamp));
  }
  return r;
}

Result<QueryRequest> ParseQueryRequest(std::string_view body) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseBodyObject(body));
  QueryRequest r;
  for (size_t i = 0; i < doc.size(); ++i) {
    const std::string& key = doc.keys()[i];
    const JsonValue& v = doc.items()[i];
    if (v.is_null()) continue;
    if (key == "predicateHints") {
      if (!v.is_array()) return MalformedRequest("'predicateHints' must be an array of strings");
      for (const JsonValue& h : v.items()) {
        ASSIGN_OR_RETURN(std::string s, JsonString(h, "predicateHints[]"));
        r.predicate_hints.push_back(std::move(s));
      }
    } else if (key == "jsonPredicateHints") {
      // A string holding JSON; an object is accepted too (serialized back).
      r.json_predicate_hints = v.is_string() ? v.string_value() : v.ToString();
    } else if (key == "limitHint") {
      ASSIGN_OR_RETURN(r.limit_hint, JsonInt64(v, key));
    } else if (key == "version") {
      ASSIGN_OR_RETURN(r.version, JsonInt64(v, key));
    } else if (key == "timestamp") {
      ASSIGN_OR_RETURN(r.timestamp, JsonString(v, key));
    } else if (key == "startingVersion") {
      ASSIGN_OR_RETURN(r.starting_version, JsonInt64(v, key));
    } else if (key == "endingVersion") {
      ASSIGN_OR_RETURN(r.ending_version, JsonInt64(v, key));
    } else if (key == "includeHistoricalProtocol") {
      ASSIGN_OR_RETURN(r.include_historical_protocol, JsonBool(v, key));
    } else if (key == "idempotencyKey" || key == "idempotency_key") {
      ASSIGN_OR_RETURN(r.idempotency_key, JsonString(v, key));
    } else if (key == "maxFiles") {
      ASSIGN_OR_RETURN(r.max_files, JsonMaxFiles(v));
    } else if (key == "pageToken") {
      ASSIGN_OR_RETURN(std::string t, JsonString(v, key));
      if (!t.empty()) r.page_token = std::move(t);
    } else if (key == "includeRefreshToken") {
      ASSIGN_OR_RETURN(r.include_refresh_token, JsonBool(v, key));
    } else if (key == "refreshToken") {
      ASSIGN_OR_RETURN(std::string t, JsonString(v, key));
      if (!t.empty()) r.refresh_token = std::move(t);
    }
    // Unknown fields (e.g. requestedColumns) are ignored.
  }
  const int exclusive = (r.version ? 1 : 0) + (r.timestamp ? 1 : 0) + (r.starting_version ? 1 : 0);
  if (exclusive > 1) {
    return Status::InvalidArgument("Please only provide one of: version,timestamp,startingVersion");
  }
  if (r.version && *r.version < 0) return Status::InvalidArgument("version cannot be negative.");
  if (r.starting_version && *r.starting_version < 0) {
    return Status::InvalidArgument("startingVersion cannot be negative.");
  }
  if (r.ending_version && !r.starting_version) {
    return Status::InvalidArgument("endingVersion is only allowed with startingVersion");
  }
  if (r.ending_version && *r.ending_version < *r.starting_version) {
    return Status::InvalidArgument("startingVersion (" + std::to_string(*r.starting_version) +
                                   ") must be <= endingVersion (" +
                                   std::to_string(*r.ending_version) + ")");
  }
  if (r.limit_hint && *r.limit_hint < 0) {
    return Status::InvalidArgument("limitHint cannot be negative.");
  }
  if ((r.include_refresh_token || r.refresh_token) && exclusive > 0) {
    return Status::InvalidArgument(
        "includeRefreshToken and refreshToken cannot be used with version, timestamp or "
        "startingVersion");
  }
  if ((r.include_refresh_token || r.refresh_token) && r.page_token) {
    return Status::InvalidArgument(
        "includeRefreshToken and refreshToken cannot be used with pageToken");
  }
  if (r.timestamp) {
    ASSIGN_OR_RETURN(r.timestamp_ms, ParseTimestampParam("timestamp", *r.timestamp));
  }
  return r;
}

Result<QueryInfoRequest> ParseQueryInfoRequest(std::string_view body) {
  QueryInfoRequest r;
  if (Trim(body).empty()) return r;
  ASSIGN_OR_RETURN(JsonValue doc, ParseBodyObject(body));
  for (size_t i = 0; i < doc.size(); ++i) {
    const std::string& key = doc.keys()[i];
    const JsonValue& v = doc.items()[i];
    if (v.is_null()) continue;
    if (key == "maxFiles" || key == "max_files") {
      ASSIGN_OR_RETURN(r.max_files, JsonMaxFiles(v));
    } else if (key == "pageToken" || key == "page_token") {
      ASSIGN_OR_RETURN(std::string t, JsonString(v, key));
      if (!t.empty()) r.page_token = std::move(t);
    }
  }
  return r;
}

Result<ChangesRequest> ParseChangesRequest(const QueryParams& params) {
  ChangesRequest r;
  auto sv = FindParam(params, "startingVersion");
  auto st = FindParam(params, "startingTimestamp");
  auto ev = FindParam(params, "endingVersion");
  auto et = FindParam(params, "endingTimestamp");
  if (sv && st) {
    return Status::InvalidArgument(
        "Multiple starting arguments provided: use only one of startingVersion and "
        "startingTimestamp");
  }
  if (ev && et) {
    return Status::InvalidArgument(
        "Multiple ending arguments provided: use only one of endingVersion and endingTimestamp");
  }
  if (!sv && !st) {
    return Status::InvalidArgument(
        "No startingVersion or startingTimestamp provided for CDF read.");
  }
  if (sv) {
    ASSIGN_OR_RETURN(r.starting_version, ParseVersionParam("startingVersion", *sv));
  }
  if (st) {
    ASSIGN_OR_RETURN(r.starting_timestamp_ms, ParseTimestampParam("startingTimestamp", *st));
  }
  if (ev) {
    ASSIGN_OR_RETURN(r.ending_version, ParseVersionParam("endingVersion", *ev));
  }
  if (et) {
    ASSIGN_OR_RETURN(r.ending_timestamp_ms, ParseTimestampParam("endingTimestamp", *et));
  }
  if (r.starting_version && r.ending_version && *r.ending_version < *r.starting_version) {
    return Status::InvalidArgument("CDF range from start " + std::to_string(*r.starting_version) +
                                   " to end " + std::to_string(*r.ending_version) +
                                   " was invalid: the end is before the start");
  }
  if (r.starting_timestamp_ms && r.ending_timestamp_ms &&
      *r.ending_timestamp_ms < *r.starting_timestamp_ms) {
    return Status::InvalidArgument(
        "CDF range is invalid: endingTimestamp is before "
        "startingTimestamp");
  }
  if (auto v = FindParam(params, "includeHistoricalMetadata")) {
    ASSIGN_OR_RETURN(r.include_historical_metadata,
                     ParseBoolParam("includeHistoricalMetadata", *v));
  }
  if (auto v = FindParam(params, "includeHistoricalProtocol")) {
    ASSIGN_OR_RETURN(r.include_historical_protocol,
                     ParseBoolParam("includeHistoricalProtocol", *v));
  }
  if (auto v = FindParam(params, "maxFiles")) {
    ASSIGN_OR_RETURN(r.max_files, ParseMaxFilesParam(*v));
  }
  if (auto v = FindParam(params, "pageToken"); v && !v->empty()) r.page_token = std::string(*v);
  return r;
}

std::optional<std::string> ParseCredentialsLocation(std::string_view body) {
  auto doc = ParseJson(body, /*max_depth=*/8);
  if (!doc.ok() || !doc->is_object()) return std::nullopt;
  const JsonValue* loc = doc->Find("location");
  if (loc == nullptr || !loc->is_string() || loc->string_value().empty()) return std::nullopt;
  return loc->string_value();
}

}  // namespace ds::sharing::protocol
