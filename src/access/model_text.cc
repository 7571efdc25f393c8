#include "access/model_text.h"

#include <algorithm>

#include "access/duration.h"
#include "access/model_json.h"
#include "util/string_util.h"

namespace ds::access {
namespace {
std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }
}  // namespace

std::string TextTable::ToString() const {
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

std::string FormatTimeSeconds(int64_t ms) { return FormatTimeMs(ms).substr(0, 19) + "Z"; }

std::vector<std::string> ShareHeader() { return {"NAME", "ID", "CREATED", "COMMENT"}; }
std::vector<std::string> ShareRow(const Share& s) {
  return {s.name, s.id, FormatTimeSeconds(s.created_at_ms), s.comment};
}

std::vector<std::string> TableHeader() {
  return {"SCHEMA", "TABLE", "LOCATION", "HISTORY", "START", "ID"};
}
std::vector<std::vector<std::string>> TableRows(const Share& share) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& schema : share.schemas) {
    if (schema.tables.empty()) rows.push_back({schema.name, "-", "-", "-", "-", "-"});
    for (const auto& t : schema.tables) {
      rows.push_back({schema.name, t.name, t.location, t.history_shared ? "shared" : "-",
                      t.start_version ? std::to_string(*t.start_version) : "-", t.id});
    }
  }
  return rows;
}

std::vector<std::string> RecipientHeader() {
  return {"NAME", "ID", "TOKEN-LIFETIME", "RATE-LIMIT", "IP-ALLOW", "COMMENT"};
}
std::vector<std::string> RecipientRow(const Recipient& r) {
  return {r.name,
          r.id,
          FormatDurationSeconds(r.token_lifetime_seconds),
          r.rate_limit_per_minute ? std::to_string(r.rate_limit_per_minute) + "/min" : "-",
          r.ip_allow.empty() ? "any" : Join(r.ip_allow, ","),
          r.comment};
}

std::vector<std::string> GrantHeader() {
  return {"RECIPIENT", "SHARE", "PARTITION-FILTER", "GRANTED"};
}
std::vector<std::string> GrantRow(const Grant& g) {
  return {g.recipient, g.share, g.partition_filter.value_or("-"),
          FormatTimeSeconds(g.created_at_ms)};
}

std::vector<std::string> TokenHeader() {
  return {"ID", "KIND", "RECIPIENT", "STATE", "CREATED", "EXPIRES", "LABEL"};
}
std::vector<std::string> TokenRow(const TokenRecord& t, const std::string& recipient_name,
                                  int64_t now_ms) {
  return {t.id,
          std::string(TokenKindName(t.kind)),
          OrDash(recipient_name),
          std::string(TokenStateName(t.StateAt(now_ms))),
          FormatTimeSeconds(t.created_at_ms),
          FormatTimeSeconds(t.expires_at_ms),
          t.label};
}

std::vector<std::string> OAuthClientHeader() {
  return {"CLIENT-ID", "RECIPIENT-ID", "TOKEN-LIFETIME", "CREATED"};
}
std::vector<std::string> OAuthClientRow(const OAuthClient& c) {
  return {c.client_id, c.recipient_id, FormatDurationSeconds(c.access_token_lifetime_seconds),
          FormatTimeSeconds(c.created_at_ms)};
}

std::vector<std::string> KeyVersionHeader() { return {"VERSION", "STATE", "CREATED", "RETIRED"}; }
std::vector<std::string> KeyVersionRow(const KeyVersion& v) {
  return {std::to_string(v.version), v.retired_at_ms ? "retired" : "active",
          FormatTimeSeconds(v.created_at_ms),
          v.retired_at_ms ? FormatTimeSeconds(*v.retired_at_ms) : "-"};
}

std::vector<std::string> AuditHeader() {
  return {"SEQ",   "TIME",   "RECIPIENT", "OPERATION", "TABLE",   "VERSION",
          "FILES", "STATUS", "MS",        "CLIENT",    "TOKEN-ID"};
}
std::vector<std::string> AuditRow(const AuditRecord& r) {
  std::string path = r.share;
  if (!r.schema.empty()) path += "." + r.schema;
  if (!r.table.empty()) path += "." + r.table;
  return {std::to_string(r.seq),
          FormatTimeSeconds(r.time_ms),
          OrDash(r.recipient),
          r.operation,
          OrDash(path),
          r.version ? std::to_string(*r.version) : "-",
          std::to_string(r.files),
          std::to_string(r.status),
          std::to_string(r.duration_us / 1000),
          OrDash(r.client_address),
          OrDash(r.token_id)};
}

}  // namespace ds::access
