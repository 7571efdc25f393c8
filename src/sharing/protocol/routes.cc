#include "sharing/protocol/routes.h"

#include <vector>

#include "sharing/protocol/errors.h"
#include "util/string_util.h"
#include "util/uri.h"

namespace ds::sharing::protocol {
namespace {

struct Segments {
  std::vector<std::string> items;
  bool Is(size_t i, std::string_view literal) const {
    return i < items.size() && EqualsIgnoreCase(items[i], literal);
  }
};

Result<Segments> SplitPath(std::string_view path) {
  Segments out;
  if (path.empty() || path.front() != '/') return Status::NotFound("unknown path");
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  for (std::string_view raw : Split(path, '/')) {
    if (raw.empty()) return Status::NotFound("unknown path (empty segment)");
    auto decoded = PercentDecode(raw, /*plus_as_space=*/true);
    if (!decoded.ok()) return Status::NotFound("unknown path: " + decoded.status().message());
    out.items.push_back(std::move(decoded).value());
  }
  return out;
}

Status Expect(std::string_view method, std::string_view wanted, Endpoint endpoint) {
  if (method == wanted) return Status::OK();
  return MethodNotAllowed(std::string(EndpointName(endpoint)) + " expects " + std::string(wanted) +
                          ", not " + std::string(method));
}

}  // namespace

std::string_view EndpointName(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kListShares:
      return "list_shares";
    case Endpoint::kGetShare:
      return "get_share";
    case Endpoint::kListSchemas:
      return "list_schemas";
    case Endpoint::kListTables:
      return "list_tables";
    case Endpoint::kListAllTables:
      return "list_all_tables";
    case Endpoint::kTableVersion:
      return "table_version";
    case Endpoint::kMetadata:
      return "metadata";
    case Endpoint::kQuery:
      return "query";
    case Endpoint::kChanges:
      return "changes";
    case Endpoint::kQueryInfo:
      return "query_info";
    case Endpoint::kTemporaryCredentials:
      return "temporary_credentials";
  }
  return "unknown";
}

Result<Route> MatchRoute(std::string_view method, std::string_view path) {
  ASSIGN_OR_RETURN(Segments seg, SplitPath(path));
  const auto n = seg.items.size();
  Route r;
  if (!seg.Is(0, "shares")) return Status::NotFound("unknown path");
  if (n == 1) {
    r.endpoint = Endpoint::kListShares;
    RETURN_NOT_OK(Expect(method, "GET", r.endpoint));
    return r;
  }
  r.share = seg.items[1];
  if (n == 2) {
    r.endpoint = Endpoint::kGetShare;
    RETURN_NOT_OK(Expect(method, "GET", r.endpoint));
    return r;
  }
  if (n == 3 && seg.Is(2, "schemas")) {
    r.endpoint = Endpoint::kListSchemas;
    RETURN_NOT_OK(Expect(method, "GET", r.endpoint));
    return r;
  }
  if (n == 3 && seg.Is(2, "all-tables")) {
    r.endpoint = Endpoint::kListAllTables;
    RETURN_NOT_OK(Expect(method, "GET", r.endpoint));
    return r;
  }
  if (n < 5 || !seg.Is(2, "schemas") || !seg.Is(4, "tables")) {
    return Status::NotFound("unknown path");
  }
  r.schema = seg.items[3];
  if (n == 5) {
    r.endpoint = Endpoint::kListTables;
    RETURN_NOT_OK(Expect(method, "GET", r.endpoint));
    return r;
  }
  r.table = seg.items[5];
  if (n == 6) {
    r.endpoint = Endpoint::kTableVersion;
    r.head = true;
    RETURN_NOT_OK(Expect(method, "HEAD", r.endpoint));
    return r;
  }
  if (n == 7) {
    const std::string& last = seg.items[6];
    if (EqualsIgnoreCase(last, "version")) {
      r.endpoint = Endpoint::kTableVersion;
      RETURN_NOT_OK(Expect(method, "GET", r.endpoint));
    } else if (EqualsIgnoreCase(last, "metadata")) {
      r.endpoint = Endpoint::kMetadata;
      RETURN_NOT_OK(Expect(method, "GET", r.endpoint));
    } else if (EqualsIgnoreCase(last, "query")) {
      r.endpoint = Endpoint::kQuery;
      RETURN_NOT_OK(Expect(method, "POST", r.endpoint));
    } else if (EqualsIgnoreCase(last, "changes")) {
      r.endpoint = Endpoint::kChanges;
      RETURN_NOT_OK(Expect(method, "GET", r.endpoint));
    } else if (EqualsIgnoreCase(last, "temporary-table-credentials")) {
      r.endpoint = Endpoint::kTemporaryCredentials;
      RETURN_NOT_OK(Expect(method, "POST", r.endpoint));
    } else {
      return Status::NotFound("unknown path");
    }
    return r;
  }
  if (n == 8 && seg.Is(6, "queries")) {
    r.endpoint = Endpoint::kQueryInfo;
    r.query_id = seg.items[7];
    RETURN_NOT_OK(Expect(method, "POST", r.endpoint));
    return r;
  }
  return Status::NotFound("unknown path");
}

Status ValidateName(NameKind kind, std::string_view name) {
  const char* what = kind == NameKind::kShare    ? "share"
                     : kind == NameKind::kSchema ? "schema"
                                                 : "table";
  if (name.empty() || name.size() > 255) {
    return Status::InvalidArgument(std::string(what) + " name must have 1 to 255 characters");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F || c == ' ' || c == '/' || (c == '.' && kind != NameKind::kShare)) {
      return Status::InvalidArgument(std::string(what) + " name '" + std::string(name) +
                                     "' contains a forbidden character (space, '/', control" +
                                     (kind == NameKind::kShare ? "" : " or '.'") + ")");
    }
  }
  return Status::OK();
}

std::string NameKey(std::string_view name) { return ToLower(name); }

}  // namespace ds::sharing::protocol
