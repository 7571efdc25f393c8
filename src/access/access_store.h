// AccessStore: where shares, recipients, grants, credentials, audit records and key versions
// live. Implementations: memory (memory_store.h, tests), SQLite (the embedded default) and
// PostgreSQL (several server replicas), the last two in sql_store.h. OpenAccessStore picks
// one from a URL. One conformance suite (store_conformance.h) runs against all three.
//
// Contract shared by every method:
// - Names are validated (names.h) and matched case-insensitively; a malformed name or field
//   is InvalidArgument, a missing named thing NotFound, a taken name or id AlreadyExists.
// - The store holds no secrets: credentials arrive already hashed (token_service.h).
// - Unavailable when the database cannot be reached (retrying may help), IOError or
//   Corruption for other database failures. Nothing throws.
// - Every method is thread-safe. Writes are atomic: a failed call changes nothing.
// - Revision() grows whenever something an authentication cache may hold changes (shares,
//   tables, recipients, grants, revocations, key versions), including changes made by other
//   processes on the same database. Inserting a new credential does not bump it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/model.h"
#include "util/result.h"

namespace ds::access {

struct GrantFilter {
  std::string recipient;  // name; "" = any
  std::string share;      // name; "" = any
};

struct TokenFilter {
  std::string recipient_id;  // "" = any recipient (or admin tokens with kind kAdmin)
  std::optional<TokenKind> kind;
  std::string oauth_client_id;  // "" = any
};

class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // "memory:", "sqlite:/path/to.db", "postgresql://user@host/db" (never a password).
  virtual std::string description() const = 0;

  // --- Shares, schemas, tables -------------------------------------------------------------
  // Creates a share without schemas (share.schemas is ignored). Assigns the id if empty and
  // created_at_ms if 0; returns the stored share.
  virtual Result<Share> CreateShare(Share share) = 0;
  // The share with its schemas and tables.
  virtual Result<Share> GetShare(std::string_view name) = 0;
  // Shares ordered by name key, without schemas.
  virtual Result<std::vector<Share>> ListShares(const ListOptions& options) = 0;
  // Replaces comment and properties.
  virtual Status UpdateShare(std::string_view name, const std::string& comment,
                             const Properties& properties) = 0;
  // Deletes the share, its schemas and tables, and every grant of it.
  virtual Status DeleteShare(std::string_view name) = 0;
  virtual Status AddSchema(std::string_view share, std::string_view schema) = 0;
  // Deletes the schema and its tables.
  virtual Status DeleteSchema(std::string_view share, std::string_view schema) = 0;
  // Adds a table, creating the schema if needed. Assigns the id if empty.
  virtual Result<Table> AddTable(std::string_view share, std::string_view schema, Table table) = 0;
  virtual Status DeleteTable(std::string_view share, std::string_view schema,
                             std::string_view table) = 0;

  // --- Recipients --------------------------------------------------------------------------
  // Assigns the id if empty; canonicalizes ip_allow.
  virtual Result<Recipient> CreateRecipient(Recipient recipient) = 0;
  virtual Result<Recipient> GetRecipient(std::string_view name) = 0;
  virtual Result<Recipient> GetRecipientById(std::string_view id) = 0;
  virtual Result<std::vector<Recipient>> ListRecipients(const ListOptions& options) = 0;
  // Replaces every field but name, id and created_at_ms of the recipient named
  // recipient.name.
  virtual Status UpdateRecipient(const Recipient& recipient) = 0;
  // Deletes the recipient with its grants, tokens, OAuth clients and activation links.
  virtual Status DeleteRecipient(std::string_view name) = 0;

  // --- Grants ------------------------------------------------------------------------------
  // Grants `share` to `recipient`, or replaces the partition filter of an existing grant.
  virtual Result<Grant> PutGrant(std::string_view recipient, std::string_view share,
                                 const std::optional<std::string>& partition_filter) = 0;
  virtual Status DeleteGrant(std::string_view recipient, std::string_view share) = 0;
  // Ordered by recipient name key, then share name key. A filter naming a missing recipient
  // or share is NotFound.
  virtual Result<std::vector<Grant>> ListGrants(const GrantFilter& filter) = 0;
  // The grants of one recipient (by id), ordered by share name key; empty if none.
  virtual Result<std::vector<Grant>> ListGrantsOfRecipient(std::string_view recipient_id) = 0;

  // --- Tokens (hashed) ---------------------------------------------------------------------
  // AlreadyExists for a taken id; NotFound if the recipient does not exist.
  virtual Status InsertToken(const TokenRecord& token) = 0;
  virtual Result<TokenRecord> GetToken(std::string_view id) = 0;
  // Ordered by creation time, then id.
  virtual Result<std::vector<TokenRecord>> ListTokens(const TokenFilter& filter) = 0;
  // Atomically inserts `replacement` and makes `old_id` stop working at `old_stops_at_ms`
  // (never later than an earlier revocation), recording the successor. NotFound if `old_id`
  // does not exist; AlreadyExists if the replacement id is taken.
  virtual Status SupersedeToken(std::string_view old_id, const TokenRecord& replacement,
                                int64_t old_stops_at_ms) = 0;
  // Makes one token stop working at `at_ms` (an earlier revocation stands). NotFound.
  virtual Status RevokeToken(std::string_view id, int64_t at_ms) = 0;
  // Revokes every matching token not already revoked by `at_ms`; returns how many changed.
  virtual Result<int64_t> RevokeTokens(const TokenFilter& filter, int64_t at_ms) = 0;
  // Deletes tokens that expired or were revoked before `before_ms`; returns how many.
  virtual Result<int64_t> DeleteTokensEndedBefore(int64_t before_ms) = 0;

  // --- OAuth clients -----------------------------------------------------------------------
  virtual Status InsertOAuthClient(const OAuthClient& client) = 0;
  virtual Result<OAuthClient> GetOAuthClient(std::string_view client_id) = 0;
  // Ordered by creation time; "" = every recipient.
  virtual Result<std::vector<OAuthClient>> ListOAuthClients(std::string_view recipient_id) = 0;
  // Deletes the client and revokes (at `now_ms`) every access token issued to it.
  virtual Status DeleteOAuthClient(std::string_view client_id, int64_t now_ms) = 0;

  // --- Activation links --------------------------------------------------------------------
  virtual Status InsertActivationLink(const ActivationLink& link) = 0;
  virtual Result<ActivationLink> GetActivationLink(std::string_view id) = 0;
  // Atomically marks the link used at `now_ms` and inserts `token` (the one handed out).
  // Exactly one of several concurrent callers succeeds. NotFound if the link does not exist;
  // FailedPrecondition if it was used already or has expired.
  virtual Status RedeemActivationLink(std::string_view id, int64_t now_ms,
                                      const TokenRecord& token) = 0;

  // --- Audit -------------------------------------------------------------------------------
  // Appends records (their seq is assigned, increasing in append order).
  virtual Status AppendAudit(const std::vector<AuditRecord>& records) = 0;
  // Matching records, newest first, at most query.limit (InvalidArgument outside 1..10000).
  virtual Result<std::vector<AuditRecord>> QueryAudit(const AuditQuery& query) = 0;
  // Deletes records older than `before_ms`; returns how many.
  virtual Result<int64_t> DeleteAuditBefore(int64_t before_ms) = 0;

  // --- Key versions (metadata only; keys come from the master key) ------------------------
  // Ascending by version; version 1 exists from the start.
  virtual Result<std::vector<KeyVersion>> ListKeyVersions() = 0;
  // Adds the next version (max + 1), which becomes current.
  virtual Result<KeyVersion> AddKeyVersion(int64_t now_ms) = 0;
  // Retires a version: material minted with it no longer verifies. NotFound for an unknown
  // version; FailedPrecondition if it is the last active one.
  virtual Status RetireKeyVersion(int64_t version, int64_t now_ms) = 0;

  // --- Change detection --------------------------------------------------------------------
  virtual Result<int64_t> Revision() = 0;
};

using AccessStorePtr = std::shared_ptr<AccessStore>;

struct StoreOptions {
  int max_connections = 4;     // PostgreSQL pool size (SQLite: connections kept open)
  int busy_timeout_ms = 5000;  // SQLite lock wait; PostgreSQL connect timeout
};

// Opens the store a URL names: "memory:", "sqlite:PATH" (created if missing; schema
// migrations applied), "postgresql://…" or "postgres://…" (libpq URI; migrations applied).
// InvalidArgument for another scheme; Unavailable if the database cannot be reached;
// FailedPrecondition if its schema is newer than this build knows.
Result<AccessStorePtr> OpenAccessStore(const std::string& url, const StoreOptions& options = {});

// `url` with any password replaced by "***", for messages and logs.
std::string RedactStoreUrl(std::string_view url);

// Milliseconds since the Unix epoch from the system clock.
int64_t SystemNowMs();

}  // namespace ds::access
