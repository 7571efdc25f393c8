// Endpoint routing and name rules of the Delta Sharing REST API (protocol.md §1, §2).
//
// Paths are matched segment by segment after the server's prefix; each segment is
// percent-decoded once with '+' as space (the Spark connector encodes names with Java's
// URLEncoder), literal segments match case-insensitively, and one trailing '/' is tolerated.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::sharing::protocol {

enum class Endpoint {
  kListShares,            // GET  /shares
  kGetShare,              // GET  /shares/{share}
  kListSchemas,           // GET  /shares/{share}/schemas
  kListTables,            // GET  /shares/{share}/schemas/{schema}/tables
  kListAllTables,         // GET  /shares/{share}/all-tables
  kTableVersion,          // GET  …/tables/{table}/version, and HEAD …/tables/{table}
  kMetadata,              // GET  …/tables/{table}/metadata
  kQuery,                 // POST …/tables/{table}/query
  kChanges,               // GET  …/tables/{table}/changes
  kQueryInfo,             // POST …/tables/{table}/queries/{queryId}
  kTemporaryCredentials,  // POST …/tables/{table}/temporary-table-credentials
};

std::string_view EndpointName(Endpoint endpoint);

struct Route {
  Endpoint endpoint = Endpoint::kListShares;
  bool head = false;  // the deprecated HEAD form of kTableVersion
  std::string share, schema, table, query_id;
};

// Matches `method` and `path` (the part after the prefix, starting with '/', without the
// query string). NotFound for an unknown path (or a bad percent-escape);
// MethodNotAllowed (405) for a known path with another method.
Result<Route> MatchRoute(std::string_view method, std::string_view path);

enum class NameKind { kShare, kSchema, kTable };

// InvalidArgument unless `name` follows the naming rules: 1..255 characters, no space, '/',
// control characters (0x00-0x1F, 0x7F), and no '.' in schema and table names.
Status ValidateName(NameKind kind, std::string_view name);

// Names compare case-insensitively (ASCII).
std::string NameKey(std::string_view name);

}  // namespace ds::sharing::protocol
