#include "access/faulty_store.h"

namespace ds::access {

Status FaultyAccessStore::Check(const char* method) {
  ++calls_;
  if (failing_) return Status::Unavailable(std::string("access store (faulty): ") + method);
  return Status::OK();
}

Result<Share> FaultyAccessStore::CreateShare(Share share) {
  RETURN_NOT_OK(Check("CreateShare"));
  return base_->CreateShare(std::move(share));
}

Result<Share> FaultyAccessStore::GetShare(std::string_view name) {
  RETURN_NOT_OK(Check("GetShare"));
  return base_->GetShare(name);
}

Result<std::vector<Share>> FaultyAccessStore::ListShares(const ListOptions& options) {
  RETURN_NOT_OK(Check("ListShares"));
  return base_->ListShares(options);
}

Status FaultyAccessStore::UpdateShare(std::string_view name, const std::string& comment,
                                      const Properties& properties) {
  RETURN_NOT_OK(Check("UpdateShare"));
  return base_->UpdateShare(name, comment, properties);
}

Status FaultyAccessStore::DeleteShare(std::string_view name) {
  RETURN_NOT_OK(Check("DeleteShare"));
  return base_->DeleteShare(name);
}

Status FaultyAccessStore::AddSchema(std::string_view share, std::string_view schema) {
  RETURN_NOT_OK(Check("AddSchema"));
  return base_->AddSchema(share, schema);
}

Status FaultyAccessStore::DeleteSchema(std::string_view share, std::string_view schema) {
  RETURN_NOT_OK(Check("DeleteSchema"));
  return base_->DeleteSchema(share, schema);
}

Result<Table> FaultyAccessStore::AddTable(std::string_view share, std::string_view schema,
                                          Table table) {
  RETURN_NOT_OK(Check("AddTable"));
  return base_->AddTable(share, schema, std::move(table));
}

Status FaultyAccessStore::DeleteTable(std::string_view share, std::string_view schema,
                                      std::string_view table) {
  RETURN_NOT_OK(Check("DeleteTable"));
  return base_->DeleteTable(share, schema, table);
}

Result<Recipient> FaultyAccessStore::CreateRecipient(Recipient recipient) {
  RETURN_NOT_OK(Check("CreateRecipient"));
  return base_->CreateRecipient(std::move(recipient));
}

Result<Recipient> FaultyAccessStore::GetRecipient(std::string_view name) {
  RETURN_NOT_OK(Check("GetRecipient"));
  return base_->GetRecipient(name);
}

Result<Recipient> FaultyAccessStore::GetRecipientById(std::string_view id) {
  RETURN_NOT_OK(Check("GetRecipientById"));
  return base_->GetRecipientById(id);
}

Result<std::vector<Recipient>> FaultyAccessStore::ListRecipients(const ListOptions& options) {
  RETURN_NOT_OK(Check("ListRecipients"));
  return base_->ListRecipients(options);
}

Status FaultyAccessStore::UpdateRecipient(const Recipient& recipient) {
  RETURN_NOT_OK(Check("UpdateRecipient"));
  return base_->UpdateRecipient(recipient);
}

Status FaultyAccessStore::DeleteRecipient(std::string_view name) {
  RETURN_NOT_OK(Check("DeleteRecipient"));
  return base_->DeleteRecipient(name);
}

Result<Grant> FaultyAccessStore::PutGrant(std::string_view recipient, std::string_view share,
                                          const std::optional<std::string>& partition_filter) {
  RETURN_NOT_OK(Check("PutGrant"));
  return base_->PutGrant(recipient, share, partition_filter);
}

Status FaultyAccessStore::DeleteGrant(std::string_view recipient, std::string_view share) {
  RETURN_NOT_OK(Check("DeleteGrant"));
  return base_->DeleteGrant(recipient, share);
}

Result<std::vector<Grant>> FaultyAccessStore::ListGrants(const GrantFilter& filter) {
  RETURN_NOT_OK(Check("ListGrants"));
  return base_->ListGrants(filter);
}

Result<std::vector<Grant>> FaultyAccessStore::ListGrantsOfRecipient(std::string_view recipient_id) {
  RETURN_NOT_OK(Check("ListGrantsOfRecipient"));
  return base_->ListGrantsOfRecipient(recipient_id);
}

Status FaultyAccessStore::InsertToken(const TokenRecord& token) {
  RETURN_NOT_OK(Check("InsertToken"));
  return base_->InsertToken(token);
}

Result<TokenRecord> FaultyAccessStore::GetToken(std::string_view id) {
  RETURN_NOT_OK(Check("GetToken"));
  return base_->GetToken(id);
}

Result<std::vector<TokenRecord>> FaultyAccessStore::ListTokens(const TokenFilter& filter) {
  RETURN_NOT_OK(Check("ListTokens"));
  return base_->ListTokens(filter);
}

Status FaultyAccessStore::SupersedeToken(std::string_view old_id, const TokenRecord& replacement,
                                         int64_t old_stops_at_ms) {
  RETURN_NOT_OK(Check("SupersedeToken"));
  return base_->SupersedeToken(old_id, replacement, old_stops_at_ms);
}

Status FaultyAccessStore::RevokeToken(std::string_view id, int64_t at_ms) {
  RETURN_NOT_OK(Check("RevokeToken"));
  return base_->RevokeToken(id, at_ms);
}

Result<int64_t> FaultyAccessStore::RevokeTokens(const TokenFilter& filter, int64_t at_ms) {
  RETURN_NOT_OK(Check("RevokeTokens"));
  return base_->RevokeTokens(filter, at_ms);
}

Result<int64_t> FaultyAccessStore::DeleteTokensEndedBefore(int64_t before_ms) {
  RETURN_NOT_OK(Check("DeleteTokensEndedBefore"));
  return base_->DeleteTokensEndedBefore(before_ms);
}

Status FaultyAccessStore::InsertOAuthClient(const OAuthClient& client) {
  RETURN_NOT_OK(Check("InsertOAuthClient"));
  return base_->InsertOAuthClient(client);
}

Result<OAuthClient> FaultyAccessStore::GetOAuthClient(std::string_view client_id) {
  RETURN_NOT_OK(Check("GetOAuthClient"));
  return base_->GetOAuthClient(client_id);
}

Result<std::vector<OAuthClient>> FaultyAccessStore::ListOAuthClients(
    std::string_view recipient_id) {
  RETURN_NOT_OK(Check("ListOAuthClients"));
  return base_->ListOAuthClients(recipient_id);
}

Status FaultyAccessStore::DeleteOAuthClient(std::string_view client_id, int64_t now_ms) {
  RETURN_NOT_OK(Check("DeleteOAuthClient"));
  return base_->DeleteOAuthClient(client_id, now_ms);
}

Status FaultyAccessStore::InsertActivationLink(const ActivationLink& link) {
  RETURN_NOT_OK(Check("InsertActivationLink"));
  return base_->InsertActivationLink(link);
}

Result<ActivationLink> FaultyAccessStore::GetActivationLink(std::string_view id) {
  RETURN_NOT_OK(Check("GetActivationLink"));
  return base_->GetActivationLink(id);
}

Status FaultyAccessStore::RedeemActivationLink(std::string_view id, int64_t now_ms,
                                               const TokenRecord& token) {
  RETURN_NOT_OK(Check("RedeemActivationLink"));
  return base_->RedeemActivationLink(id, now_ms, token);
}

Status FaultyAccessStore::AppendAudit(const std::vector<AuditRecord>& records) {
  RETURN_NOT_OK(Check("AppendAudit"));
  return base_->AppendAudit(records);
}

Result<std::vector<AuditRecord>> FaultyAccessStore::QueryAudit(const AuditQuery& query) {
  RETURN_NOT_OK(Check("QueryAudit"));
  return base_->QueryAudit(query);
}

Result<int64_t> FaultyAccessStore::DeleteAuditBefore(int64_t before_ms) {
  RETURN_NOT_OK(Check("DeleteAuditBefore"));
  return base_->DeleteAuditBefore(before_ms);
}

Result<std::vector<KeyVersion>> FaultyAccessStore::ListKeyVersions() {
  RETURN_NOT_OK(Check("ListKeyVersions"));
  return base_->ListKeyVersions();
}

Result<KeyVersion> FaultyAccessStore::AddKeyVersion(int64_t now_ms) {
  RETURN_NOT_OK(Check("AddKeyVersion"));
  return base_->AddKeyVersion(now_ms);
}

Status FaultyAccessStore::RetireKeyVersion(int64_t version, int64_t now_ms) {
  RETURN_NOT_OK(Check("RetireKeyVersion"));
  return base_->RetireKeyVersion(version, now_ms);
}

Result<int64_t> FaultyAccessStore::Revision() {
  RETURN_NOT_OK(Check("Revision"));
  return base_->Revision();
}
}  // namespace ds::access
