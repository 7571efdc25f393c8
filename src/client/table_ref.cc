#include "client/table_ref.h"

namespace ds::client {

std::string TableCoordinates::ToString() const { return share + "." + schema + "." + table; }

Result<TableCoordinates> ParseTableName(std::string_view text) {
  const size_t last = text.rfind('.');
  const size_t middle = last == std::string_view::npos || last == 0 ? std::string_view::npos
                                                                    : text.rfind('.', last - 1);
  if (middle == std::string_view::npos) {
    return Status::InvalidArgument("table name '" + std::string(text) +
                                   "' is not of the form share.schema.table");
  }
  TableCoordinates out{std::string(text.substr(0, middle)),
                       std::string(text.substr(middle + 1, last - middle - 1)),
                       std::string(text.substr(last + 1))};
  if (out.share.empty() || out.schema.empty() || out.table.empty()) {
    return Status::InvalidArgument("table name '" + std::string(text) +
                                   "' has an empty share, schema or table name");
  }
  return out;
}

Result<TableUrl> ParseTableUrl(std::string_view text) {
  const size_t hash = text.rfind('#');
  if (hash == std::string_view::npos) {
    return Status::InvalidArgument("table '" + std::string(text) +
                                   "' is not of the form PROFILE#share.schema.table");
  }
  if (hash == 0) {
    return Status::InvalidArgument("table '" + std::string(text) + "' names no profile file");
  }
  TableUrl out;
  out.profile_path = std::string(text.substr(0, hash));
  ASSIGN_OR_RETURN(out.table, ParseTableName(text.substr(hash + 1)));
  return out;
}

}  // namespace ds::client
