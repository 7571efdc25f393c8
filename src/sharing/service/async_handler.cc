// Asynchronous queries: submit (POST …/query with asyncquery=true) and poll
// (POST …/queries/{queryId}).
#include "sharing/protocol/requests.h"
#include "sharing/protocol/responses.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/query_plan.h"

namespace ds::sharing::service::internal {
namespace {

// What a poll needs to run the query once it is ready.
struct AsyncContext {
  protocol::QueryRequest request;
  protocol::Capabilities caps;
  std::optional<protocol::FileIdScheme> id_scheme;
};

std::string RegistryKey(const Call& call, const std::string& table_key,
                        const std::string& query_key) {
  return call.principal.recipient_id() + "\n" + table_key + "\n" + query_key;
}

http::Response StatusLine(const Env& env, Call& call, std::string_view query_id,
                          std::string_view status, std::string_view error, bool async_echo) {
  std::string body;
  protocol::AppendQueryStatus(query_id, status, error, &body);
  http::Response r = http::Response::Text(200, std::move(body), kNdjson);
  // Spark requires the header on every response; the version is not pinned yet.
  r.headers.Set(kTableVersionHeader, "0");
  r.headers.Set(kCapabilitiesHeader, protocol::FormatCapabilitiesHeader(
                                         protocol::ResponseFormat::kParquet, false, async_echo));
  FinishAudit(env, call, 200, 0, error);
  return r;
}

}  // namespace

http::Response SubmitAsyncQuery(const Env& env, Call& call, TableContext table,
                                protocol::QueryRequest request, const protocol::Capabilities& caps,
                                std::optional<protocol::FileIdScheme> id_scheme) {
  const std::string query_key = *request.idempotency_key + "\n" +
                                protocol::QueryParamsDigest(request) + "\n" +
                                std::to_string(request.max_files.value_or(0));
  auto id = env.access->codec().Encode(access::KeyPurpose::kQueryId, call.principal.recipient_id(),
                                       protocol::EncodeQueryId({table.key, query_key}), 0);
  if (!id.ok()) {
    http::Response r = ErrorResponse(id.status(), false);
    FinishAudit(env, call, r.status, 0, id.status().message());
    return r;
  }
  auto context = std::make_shared<AsyncContext>();
  context->request = request;
  context->caps = caps;
  context->id_scheme = id_scheme;
  // The background part: resolve the version and load the snapshot into the shared cache.
  auto work = [table, request]() -> Result<int64_t> {
    if (request.time_travel() || request.change_mode()) RETURN_NOT_OK(RequireHistory(table));
    int64_t version = 0;
    if (request.change_mode()) {
      version = *request.starting_version;
    } else {
      ASSIGN_OR_RETURN(version,
                       ResolveSnapshotVersion(table, request.version, request.timestamp_ms));
    }
    RETURN_NOT_OK(table.table->AtVersion(version).status());
    return version;
  };
  env.async->Submit(RegistryKey(call, table.key, query_key), context, std::move(work));
  return StatusLine(env, call, *id, "pending", "", true);
}

http::Response QueryInfo(const Env& env, Call& call) {
  auto fail = [&](const Status& st) {
    http::Response r = ErrorResponse(st, false);
    FinishAudit(env, call, r.status, 0, st.message());
    return r;
  };
  auto poll = protocol::ParseQueryInfoRequest(call.http->body());
  if (!poll.ok()) return fail(poll.status());
  auto table = OpenTable(env, call);
  if (!table.ok()) return fail(table.status());
  const Status unknown = Status::NotFound("query '" + call.route.query_id + "' does not exist");
  auto sealed = env.access->codec().Decode(
      access::KeyPurpose::kQueryId, call.principal.recipient_id(), call.route.query_id, NowMs());
  if (!sealed.ok()) return fail(unknown);
  auto id = protocol::DecodeQueryId(sealed->payload);
  if (!id.ok() || id->table != table->key) return fail(unknown);
  auto state = env.async->Get(RegistryKey(call, table->key, id->query_key));
  if (!state.ok()) return fail(unknown);
  switch (state->state) {
    case AsyncQueries::State::kPending:
      return StatusLine(env, call, call.route.query_id, "pending", "", false);
    case AsyncQueries::State::kFailed:
      return StatusLine(env, call, call.route.query_id, "failed", state->error, false);
    case AsyncQueries::State::kSucceeded:
      break;
  }
  const auto* context = static_cast<const AsyncContext*>(state->context.get());
  auto plan = PlanQuery(env, call, *table, context->request, context->caps, context->id_scheme,
                        poll->max_files ? poll->max_files : context->request.max_files,
                        poll->page_token, state->version);
  if (!plan.ok()) return fail(plan.status());
  return StreamQuery(env, call, std::move(plan).value());
}

}  // namespace ds::sharing::service::internal
