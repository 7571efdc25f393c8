#include "sharing/service/snapshot_query.h"

#include <algorithm>
#include <limits>

#include "sharing/protocol/tokens.h"
#include "sharing/service/table_lines.h"
#include "sharing/service/table_traits.h"

namespace ds::sharing::service::internal {
namespace {

// Rows a file contributes to limitHint: numRecords minus deleted rows, 0 without stats.
int64_t LiveRecords(const delta::FileView& f) {
  int64_t n = f.stats() ? NumRecordsOf(*f.stats()).value_or(0) : 0;
  if (auto dv = f.deletion_vector()) n -= dv->cardinality;
  return std::max<int64_t>(n, 0);
}

Status StreamFiles(const Env& env, const SnapshotPlan& plan, StreamWriter& w) {
  HeaderLineOptions header;
  header.format = plan.spec.format;
  header.client_listed_features = plan.client_listed_features;
  header.history_shared = plan.table.access.table->history_shared;
  header.extras.size = plan.snapshot->files().total_bytes();
  header.extras.num_files = static_cast<int64_t>(plan.snapshot->files().num_files());
  AppendHeaderLines(plan.snapshot->protocol(), plan.snapshot->metadata(), header, w.out());
  RETURN_NOT_OK(w.Flush(true));  // the client sees the schema at once

  const delta::FileTable& files = plan.snapshot->files();
  std::shared_ptr<const std::vector<uint32_t>> order;
  if (plan.page_size) {
    auto sorted = plan.table.table->SortedFiles(plan.snapshot);
    if (!sorted.ok()) return sorted.status();
    order = std::move(sorted).value();
  }
  FileFilter& filter = *plan.filter;
  std::vector<delta::StringPairView> pv_scratch, tag_scratch;
  int64_t records = 0;
  const size_t n = files.num_files();
  Status st;
  for (size_t i = static_cast<size_t>(plan.start_index); i < n; ++i) {
    const delta::FileView f = files.file(order ? (*order)[i] : i);
    if (!filter.Admit(f)) continue;
    if (plan.limit_hint && records >= *plan.limit_hint) break;
    if (plan.page_size && w.files() == *plan.page_size) {
      protocol::FilePageToken next;
      next.table = plan.table.key;
      next.version = plan.version;
      next.next_index = static_cast<int64_t>(i);
      next.params_digest = plan.params_digest;
      w.next_page() = std::move(next);
      break;
    }
    st = w.lines().Append(f.View(&pv_scratch, &tag_scratch), protocol::FileKind::kFile,
                          std::nullopt, std::nullopt, w.out());
    if (!st.ok()) break;
    w.CountFile();
    if (plan.limit_hint) records += LiveRecords(f);
    st = w.Flush(false);
    if (!st.ok()) break;
  }
  env.counters.files_skipped->Increment(static_cast<uint64_t>(filter.skipped()));
  return st;
}

}  // namespace

Result<SnapshotPlan> PlanSnapshotQuery(const Env& env, const Call& call, const TableContext& table,
                                       const protocol::QueryRequest& request,
                                       const protocol::Capabilities& caps,
                                       std::optional<protocol::FileIdScheme> id_scheme,
                                       std::optional<int32_t> max_files,
                                       const std::optional<std::string>& page_token,
                                       std::optional<int64_t> pinned_version) {
  SnapshotPlan plan;
  plan.table = table;
  plan.params_digest = protocol::QueryParamsDigest(request);
  if (request.time_travel()) RETURN_NOT_OK(RequireHistory(table));

  std::optional<protocol::FilePageToken> token;
  if (page_token) {
    ASSIGN_OR_RETURN(token, OpenPageToken(env, call, *page_token, table, plan.params_digest));
    if (token->end_version || token->resume_version) {
      return Status::InvalidArgument(
          "Error decoding the page token: it belongs to a change query, not a snapshot query");
    }
    pinned_version = token->version;
    plan.start_index = token->next_index;
  }
  if (request.refresh_token) {
    auto sealed =
        env.access->codec().Decode(access::KeyPurpose::kRefreshToken, call.principal.recipient_id(),
                                   *request.refresh_token, NowMs());
    if (!sealed.ok()) {
      return Status::InvalidArgument(
          "Error decoding the refresh token: it is malformed, has expired, or was issued to "
          "someone else");
    }
    ASSIGN_OR_RETURN(protocol::RefreshToken refresh, protocol::DecodeRefreshToken(sealed->payload));
    if (refresh.table != table.key) {
      return Status::InvalidArgument(
          "The table specified in the refresh token does not match the table being queried.");
    }
    if (refresh.params_digest != plan.params_digest) {
      return Status::InvalidArgument(
          "The refresh token was issued for a query with other parameters");
    }
    pinned_version = refresh.version;
  }
  if (pinned_version) {
    RETURN_NOT_OK(CheckStartVersion(table, *pinned_version));
    plan.version = *pinned_version;
  } else {
    ASSIGN_OR_RETURN(plan.version,
                     ResolveSnapshotVersion(table, request.version, request.timestamp_ms));
  }
  auto snapshot = table.table->AtVersion(plan.version);
  if (!snapshot.ok()) return TableError(table, snapshot.status());
  plan.snapshot = std::move(snapshot).value();

  StreamSpec& spec = plan.spec;
  spec.table_version = plan.version;
  ASSIGN_OR_RETURN(spec.format, protocol::ChooseFormat(caps, TraitsOf(*plan.snapshot)));
  spec.id_scheme = id_scheme.value_or(spec.format == protocol::ResponseFormat::kDelta
                                          ? protocol::FileIdScheme::kDelta
                                          : protocol::FileIdScheme::kParquet);
  spec.echo_id_scheme = id_scheme.has_value();
  spec.client_end_stream_action = caps.include_end_stream_action;
  const bool paginate = max_files.has_value() || token.has_value();
  if (paginate) {
    plan.page_size = static_cast<int32_t>(std::min<int64_t>(
        max_files.value_or(std::numeric_limits<int32_t>::max()), env.options.page_size_limit));
  }
  const bool refresh = request.include_refresh_token || request.refresh_token.has_value();
  if (refresh)
    spec.refresh_token = protocol::RefreshToken{table.key, plan.version, plan.params_digest};
  spec.end_stream_action = caps.include_end_stream_action || paginate || refresh;
  plan.client_listed_features = !caps.reader_features.empty();
  // limitHint is sound only without predicates (the client filters rows after the files are
  // cut) and is not carried across pages.
  if (request.predicate_hints.empty() && !request.json_predicate_hints && !paginate) {
    plan.limit_hint = request.limit_hint;
  }
  ASSIGN_OR_RETURN(auto filter, FileFilter::Make(plan.snapshot->schema(), plan.snapshot->metadata(),
                                                 table.access.partition_filter, &request,
                                                 env.options.evaluate_json_predicate_hints,
                                                 env.options.evaluate_predicate_hints));
  plan.filter = std::make_shared<FileFilter>(std::move(filter));
  return plan;
}

http::Response StreamSnapshotQuery(const Env& env, Call& call, SnapshotPlan plan) {
  auto shared = std::make_shared<SnapshotPlan>(std::move(plan));
  const Env* e = &env;
  return StreamResponse(env, call, shared->table, shared->spec,
                        [e, shared](StreamWriter& w) { return StreamFiles(*e, *shared, w); });
}

}  // namespace ds::sharing::service::internal
