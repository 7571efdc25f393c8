// An AccessStore wrapper for tests that counts calls and can make every call fail (as an
// unreachable database would), to check that callers cache what they should and fail
// closed. Thread-safe.
#pragma once

#include <atomic>

#include "access/access_store.h"

namespace ds::access {

class FaultyAccessStore final : public AccessStore {
 public:
  explicit FaultyAccessStore(AccessStorePtr base) : base_(std::move(base)) {}

  // While set, every call returns Unavailable without reaching the wrapped store.
  void SetFailing(bool failing) { failing_ = failing; }
  // Calls made so far (failed ones included).
  int64_t calls() const { return calls_; }

  std::string description() const override { return "faulty:" + base_->description(); }

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
  Status Check(const char* method);

  AccessStorePtr base_;
  std::atomic<bool> failing_{false};
  std::atomic<int64_t> calls_{0};
};

}  // namespace ds::access
