// The streamed NDJSON body shared by snapshot queries, change queries, change data feeds and
// async polls (protocol.md §5-§7): headers decided before the 200, then the lines as they
// are produced, then how the stream ends.
//
// Ending rules (§4, §15 items 41-42):
//   * success: an endStreamAction follows when the plan needs one (the client declared
//     includeendstreamaction, paginates, or asked for a refresh token), carrying the sealed
//     next page token, the refresh token and minUrlExpirationTimestamp;
//   * failure after the 200: an endStreamAction with errorMessage when the client declared
//     includeendstreamaction (the only clients that check it), otherwise the connection is cut
//     so that the response can never look complete.
// Internal details of failures (paths, store errors) go to the error log, never to clients.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/response.h"
#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/file_lines.h"
#include "sharing/service/service_internal.h"

namespace ds::sharing::service::internal {

// What the response says before its body runs.
struct StreamSpec {
  int64_t table_version = 0;  // Delta-Table-Version
  protocol::ResponseFormat format = protocol::ResponseFormat::kParquet;
  protocol::FileIdScheme id_scheme = protocol::FileIdScheme::kParquet;
  bool echo_id_scheme = false;            // the request had fileidhash
  bool client_end_stream_action = false;  // includeendstreamaction=true: echoed, errors in band
  bool end_stream_action = false;         // end a successful body with an endStreamAction
  std::optional<protocol::RefreshToken> refresh_token;  // sealed into that endStreamAction
};

// What a body writes to.
class StreamWriter {
 public:
  StreamWriter(http::ResponseStream* stream, FileLineWriter* lines)
      : stream_(stream), lines_(lines) {
    out_.reserve(kChunk + 8192);
  }

  // Lines go here; call Flush(false) after each file line.
  std::string* out() { return &out_; }
  FileLineWriter& lines() { return *lines_; }
  // Writes the buffered lines once there are enough (or now, with `force`). Errors from the
  // stream (client gone, stalled past the write timeout, server stopping).
  Status Flush(bool force);

  // Counts a file line (pagination and the audit record use it).
  void CountFile() { ++files_; }
  int64_t files() const { return files_; }
  // Set by the body when another page follows.
  std::optional<protocol::FilePageToken>& next_page() { return next_page_; }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  http::ResponseStream* stream_;
  FileLineWriter* lines_;
  std::string out_;
  int64_t files_ = 0;
  std::optional<protocol::FilePageToken> next_page_;
};

using StreamBody = std::function<Status(StreamWriter& writer)>;

// The 200 response streaming `body` for `table`. The file signer is made first, so a signing
// setup failure is an ordinary error response instead.
http::Response StreamResponse(const Env& env, Call& call, const TableContext& table,
                              const StreamSpec& spec, StreamBody body);

// Page tokens of query and changes responses: sealed for the caller, with the page-token TTL.
Result<std::string> SealPageToken(const Env& env, const Call& call,
                                  const protocol::FilePageToken& token);
// Opens a page token and checks it belongs to `table` and to requests with `params_digest`.
// InvalidArgument with the reference server's messages otherwise.
Result<protocol::FilePageToken> OpenPageToken(const Env& env, const Call& call,
                                              const std::string& text, const TableContext& table,
                                              const std::string& params_digest);

}  // namespace ds::sharing::service::internal
