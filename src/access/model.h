// The access model: what a provider shares (shares -> schemas -> tables), with whom
// (recipients and their grants), and the credentials and records around it (tokens, OAuth
// clients, activation links, audit records, key versions).
//
// These are plain values. Times are milliseconds since the Unix epoch (UTC). Names keep the
// spelling they were created with and compare case-insensitively (names.h). Ids are assigned
// by the store when empty (UUIDs for shares, tables and recipients; random printable ids for
// credentials). Secrets never appear here: tokens, client secrets and activation codes are
// stored only as keyed hashes (token_service.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/status.h"

namespace ds::access {

// String -> string, sorted by key, keys unique.
using Properties = std::vector<std::pair<std::string, std::string>>;

struct Table {
  std::string name;
  std::string id;        // UUID; immutable
  std::string location;  // URI of the table root (the folder holding _delta_log)
  std::string comment;
  bool history_shared = false;           // time travel and CDF allowed
  std::optional<int64_t> start_version;  // first version recipients may read
  // Sealed at rest under the data key of the share's id (sealed_store.h); the server reads
  // and serves it decrypted, so the location must be local (a path or file://).
  bool encrypted = false;
  int64_t created_at_ms = 0;
};

struct Schema {
  std::string name;
  std::vector<Table> tables;  // sorted by name key
};

struct Share {
  std::string name;
  std::string id;  // UUID; immutable
  std::string comment;
  Properties properties;
  std::vector<Schema> schemas;  // sorted by name key; empty in listings
  int64_t created_at_ms = 0;

  // The schema / table with that name (case-insensitive), or nullptr.
  const Schema* FindSchema(std::string_view name) const;
  const Table* FindTable(std::string_view schema, std::string_view table) const;
};

constexpr int64_t kDefaultTokenLifetimeSeconds = 24 * 3600;
constexpr int64_t kDefaultOAuthTokenLifetimeSeconds = 3600;

struct Recipient {
  std::string name;
  std::string id;  // UUID; the tenant id keys are derived for
  std::string comment;
  int64_t token_lifetime_seconds = kDefaultTokenLifetimeSeconds;
  std::vector<std::string> ip_allow;  // CIDRs in canonical form; empty = any address
  int64_t rate_limit_per_minute = 0;  // per token; 0 = unlimited
  Properties properties;
  int64_t created_at_ms = 0;
};

struct Grant {
  std::string recipient;  // name
  std::string recipient_id;
  std::string share;  // name
  std::string share_id;
  // A predicate over partition columns the server enforces on every file it returns, kept
  // as given (e.g. "region = 'EU'"); nullopt = the whole share.
  std::optional<std::string> partition_filter;
  int64_t created_at_ms = 0;
};

enum class TokenKind : int { kRecipient = 0, kOAuthAccess = 1, kAdmin = 2 };
std::string_view TokenKindName(TokenKind kind);

enum class TokenState { kActive, kInGrace, kExpired, kRevoked };
std::string_view TokenStateName(TokenState state);

struct TokenRecord {
  std::string id;  // public token id (printable; appears in audit records, never the secret)
  TokenKind kind = TokenKind::kRecipient;
  std::string recipient_id;  // empty for admin tokens
  std::string hash;          // hex HMAC-SHA256 of the token under the tenant's pepper
  int64_t key_version = 1;   // key version of that pepper
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  // The token stops working at this instant: now for a revocation, now + grace for a
  // rotation. nullopt = not revoked.
  std::optional<int64_t> revoked_at_ms;
  std::string superseded_by;    // id of the token that replaced it on rotation
  std::string oauth_client_id;  // for kOAuthAccess: the client it was issued to
  std::string label;            // free text for admins

  TokenState StateAt(int64_t now_ms) const;
};

struct OAuthClient {
  std::string client_id;
  std::string recipient_id;
  std::string secret_hash;  // hex HMAC-SHA256 of the secret under the tenant's pepper
  int64_t key_version = 1;
  int64_t access_token_lifetime_seconds = kDefaultOAuthTokenLifetimeSeconds;
  int64_t created_at_ms = 0;
};

struct ActivationLink {
  std::string id;
  std::string recipient_id;
  std::string code_hash;  // hex SHA-256 of the activation code
  std::string endpoint;   // sharing endpoint written into the profile
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::optional<int64_t> used_at_ms;
  std::string issued_token_id;  // the token handed out when it was used
};

// One served request.
struct AuditRecord {
  int64_t seq = 0;  // assigned by the store, increasing
  int64_t time_ms = 0;
  std::string recipient;  // name ("" when unauthenticated)
  std::string recipient_id;
  std::string token_id;   // never the token itself
  std::string operation;  // e.g. "list_shares", "query", "get_profile", "admin.createShare"
  std::string share;
  std::string schema;
  std::string table;
  std::optional<int64_t> version;  // table version served
  int64_t files = 0;               // file actions returned
  int status = 0;                  // HTTP status
  std::string client_address;
  std::string user_agent;
  int64_t duration_us = 0;
  std::string message;  // short error text for failures
};

struct AuditQuery {
  std::string recipient;           // name; "" = any
  std::string share;               // name; "" = any
  std::optional<int64_t> from_ms;  // inclusive
  std::optional<int64_t> to_ms;    // exclusive
  std::optional<int> status;
  std::optional<int64_t> before_seq;  // paging: only records with seq < this
  int limit = 100;                    // 1..10000
};

struct KeyVersion {
  int64_t version = 0;
  int64_t created_at_ms = 0;
  std::optional<int64_t> retired_at_ms;
};

// Paging through a listing ordered by name key.
struct ListOptions {
  std::string after;  // only names whose key is greater than NameKey(after)
  int limit = 1000;   // 1..10000
};

// Field limits the stores enforce (the protocol's, where it has one).
constexpr size_t kMaxCommentBytes = 65536;
constexpr size_t kMaxPropertyKeyChars = 255;
constexpr size_t kMaxPropertyValueChars = 1000;
constexpr size_t kMaxProperties = 50;
constexpr size_t kMaxLocationBytes = 4096;
constexpr size_t kMaxPartitionFilterBytes = 65536;
constexpr size_t kMaxIpAllowEntries = 256;

// Validation shared by every store; each returns InvalidArgument naming the field. A
// partition filter must parse as a SQL predicate (expr/sql_predicate.h); whether its columns
// are partition columns of the tables is checked when a table is served.
Status ValidateProperties(const Properties& properties);
Status ValidateShareFields(const Share& share);
// Also: an encrypted table must be local (IsLocalTableLocation).
Status ValidateTableFields(const Table& table);
// A path or a file: URI (served by the server itself), not s3://, abfss://, gs://…
bool IsLocalTableLocation(std::string_view location);
Status ValidateRecipientFields(const Recipient& recipient);
Status ValidatePartitionFilter(const std::optional<std::string>& filter);

// Sorts by key and rejects duplicates (InvalidArgument).
Status NormalizeProperties(Properties* properties);

}  // namespace ds::access
