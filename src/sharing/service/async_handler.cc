// Asynchronous queries (protocol.md §7.8): submit (POST …/query with asyncquery=true) and
// poll (POST …/queries/{queryId}).
//
// The submit runs the cheap checks at once (400s come back synchronously), registers the
// query under (recipient, table, idempotency key, parameters) and answers "pending"; a
// background thread resolves the version and loads the snapshot into the shared cache. A poll
// answers "pending" until then, "failed" with the reason, or the ordinary (paginated) query
// response at the pinned version.
#include <algorithm>

#include "sharing/protocol/requests.h"
#include "sharing/protocol/responses.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/change_query.h"
#include "sharing/service/snapshot_query.h"

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

http::Response StatusLine(const Env& env, const Call& call, std::string_view query_id,
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

// Every check that a log listing can settle, so that 400s come back at once.
Status CheckSubmit(const TableContext& table, const protocol::QueryRequest& request) {
  if (!request.change_mode()) {
    return ResolveSnapshotVersion(table, request.version, request.timestamp_ms,
                                  /*listing_only=*/true)
        .status();
  }
  RETURN_NOT_OK(RequireHistory(table));
  RETURN_NOT_OK(CheckStartVersion(table, *request.starting_version));
  auto latest = table.table->table()->LatestVersion();
  if (!latest.ok()) return TableError(table, latest.status());
  const int64_t last = std::max(*request.starting_version, request.ending_version.value_or(0));
  if (last > *latest) {
    return Status::InvalidArgument("version " + std::to_string(last) +
                                   " is after the latest version " + std::to_string(*latest));
  }
  return Status::OK();
}

// The background part: the version to pin (snapshot mode: loaded into the cache).
Result<int64_t> RunQuery(const TableContext& table, const protocol::QueryRequest& request) {
  if (request.change_mode()) {
    auto latest = table.table->LatestVersion();
    if (!latest.ok()) return TableError(table, latest.status());
    return *latest;
  }
  ASSIGN_OR_RETURN(int64_t version,
                   ResolveSnapshotVersion(table, request.version, request.timestamp_ms));
  auto snapshot = table.table->AtVersion(version);
  if (!snapshot.ok()) return TableError(table, snapshot.status());
  return version;
}

}  // namespace

http::Response SubmitAsyncQuery(const Env& env, Call& call, const TableContext& table,
                                const protocol::QueryRequest& request,
                                const protocol::Capabilities& caps,
                                std::optional<protocol::FileIdScheme> id_scheme) {
  if (Status st = CheckSubmit(table, request); !st.ok()) return Fail(env, call, st);
  const std::string query_key = *request.idempotency_key + "\n" +
                                protocol::QueryParamsDigest(request) + "\n" +
                                std::to_string(request.max_files.value_or(0));
  auto id = env.access->codec().Encode(access::KeyPurpose::kQueryId, call.principal.recipient_id(),
                                       protocol::EncodeQueryId({table.key, query_key}),
                                       NowMs() + env.options.async_query_ttl_ms);
  if (!id.ok()) return Fail(env, call, id.status());
  auto context = std::make_shared<AsyncContext>(AsyncContext{request, caps, id_scheme});
  const AsyncQueries::Submitted submitted =
      env.async->Submit(RegistryKey(call, table.key, query_key), std::move(id).value(), context,
                        [table, request] { return RunQuery(table, request); });
  if (submitted.created) env.counters.async_submitted->Increment();
  return StatusLine(env, call, submitted.query_id, "pending", "", true);
}

http::Response QueryInfo(const Env& env, Call& call) {
  auto poll = protocol::ParseQueryInfoRequest(call.http->body());
  if (!poll.ok()) return Fail(env, call, poll.status());
  auto table = OpenTable(env, call);
  if (!table.ok()) return Fail(env, call, table.status());
  const Status unknown = Status::NotFound("query '" + call.route.query_id.substr(0, 200) +
                                          "' does not exist or has expired");
  auto sealed = env.access->codec().Decode(
      access::KeyPurpose::kQueryId, call.principal.recipient_id(), call.route.query_id, NowMs());
  if (!sealed.ok()) return Fail(env, call, unknown);
  auto id = protocol::DecodeQueryId(sealed->payload);
  if (!id.ok() || id->table != table->key) return Fail(env, call, unknown);
  auto state = env.async->Get(RegistryKey(call, table->key, id->query_key));
  if (!state.ok()) return Fail(env, call, unknown);
  switch (state->state) {
    case AsyncQueries::State::kPending:
      return StatusLine(env, call, call.route.query_id, "pending", "", false);
    case AsyncQueries::State::kFailed:
      return StatusLine(env, call, call.route.query_id, "failed", state->error, false);
    case AsyncQueries::State::kSucceeded:
      break;
  }
  const auto* context = static_cast<const AsyncContext*>(state->context.get());
  const std::optional<int32_t> max_files =
      poll->max_files ? poll->max_files : context->request.max_files;
  if (context->request.change_mode()) {
    auto plan = PlanChanges(env, call, *table,
                            ChangeRequestOf(context->request, max_files, poll->page_token),
                            context->caps, context->id_scheme);
    if (!plan.ok()) return Fail(env, call, plan.status());
    return StreamChanges(env, call, std::move(plan).value());
  }
  auto plan = PlanSnapshotQuery(env, call, *table, context->request, context->caps,
                                context->id_scheme, max_files, poll->page_token, state->version);
  if (!plan.ok()) return Fail(env, call, plan.status());
  return StreamSnapshotQuery(env, call, std::move(plan).value());
}

}  // namespace ds::sharing::service::internal
