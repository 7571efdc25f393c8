// SQLite connections for the access store (internal): WAL journal, a busy timeout, foreign
// keys on, prepared statements cached per connection.
#pragma once

#include <memory>
#include <string>

#include "access/sql_connection.h"

namespace ds::access::sql {

// Opens (creating if needed) the database file at `path`. IOError naming the path if it
// cannot be opened or configured.
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, int busy_timeout_ms);

}  // namespace ds::access::sql
