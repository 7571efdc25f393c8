// Table references of the CLI and the library: "PROFILE#share.schema.table".
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::client {

// A table on a sharing server.
struct TableCoordinates {
  std::string share, schema, table;

  // "share.schema.table", for messages.
  std::string ToString() const;
};

struct TableUrl {
  std::string profile_path;
  TableCoordinates table;
};

// Splits "PROFILE#share.schema.table" at the last '#'. Schema and table names cannot contain
// '.', so the table is the part after the last '.', the schema the part before it, and the
// share everything before that (a share name may contain dots, unlike in the Python
// client). InvalidArgument naming the problem: no '#', an empty profile path, fewer than
// three non-empty names.
Result<TableUrl> ParseTableUrl(std::string_view text);

// Parses "share.schema.table" the same way.
Result<TableCoordinates> ParseTableName(std::string_view text);

}  // namespace ds::client
