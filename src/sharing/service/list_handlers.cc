// GET /shares, /shares/{share}, /shares/{share}/schemas, …/tables, …/all-tables.
#include <vector>

#include "sharing/protocol/requests.h"
#include "sharing/protocol/responses.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/service_internal.h"
#include "util/string_util.h"

namespace ds::sharing::service::internal {
namespace {

// One page of `items` for a list whose token scope is `scope`.
template <typename Item>
Result<std::pair<std::vector<Item>, std::string>> Paginate(const Env& env, const Call& call,
                                                           std::vector<Item> items,
                                                           const std::string& scope) {
  ASSIGN_OR_RETURN(protocol::ListRequest req, protocol::ParseListRequest(ParamsOf(*call.http)));
  int64_t offset = 0;
  if (req.page_token) {
    auto sealed = env.access->codec().Decode(
        access::KeyPurpose::kPageToken, call.principal.recipient_id(), *req.page_token, NowMs());
    if (!sealed.ok())
      return Status::InvalidArgument("invalid 'nextPageToken': " + sealed.status().message());
    auto token = protocol::DecodeListToken(sealed->payload);
    if (!token.ok() || token->scope != scope ||
        token->offset > static_cast<int64_t>(items.size())) {
      return Status::InvalidArgument("invalid 'nextPageToken': it belongs to another list");
    }
    offset = token->offset;
  }
  const int64_t end =
      std::min<int64_t>(static_cast<int64_t>(items.size()), offset + req.max_results);
  std::vector<Item> page(std::make_move_iterator(items.begin() + offset),
                         std::make_move_iterator(items.begin() + end));
  std::string next;
  if (end < static_cast<int64_t>(items.size())) {
    ASSIGN_OR_RETURN(next, env.access->codec().Encode(access::KeyPurpose::kPageToken,
                                                      call.principal.recipient_id(),
                                                      protocol::EncodeListToken({scope, end}),
                                                      NowMs() + env.options.page_token_ttl_ms));
  }
  return std::make_pair(std::move(page), std::move(next));
}

http::Response Ok(const Env& env, const Call& call, std::string body, int64_t items) {
  FinishAudit(env, call, 200, items, "");
  return http::Response::Json(200, std::move(body));
}

std::vector<protocol::TableItem> TablesOf(const access::Share& share,
                                          const access::Schema& schema) {
  std::vector<protocol::TableItem> out;
  for (const access::Table& t : schema.tables) {
    out.push_back({t.name, schema.name, share.name, share.id, t.id});
  }
  return out;
}

}  // namespace

http::Response ListShares(const Env& env, Call& call) {
  auto shares = env.access->ListShares(call.principal);
  if (!shares.ok()) return Fail(env, call, shares.status());
  std::vector<protocol::ShareItem> items;
  for (const auto& s : *shares) items.push_back({s->name, s->id});
  auto page = Paginate(env, call, std::move(items), "shares");
  if (!page.ok()) return Fail(env, call, page.status());
  const auto n = static_cast<int64_t>(page->first.size());
  return Ok(env, call, protocol::SharesPage(page->first, page->second), n);
}

http::Response GetShare(const Env& env, Call& call) {
  auto share = env.access->AuthorizeShare(call.principal, call.route.share);
  if (!share.ok()) return Fail(env, call, share.status());
  return Ok(env, call, protocol::ShareDocument({share->share->name, share->share->id}), 1);
}

http::Response ListSchemas(const Env& env, Call& call) {
  auto share = env.access->AuthorizeShare(call.principal, call.route.share);
  if (!share.ok()) return Fail(env, call, share.status());
  std::vector<protocol::SchemaItem> items;
  for (const access::Schema& s : share->share->schemas)
    items.push_back({s.name, share->share->name});
  auto page = Paginate(env, call, std::move(items), "schemas/" + ToLower(share->share->name));
  if (!page.ok()) return Fail(env, call, page.status());
  const auto n = static_cast<int64_t>(page->first.size());
  return Ok(env, call, protocol::SchemasPage(page->first, page->second), n);
}

http::Response ListTables(const Env& env, Call& call) {
  auto share = env.access->AuthorizeShare(call.principal, call.route.share);
  if (!share.ok()) return Fail(env, call, share.status());
  const access::Schema* schema = share->share->FindSchema(call.route.schema);
  if (schema == nullptr) {
    return Fail(env, call,
                Status::NotFound("[Share/Schema] '" + call.route.share + "/" + call.route.schema +
                                 "' does not exist, please contact your share provider for "
                                 "further information."));
  }
  auto page = Paginate(env, call, TablesOf(*share->share, *schema),
                       "tables/" + ToLower(share->share->name) + "/" + ToLower(schema->name));
  if (!page.ok()) return Fail(env, call, page.status());
  const auto n = static_cast<int64_t>(page->first.size());
  return Ok(env, call, protocol::TablesPage(page->first, page->second), n);
}

http::Response ListAllTables(const Env& env, Call& call) {
  auto share = env.access->AuthorizeShare(call.principal, call.route.share);
  if (!share.ok()) return Fail(env, call, share.status());
  std::vector<protocol::TableItem> items;
  for (const access::Schema& schema : share->share->schemas) {
    auto tables = TablesOf(*share->share, schema);
    items.insert(items.end(), tables.begin(), tables.end());
  }
  auto page = Paginate(env, call, std::move(items), "all-tables/" + ToLower(share->share->name));
  if (!page.ok()) return Fail(env, call, page.status());
  const auto n = static_cast<int64_t>(page->first.size());
  return Ok(env, call, protocol::TablesPage(page->first, page->second), n);
}

}  // namespace ds::sharing::service::internal
