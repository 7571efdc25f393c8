// Change responses over a range of commits, for both endpoints that have them:
//   * POST …/query with startingVersion (change mode, protocol.md §7.4): add/remove lines for
//     dataChange actions, a metaData line for every later metadata change;
//   * GET …/changes (the change data feed, §10): per commit its cdc files, else its
//     dataChange add/remove actions (nothing for a no-op MERGE); historical metaData lines
//     only with includeHistoricalMetadata; CDF must be on for the whole range.
// Both: every file line carries the commit's version and timestamp, historical protocol
// lines come with includeHistoricalProtocol in delta format, the range is pinned by the first
// page, and pages repeat the first page's protocol, metaData and format.
//
// PlanChanges runs every check before the 200 — including a pass over the range that
// verifies each commit is readable (protocol), that CDF stays on, and which reader features
// the range needs (deletion vectors, column mapping), so the format choice holds for every
// file that will be sent. Small ranges are kept from that pass for the stream; larger ones
// are read again while streaming.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/requests.h"
#include "sharing/service/file_filter.h"
#include "sharing/service/file_stream.h"
#include "sharing/service/service_internal.h"
#include "sharing/service/table_lines.h"

namespace ds::sharing::service::internal {

enum class ChangeRules { kQuery, kCdf };

// The parameters of either endpoint, as parsed by the protocol layer.
struct ChangeRequest {
  ChangeRules rules = ChangeRules::kQuery;
  std::optional<int64_t> starting_version, starting_timestamp_ms;
  std::optional<int64_t> ending_version, ending_timestamp_ms;
  bool include_historical_metadata = false;  // kCdf (kQuery always sends metadata changes)
  bool include_historical_protocol = false;
  std::optional<int32_t> max_files;
  std::optional<std::string> page_token;
  std::string params_digest;
};

// The change request of a POST …/query with startingVersion.
ChangeRequest ChangeRequestOf(const protocol::QueryRequest& query, std::optional<int32_t> max_files,
                              const std::optional<std::string>& page_token);
// The change request of a GET …/changes.
ChangeRequest ChangeRequestOf(const protocol::ChangesRequest& changes);

struct ChangePlan {
  TableContext table;
  ChangeRules rules = ChangeRules::kQuery;
  int64_t start = 0, end = 0;  // the range, inclusive
  int64_t head = 0;            // protocol and metaData of the head lines are as of this version
  bool historical_metadata = false;
  bool historical_protocol = false;
  std::string head_lines;          // the protocol and metaData lines
  HeaderLineOptions line_options;  // for historical protocol / metaData lines
  StreamSpec spec;
  std::optional<int32_t> page_size;
  int64_t resume_version = 0;  // where this page starts
  int64_t resume_index = 0;
  std::string params_digest;
  std::shared_ptr<FileFilter> filter;
  std::shared_ptr<const std::vector<delta::CommitActions>> buffered;  // [resume, end], or null
};

Result<ChangePlan> PlanChanges(const Env& env, const Call& call, const TableContext& table,
                               const ChangeRequest& request, const protocol::Capabilities& caps,
                               std::optional<protocol::FileIdScheme> id_scheme);

http::Response StreamChanges(const Env& env, Call& call, ChangePlan plan);

}  // namespace ds::sharing::service::internal
