// POST …/query: snapshot queries, change queries (startingVersion) and async submits.
#include "sharing/protocol/requests.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/change_query.h"
#include "sharing/service/service_internal.h"
#include "sharing/service/snapshot_query.h"

namespace ds::sharing::service::internal {

http::Response QueryTable(const Env& env, Call& call) {
  auto request = protocol::ParseQueryRequest(call.http->body());
  if (!request.ok()) return Fail(env, call, request.status());
  const protocol::Capabilities caps = CapabilitiesOf(*call.http);
  if (caps.async_query && (!request->idempotency_key || request->idempotency_key->empty())) {
    return Fail(
        env, call,
        Status::InvalidArgument("an asynchronous query (asyncquery=true) needs an idempotencyKey"));
  }
  auto table = OpenTable(env, call);
  if (!table.ok()) return Fail(env, call, table.status());
  auto id_scheme = FileIdHashOf(*call.http);
  if (!id_scheme.ok()) return Fail(env, call, id_scheme.status());
  if (caps.async_query) return SubmitAsyncQuery(env, call, *table, *request, caps, *id_scheme);

  if (request->change_mode()) {
    auto plan = PlanChanges(env, call, *table,
                            ChangeRequestOf(*request, request->max_files, request->page_token),
                            caps, *id_scheme);
    if (!plan.ok()) return Fail(env, call, plan.status());
    return StreamChanges(env, call, std::move(plan).value());
  }
  auto plan = PlanSnapshotQuery(env, call, *table, *request, caps, *id_scheme, request->max_files,
                                request->page_token);
  if (!plan.ok()) return Fail(env, call, plan.status());
  return StreamSnapshotQuery(env, call, std::move(plan).value());
}

}  // namespace ds::sharing::service::internal
