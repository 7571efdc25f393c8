#include "access/model.h"

#include <algorithm>

#include "access/ip_allow_list.h"
#include "access/names.h"
#include "expr/sql_predicate.h"
#include "util/string_util.h"

namespace ds::access {

const Schema* Share::FindSchema(std::string_view name) const {
  for (const auto& schema : schemas) {
    if (SameName(schema.name, name)) return &schema;
  }
  return nullptr;
}

const Table* Share::FindTable(std::string_view schema_name, std::string_view table_name) const {
  const Schema* schema = FindSchema(schema_name);
  if (!schema) return nullptr;
  for (const auto& table : schema->tables) {
    if (SameName(table.name, table_name)) return &table;
  }
  return nullptr;
}

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kRecipient:
      return "recipient";
    case TokenKind::kOAuthAccess:
      return "oauth";
    case TokenKind::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::string_view TokenStateName(TokenState state) {
  switch (state) {
    case TokenState::kActive:
      return "active";
    case TokenState::kInGrace:
      return "in-grace";
    case TokenState::kExpired:
      return "expired";
    case TokenState::kRevoked:
      return "revoked";
  }
  return "unknown";
}

TokenState TokenRecord::StateAt(int64_t now_ms) const {
  if (revoked_at_ms && *revoked_at_ms <= now_ms) return TokenState::kRevoked;
  if (expires_at_ms <= now_ms) return TokenState::kExpired;
  if (revoked_at_ms) return TokenState::kInGrace;
  return TokenState::kActive;
}

namespace {

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Status CheckText(std::string_view what, std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Status::InvalidArgument(std::string(what) + " is longer than " +
                                   std::to_string(max_bytes) + " bytes");
  }
  if (!IsValidUtf8(text)) return Status::InvalidArgument(std::string(what) + " is not valid UTF-8");
  if (text.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument(std::string(what) + " contains a NUL byte");
  }
  return Status::OK();
}

}  // namespace

Status NormalizeProperties(Properties* properties) {
  std::sort(properties->begin(), properties->end());
  for (size_t i = 1; i < properties->size(); ++i) {
    if ((*properties)[i].first == (*properties)[i - 1].first) {
      return Status::InvalidArgument("property '" + (*properties)[i].first + "' is given twice");
    }
  }
  return Status::OK();
}

Status ValidateProperties(const Properties& properties) {
  if (properties.size() > kMaxProperties) {
    return Status::InvalidArgument("more than " + std::to_string(kMaxProperties) + " properties");
  }
  for (const auto& [key, value] : properties) {
    if (key.empty()) return Status::InvalidArgument("property key is empty");
    RETURN_NOT_OK(CheckText("property key", key, 4 * kMaxPropertyKeyChars));
    RETURN_NOT_OK(CheckText("property '" + key + "'", value, 4 * kMaxPropertyValueChars));
    if (CodePoints(key) > kMaxPropertyKeyChars) {
      return Status::InvalidArgument("property key '" + key + "' is longer than " +
                                     std::to_string(kMaxPropertyKeyChars) + " characters");
    }
    if (CodePoints(value) > kMaxPropertyValueChars) {
      return Status::InvalidArgument("value of property '" + key + "' is longer than " +
                                     std::to_string(kMaxPropertyValueChars) + " characters");
    }
  }
  return Status::OK();
}

Status ValidateShareFields(const Share& share) {
  RETURN_NOT_OK(ValidateName(NameKind::kShare, share.name));
  RETURN_NOT_OK(CheckText("share comment", share.comment, kMaxCommentBytes));
  return ValidateProperties(share.properties);
}

bool IsLocalTableLocation(std::string_view location) {
  return location.substr(0, 5) == "file:" || location.find("://") == std::string_view::npos;
}

Status ValidateTableFields(const Table& table) {
  RETURN_NOT_OK(ValidateName(NameKind::kTable, table.name));
  if (table.location.empty()) {
    return Status::InvalidArgument("table '" + table.name + "' has no location");
  }
  RETURN_NOT_OK(CheckText("table location", table.location, kMaxLocationBytes));
  RETURN_NOT_OK(CheckText("table comment", table.comment, kMaxCommentBytes));
  if (table.start_version && *table.start_version < 0) {
    return Status::InvalidArgument("table '" + table.name + "' has a negative start version");
  }
  if (table.encrypted && !IsLocalTableLocation(table.location)) {
    return Status::InvalidArgument(
        "table '" + table.name +
        "' is encrypted but not local: encrypted tables must be a path or a file:// URI (the "
        "server decrypts their files itself; pre-signed cloud URLs would hand out ciphertext)");
  }
  return Status::OK();
}

Status ValidateRecipientFields(const Recipient& recipient) {
  RETURN_NOT_OK(ValidateName(NameKind::kRecipient, recipient.name));
  RETURN_NOT_OK(CheckText("recipient comment", recipient.comment, kMaxCommentBytes));
  constexpr int64_t kMaxLifetime = 10LL * 366 * 24 * 3600;
  if (recipient.token_lifetime_seconds <= 0 || recipient.token_lifetime_seconds > kMaxLifetime) {
    return Status::InvalidArgument("token lifetime must be between 1 second and 10 years");
  }
  if (recipient.rate_limit_per_minute < 0) {
    return Status::InvalidArgument("rate limit must not be negative");
  }
  if (recipient.ip_allow.size() > kMaxIpAllowEntries) {
    return Status::InvalidArgument("more than " + std::to_string(kMaxIpAllowEntries) +
                                   " IP allow-list entries");
  }
  RETURN_NOT_OK(IpAllowList::Parse(recipient.ip_allow));
  return ValidateProperties(recipient.properties);
}

Status ValidatePartitionFilter(const std::optional<std::string>& filter) {
  if (!filter) return Status::OK();
  if (Trim(*filter).empty()) return Status::InvalidArgument("partition filter is empty");
  RETURN_NOT_OK(CheckText("partition filter", *filter, kMaxPartitionFilterBytes));
  return expr::ParseSqlPredicate(*filter).status().WithContext("partition filter");
}

}  // namespace ds::access
