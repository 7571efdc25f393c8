#include "access/store_internal.h"

#include "access/ids.h"
#include "access/ip_allow_list.h"
#include "access/names.h"

namespace ds::access::internal {

Status PrepareShare(Share* share) {
  RETURN_NOT_OK(NormalizeProperties(&share->properties));
  RETURN_NOT_OK(ValidateShareFields(*share));
  if (share->id.empty()) {
    ASSIGN_OR_RETURN(share->id, NewUuid());
  }
  if (share->created_at_ms == 0) share->created_at_ms = SystemNowMs();
  share->schemas.clear();
  return Status::OK();
}

Status PrepareTable(Table* table) {
  RETURN_NOT_OK(ValidateTableFields(*table));
  if (table->id.empty()) {
    ASSIGN_OR_RETURN(table->id, NewUuid());
  }
  if (table->created_at_ms == 0) table->created_at_ms = SystemNowMs();
  return Status::OK();
}

Status PrepareRecipient(Recipient* recipient) {
  RETURN_NOT_OK(NormalizeProperties(&recipient->properties));
  RETURN_NOT_OK(ValidateRecipientFields(*recipient));
  ASSIGN_OR_RETURN(recipient->ip_allow, CanonicalCidrs(recipient->ip_allow));
  if (recipient->id.empty()) {
    ASSIGN_OR_RETURN(recipient->id, NewUuid());
  }
  if (recipient->created_at_ms == 0) recipient->created_at_ms = SystemNowMs();
  return Status::OK();
}

Status CheckTokenRecord(const TokenRecord& token) {
  if (token.id.empty() || token.hash.empty()) {
    return Status::InvalidArgument("token record needs an id and a hash");
  }
  if (token.expires_at_ms <= token.created_at_ms) {
    return Status::InvalidArgument("token must expire after it is created");
  }
  if ((token.kind == TokenKind::kAdmin) != token.recipient_id.empty()) {
    return Status::InvalidArgument("admin tokens have no recipient; other tokens need one");
  }
  if ((token.kind == TokenKind::kOAuthAccess) == token.oauth_client_id.empty()) {
    return Status::InvalidArgument("OAuth access tokens, and only they, name their client");
  }
  if (token.label.size() > 1024) return Status::InvalidArgument("token label is too long");
  return Status::OK();
}

Status CheckOAuthClient(const OAuthClient& client) {
  if (client.client_id.empty() || client.secret_hash.empty() || client.recipient_id.empty()) {
    return Status::InvalidArgument("OAuth client needs an id, a secret hash and a recipient");
  }
  if (client.access_token_lifetime_seconds <= 0 ||
      client.access_token_lifetime_seconds > 7 * 86400) {
    return Status::InvalidArgument("OAuth access token lifetime must be between 1 s and 7 days");
  }
  return Status::OK();
}

Status CheckActivationLink(const ActivationLink& link) {
  if (link.id.empty() || link.code_hash.empty() || link.recipient_id.empty()) {
    return Status::InvalidArgument("activation link needs an id, a code hash and a recipient");
  }
  if (link.expires_at_ms <= link.created_at_ms) {
    return Status::InvalidArgument("activation link must expire after it is created");
  }
  if (link.endpoint.size() > kMaxLocationBytes) {
    return Status::InvalidArgument("activation link endpoint is too long");
  }
  return Status::OK();
}

Status CheckAuditQuery(const AuditQuery& query) {
  if (query.limit < 1 || query.limit > 10000) {
    return Status::InvalidArgument("audit query limit must be between 1 and 10000");
  }
  if (query.from_ms && query.to_ms && *query.from_ms > *query.to_ms) {
    return Status::InvalidArgument("audit query time range is inverted");
  }
  return Status::OK();
}

Status CheckListOptions(const ListOptions& options) {
  if (options.limit < 1 || options.limit > 10000) {
    return Status::InvalidArgument("listing limit must be between 1 and 10000");
  }
  return Status::OK();
}

Status CheckRevokeFilter(const TokenFilter& filter) {
  if (filter.recipient_id.empty() && filter.oauth_client_id.empty() &&
      filter.kind != TokenKind::kAdmin) {
    return Status::InvalidArgument("revoking tokens needs a recipient, a client or kind admin");
  }
  return Status::OK();
}

namespace {
void Clamp(std::string* s, size_t max_bytes) {
  if (s->size() <= max_bytes) return;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>((*s)[n]) & 0xC0) == 0x80) --n;  // whole UTF-8
  s->resize(n);
}
}  // namespace

AuditRecord ClampAuditRecord(const AuditRecord& record) {
  AuditRecord r = record;
  Clamp(&r.recipient, 255 * 4);
  Clamp(&r.recipient_id, 64);
  Clamp(&r.token_id, 64);
  Clamp(&r.operation, 64);
  Clamp(&r.share, 255 * 4);
  Clamp(&r.schema, 255 * 4);
  Clamp(&r.table, 255 * 4);
  Clamp(&r.client_address, 64);
  Clamp(&r.user_agent, 512);
  Clamp(&r.message, 1024);
  return r;
}

}  // namespace ds::access::internal
