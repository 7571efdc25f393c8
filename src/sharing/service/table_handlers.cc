// GET …/version (and HEAD …/tables/{table}), GET …/metadata, and the version rules they
// share with the query and changes endpoints.
#include "sharing/protocol/requests.h"
#include "sharing/service/service_internal.h"
#include "sharing/service/table_lines.h"
#include "sharing/service/table_traits.h"

namespace ds::sharing::service::internal {

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
                                       std::optional<int64_t> timestamp_ms, bool listing_only) {
  auto latest = listing_only ? table.table->table()->LatestVersion() : table.table->LatestVersion();
  if (!latest.ok()) return TableError(table, latest.status());
  if (!version && !timestamp_ms) return *latest;
  RETURN_NOT_OK(RequireHistory(table));
  int64_t v = 0;
  if (version) {
    if (*version > *latest) {
      return Status::InvalidArgument("Cannot load table version " + std::to_string(*version) +
                                     " as the latest version is " + std::to_string(*latest));
    }
    v = *version;
  } else {
    auto timeline = listing_only ? table.table->table()->Timeline() : table.table->Timeline();
    if (!timeline.ok()) return TableError(table, timeline.status());
    auto newest = (*timeline)->TimestampOf((*timeline)->latest_version());
    if (!newest.ok()) return TableError(table, newest.status());
    if (*timestamp_ms > *newest) {
      return Status::InvalidArgument("The provided timestamp (" + std::to_string(*timestamp_ms) +
                                     " ms) is after the latest version available to this table (" +
                                     std::to_string((*timeline)->latest_version()) +
                                     ", committed at " + std::to_string(*newest) + " ms)");
    }
    auto found = (*timeline)->VersionAtOrBefore(*timestamp_ms);
    if (!found.ok()) {
      return Status::InvalidArgument("The provided timestamp (" + std::to_string(*timestamp_ms) +
                                     " ms) is before the earliest version available to this "
                                     "table");
    }
    v = *found;
  }
  RETURN_NOT_OK(CheckStartVersion(table, v));
  return v;
}

http::Response TableVersion(const Env& env, Call& call) {
  const bool head = call.route.head;
  auto fail = [&](const Status& st) {
    http::Response r = ErrorResponse(env, call, st, head);
    FinishAudit(env, call, r.status, 0, st.message());
    return r;
  };
  auto table = OpenTable(env, call);
  if (!table.ok()) return fail(table.status());
  const protocol::QueryParams params = ParamsOf(*call.http);
  int64_t version = 0;
  if (protocol::FindParam(params, "startingTimestamp")) {
    // The history check comes before the timestamp is even parsed (as in the reference).
    if (Status st = RequireHistory(*table); !st.ok()) return fail(st);
    auto req = protocol::ParseVersionRequest(params);
    if (!req.ok()) return fail(req.status());
    auto timeline = table->table->Timeline();
    if (!timeline.ok()) return fail(TableError(*table, timeline.status()));
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
    if (!latest.ok()) return fail(TableError(*table, latest.status()));
    version = *latest;
  }
  http::Response r = http::Response::Empty(200);
  r.headers.Set(kTableVersionHeader, std::to_string(version));
  call.audit->version = version;
  FinishAudit(env, call, 200, 0, "");
  return r;
}

http::Response TableMetadata(const Env& env, Call& call) {
  auto table = OpenTable(env, call);
  if (!table.ok()) return Fail(env, call, table.status());
  auto id_scheme = FileIdHashOf(*call.http);
  if (!id_scheme.ok()) return Fail(env, call, id_scheme.status());
  const protocol::QueryParams params = ParamsOf(*call.http);
  if (protocol::FindParam(params, "version") || protocol::FindParam(params, "timestamp")) {
    if (Status st = RequireHistory(*table); !st.ok()) return Fail(env, call, st);
  }
  auto req = protocol::ParseMetadataRequest(params);
  if (!req.ok()) return Fail(env, call, req.status());
  auto version = ResolveSnapshotVersion(*table, req->version, req->timestamp_ms);
  if (!version.ok()) return Fail(env, call, version.status());
  auto snapshot = table->table->AtVersion(*version);
  if (!snapshot.ok()) return Fail(env, call, TableError(*table, snapshot.status()));
  const protocol::Capabilities caps = CapabilitiesOf(*call.http);
  auto format = protocol::ChooseFormat(caps, TraitsOf(**snapshot));
  if (!format.ok()) return Fail(env, call, format.status());

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
