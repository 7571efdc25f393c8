// Versioned schema migrations of the SQL access stores (internal).
//
// The `schema_migrations` table lists the versions applied. Migrate applies the missing ones
// in order, in one transaction, under a lock (SQLite: the write lock; PostgreSQL: an advisory
// lock), so concurrent starts of several replicas are safe and applying is idempotent.
#pragma once

#include <cstdint>

#include "access/sql_connection.h"

namespace ds::access::sql {

// The newest schema version this build knows.
int64_t LatestSchemaVersion();

// Brings the database to LatestSchemaVersion(). FailedPrecondition if the database has a
// newer version (written by a newer deltashare) — nothing is changed then.
Status Migrate(Connection* conn);

}  // namespace ds::access::sql
