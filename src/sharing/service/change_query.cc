#include "sharing/service/change_query.h"

#include <algorithm>
#include <limits>

#include "delta/action_json.h"
#include "delta/changes.h"
#include "delta/table_features.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/table_traits.h"

namespace ds::sharing::service::internal {
namespace {

// Commits are read twice (the validation pass before the 200, then the stream) unless the
// range is small enough to keep the first read in memory.
constexpr size_t kMaxBufferedActions = 10'000;

bool IsCdf(const ChangePlan& p) { return p.rules == ChangeRules::kCdf; }

// The file actions of `commit` a change response sends, in log order.
void SelectActions(ChangeRules rules, const delta::CommitActions& commit,
                   std::vector<const delta::FileAction*>* out) {
  out->clear();
  bool has_cdc = false;
  for (const auto& a : commit.files) has_cdc |= a.kind == delta::FileActionKind::kCdc;
  if (rules == ChangeRules::kCdf && has_cdc) {
    for (const auto& a : commit.files) {
      if (a.kind == delta::FileActionKind::kCdc) out->push_back(&a);
    }
    return;
  }
  if (rules == ChangeRules::kCdf && commit.commit_info && delta::IsNoOpMerge(*commit.commit_info)) {
    return;
  }
  for (const auto& a : commit.files) {
    if (a.kind != delta::FileActionKind::kCdc && a.data_change) out->push_back(&a);
  }
}

protocol::FileKind KindOf(const delta::FileAction& a) {
  switch (a.kind) {
    case delta::FileActionKind::kCdc:
      return protocol::FileKind::kCdf;
    case delta::FileActionKind::kAdd:
      return protocol::FileKind::kAdd;
    case delta::FileActionKind::kRemove:
      return protocol::FileKind::kRemove;
  }
  return protocol::FileKind::kAdd;
}

// The resolved range of a first page: [start, end] and the head version.
Status ResolveRange(const TableContext& table, const ChangeRequest& r, int64_t latest,
                    ChangePlan* p) {
  std::shared_ptr<const delta::CommitTimeline> timeline;
  if (r.starting_timestamp_ms || r.ending_timestamp_ms) {
    auto loaded = table.table->Timeline();
    if (!loaded.ok()) return TableError(table, loaded.status());
    timeline = std::move(loaded).value();
  }
  if (r.starting_version) {
    p->start = *r.starting_version;
  } else if (r.starting_timestamp_ms) {
    auto v = timeline->VersionAtOrAfter(*r.starting_timestamp_ms);
    if (!v.ok()) {
      return Status::InvalidArgument("The provided timestamp (" +
                                     std::to_string(*r.starting_timestamp_ms) +
                                     " ms) is after the latest version available");
    }
    p->start = *v;
  } else {
    return Status::InvalidArgument("No startingVersion or startingTimestamp provided");
  }
  if (p->start > latest) {
    return Status::InvalidArgument(
        r.rules == ChangeRules::kCdf
            ? "Provided Start version(" + std::to_string(p->start) +
                  ") for reading change data is invalid: the latest version is " +
                  std::to_string(latest)
            : "startingVersion " + std::to_string(p->start) + " is after the latest version " +
                  std::to_string(latest));
  }
  p->end = latest;
  if (r.ending_version) {
    if (r.rules == ChangeRules::kQuery && *r.ending_version > latest) {
      return Status::InvalidArgument("endingVersion " + std::to_string(*r.ending_version) +
                                     " is after the latest version " + std::to_string(latest));
    }
    p->end = std::min(*r.ending_version, latest);  // the change data feed clamps
  } else if (r.ending_timestamp_ms) {
    auto v = timeline->VersionAtOrBefore(*r.ending_timestamp_ms);
    if (!v.ok()) {
      return Status::InvalidArgument("The provided timestamp (" +
                                     std::to_string(*r.ending_timestamp_ms) +
                                     " ms) is before the earliest version available");
    }
    p->end = *v;
  }
  if (p->end < p->start) {
    return Status::InvalidArgument("CDF range from start " + std::to_string(p->start) + " to end " +
                                   std::to_string(p->end) + " was invalid");
  }
  // The change data feed heads with the metadata the client will read the rows with: the
  // start's when it also asks for every later one, else the latest (as the reference does).
  p->head = r.rules == ChangeRules::kCdf && !r.include_historical_metadata ? latest : p->start;
  return Status::OK();
}

// The validation pass over [from, end]: every protocol readable, CDF on throughout (kCdf),
// and what the range needs from a reader merged into `traits`. Keeps the commits when few.
Status ValidateRange(const TableContext& table, ChangePlan* p, int64_t from,
                     const delta::ProtocolAndMetadata& at_from, protocol::TableTraits* traits) {
  auto not_recorded = [&](int64_t v) {
    return Status::InvalidArgument("Error getting change data for range [" +
                                   std::to_string(p->start) + ", " + std::to_string(p->end) +
                                   "] as change data was not recorded for version [" +
                                   std::to_string(v) + "]");
  };
  if (IsCdf(*p) && !delta::ChangeDataFeedEnabled(at_from.metadata)) return not_recorded(from);
  delta::Protocol protocol = at_from.protocol;
  delta::Metadata metadata = at_from.metadata;
  auto buffered = std::make_shared<std::vector<delta::CommitActions>>();
  size_t actions = 0;
  bool keep = true;
  Status st = table.table->table()->ForEachCommit(
      from, p->end, [&](delta::CommitActions&& commit) -> Status {
        if (commit.protocol) {
          RETURN_NOT_OK(delta::CheckReadable(*commit.protocol));
          protocol = *commit.protocol;
        }
        if (commit.metadata) {
          if (IsCdf(*p) && !delta::ChangeDataFeedEnabled(*commit.metadata)) {
            return not_recorded(commit.version);
          }
          metadata = *commit.metadata;
        }
        if (commit.protocol || commit.metadata) MergeTraits(TraitsOf(protocol, metadata), traits);
        for (const auto& a : commit.files) {
          traits->deletion_vectors = traits->deletion_vectors || a.deletion_vector.has_value();
        }
        actions += commit.files.size();
        keep = keep && actions <= kMaxBufferedActions;
        if (keep) {
          buffered->push_back(std::move(commit));
        } else {
          buffered->clear();
        }
        return Status::OK();
      });
  if (!st.ok()) return TableError(table, st);
  if (keep) p->buffered = std::move(buffered);
  return Status::OK();
}

struct ChangeStream {
  const ChangePlan& plan;
  StreamWriter& w;
  std::vector<const delta::FileAction*> selected;
  delta::FileActionViewScratch scratch;
  bool stopped = false;

  void StopAt(int64_t version, int64_t index) {
    protocol::FilePageToken next;
    next.table = plan.table.key;
    next.version = plan.start;
    next.end_version = plan.end;
    next.head_version = plan.head;
    next.resume_version = version;
    next.next_index = index;
    next.format = std::string(protocol::FormatName(plan.spec.format));
    next.params_digest = plan.params_digest;
    w.next_page() = std::move(next);
    stopped = true;
  }
  bool PageFull() const { return plan.page_size && w.files() >= *plan.page_size; }

  Status Commit(const delta::CommitActions& commit) {
    const int64_t v = commit.version;
    if (PageFull()) {
      StopAt(v, 0);
      return Status::OK();
    }
    // Historical lines go with the commit's first page (not again when a page resumes in it).
    const bool resumed = v == plan.resume_version && plan.resume_index > 0;
    if (v > plan.start && !resumed) {
      if (commit.metadata && plan.historical_metadata) {
        HeaderLineOptions o = plan.line_options;
        o.extras.version = v;
        AppendMetadataLine(*commit.metadata, o, w.out());
      }
      if (commit.protocol && plan.historical_protocol) {
        AppendProtocolLine(*commit.protocol, plan.line_options, v, w.out());
      }
    }
    SelectActions(plan.rules, commit, &selected);
    const int64_t first = v == plan.resume_version ? plan.resume_index : 0;
    for (int64_t i = first; i < static_cast<int64_t>(selected.size()); ++i) {
      const delta::FileAction& action = *selected[static_cast<size_t>(i)];
      const delta::FileActionView view = delta::ViewOf(action, &scratch);
      if (!plan.filter->AdmitPartitions(view)) continue;
      if (PageFull()) {
        StopAt(v, i);
        return Status::OK();
      }
      RETURN_NOT_OK(w.lines().Append(view, KindOf(action), v, commit.timestamp_ms, w.out()));
      w.CountFile();
      RETURN_NOT_OK(w.Flush(false));
    }
    return Status::OK();
  }
};

Status StreamChangeLines(const ChangePlan& plan, StreamWriter& w) {
  w.out()->append(plan.head_lines);
  RETURN_NOT_OK(w.Flush(true));
  ChangeStream s{plan, w, {}, {}, false};
  if (plan.buffered) {
    for (const delta::CommitActions& commit : *plan.buffered) {
      RETURN_NOT_OK(s.Commit(commit));
      if (s.stopped) break;
    }
    return Status::OK();
  }
  // Stopping early is not an error: a sentinel ends the iteration, recognized by the flag.
  Status st = plan.table.table->table()->ForEachCommit(
      plan.resume_version, plan.end, [&](delta::CommitActions&& commit) -> Status {
        RETURN_NOT_OK(s.Commit(commit));
        return s.stopped ? Status::Cancelled("page complete") : Status::OK();
      });
  return s.stopped ? Status::OK() : st;
}

}  // namespace

ChangeRequest ChangeRequestOf(const protocol::QueryRequest& query, std::optional<int32_t> max_files,
                              const std::optional<std::string>& page_token) {
  ChangeRequest r;
  r.rules = ChangeRules::kQuery;
  r.starting_version = query.starting_version;
  r.ending_version = query.ending_version;
  r.include_historical_protocol = query.include_historical_protocol;
  r.max_files = max_files;
  r.page_token = page_token;
  r.params_digest = protocol::QueryParamsDigest(query);
  return r;
}

ChangeRequest ChangeRequestOf(const protocol::ChangesRequest& changes) {
  ChangeRequest r;
  r.rules = ChangeRules::kCdf;
  r.starting_version = changes.starting_version;
  r.starting_timestamp_ms = changes.starting_timestamp_ms;
  r.ending_version = changes.ending_version;
  r.ending_timestamp_ms = changes.ending_timestamp_ms;
  r.include_historical_metadata = changes.include_historical_metadata;
  r.include_historical_protocol = changes.include_historical_protocol;
  r.max_files = changes.max_files;
  r.page_token = changes.page_token;
  r.params_digest = protocol::ChangesParamsDigest(changes);
  return r;
}

Result<ChangePlan> PlanChanges(const Env& env, const Call& call, const TableContext& table,
                               const ChangeRequest& request, const protocol::Capabilities& caps,
                               std::optional<protocol::FileIdScheme> id_scheme) {
  ChangePlan p;
  p.table = table;
  p.rules = request.rules;
  p.params_digest = request.params_digest;
  RETURN_NOT_OK(RequireHistory(table, request.rules == ChangeRules::kCdf));
  auto latest = table.table->LatestVersion();
  if (!latest.ok()) return TableError(table, latest.status());

  std::optional<protocol::ResponseFormat> pinned_format;
  if (request.page_token) {
    ASSIGN_OR_RETURN(protocol::FilePageToken token,
                     OpenPageToken(env, call, *request.page_token, table, p.params_digest));
    if (!token.end_version || !token.head_version || !token.resume_version || !token.format ||
        *token.resume_version < token.version || *token.resume_version > *token.end_version) {
      return Status::InvalidArgument(
          "Error decoding the page token: it does not belong to a change query");
    }
    p.start = token.version;
    p.end = *token.end_version;
    p.head = *token.head_version;
    p.resume_version = *token.resume_version;
    p.resume_index = token.next_index;
    pinned_format = *token.format == "delta" ? protocol::ResponseFormat::kDelta
                                             : protocol::ResponseFormat::kParquet;
  } else {
    RETURN_NOT_OK(ResolveRange(table, request, *latest, &p));
    p.resume_version = p.start;
  }
  const bool cdf = request.rules == ChangeRules::kCdf;
  RETURN_NOT_OK(CheckStartVersion(table, p.start, cdf));

  auto head = table.table->ProtocolAndMetadataAt(p.head);
  if (!head.ok()) return TableError(table, head.status());
  auto from = table.table->ProtocolAndMetadataAt(p.resume_version);
  if (!from.ok()) return TableError(table, from.status());
  protocol::TableTraits traits = TraitsOf((*head)->protocol, (*head)->metadata);
  MergeTraits(TraitsOf((*from)->protocol, (*from)->metadata), &traits);
  RETURN_NOT_OK(ValidateRange(table, &p, p.resume_version, **from, &traits));

  StreamSpec& spec = p.spec;
  spec.table_version = p.start;
  if (pinned_format) {
    // Later pages keep the first page's format, if the client still accepts it.
    const bool requested =
        caps.formats.empty()
            ? *pinned_format == protocol::ResponseFormat::kParquet
            : std::count(caps.formats.begin(), caps.formats.end(), *pinned_format) > 0;
    protocol::Capabilities pinned = caps;
    pinned.formats = {*pinned_format};
    if (!requested || !protocol::ChooseFormat(pinned, traits).ok()) {
      return Status::InvalidArgument(
          "Query parameter mismatch detected for the next page query: the response format of "
          "the first page (" +
          std::string(protocol::FormatName(*pinned_format)) + ") is no longer accepted");
    }
    spec.format = *pinned_format;
  } else {
    ASSIGN_OR_RETURN(spec.format, protocol::ChooseFormat(caps, traits));
  }
  spec.id_scheme = id_scheme.value_or(spec.format == protocol::ResponseFormat::kDelta
                                          ? protocol::FileIdScheme::kDelta
                                          : protocol::FileIdScheme::kParquet);
  spec.echo_id_scheme = id_scheme.has_value();
  spec.client_end_stream_action = caps.include_end_stream_action;
  if (request.max_files || request.page_token) {
    p.page_size = static_cast<int32_t>(
        std::min<int64_t>(request.max_files.value_or(std::numeric_limits<int32_t>::max()),
                          env.options.page_size_limit));
  }
  spec.end_stream_action = caps.include_end_stream_action || p.page_size.has_value();

  const bool delta_format = spec.format == protocol::ResponseFormat::kDelta;
  p.historical_metadata = !cdf || request.include_historical_metadata;
  p.historical_protocol = request.include_historical_protocol && delta_format;
  p.line_options.format = spec.format;
  p.line_options.client_listed_features = !caps.reader_features.empty();
  p.line_options.history_shared = true;
  AppendProtocolLine((*head)->protocol, p.line_options,
                     p.historical_protocol ? std::optional<int64_t>(p.head) : std::nullopt,
                     &p.head_lines);
  HeaderLineOptions head_options = p.line_options;
  head_options.extras.version = p.head;
  AppendMetadataLine((*head)->metadata, head_options, &p.head_lines);

  auto mode = delta::EffectiveColumnMappingMode((*head)->protocol, (*head)->metadata);
  if (!mode.ok()) return TableError(table, mode.status());
  auto schema = delta::TableSchema::Make((*head)->metadata, *mode);
  if (!schema.ok()) return TableError(table, schema.status());
  ASSIGN_OR_RETURN(auto filter,
                   FileFilter::Make(*schema, (*head)->metadata, table.access.partition_filter,
                                    nullptr, false, false));
  p.filter = std::make_shared<FileFilter>(std::move(filter));
  return p;
}

http::Response StreamChanges(const Env& env, Call& call, ChangePlan plan) {
  auto shared = std::make_shared<ChangePlan>(std::move(plan));
  return StreamResponse(env, call, shared->table, shared->spec,
                        [shared](StreamWriter& w) { return StreamChangeLines(*shared, w); });
}

}  // namespace ds::sharing::service::internal
