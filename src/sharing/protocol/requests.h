// Request parameters of every endpoint, parsed and validated as far as possible without the
// table (protocol.md §2, §3, §7.1-§7.2, §10). The service completes the checks that need the
// table (history sharing, version ranges).
//
// Errors: MalformedRequest (400 MALFORMED_REQUEST) for a body that is not a JSON object or
// has wrongly typed fields; InvalidArgument (400 INVALID_PARAMETER_VALUE) for values that
// parse but are not allowed. Messages follow the reference server where clients match them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace ds::sharing::protocol {

// Decoded query-string parameters, in order (the HTTP layer decodes them).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// The value of the first parameter named `name` (exact, case-sensitive), or nullopt.
std::optional<std::string_view> FindParam(const QueryParams& params, std::string_view name);

// A timestamp parameter ("2022-01-01T00:00:00Z", with an offset or fractional seconds, or
// "2022-01-01 00:00:00[.f]" taken as UTC) in ms since the epoch. A bare date or anything else
// -> InvalidArgument "Invalid <name>: <text>".
Result<int64_t> ParseTimestampParam(std::string_view name, std::string_view text);

// Case-insensitive "true"/"false"; anything else -> InvalidArgument.
Result<bool> ParseBoolParam(std::string_view name, std::string_view text);

// GET /shares, /schemas, /tables, /all-tables.
struct ListRequest {
  int32_t max_results = 500;  // clamped to 0..500
  std::optional<std::string> page_token;
};
// InvalidArgument for a negative or non-numeric maxResults.
Result<ListRequest> ParseListRequest(const QueryParams& params);

// GET …/version (and HEAD).
struct VersionRequest {
  std::optional<int64_t> starting_timestamp_ms;
};
Result<VersionRequest> ParseVersionRequest(const QueryParams& params);

// GET …/metadata.
struct MetadataRequest {
  std::optional<int64_t> version;
  std::optional<int64_t> timestamp_ms;
};
Result<MetadataRequest> ParseMetadataRequest(const QueryParams& params);

// POST …/query (body fields of protocol.md §7.1).
struct QueryRequest {
  std::vector<std::string> predicate_hints;
  std::optional<std::string> json_predicate_hints;
  std::optional<int64_t> limit_hint;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;  // as sent
  std::optional<int64_t> timestamp_ms;   // parsed
  std::optional<int64_t> starting_version;
  std::optional<int64_t> ending_version;
  bool include_historical_protocol = false;
  std::optional<std::string> idempotency_key;
  std::optional<int32_t> max_files;
  std::optional<std::string> page_token;
  bool include_refresh_token = false;
  std::optional<std::string> refresh_token;

  bool change_mode() const { return starting_version.has_value(); }
  bool time_travel() const { return version || timestamp_ms; }
};
// Parses the body and runs the table-independent checks of §7.2 (1-4: exclusive version
// parameters, negative versions, maxFiles <= 0, refresh tokens with version parameters or a
// page token), plus endingVersion without startingVersion and a negative limitHint.
Result<QueryRequest> ParseQueryRequest(std::string_view body);

// POST …/queries/{queryId}.
struct QueryInfoRequest {
  std::optional<int32_t> max_files;
  std::optional<std::string> page_token;
};
// Accepts camelCase and snake_case keys; an empty body means no parameters.
Result<QueryInfoRequest> ParseQueryInfoRequest(std::string_view body);

// GET …/changes (protocol.md §10).
struct ChangesRequest {
  std::optional<int64_t> starting_version;
  std::optional<int64_t> starting_timestamp_ms;
  std::optional<int64_t> ending_version;
  std::optional<int64_t> ending_timestamp_ms;
  bool include_historical_metadata = false;
  bool include_historical_protocol = false;
  std::optional<int32_t> max_files;
  std::optional<std::string> page_token;
};
// InvalidArgument: no start, a version and a timestamp for one bound, a non-numeric or
// negative version, a bad timestamp, endingVersion < startingVersion, maxFiles <= 0.
Result<ChangesRequest> ParseChangesRequest(const QueryParams& params);

// POST …/temporary-table-credentials: the optional location (an empty or unparsable body
// means none, as in the reference server).
std::optional<std::string> ParseCredentialsLocation(std::string_view body);

}  // namespace ds::sharing::protocol
