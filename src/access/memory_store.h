// An AccessStore in memory, for tests and throw-away servers ("memory:"). Contents die with
// the object. The audit log keeps the newest `max_audit_records` records (older ones are
// dropped first), so a config-only server's memory stays bounded. Thread-safe (one mutex).
#pragma once

#include <deque>
#include <map>
#include <mutex>

#include "access/access_store.h"

namespace ds::access {

class MemoryAccessStore final : public AccessStore {
 public:
  static constexpr size_t kDefaultMaxAuditRecords = 100'000;

  explicit MemoryAccessStore(size_t max_audit_records = kDefaultMaxAuditRecords);

  std::string description() const override { return "memory:"; }

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
  struct GrantRow {
    std::string recipient_id;
    std::string share_id;
    std::optional<std::string> partition_filter;
    int64_t created_at_ms = 0;
  };

  // REQUIRES: mu_ held.
  Share* FindShare(std::string_view name);
  Recipient* FindRecipient(std::string_view name);
  const Recipient* FindRecipientById(std::string_view id) const;
  const Share* FindShareById(std::string_view id) const;
  bool TableIdTaken(std::string_view id) const;
  Grant MakeGrant(const GrantRow& row) const;
  Status CheckTokenInsert(const TokenRecord& token) const;
  bool Matches(const TokenFilter& filter, const TokenRecord& token) const;
  void Bump() { ++revision_; }

  mutable std::mutex mu_;
  std::map<std::string, Share> shares_;                             // by name key
  std::map<std::string, Recipient> recipients_;                     // by name key
  std::map<std::pair<std::string, std::string>, GrantRow> grants_;  // (recipient id, share id)
  std::map<std::string, TokenRecord, std::less<>> tokens_;
  std::map<std::string, OAuthClient, std::less<>> clients_;
  std::map<std::string, ActivationLink, std::less<>> links_;
  std::deque<AuditRecord> audit_;
  size_t max_audit_records_;
  int64_t next_seq_ = 1;
  std::vector<KeyVersion> key_versions_;
  int64_t revision_ = 1;
};

}  // namespace ds::access
