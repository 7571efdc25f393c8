// Registering a tenant's published tables in the access store: the share `<tenant>` with
// one schema (e.g. "crm") holding every table, shared with history (time travel and the
// change data feed), ready to be granted to the tenant's recipients.
//
// Idempotent: a run after the lake gained tables adds them; tables already registered at
// the same location are left as they are (ids stay stable across runs, so recipients'
// cached table ids keep working); a table registered at another location is re-pointed
// under its old id. Tables the store has but the list lacks are kept (unsharing is an
// explicit `deltashare admin shares remove-table`).
#pragma once

#include <string>
#include <vector>

#include "access/access_store.h"

namespace ds::publish {

struct SharedTable {
  std::string name;
  std::string location;  // path or URI of the table root
};

struct RegisterResult {
  bool share_created = false;
  int tables_added = 0;
  int tables_moved = 0;
  int tables_unchanged = 0;
};

// The tables of a local tenant folder: the sub-folders holding a _delta_log, by name, with
// absolute locations. NotFound when `dir` is missing; NotSupported for a URI (list the
// tables explicitly); InvalidArgument when there is none.
Result<std::vector<SharedTable>> FindLocalTables(const std::string& dir);

// Creates or updates share `share` so that schema `schema` holds `tables` (see above).
// InvalidArgument for names the store refuses; the store's errors.
Result<RegisterResult> RegisterTenantShare(access::AccessStore& store, const std::string& share,
                                           const std::string& schema,
                                           const std::vector<SharedTable>& tables,
                                           const std::string& comment = "");

}  // namespace ds::publish
