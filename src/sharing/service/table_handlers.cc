// GET …/version (and HEAD …/tables/{table}), GET …/metadata, and the version rules they
// share with the query and changes endpoints.
#include "sharing/protocol/requests.h"
#include "sharing/service/service_internal.h"
#include "sharing/service/table_lines.h"
#include "util/string_util.h"

namespace ds::sharing::service::internal {

protocol::QueryParams ParamsOf(const http::Request& request) {
  protocol::QueryParams out;
  const http::QueryParams& q = request.query();
  out.reserve(q.size());
  for (size_t i = 0; i < q.size(); ++i) out.push_back(q[i]);
  return out;
}

Result<std::optional<protocol::FileIdScheme>> FileIdHashOf(const http::Request& request) {
  auto header = request.header("fileidhash");
  if (!header) return std::optional<protocol::FileIdScheme>();
  ASSIGN_OR_RETURN(protocol::FileIdScheme scheme, protocol::ParseFileIdHash(*header));
  return std::optional<protocol::FileIdScheme>(scheme);
}

Status RequireHistory(const TableContext& table, bool changes) {
  if (table.access.table->history_shared) return Status::OK();
  if (changes) return Status::InvalidArgument("cdf is not enabled on table " + table.full_name);
  return Status::InvalidArgument(
      "Reading table by version or timestamp is not supported because history sharing is not "
      "enabled on table: " +
      table.full_name);
}

Status CheckStartVersion(const TableContext& table, int64_t version, bool changes) {
  const int64_t start = table.access.table->start_version.value_or(0);
  if (version >= start) return Status::OK();
  return Status::InvalidArgument(std::string("You can only query table ") +
                                 (changes ? "changes" : "data") + " since version " +
                                 std::to_string(start) + ".");
}

Result<int64_t> ResolveSnapshotVersion(const TableContext& table, std::optional<int64_t> version,
                                       std::optional<int64_t> timestamp_ms) {
  if (!version && !timestamp_ms) return table.table->LatestVersion();
  RETURN_NOT_OK(RequireHistory(table));
  int64_t v = 0;
  if (version) {
    ASSIGN_OR_RETURN(int64_t latest, table.table->LatestVersion());
    if (*version > latest) {
      return Status::InvalidArgument("Cannot load table version " + std::to_string(*version) +
                                     " as the latest version is " + std::to_string(latest));
    }
    v = *version;
  } else {
    ASSIGN_OR_RETURN(auto timeline, table.table->Timeline());
    auto found = timeline->VersionAtOrBefore(*timestamp_ms);
    if (!found.ok()) {
      return Status::InvalidArgument(
          "The provided timestamp (" + std::to_string(*timestamp_ms) +
          " ms) is before the earliest version available: " + found.status().message());
    }
    v = *found;
  }
  RETURN_NOT_OK(CheckStartVersion(table, v));
  return v;
}

http::Response TableVersion(const Env& env, Call& call) {
  const bool head = call.route.head;
  auto fail = [&](const Status& st) {
    http::Response r = ErrorResponse(st, head);
    FinishAudit(env, call, r.status, 0, st.message());
    return r;
  };
  auto table = OpenTable(env, call);
  if (!table.ok()) return fail(table.status());
  const protocol::QueryParams params = ParamsOf(*call.http);
  int64_t version = 0;
  if (protocol::FindParam(params, "startingTimestamp")) {
    if (Status st = RequireHistory(*table); !st.ok()) return fail(st);
    auto req = protocol::ParseVersionRequest(params);
    if (!req.ok()) return fail(req.status());
    auto timeline = table->table->Timeline();
    if (!timeline.ok()) return fail(timeline.status());
    const int64_t ts = *req->starting_timestamp_ms;
    auto found = (*timeline)->VersionAtOrAfter(ts);
    if (!found.ok()) {
      return fail(Status::InvalidArgument("The provided timestamp (" + std::to_string(ts) +
                                          " ms) is after the latest version available"));
    }
    version = *found;
    if (Status st = CheckStartVersion(*table, version); !st.ok()) return fail(st);
  } else {
    auto latest = table->table->LatestVersion();
    if (!latest.ok()) return fail(latest.status());
    version = *latest;
  }
  http::Response r = http::Response::Empty(200);
  r.headers.Set(kTableVersionHeader, std::to_string(version));
  call.audit->version = version;
  FinishAudit(env, call, 200, 0, "");
  return r;
}

http::Response TableMetadata(const Env& env, Call& call) {
  auto fail = [&](const Status& st) {
    http::Response r = ErrorResponse(st, false);
    FinishAudit(env, call, r.status, 0, st.message());
    return r;
  };
  auto table = OpenTable(env, call);
  if (!table.ok()) return fail(table.status());
  auto id_scheme = FileIdHashOf(*call.http);
  if (!id_scheme.ok()) return fail(id_scheme.status());
  const protocol::QueryParams params = ParamsOf(*call.http);
  if (protocol::FindParam(params, "version") || protocol::FindParam(params, "timestamp")) {
    if (Status st = RequireHistory(*table); !st.ok()) return fail(st);
  }
  auto req = protocol::ParseMetadataRequest(params);
  if (!req.ok()) return fail(req.status());
  auto version = ResolveSnapshotVersion(*table, req->version, req->timestamp_ms);
  if (!version.ok()) return fail(version.status());
  auto snapshot = table->table->AtVersion(*version);
  if (!snapshot.ok()) return fail(snapshot.status());
  const protocol::Capabilities caps =
      protocol::ParseCapabilities(call.http->header(kCapabilitiesHeader).value_or(""));
  auto format = protocol::ChooseFormat(caps, TraitsOf(**snapshot));
  if (!format.ok()) return fail(format.status());

  HeaderLineOptions lines;
  lines.format = *format;
  lines.client_listed_features = !caps.reader_features.empty();
  lines.history_shared = table->access.table->history_shared;
  lines.extras.size = (*snapshot)->files().total_bytes();
  lines.extras.num_files = static_cast<int64_t>((*snapshot)->files().num_files());
  std::string body;
  AppendHeaderLines((*snapshot)->protocol(), (*snapshot)->metadata(), lines, &body);

  http::Response r = http::Response::Text(200, std::move(body), kNdjson);
  r.headers.Set(kTableVersionHeader, std::to_string(*version));
  r.headers.Set(kCapabilitiesHeader, protocol::FormatCapabilitiesHeader(*format, false));
  if (*id_scheme) r.headers.Set("fileidhash", protocol::FileIdSchemeName(**id_scheme));
  call.audit->version = *version;
  FinishAudit(env, call, 200, 0, "");
  return r;
}

}  // namespace ds::sharing::service::internal
