// Validation and normalization shared by the AccessStore implementations (internal).
#pragma once

#include "access/access_store.h"
#include "access/names.h"

namespace ds::access::internal {

// Validates the fields, sorts properties, assigns the id (UUID) if empty and created_at_ms
// (system clock) if 0.
Status PrepareShare(Share* share);
Status PrepareTable(Table* table);
// Also replaces ip_allow by its canonical form.
Status PrepareRecipient(Recipient* recipient);
// InvalidArgument for an empty id or hash, or an expiry not after creation.
Status CheckTokenRecord(const TokenRecord& token);
Status CheckOAuthClient(const OAuthClient& client);
Status CheckActivationLink(const ActivationLink& link);
// InvalidArgument for a limit outside 1..10000 or an inverted time range.
Status CheckAuditQuery(const AuditQuery& query);
Status CheckListOptions(const ListOptions& options);
// InvalidArgument for a filter that would match every token.
Status CheckRevokeFilter(const TokenFilter& filter);
// A copy with over-long text fields truncated (user agents are chosen by clients).
AuditRecord ClampAuditRecord(const AuditRecord& record);

}  // namespace ds::access::internal
