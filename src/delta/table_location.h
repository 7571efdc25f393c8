// Opening tables (and directories of tables) by location, for the CLI and the publisher:
// local paths and file:// URIs, or cloud URIs (s3://, s3a://, abfss://, wasbs://, gs://)
// through objstore::StoreRegistry with credentials from the standard environment variables
// (objstore/credentials.h).
#pragma once

#include <string_view>

#include "delta/table.h"
#include "objstore/object_store.h"

namespace ds::delta {

// A store rooted at the directory `location` (which need not exist yet). InvalidArgument
// for an empty or malformed location; errors of the cloud store factories (e.g.
// FailedPrecondition without credentials).
Result<objstore::ObjectStorePtr> OpenStoreAt(std::string_view location);

// The table whose root is `location`. For local tables, absolute file:// paths in the log
// are readable too (a store over "/"). Does not touch storage.
Result<TablePtr> OpenTableAt(std::string_view location);

}  // namespace ds::delta
