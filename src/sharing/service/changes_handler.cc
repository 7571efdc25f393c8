// GET …/changes: the change data feed of a version range (protocol.md §10).
#include <limits>

#include "delta/table_features.h"
#include "sharing/protocol/requests.h"
#include "sharing/protocol/responses.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/file_lines.h"
#include "sharing/service/query_plan.h"
#include "sharing/service/table_lines.h"
#include "util/json.h"

namespace ds::sharing::service::internal {
namespace {

constexpr size_t kWriteChunk = 64 * 1024;
// Commits are read twice (a validation pass before the 200, then the stream) unless the
// range is small enough to keep the first read in memory.
constexpr size_t kMaxBufferedActions = 100'000;

// A MERGE that changed nothing: its add/remove actions only rewrite files.
bool IsNoOpMerge(const delta::CommitActions& commit) {
  if (!commit.commit_info || commit.commit_info->operation != "MERGE") return false;
  auto doc = ParseJson(commit.commit_info->json);
  if (!doc.ok()) return false;
  const JsonValue* metrics = doc->Find("operationMetrics");
  if (metrics == nullptr || !metrics->is_object()) return false;
  for (const char* key :
       {"numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsDeleted"}) {
    const JsonValue* v = metrics->Find(key);
    if (v == nullptr) return false;
    const std::string text = v->is_string()   ? v->string_value()
                             : v->is_number() ? v->number_text()
                                              : "";
    if (text != "0") return false;
  }
  return true;
}

struct ChangesPlan {
  TableContext table;
  protocol::ChangesRequest request;
  protocol::Capabilities caps;
  protocol::ResponseFormat format;
  protocol::FileIdScheme id_scheme;
  bool echo_id_scheme = false;
  int64_t start = 0, end = 0, latest = 0;
  delta::SnapshotPtr start_snapshot;
  std::optional<delta::Metadata> head_metadata;  // latest metadata when not historical
  std::string params_digest;
  int64_t start_index = 0;
  std::optional<int32_t> page_size;
  bool end_stream_action = false;
  std::shared_ptr<FileFilter> filter;
  std::shared_ptr<std::vector<delta::CommitActions>> buffered;  // the validation pass
};

Result<ChangesPlan> PlanChanges(const Env& env, const Call& call, const TableContext& table) {
  ChangesPlan p;
  p.table = table;
  RETURN_NOT_OK(RequireHistory(table, /*changes=*/true));
  ASSIGN_OR_RETURN(p.request, protocol::ParseChangesRequest(ParamsOf(*call.http)));
  p.caps = protocol::ParseCapabilities(call.http->header(kCapabilitiesHeader).value_or(""));
  ASSIGN_OR_RETURN(auto id_scheme, FileIdHashOf(*call.http));
  p.params_digest = protocol::ChangesParamsDigest(p.request);
  ASSIGN_OR_RETURN(p.latest, table.table->LatestVersion());

  if (p.request.page_token) {
    ASSIGN_OR_RETURN(protocol::FilePageToken token,
                     OpenPageToken(env, call, *p.request.page_token, table, p.params_digest));
    p.start = token.version;
    p.end = token.end_version.value_or(p.latest);
    p.start_index = token.next_index;
  } else {
    std::shared_ptr<const delta::CommitTimeline> timeline;
    if (p.request.starting_timestamp_ms || p.request.ending_timestamp_ms) {
      ASSIGN_OR_RETURN(timeline, table.table->Timeline());
    }
    if (p.request.starting_version) {
      p.start = *p.request.starting_version;
    } else {
      auto v = timeline->VersionAtOrAfter(*p.request.starting_timestamp_ms);
      if (!v.ok()) {
        return Status::InvalidArgument("The provided timestamp (" +
                                       std::to_string(*p.request.starting_timestamp_ms) +
                                       " ms) is after the latest version available");
      }
      p.start = *v;
    }
    if (p.start > p.latest) {
      return Status::InvalidArgument("Provided Start version(" + std::to_string(p.start) +
                                     ") for reading change data is invalid: the latest version "
                                     "is " +
                                     std::to_string(p.latest));
    }
    p.end = p.latest;
    if (p.request.ending_version) {
      p.end = std::min(*p.request.ending_version, p.latest);
    } else if (p.request.ending_timestamp_ms) {
      auto v = timeline->VersionAtOrBefore(*p.request.ending_timestamp_ms);
      if (!v.ok()) {
        return Status::InvalidArgument("The provided timestamp (" +
                                       std::to_string(*p.request.ending_timestamp_ms) +
                                       " ms) is before the earliest version available");
      }
      p.end = *v;
    }
    if (p.end < p.start) {
      return Status::InvalidArgument("CDF range from start " + std::to_string(p.start) +
                                     " to end " + std::to_string(p.end) + " was invalid");
    }
  }
  RETURN_NOT_OK(CheckStartVersion(table, p.start, /*changes=*/true));

  ASSIGN_OR_RETURN(p.start_snapshot, table.table->AtVersion(p.start));
  const auto not_recorded = [&](int64_t v) {
    return Status::InvalidArgument("Error getting change data for range [" +
                                   std::to_string(p.start) + ", " + std::to_string(p.end) +
                                   "] as change data was not recorded for version [" +
                                   std::to_string(v) + "]");
  };
  if (!delta::ChangeDataFeedEnabled(p.start_snapshot->metadata())) return not_recorded(p.start);

  // Validation pass: CDF must stay on through the range, and every protocol be readable.
  auto buffered = std::make_shared<std::vector<delta::CommitActions>>();
  size_t actions = 0;
  bool keep = true;
  RETURN_NOT_OK(table.table->table()->ForEachCommit(
      p.start, p.end, [&](delta::CommitActions&& commit) -> Status {
        if (commit.metadata && !delta::ChangeDataFeedEnabled(*commit.metadata)) {
          return not_recorded(commit.version);
        }
        if (commit.protocol) RETURN_NOT_OK(delta::CheckReadable(*commit.protocol));
        actions += commit.files.size();
        if (keep && actions <= kMaxBufferedActions) {
          buffered->push_back(std::move(commit));
        } else {
          keep = false;
          buffered->clear();
        }
        return Status::OK();
      }));
  if (keep) p.buffered = std::move(buffered);

  ASSIGN_OR_RETURN(p.format, protocol::ChooseFormat(p.caps, TraitsOf(*p.start_snapshot)));
  p.id_scheme = id_scheme.value_or(p.format == protocol::ResponseFormat::kDelta
                                       ? protocol::FileIdScheme::kDelta
                                       : protocol::FileIdScheme::kParquet);
  p.echo_id_scheme = id_scheme.has_value();
  if (!p.request.include_historical_metadata && p.latest != p.start) {
    ASSIGN_OR_RETURN(delta::SnapshotPtr latest, table.table->Latest());
    p.head_metadata = latest->metadata();
  }
  if (p.request.max_files || p.request.page_token) {
    p.page_size = static_cast<int32_t>(
        std::min<int64_t>(p.request.max_files.value_or(std::numeric_limits<int32_t>::max()),
                          env.options.page_size_limit));
  }
  p.end_stream_action = p.caps.include_end_stream_action || p.page_size.has_value();
  ASSIGN_OR_RETURN(auto filter, FileFilter::Make(*p.start_snapshot, table.access.partition_filter,
                                                 nullptr, false, false));
  p.filter = std::make_shared<FileFilter>(std::move(filter));
  return p;
}

struct ChangesStream {
  const Env* env;
  Call call;
  ChangesPlan plan;
  int64_t files = 0;
  int64_t min_expiration = std::numeric_limits<int64_t>::max();
  std::optional<int64_t> next_index;
};

Status Drain(http::ResponseStream& stream, std::string* out, bool force) {
  if (out->empty() || (!force && out->size() < kWriteChunk)) return Status::OK();
  Status st = stream.Write(*out);
  out->clear();
  return st;
}

Status ProduceChanges(ChangesStream& s, http::ResponseStream& stream) {
  const ChangesPlan& p = s.plan;
  std::string out;
  HeaderLineOptions header;
  header.format = p.format;
  header.client_listed_features = !p.caps.reader_features.empty();
  header.history_shared = true;
  const bool historical_protocol =
      p.request.include_historical_protocol && p.format == protocol::ResponseFormat::kDelta;
  AppendProtocolLine(p.start_snapshot->protocol(), header,
                     historical_protocol ? std::optional<int64_t>(p.start) : std::nullopt, &out);
  HeaderLineOptions head = header;
  head.extras.version = p.head_metadata ? p.latest : p.start;
  AppendMetadataLine(p.head_metadata ? *p.head_metadata : p.start_snapshot->metadata(), head, &out);
  RETURN_NOT_OK(Drain(stream, &out, true));

  FileSigner signer(p.table.table.get(), s.env->local_urls.get(), s.call.base_url,
                    s.call.principal.recipient_id(), s.env->options.presigned_url_timeout_seconds);
  int64_t index = 0;
  auto emit = [&](const delta::CommitActions& commit) -> Status {
    if (commit.version > p.start && index >= p.start_index) {
      if (commit.metadata && p.request.include_historical_metadata) {
        HeaderLineOptions o = header;
        o.extras.version = commit.version;
        AppendMetadataLine(*commit.metadata, o, &out);
      }
      if (commit.protocol && historical_protocol) {
        AppendProtocolLine(*commit.protocol, header, commit.version, &out);
      }
    }
    bool has_cdc = false;
    for (const auto& a : commit.files) has_cdc |= a.kind == delta::FileActionKind::kCdc;
    if (!has_cdc && IsNoOpMerge(commit)) return Status::OK();
    FileLineOptions line;
    line.format = p.format;
    line.id_scheme = p.id_scheme;
    line.version = commit.version;
    line.timestamp = commit.timestamp_ms;
    delta::FileActionViewScratch scratch;
    for (const delta::FileAction& action : commit.files) {
      const bool is_cdc = action.kind == delta::FileActionKind::kCdc;
      if (has_cdc ? !is_cdc : (is_cdc || !action.data_change)) continue;
      const delta::FileActionView view = delta::ViewOf(action, &scratch);
      if (!p.filter->AdmitPartitions(view)) continue;
      if (index++ < p.start_index) continue;
      if (p.page_size && s.files == *p.page_size) {
        s.next_index = index - 1;
        return Status::Cancelled("stop");
      }
      const protocol::FileKind kind = is_cdc ? protocol::FileKind::kCdf
                                      : action.kind == delta::FileActionKind::kAdd
                                          ? protocol::FileKind::kAdd
                                          : protocol::FileKind::kRemove;
      RETURN_NOT_OK(AppendFileLine(view, kind, line, &signer, &s.min_expiration, &out));
      ++s.files;
      RETURN_NOT_OK(Drain(stream, &out, false));
    }
    return Status::OK();
  };
  Status st;
  if (p.buffered) {
    for (const auto& commit : *p.buffered) {
      st = emit(commit);
      if (!st.ok()) break;
    }
  } else {
    st = p.table.table->table()->ForEachCommit(
        p.start, p.end, [&](delta::CommitActions&& commit) { return emit(commit); });
  }
  s.env->counters->urls_signed += signer.signed_count();
  if (st.code() == StatusCode::kCancelled && st.message() == "stop") st = Status::OK();
  if (!st.ok()) {
    if (!p.end_stream_action) return st;
    protocol::EndStreamAction end;
    end.error_message = st.message();
    end.http_status_error_code = protocol::ToApiError(st).http_status;
    protocol::AppendEndStreamAction(end, &out);
    return Drain(stream, &out, true);
  }
  if (p.end_stream_action) {
    protocol::EndStreamAction end;
    if (s.next_index) {
      protocol::FilePageToken token{p.table.key, p.start, p.end, *s.next_index, p.params_digest};
      ASSIGN_OR_RETURN(end.next_page_token, SealPageToken(*s.env, s.call, token));
    }
    if (s.files > 0) end.min_url_expiration_timestamp = s.min_expiration;
    protocol::AppendEndStreamAction(end, &out);
  }
  return Drain(stream, &out, true);
}

}  // namespace

http::Response TableChanges(const Env& env, Call& call) {
  auto fail = [&](const Status& st) {
    http::Response r = ErrorResponse(st, false);
    FinishAudit(env, call, r.status, 0, st.message());
    return r;
  };
  auto table = OpenTable(env, call);
  if (!table.ok()) return fail(table.status());
  auto plan = PlanChanges(env, call, *table);
  if (!plan.ok()) return fail(plan.status());
  auto state = std::make_shared<ChangesStream>();
  state->env = &env;
  state->call = call;
  state->plan = std::move(plan).value();
  call.audit->version = state->plan.start;
  const auto& p = state->plan;
  http::Response r = http::Response::Stream(200, kNdjson, [state](http::ResponseStream& stream) {
    Status st = ProduceChanges(*state, stream);
    state->env->counters->files_served += state->files;
    FinishAudit(*state->env, state->call, st.ok() ? 200 : 500, state->files,
                st.ok() ? "" : st.message());
    return st;
  });
  r.headers.Set(kTableVersionHeader, std::to_string(p.start));
  r.headers.Set(kCapabilitiesHeader,
                protocol::FormatCapabilitiesHeader(p.format, p.caps.include_end_stream_action));
  if (p.echo_id_scheme) r.headers.Set("fileidhash", protocol::FileIdSchemeName(p.id_scheme));
  return r;
}

http::Response TemporaryCredentials(const Env& env, Call& call) {
  auto table = OpenTable(env, call);
  Status st = table.ok() ? Status::NotSupported(
                               "directory access is not offered for this table (accessModes "
                               "is url only); query the table for pre-signed file URLs")
                         : table.status();
  http::Response r = ErrorResponse(st, false);
  FinishAudit(env, call, r.status, 0, st.message());
  return r;
}

}  // namespace ds::sharing::service::internal
