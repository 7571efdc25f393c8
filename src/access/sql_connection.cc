#include "access/sql_connection.h"

#include <chrono>

#include "util/string_util.h"

namespace ds::access::sql {

const std::string& Rows::Text(size_t row, int col) const {
  static const std::string kEmpty;
  const auto& cell = Cell(row, col);
  return cell ? *cell : kEmpty;
}

int64_t Rows::Int(size_t row, int col) const { return OptInt(row, col).value_or(0); }

std::optional<int64_t> Rows::OptInt(size_t row, int col) const {
  const auto& cell = Cell(row, col);
  if (!cell) return std::nullopt;
  return ParseInt64(*cell);
}

Pool::Pool(ConnectFn connect, int max_connections, int wait_timeout_ms)
    : connect_(std::move(connect)),
      max_connections_(max_connections < 1 ? 1 : max_connections),
      wait_timeout_ms_(wait_timeout_ms) {}

Pool::~Pool() = default;

Pool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

Result<Pool::Lease> Pool::Acquire(bool fresh) {
  std::unique_lock lock(mu_);
  if (fresh) {
    // Drop idle connections: they share whatever broke the last one.
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_timeout_ms_);
  while (idle_.empty() && open_ >= max_connections_) {
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= max_connections_) {
      return Status::Unavailable("access store: all " + std::to_string(max_connections_) +
                                 " database connections are busy");
    }
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn), true);
  }
  ++open_;
  lock.unlock();
  auto conn = connect_();
  if (!conn.ok()) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value(), false);
}

void Pool::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  if (conn->healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  cv_.notify_one();
}

std::string ToSqlitePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out.push_back('?');
    } else {
      out.push_back(sql[i]);
    }
  }
  return out;
}

}  // namespace ds::access::sql
