#include "publish/share_register.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "access/names.h"

namespace ds::publish {

namespace fs = std::filesystem;

Result<std::vector<SharedTable>> FindLocalTables(const std::string& dir) {
  if (dir.find("://") != std::string::npos && dir.rfind("file://", 0) != 0) {
    return Status::NotSupported("finding the tables of " + dir +
                                " needs a local folder; list the tables explicitly");
  }
  const std::string local = dir.rfind("file://", 0) == 0 ? dir.substr(7) : dir;
  std::error_code ec;
  if (!fs::is_directory(local, ec)) return Status::NotFound("no folder " + local);
  std::vector<SharedTable> out;
  for (fs::directory_iterator it(local, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (!fs::is_directory(it->path() / "_delta_log", ec2)) continue;
    fs::path abs = fs::absolute(it->path(), ec2).lexically_normal();
    out.push_back({it->path().filename().string(), abs.string()});
  }
  if (ec) return Status::IOError("listing " + local + ": " + ec.message());
  if (out.empty()) return Status::InvalidArgument("no Delta tables under " + local);
  std::sort(out.begin(), out.end(),
            [](const SharedTable& a, const SharedTable& b) { return a.name < b.name; });
  return out;
}

Result<RegisterResult> RegisterTenantShare(access::AccessStore& store, const std::string& share,
                                           const std::string& schema,
                                           const std::vector<SharedTable>& tables,
                                           const std::string& comment) {
  RETURN_NOT_OK(access::ValidateName(access::NameKind::kShare, share));
  RETURN_NOT_OK(access::ValidateName(access::NameKind::kSchema, schema));
  for (const SharedTable& t : tables) {
    RETURN_NOT_OK(access::ValidateName(access::NameKind::kTable, t.name));
  }
  RegisterResult out;
  Result<access::Share> existing = store.GetShare(share);
  if (!existing.ok() && !existing.status().IsNotFound()) return existing.status();
  if (!existing.ok()) {
    access::Share s;
    s.name = share;
    s.comment = comment;
    Result<access::Share> created = store.CreateShare(s);
    if (!created.ok() && !created.status().IsAlreadyExists()) return created.status();
    out.share_created = created.ok();
    ASSIGN_OR_RETURN(existing, store.GetShare(share));
  }
  if (!existing->FindSchema(schema)) {
    Status st = store.AddSchema(share, schema);
    if (!st.ok() && !st.IsAlreadyExists()) return st;
  }
  for (const SharedTable& t : tables) {
    access::Table table;
    table.name = t.name;
    table.location = t.location;
    table.history_shared = true;
    if (const access::Table* old = existing->FindTable(schema, t.name)) {
      if (old->location == t.location) {
        ++out.tables_unchanged;
        continue;
      }
      table.id = old->id;
      table.comment = old->comment;
      table.start_version = old->start_version;
      RETURN_NOT_OK(store.DeleteTable(share, schema, t.name));
      ++out.tables_moved;
    } else {
      ++out.tables_added;
    }
    RETURN_NOT_OK(store.AddTable(share, schema, table).status());
  }
  return out;
}

}  // namespace ds::publish
