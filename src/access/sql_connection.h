// The small SQL driver seam under SqlAccessStore (internal): one connection to SQLite or
// PostgreSQL, and a pool of them.
//
// Statements use PostgreSQL's "$1, $2, ..." placeholders for both dialects; each connection
// prepares a statement once and reuses it. Results come back as text cells (NULL = nullopt).
// Errors: AlreadyExists for a unique-key violation, NotFound for a foreign-key violation,
// Unavailable when the database is unreachable, locked or asks for a retry, IOError
// otherwise. A connection is used by one thread at a time (the pool hands it out).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/result.h"

namespace ds::access::sql {

enum class Dialect { kSqlite, kPostgres };

// A statement parameter: NULL, an integer or text.
using Param = std::variant<std::monostate, int64_t, std::string>;

// Convenience: text, or NULL when empty.
inline Param TextOrNull(const std::string& s) { return s.empty() ? Param{} : Param{s}; }
inline Param IntOrNull(const std::optional<int64_t>& v) { return v ? Param{*v} : Param{}; }

class Rows {
 public:
  Rows() = default;
  Rows(int columns, std::vector<std::optional<std::string>> cells, int64_t affected)
      : columns_(columns), cells_(std::move(cells)), affected_(affected) {}

  size_t size() const { return columns_ == 0 ? 0 : cells_.size() / columns_; }
  bool empty() const { return size() == 0; }
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t affected() const { return affected_; }

  bool IsNull(size_t row, int col) const { return !Cell(row, col).has_value(); }
  // The text of a cell ("" for NULL).
  const std::string& Text(size_t row, int col) const;
  // The integer in a cell (0 for NULL or non-numeric text).
  int64_t Int(size_t row, int col) const;
  std::optional<int64_t> OptInt(size_t row, int col) const;

 private:
  const std::optional<std::string>& Cell(size_t row, int col) const {
    return cells_[row * columns_ + col];
  }
  int columns_ = 0;
  std::vector<std::optional<std::string>> cells_;
  int64_t affected_ = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one parameterized statement (prepared on first use).
  virtual Result<Rows> Execute(const std::string& sql, const std::vector<Param>& params) = 0;
  // Runs statements without parameters (DDL, transaction control).
  virtual Status ExecuteScript(const std::string& sql) = 0;
  // A write transaction (SQLite: BEGIN IMMEDIATE).
  virtual Status Begin() = 0;
  // A read-only transaction over one consistent snapshot.
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  // Best effort; a broken connection is discarded anyway.
  virtual void Rollback() = 0;
  // False once the connection is broken (it is then dropped, never reused).
  virtual bool healthy() const = 0;
};

using ConnectFn = std::function<Result<std::unique_ptr<Connection>>()>;

// Hands out at most `max_connections` connections, opening them on demand and keeping idle
// ones for reuse. Thread-safe.
class Pool {
 public:
  Pool(ConnectFn connect, int max_connections, int wait_timeout_ms);
  ~Pool();

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn, bool reused)
        : pool_(pool), conn_(std::move(conn)), reused_(reused) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() const { return *conn_; }
    // True if the connection was idle in the pool (it may have gone stale meanwhile).
    bool reused() const { return reused_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
    bool reused_;
  };

  // A connection: an idle one, a new one, or (when all are out) the next one returned.
  // Unavailable if none comes back within the wait timeout or a new one cannot be opened.
  // `fresh` skips idle connections.
  Result<Lease> Acquire(bool fresh = false);

 private:
  void Release(std::unique_ptr<Connection> conn);

  ConnectFn connect_;
  const int max_connections_;
  const int wait_timeout_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

// Rewrites "$N" placeholders to SQLite's "?N".
std::string ToSqlitePlaceholders(std::string_view sql);

}  // namespace ds::access::sql
