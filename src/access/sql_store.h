// The SQL AccessStores: SQLite (embedded default) and PostgreSQL (shared by server
// replicas), one implementation over the driver seam in sql_connection.h. Opening applies
// the schema migrations (sql_migrations.h).
//
// A statement that fails because a pooled connection went stale (the server restarted, a
// network cut) is retried once on a new connection; other failures are returned as they are.
// Thread-safe: each call borrows a connection from the pool.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "access/access_store.h"
#include "access/sql_connection.h"

namespace ds::access {

class SqlAccessStore final : public AccessStore {
 public:
  // Opens a SQLite database file (created if missing).
  static Result<std::unique_ptr<SqlAccessStore>> OpenSqlite(const std::string& path,
                                                            const StoreOptions& options);
  // Connects to PostgreSQL with a libpq URI.
  static Result<std::unique_ptr<SqlAccessStore>> OpenPostgres(const std::string& url,
                                                              const StoreOptions& options);

  std::string description() const override { return description_; }

  Result<Share> CreateShare(Share share) override;
  Result<Share> GetShare(std::string_view name) override;
  Result<std::vector<Share>> ListShares(const ListOptions& options) override;
  Status UpdateShare(std::string_view name, const std::string& comment,
                     const Properties& properties) override;
  Status DeleteShare(std::string_view name) override;
  Status AddSchema(std::string_view share, std::string_view schema) override;
  Status DeleteSchema(std::string_view share, std::string_view schema) override;
  Result<Table> AddTable(std::string_view share, std::string_view schema, Table table) override;
  Status DeleteTable(std::string_view share, std::string_view schema,
                     std::string_view table) override;

  Result<Recipient> CreateRecipient(Recipient recipient) override;
  Result<Recipient> GetRecipient(std::string_view name) override;
  Result<Recipient> GetRecipientById(std::string_view id) override;
  Result<std::vector<Recipient>> ListRecipients(const ListOptions& options) override;
  Status UpdateRecipient(const Recipient& recipient) override;
  Status DeleteRecipient(std::string_view name) override;

  Result<Grant> PutGrant(std::string_view recipient, std::string_view share,
                         const std::optional<std::string>& partition_filter) override;
  Status DeleteGrant(std::string_view recipient, std::string_view share) override;
  Result<std::vector<Grant>> ListGrants(const GrantFilter& filter) override;
  Result<std::vector<Grant>> ListGrantsOfRecipient(std::string_view recipient_id) override;

  Status InsertToken(const TokenRecord& token) override;
  Result<TokenRecord> GetToken(std::string_view id) override;
  Result<std::vector<TokenRecord>> ListTokens(const TokenFilter& filter) override;
  Status SupersedeToken(std::string_view old_id, const TokenRecord& replacement,
                        int64_t old_stops_at_ms) override;
  Status RevokeToken(std::string_view id, int64_t at_ms) override;
  Result<int64_t> RevokeTokens(const TokenFilter& filter, int64_t at_ms) override;
  Result<int64_t> DeleteTokensEndedBefore(int64_t before_ms) override;

  Status InsertOAuthClient(const OAuthClient& client) override;
  Result<OAuthClient> GetOAuthClient(std::string_view client_id) override;
  Result<std::vector<OAuthClient>> ListOAuthClients(std::string_view recipient_id) override;
  Status DeleteOAuthClient(std::string_view client_id, int64_t now_ms) override;

  Status InsertActivationLink(const ActivationLink& link) override;
  Result<ActivationLink> GetActivationLink(std::string_view id) override;
  Status RedeemActivationLink(std::string_view id, int64_t now_ms,
                              const TokenRecord& token) override;

  Status AppendAudit(const std::vector<AuditRecord>& records) override;
  Result<std::vector<AuditRecord>> QueryAudit(const AuditQuery& query) override;
  Result<int64_t> DeleteAuditBefore(int64_t before_ms) override;

  Result<std::vector<KeyVersion>> ListKeyVersions() override;
  Result<KeyVersion> AddKeyVersion(int64_t now_ms) override;
  Status RetireKeyVersion(int64_t version, int64_t now_ms) override;

  Result<int64_t> Revision() override;

 private:
  using Work = std::function<Status(sql::Connection&)>;
  // kSingle: no transaction. kRead: a read snapshot. kAppend: a write transaction.
  // kWrite: a write transaction that first bumps the revision (which also serializes writers).
  enum class Mode { kSingle, kRead, kAppend, kWrite };

  SqlAccessStore(std::string description, sql::ConnectFn connect, const StoreOptions& options);
  Status Initialize();

  // Runs `work` on a pooled connection in `mode`. Retries once on a stale connection.
  Status Run(Mode mode, const Work& work);

  // Helpers over an open connection.
  static Status Bump(sql::Connection& c);
  static Result<std::string> ShareId(sql::Connection& c, std::string_view name);
  static Result<std::string> RecipientId(sql::Connection& c, std::string_view name);
  static Status InsertTokenRow(sql::Connection& c, const TokenRecord& token);
  static Result<std::vector<Grant>> QueryGrants(sql::Connection& c, const std::string& where,
                                                const std::vector<sql::Param>& params);

  std::string description_;
  sql::Pool pool_;
};

}  // namespace ds::access
