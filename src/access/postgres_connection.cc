#include "access/postgres_connection.h"

#include <libpq-fe.h>

#include <unordered_map>

#include "access/access_store.h"
#include "util/string_util.h"

namespace ds::access::sql {
namespace {

void IgnoreNotice(void*, const char*) {}

// Removes every occurrence of the URL's password from `message` (libpq quotes pieces of a
// malformed connection string in its errors).
std::string Scrub(std::string message, const std::string& url) {
  std::string redacted = RedactStoreUrl(url);
  size_t start = 0;
  while (start < url.size() && start < redacted.size() && url[start] == redacted[start]) ++start;
  size_t url_end = url.size(), red_end = redacted.size();
  while (url_end > start && red_end > start && url[url_end - 1] == redacted[red_end - 1]) {
    --url_end;
    --red_end;
  }
  std::string password = url.substr(start, url_end - start);
  if (password.size() < 2 || url == redacted) return message;
  for (size_t pos = message.find(password); pos != std::string::npos;
       pos = message.find(password, pos)) {
    message.replace(pos, password.size(), "***");
  }
  return message;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool healthy() const override { return PQstatus(conn_) == CONNECTION_OK; }

  Result<Rows> Execute(const std::string& sql, const std::vector<Param>& params) override {
    ASSIGN_OR_RETURN(const std::string* name, Prepare(sql, static_cast<int>(params.size())));
    std::vector<std::string> ints;
    ints.reserve(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* v = std::get_if<int64_t>(&params[i])) {
        ints.push_back(std::to_string(*v));
        values[i] = ints.back().c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        if (s->find('\0') != std::string::npos) {
          return Status::InvalidArgument("access store: text contains a NUL byte");
        }
        values[i] = s->c_str();
      }
    }
    ResultPtr res(PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()),
                                 values.data(), nullptr, nullptr, 0));
    RETURN_NOT_OK(Check(res.get(), "query"));
    const int columns = PQnfields(res.get());
    const int rows = PQntuples(res.get());
    std::vector<std::optional<std::string>> cells;
    cells.reserve(static_cast<size_t>(rows) * columns);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          cells.emplace_back();
        } else {
          cells.emplace_back(
              std::string(PQgetvalue(res.get(), r, c), PQgetlength(res.get(), r, c)));
        }
      }
    }
    int64_t affected = ParseInt64(PQcmdTuples(res.get())).value_or(0);
    return Rows(columns, std::move(cells), columns == 0 ? affected : 0);
  }

  Status ExecuteScript(const std::string& sql) override {
    ResultPtr res(PQexec(conn_, sql.c_str()));
    return Check(res.get(), "script");
  }

  Status Begin() override { return ExecuteScript("BEGIN"); }
  Status BeginRead() override {
    return ExecuteScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  void Rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)ExecuteScript("ROLLBACK");
  }

 private:
  Result<const std::string*> Prepare(const std::string& sql, int nparams) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return &it->second;
    std::string name = "ds_" + std::to_string(statements_.size() + 1);
    ResultPtr res(PQprepare(conn_, name.c_str(), sql.c_str(), nparams, nullptr));
    RETURN_NOT_OK(Check(res.get(), "prepare"));
    return &statements_.emplace(sql, std::move(name)).first->second;
  }

  Status Check(PGresult* res, std::string_view context) {
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::OK();
    std::string detail = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    if (detail.empty()) detail = PQerrorMessage(conn_);
    std::string message =
        "access store (" + where_ + "): " + std::string(context) + ": " + std::string(Trim(detail));
    if (PQstatus(conn_) != CONNECTION_OK) return Status::Unavailable(message);
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string_view sqlstate = state ? state : "";
    if (sqlstate == "23505") return Status::AlreadyExists(message);
    if (sqlstate == "23503") return Status::NotFound(message);
    // Serialization failures, deadlocks, and the server going away are worth a retry.
    if (sqlstate == "40001" || sqlstate == "40P01" || StartsWith(sqlstate, "08") ||
        StartsWith(sqlstate, "57P")) {
      return Status::Unavailable(message);
    }
    return Status::IOError(message);
  }

  PGconn* conn_;
  std::string where_;
  std::unordered_map<std::string, std::string> statements_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url, int connect_timeout_ms) {
  const std::string where = RedactStoreUrl(url);
  std::string timeout = std::to_string(std::max(1, (connect_timeout_ms + 999) / 1000));
  // Defaults first: settings in the URL override them.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "deltashare", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Status::Unavailable("access store: out of memory connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Scrub(std::string(Trim(PQerrorMessage(conn))), url);
    PQfinish(conn);
    return Status::Unavailable("access store: cannot connect to " + where + ": " + message);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  auto out = std::make_unique<PostgresConnection>(conn, where);
  RETURN_NOT_OK(out->ExecuteScript("SET client_min_messages = warning"));
  return std::unique_ptr<Connection>(std::move(out));
}

}  // namespace ds::access::sql
