#include "sharing/service/query_plan.h"

#include <algorithm>
#include <limits>

#include "delta/table_features.h"
#include "sharing/protocol/responses.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/file_lines.h"
#include "sharing/service/table_lines.h"

namespace ds::sharing::service::internal {
namespace {

// Stops Table::ForEachCommit early without an error.
Status StopIteration() { return Status::Cancelled("stop"); }
bool IsStop(const Status& st) {
  return st.code() == StatusCode::kCancelled && st.message() == "stop";
}

constexpr size_t kWriteChunk = 64 * 1024;

struct StreamState {
  const Env* env;
  QueryPlan plan;
  std::shared_ptr<access::AuditRecord> audit;
  Call call;  // copy of what the audit needs
  int64_t files = 0;
  int64_t min_expiration = std::numeric_limits<int64_t>::max();
  std::optional<int64_t> next_index;  // set when another page follows
};

HeaderLineOptions HeaderOptions(const QueryPlan& plan) {
  HeaderLineOptions o;
  o.format = plan.format;
  o.client_listed_features = !plan.caps.reader_features.empty();
  o.history_shared = plan.table.access.table->history_shared;
  if (plan.change_mode) {
    o.extras.version = plan.version;
  } else {
    o.extras.size = plan.snapshot->files().total_bytes();
    o.extras.num_files = static_cast<int64_t>(plan.snapshot->files().num_files());
  }
  return o;
}

// Writes `out` to the stream once it is large enough (or when `force`).
Status Drain(http::ResponseStream& stream, std::string* out, bool force) {
  if (out->empty() || (!force && out->size() < kWriteChunk)) return Status::OK();
  Status st = stream.Write(*out);
  out->clear();
  return st;
}

Status StreamSnapshotFiles(StreamState& s, http::ResponseStream& stream, std::string* out) {
  const QueryPlan& plan = s.plan;
  const delta::FileTable& files = plan.snapshot->files();
  std::shared_ptr<const std::vector<uint32_t>> order;
  if (plan.paginate) {
    ASSIGN_OR_RETURN(order, plan.table.table->SortedFiles(plan.snapshot));
  }
  FileSigner signer(plan.table.table.get(), s.env->local_urls.get(), s.call.base_url,
                    s.call.principal.recipient_id(), s.env->options.presigned_url_timeout_seconds);
  FileLineOptions line;
  line.format = plan.format;
  line.id_scheme = plan.id_scheme;
  const bool apply_limit = plan.request.limit_hint && !plan.filter->has_hints() && !plan.paginate;
  int64_t records = 0;
  std::vector<delta::StringPairView> pv_scratch, tag_scratch;
  const size_t n = files.num_files();
  for (size_t i = static_cast<size_t>(plan.start_index); i < n; ++i) {
    const delta::FileView f = files.file(order ? (*order)[i] : i);
    if (!plan.filter->Admit(f)) continue;
    if (apply_limit && records >= *plan.request.limit_hint) break;
    if (plan.page_size && s.files == *plan.page_size) {
      s.next_index = static_cast<int64_t>(i);
      break;
    }
    const delta::FileActionView view = f.View(&pv_scratch, &tag_scratch);
    RETURN_NOT_OK(
        AppendFileLine(view, protocol::FileKind::kFile, line, &signer, &s.min_expiration, out));
    ++s.files;
    if (apply_limit) {
      int64_t n_records = f.stats() ? NumRecordsOf(*f.stats()).value_or(0) : 0;
      if (auto dv = f.deletion_vector()) n_records -= dv->cardinality;
      records += std::max<int64_t>(n_records, 0);
    }
    RETURN_NOT_OK(Drain(stream, out, false));
  }
  s.env->counters->files_skipped += plan.filter->skipped();
  s.env->counters->urls_signed += signer.signed_count();
  return Status::OK();
}

Status StreamChangeFiles(StreamState& s, http::ResponseStream& stream, std::string* out) {
  const QueryPlan& plan = s.plan;
  FileSigner signer(plan.table.table.get(), s.env->local_urls.get(), s.call.base_url,
                    s.call.principal.recipient_id(), s.env->options.presigned_url_timeout_seconds);
  const HeaderLineOptions header = HeaderOptions(plan);
  int64_t index = 0;
  Status st = plan.table.table->table()->ForEachCommit(
      plan.version, plan.end_version, [&](delta::CommitActions&& commit) -> Status {
        const bool page_started = index >= plan.start_index;
        if (commit.version > plan.version && page_started) {
          if (commit.metadata) {
            HeaderLineOptions o = header;
            o.extras = {};
            o.extras.version = commit.version;
            AppendMetadataLine(*commit.metadata, o, out);
          }
          if (commit.protocol && plan.request.include_historical_protocol &&
              plan.format == protocol::ResponseFormat::kDelta) {
            AppendProtocolLine(*commit.protocol, header, commit.version, out);
          }
        }
        if (commit.protocol) RETURN_NOT_OK(delta::CheckReadable(*commit.protocol));
        FileLineOptions line;
        line.format = plan.format;
        line.id_scheme = plan.id_scheme;
        line.version = commit.version;
        line.timestamp = commit.timestamp_ms;
        delta::FileActionViewScratch scratch;
        for (const delta::FileAction& action : commit.files) {
          if (action.kind == delta::FileActionKind::kCdc || !action.data_change) continue;
          const delta::FileActionView view = delta::ViewOf(action, &scratch);
          if (!plan.filter->AdmitPartitions(view)) continue;
          if (index++ < plan.start_index) continue;
          if (plan.page_size && s.files == *plan.page_size) {
            s.next_index = index - 1;
            return StopIteration();
          }
          const auto kind = action.kind == delta::FileActionKind::kAdd
                                ? protocol::FileKind::kAdd
                                : protocol::FileKind::kRemove;
          RETURN_NOT_OK(AppendFileLine(view, kind, line, &signer, &s.min_expiration, out));
          ++s.files;
          RETURN_NOT_OK(Drain(stream, out, false));
        }
        return Status::OK();
      });
  s.env->counters->urls_signed += signer.signed_count();
  return IsStop(st) ? Status::OK() : st;
}

Status Produce(StreamState& s, http::ResponseStream& stream) {
  const QueryPlan& plan = s.plan;
  std::string out;
  out.reserve(kWriteChunk + 4096);
  const HeaderLineOptions header = HeaderOptions(plan);
  AppendProtocolLine(plan.snapshot->protocol(), header,
                     plan.change_mode && plan.request.include_historical_protocol
                         ? std::optional<int64_t>(plan.version)
                         : std::nullopt,
                     &out);
  AppendMetadataLine(plan.snapshot->metadata(), header, &out);
  RETURN_NOT_OK(Drain(stream, &out, true));  // the client sees the schema at once
  Status st =
      plan.change_mode ? StreamChangeFiles(s, stream, &out) : StreamSnapshotFiles(s, stream, &out);
  if (!st.ok()) {
    if (!plan.end_stream_action) return st;  // the server cuts the connection
    protocol::EndStreamAction end;
    end.error_message = st.message();
    end.http_status_error_code = protocol::ToApiError(st).http_status;
    protocol::AppendEndStreamAction(end, &out);
    return Drain(stream, &out, true);
  }
  if (plan.end_stream_action) {
    protocol::EndStreamAction end;
    if (s.next_index) {
      protocol::FilePageToken token;
      token.table = plan.table.key;
      token.version = plan.version;
      if (plan.change_mode) token.end_version = plan.end_version;
      token.next_index = *s.next_index;
      token.params_digest = plan.params_digest;
      ASSIGN_OR_RETURN(end.next_page_token, SealPageToken(*s.env, s.call, token));
    }
    if (plan.send_refresh_token) {
      ASSIGN_OR_RETURN(
          end.refresh_token,
          s.env->access->codec().Encode(
              access::KeyPurpose::kRefreshToken, s.call.principal.recipient_id(),
              protocol::EncodeRefreshToken({plan.table.key, plan.version, plan.params_digest}),
              NowMs() + s.env->options.refresh_token_ttl_ms));
    }
    if (s.files > 0) end.min_url_expiration_timestamp = s.min_expiration;
    protocol::AppendEndStreamAction(end, &out);
  }
  return Drain(stream, &out, true);
}

}  // namespace

Result<std::string> SealPageToken(const Env& env, const Call& call,
                                  const protocol::FilePageToken& token) {
  return env.access->codec().Encode(access::KeyPurpose::kPageToken, call.principal.recipient_id(),
                                    protocol::EncodeFilePageToken(token),
                                    NowMs() + env.options.page_token_ttl_ms);
}

Result<protocol::FilePageToken> OpenPageToken(const Env& env, const Call& call,
                                              const std::string& text, const TableContext& table,
                                              const std::string& params_digest) {
  auto sealed = env.access->codec().Decode(access::KeyPurpose::kPageToken,
                                           call.principal.recipient_id(), text, NowMs());
  if (!sealed.ok()) {
    return Status::InvalidArgument(
        "Error decoding the page token: it is malformed, has expired, or was issued to "
        "someone else");
  }
  ASSIGN_OR_RETURN(protocol::FilePageToken token, protocol::DecodeFilePageToken(sealed->payload));
  if (token.table != table.key) {
    return Status::InvalidArgument(
        "The table specified in the page token does not match the table being queried.");
  }
  if (token.params_digest != params_digest) {
    return Status::InvalidArgument(
        "Query parameter mismatch detected for the next page query: send the same parameters "
        "as for the first page");
  }
  return token;
}

Result<QueryPlan> PlanQuery(const Env& env, const Call& call, const TableContext& table,
                            const protocol::QueryRequest& request,
                            const protocol::Capabilities& caps,
                            std::optional<protocol::FileIdScheme> id_scheme,
                            std::optional<int32_t> max_files,
                            const std::optional<std::string>& page_token,
                            std::optional<int64_t> pinned_version) {
  QueryPlan plan;
  plan.table = table;
  plan.request = request;
  plan.caps = caps;
  plan.change_mode = request.change_mode();
  plan.params_digest = protocol::QueryParamsDigest(request);
  if (request.time_travel() || plan.change_mode) RETURN_NOT_OK(RequireHistory(table));

  std::optional<protocol::FilePageToken> token;
  if (page_token) {
    ASSIGN_OR_RETURN(token, OpenPageToken(env, call, *page_token, table, plan.params_digest));
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
    if (refresh.table != table.key || refresh.params_digest != plan.params_digest) {
      return Status::InvalidArgument(
          "The refresh token belongs to another table or query parameters");
    }
    pinned_version = refresh.version;
  }

  if (plan.change_mode) {
    ASSIGN_OR_RETURN(int64_t latest, table.table->LatestVersion());
    plan.version = *request.starting_version;
    RETURN_NOT_OK(CheckStartVersion(table, plan.version));
    if (token) {
      plan.version = token->version;
      plan.end_version = token->end_version.value_or(latest);
    } else {
      if (plan.version > latest) {
        return Status::InvalidArgument("startingVersion " + std::to_string(plan.version) +
                                       " is after the latest version " + std::to_string(latest));
      }
      if (request.ending_version && *request.ending_version > latest) {
        return Status::InvalidArgument("endingVersion " + std::to_string(*request.ending_version) +
                                       " is after the latest version " + std::to_string(latest));
      }
      plan.end_version = request.ending_version.value_or(latest);
    }
  } else if (token) {
    plan.version = token->version;
  } else if (pinned_version) {
    plan.version = *pinned_version;
  } else {
    ASSIGN_OR_RETURN(plan.version,
                     ResolveSnapshotVersion(table, request.version, request.timestamp_ms));
  }
  ASSIGN_OR_RETURN(plan.snapshot, table.table->AtVersion(plan.version));
  ASSIGN_OR_RETURN(plan.format, protocol::ChooseFormat(caps, TraitsOf(*plan.snapshot)));
  plan.id_scheme = id_scheme.value_or(plan.format == protocol::ResponseFormat::kDelta
                                          ? protocol::FileIdScheme::kDelta
                                          : protocol::FileIdScheme::kParquet);
  plan.echo_id_scheme = id_scheme.has_value();
  plan.paginate = max_files.has_value() || token.has_value();
  if (plan.paginate) {
    plan.page_size = static_cast<int32_t>(std::min<int64_t>(
        max_files.value_or(std::numeric_limits<int32_t>::max()), env.options.page_size_limit));
  }
  plan.send_refresh_token =
      !plan.change_mode && (request.include_refresh_token || request.refresh_token.has_value());
  plan.end_stream_action = caps.include_end_stream_action || max_files.has_value() ||
                           token.has_value() || request.include_refresh_token ||
                           request.refresh_token.has_value();
  ASSIGN_OR_RETURN(auto filter, FileFilter::Make(*plan.snapshot, table.access.partition_filter,
                                                 plan.change_mode ? nullptr : &plan.request,
                                                 env.options.evaluate_json_predicate_hints,
                                                 env.options.evaluate_predicate_hints));
  plan.filter = std::make_shared<FileFilter>(std::move(filter));
  return plan;
}

http::Response StreamQuery(const Env& env, Call& call, QueryPlan plan) {
  auto state = std::make_shared<StreamState>();
  state->env = &env;
  state->call = call;
  const int64_t header_version = plan.version;
  const protocol::ResponseFormat format = plan.format;
  const bool iesa = plan.caps.include_end_stream_action;
  const bool echo = plan.echo_id_scheme;
  const protocol::FileIdScheme scheme = plan.id_scheme;
  state->plan = std::move(plan);
  call.audit->version = header_version;
  http::Response r = http::Response::Stream(200, kNdjson, [state](http::ResponseStream& stream) {
    Status st = Produce(*state, stream);
    state->env->counters->files_served += state->files;
    FinishAudit(*state->env, state->call, st.ok() ? 200 : 500, state->files,
                st.ok() ? "" : st.message());
    return st;
  });
  r.headers.Set(kTableVersionHeader, std::to_string(header_version));
  r.headers.Set(kCapabilitiesHeader, protocol::FormatCapabilitiesHeader(format, iesa));
  if (echo) r.headers.Set("fileidhash", protocol::FileIdSchemeName(scheme));
  return r;
}

}  // namespace ds::sharing::service::internal
