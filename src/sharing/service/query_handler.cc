// POST …/query: snapshot queries (latest, version, timestamp; predicate hints, limitHint,
// pagination, refresh tokens) and change queries (startingVersion/endingVersion).
#include <algorithm>
#include <limits>

#include "sharing/protocol/requests.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/file_filter.h"
#include "sharing/service/file_lines.h"
#include "sharing/service/query_plan.h"
#include "sharing/service/service_internal.h"
#include "sharing/service/table_lines.h"

namespace ds::sharing::service::internal {

http::Response QueryTable(const Env& env, Call& call) {
  auto fail = [&](const Status& st) {
    http::Response r = ErrorResponse(st, false);
    FinishAudit(env, call, r.status, 0, st.message());
    return r;
  };
  auto request = protocol::ParseQueryRequest(call.http->body());
  if (!request.ok()) return fail(request.status());
  auto table = OpenTable(env, call);
  if (!table.ok()) return fail(table.status());
  const protocol::Capabilities caps =
      protocol::ParseCapabilities(call.http->header(kCapabilitiesHeader).value_or(""));
  auto id_scheme = FileIdHashOf(*call.http);
  if (!id_scheme.ok()) return fail(id_scheme.status());
  if (caps.async_query) {
    if (!request->idempotency_key || request->idempotency_key->empty()) {
      return fail(Status::InvalidArgument(
          "an asynchronous query (asyncquery=true) needs an idempotencyKey"));
    }
    return SubmitAsyncQuery(env, call, std::move(table).value(), std::move(request).value(), caps,
                            *id_scheme);
  }
  auto plan = PlanQuery(env, call, *table, *request, caps, *id_scheme, request->max_files,
                        request->page_token);
  if (!plan.ok()) return fail(plan.status());
  return StreamQuery(env, call, std::move(plan).value());
}

}  // namespace ds::sharing::service::internal
