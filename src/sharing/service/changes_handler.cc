// GET …/changes (the change data feed, protocol.md §10) and POST
// …/temporary-table-credentials (§11; directory access is not offered).
#include "sharing/protocol/requests.h"
#include "sharing/service/change_query.h"
#include "sharing/service/service_internal.h"

namespace ds::sharing::service::internal {

http::Response TableChanges(const Env& env, Call& call) {
  auto table = OpenTable(env, call);
  if (!table.ok()) return Fail(env, call, table.status());
  // History sharing is checked before the parameters are (as in the reference server).
  if (Status st = RequireHistory(*table, /*changes=*/true); !st.ok()) return Fail(env, call, st);
  auto request = protocol::ParseChangesRequest(ParamsOf(*call.http));
  if (!request.ok()) return Fail(env, call, request.status());
  auto id_scheme = FileIdHashOf(*call.http);
  if (!id_scheme.ok()) return Fail(env, call, id_scheme.status());
  auto plan = PlanChanges(env, call, *table, ChangeRequestOf(*request), CapabilitiesOf(*call.http),
                          *id_scheme);
  if (!plan.ok()) return Fail(env, call, plan.status());
  return StreamChanges(env, call, std::move(plan).value());
}

http::Response TemporaryCredentials(const Env& env, Call& call) {
  auto table = OpenTable(env, call);
  if (!table.ok()) return Fail(env, call, table.status());
  return Fail(env, call,
              Status::NotSupported(
                  "directory access is not offered for this table (its accessModes are url "
                  "only); query the table for pre-signed file URLs"));
}

}  // namespace ds::sharing::service::internal
