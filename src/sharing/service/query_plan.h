// A query resolved before its response starts: every check that can fail with a 4xx runs
// here (parameters, history, versions, tokens, format, the grant's filter), so that once the
// 200 is sent only storage errors remain. Shared by synchronous queries and async polls.
#pragma once

#include <optional>
#include <string>

#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/requests.h"
#include "sharing/protocol/tokens.h"
#include "sharing/service/file_filter.h"
#include "sharing/service/service_internal.h"

namespace ds::sharing::service::internal {

struct QueryPlan {
  TableContext table;
  protocol::QueryRequest request;
  protocol::Capabilities caps;
  protocol::ResponseFormat format = protocol::ResponseFormat::kParquet;
  protocol::FileIdScheme id_scheme = protocol::FileIdScheme::kParquet;
  bool echo_id_scheme = false;
  bool change_mode = false;
  int64_t version = 0;          // snapshot version, or the start version in change mode
  int64_t end_version = 0;      // change mode: the last version (inclusive)
  delta::SnapshotPtr snapshot;  // at `version`
  std::string params_digest;
  int64_t start_index = 0;           // first file action of this page
  std::optional<int32_t> page_size;  // files per page (maxFiles, capped)
  bool paginate = false;             // maxFiles or pageToken: stable order + tokens
  bool send_refresh_token = false;
  bool end_stream_action = false;  // the response ends with an endStreamAction
  std::shared_ptr<FileFilter> filter;
};

// Resolves `request` for the table. `max_files` / `page_token` come from the body or from an
// async poll; `pinned_version` (async queries) replaces "latest".
Result<QueryPlan> PlanQuery(const Env& env, const Call& call, const TableContext& table,
                            const protocol::QueryRequest& request,
                            const protocol::Capabilities& caps,
                            std::optional<protocol::FileIdScheme> id_scheme,
                            std::optional<int32_t> max_files,
                            const std::optional<std::string>& page_token,
                            std::optional<int64_t> pinned_version = std::nullopt);

// The 200 response streaming the plan's lines.
http::Response StreamQuery(const Env& env, Call& call, QueryPlan plan);

// asyncquery=true: registers the query (or finds the one with the same idempotency key) and
// answers with its queryStatus line.
http::Response SubmitAsyncQuery(const Env& env, Call& call, TableContext table,
                                protocol::QueryRequest request, const protocol::Capabilities& caps,
                                std::optional<protocol::FileIdScheme> id_scheme);

// Seals / opens page tokens for the caller (MAC'd with its tenant key, with expiry).
Result<std::string> SealPageToken(const Env& env, const Call& call,
                                  const protocol::FilePageToken& token);
Result<protocol::FilePageToken> OpenPageToken(const Env& env, const Call& call,
                                              const std::string& text, const TableContext& table,
                                              const std::string& params_digest);

}  // namespace ds::sharing::service::internal
