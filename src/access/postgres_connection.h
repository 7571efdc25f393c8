// PostgreSQL connections for the access store (internal), over libpq: named prepared
// statements cached per connection, text-format parameters and results, NOTICEs muted.
#pragma once

#include <memory>
#include <string>

#include "access/sql_connection.h"

namespace ds::access::sql {

// Connects with a libpq URI ("postgresql://user:pw@host:port/db?sslmode=…").
// Unavailable (the URL's password redacted) if the server cannot be reached or refuses.
Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url, int connect_timeout_ms);

}  // namespace ds::access::sql
