#include "sharing/service/file_stream.h"

#include "sharing/protocol/responses.h"

namespace ds::sharing::service::internal {
namespace {

// What a client may read about a failure after the 200: 4xx messages as they are (they are
// already free of storage details), 5xx only by request id.
std::string PublicMessage(const Call& call, const protocol::ApiError& error) {
  if (error.http_status < 500) return error.message;
  std::string out = error.http_status == 503
                        ? "the table's storage failed while the response was produced; retry"
                        : "internal error while the response was produced";
  if (!call.request_id.empty()) out += " (request " + call.request_id + ")";
  return out;
}

struct StreamState {
  const Env* env = nullptr;
  Call call;
  TableContext table;
  StreamSpec spec;
  StreamBody body;
  FileSigner signer;
};

// Appends the final endStreamAction of a successful body, when one is due.
Status AppendEnding(StreamState& s, StreamWriter& w) {
  if (!s.spec.end_stream_action) return Status::OK();
  protocol::EndStreamAction end;
  if (w.next_page()) {
    ASSIGN_OR_RETURN(end.next_page_token, SealPageToken(*s.env, s.call, *w.next_page()));
  }
  if (s.spec.refresh_token) {
    ASSIGN_OR_RETURN(end.refresh_token,
                     s.env->access->codec().Encode(
                         access::KeyPurpose::kRefreshToken, s.call.principal.recipient_id(),
                         protocol::EncodeRefreshToken(*s.spec.refresh_token),
                         NowMs() + s.env->options.refresh_token_ttl_ms));
  }
  if (w.files() > 0) end.min_url_expiration_timestamp = w.lines().min_expiration_ms();
  protocol::AppendEndStreamAction(end, w.out());
  return Status::OK();
}

Status Produce(StreamState& s, http::ResponseStream& stream) {
  FileLineWriter lines(&s.signer, s.spec.format, s.spec.id_scheme);
  StreamWriter writer(&stream, &lines);
  Status st = s.body(writer);
  if (st.ok()) st = AppendEnding(s, writer);
  const int64_t files = writer.files();
  s.env->counters.files_served->Increment(static_cast<uint64_t>(files));
  s.env->counters.urls_signed->Increment(static_cast<uint64_t>(s.signer.signed_count()));
  if (st.ok()) st = writer.Flush(true);
  if (st.ok()) {
    FinishAudit(*s.env, s.call, 200, files, "");
    return st;
  }
  const Status failure = TableError(s.table, st);
  s.env->LogError(s.call, "response failed after the 200", st);
  FinishAudit(*s.env, s.call, protocol::ToApiError(failure).http_status, files, st.message());
  const bool client_gone =
      st.code() == StatusCode::kCancelled || st.code() == StatusCode::kDeadlineExceeded;
  if (!s.spec.client_end_stream_action || client_gone) {
    s.env->counters.streams_cut->Increment();
    return st;  // the server cuts the connection: the response never looks complete
  }
  s.env->counters.errors_in_band->Increment();
  const protocol::ApiError error = protocol::ToApiError(failure);
  protocol::EndStreamAction end;
  end.error_message = PublicMessage(s.call, error);
  end.http_status_error_code = error.http_status;
  // Lines are appended whole, so whatever is buffered is complete and may precede it.
  protocol::AppendEndStreamAction(end, writer.out());
  return writer.Flush(true);
}

}  // namespace

Status StreamWriter::Flush(bool force) {
  if (out_.empty() || (!force && out_.size() < kChunk)) return Status::OK();
  Status st = stream_->Write(out_);
  out_.clear();
  if (st.ok() && force) st = stream_->Flush();
  return st;
}

http::Response StreamResponse(const Env& env, Call& call, const TableContext& table,
                              const StreamSpec& spec, StreamBody body) {
  auto signer =
      FileSigner::Make(*table.table, *env.local_urls, call.base_url, call.principal.recipient_id(),
                       env.options.presigned_url_timeout_seconds, NowMs());
  if (!signer.ok()) return Fail(env, call, TableError(table, signer.status()));
  auto state = std::make_shared<StreamState>(
      StreamState{&env, call, table, spec, std::move(body), std::move(signer).value()});
  call.audit->version = spec.table_version;
  http::Response r = http::Response::Stream(
      200, kNdjson, [state](http::ResponseStream& stream) { return Produce(*state, stream); });
  r.headers.Set(kTableVersionHeader, std::to_string(spec.table_version));
  r.headers.Set(kCapabilitiesHeader,
                protocol::FormatCapabilitiesHeader(spec.format, spec.client_end_stream_action));
  if (spec.echo_id_scheme) r.headers.Set("fileidhash", protocol::FileIdSchemeName(spec.id_scheme));
  return r;
}

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
    const bool expired = sealed.status().message().find("expired") != std::string::npos;
    return Status::InvalidArgument(
        expired ? "The page token has expired: start the query again from the first page"
                : "Error decoding the page token: it is malformed or was issued to someone "
                  "else");
  }
  auto token = protocol::DecodeFilePageToken(sealed->payload);
  if (!token.ok()) {
    return Status::InvalidArgument("Error decoding the page token: it is malformed");
  }
  if (token->table != table.key) {
    return Status::InvalidArgument(
        "The table specified in the page token does not match the table being queried.");
  }
  if (token->params_digest != params_digest) {
    return Status::InvalidArgument(
        "Query parameter mismatch detected for the next page query: send the same parameters "
        "as for the first page");
  }
  return token;
}

}  // namespace ds::sharing::service::internal
