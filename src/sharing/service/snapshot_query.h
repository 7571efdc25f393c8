// Snapshot queries: POST …/query without startingVersion (latest, version or timestamp; hints,
// limitHint, maxFiles/pageToken pagination, refresh tokens), and the results of async
// queries. Every check that can fail with a 4xx runs in PlanSnapshotQuery, before the 200;
// StreamSnapshotQuery only streams (protocol.md §7.3, §7.5-§7.7).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/requests.h"
#include "sharing/service/file_filter.h"
#include "sharing/service/file_stream.h"
#include "sharing/service/service_internal.h"

namespace ds::sharing::service::internal {

struct SnapshotPlan {
  TableContext table;
  int64_t version = 0;
  delta::SnapshotPtr snapshot;
  StreamSpec spec;
  bool client_listed_features = false;
  std::optional<int64_t> limit_hint;  // applied (no predicates, no pagination)
  int64_t start_index = 0;            // position in the path order (pages after the first)
  std::optional<int32_t> page_size;   // set when paginating
  std::string params_digest;
  std::shared_ptr<FileFilter> filter;
};

// Resolves the snapshot and runs every check (history, versions, page and refresh tokens,
// format, the grant's filter). `max_files` and `page_token` come from the request or the
// async poll; `pinned_version` is an async query's resolved version.
Result<SnapshotPlan> PlanSnapshotQuery(const Env& env, const Call& call, const TableContext& table,
                                       const protocol::QueryRequest& request,
                                       const protocol::Capabilities& caps,
                                       std::optional<protocol::FileIdScheme> id_scheme,
                                       std::optional<int32_t> max_files,
                                       const std::optional<std::string>& page_token,
                                       std::optional<int64_t> pinned_version = std::nullopt);

// The 200 response: protocol, metaData, one file line per admitted file (in path order when
// paginating), then the endStreamAction the plan calls for.
http::Response StreamSnapshotQuery(const Env& env, Call& call, SnapshotPlan plan);

}  // namespace ds::sharing::service::internal
