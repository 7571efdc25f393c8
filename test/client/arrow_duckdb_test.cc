// The Arrow C stream exported by the client, consumed in-process by DuckDB (its C API from the
// libduckdb.so that the @duckdb/node-api oracle ships, loaded with dlopen): DuckDB must see
// exactly the rows that its own Parquet reader finds in Spark's expected/ files. Skips
// without the oracle or the test data.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "client/arrow_c.h"
#include "client/table_reader.h"
#include "test/client/test_server.h"
#include "test/delta/test_tables.h"
#include "test/objstore/child_process.h"
#include "test/testing/testing.h"

namespace ds::client {
namespace {

// The few DuckDB C API declarations used (duckdb.h, stable C API).
using idx_t = uint64_t;
struct DuckResult {  // duckdb_result
  idx_t deprecated_column_count, deprecated_row_count, deprecated_rows_changed;
  void* deprecated_columns;
  char* deprecated_error_message;
  void* internal_data;
};

struct DuckDb {
  void* lib = nullptr;
  int (*open)(const char*, void**) = nullptr;
  int (*connect)(void*, void**) = nullptr;
  int (*arrow_scan)(void*, const char*, void*) = nullptr;
  int (*query)(void*, const char*, DuckResult*) = nullptr;
  int64_t (*value_int64)(DuckResult*, idx_t, idx_t) = nullptr;
  const char* (*result_error)(DuckResult*) = nullptr;
  void (*destroy_result)(DuckResult*) = nullptr;
  void (*disconnect)(void**) = nullptr;
  void (*close)(void**) = nullptr;

  bool Load() {
    const std::filesystem::path so = ds::testing::OracleDir() / "node_modules" / "@duckdb" /
                                     "node-bindings-linux-x64" / "libduckdb.so";
    if (!std::filesystem::exists(so)) return false;
    lib = ::dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) return false;
    auto sym = [&](auto* fn, const char* name) {
      *fn = reinterpret_cast<std::remove_pointer_t<decltype(fn)>>(::dlsym(lib, name));
      return *fn != nullptr;
    };
    return sym(&open, "duckdb_open") && sym(&connect, "duckdb_connect") &&
           sym(&arrow_scan, "duckdb_arrow_scan") && sym(&query, "duckdb_query") &&
           sym(&value_int64, "duckdb_value_int64") && sym(&result_error, "duckdb_result_error") &&
           sym(&destroy_result, "duckdb_destroy_result") && sym(&disconnect, "duckdb_disconnect") &&
           sym(&close, "duckdb_close");
  }
};

// Counts the schemas the stream hands out and the ones released (DuckDB's C API
// duckdb_arrow_scan of DuckDB 1.5.6 never releases the schemas it asks for: see
// test/client/lsan_duckdb.supp).
std::atomic<int> schemas_out{0}, schemas_released{0};
int (*original_get_schema)(ArrowArrayStream*, ArrowSchema*) = nullptr;
void (*original_schema_release)(ArrowSchema*) = nullptr;
void CountingRelease(ArrowSchema* s) {
  ++schemas_released;
  original_schema_release(s);
}
int CountingGetSchema(ArrowArrayStream* stream, ArrowSchema* out) {
  int rc = original_get_schema(stream, out);
  if (rc == 0) {
    ++schemas_out;
    original_schema_release = out->release;
    out->release = CountingRelease;
  }
  return rc;
}

// One integer from a query; FAILs with DuckDB's error otherwise.
int64_t QueryInt(DuckDb& d, void* con, const std::string& sql) {
  DuckResult r{};
  if (d.query(con, sql.c_str(), &r) != 0) {
    ADD_FAILURE() << sql << ": " << d.result_error(&r);
    d.destroy_result(&r);
    return -1;
  }
  int64_t v = d.value_int64(&r, 0, 0);
  d.destroy_result(&r);
  return v;
}

TEST(ArrowDuckDbTest, DuckDbScansTheExportedStream) {
  DuckDb duck;
  if (!duck.Load()) GTEST_SKIP() << "libduckdb.so from the npm oracles not found";
  const std::vector<std::string> names = {
      "data-reader-primitives",    "basic-decimal-table",          "dv-with-columnmapping",
      "data-reader-nested-struct", "data-reader-array-primitives", "data-reader-map"};
  testing::ServerSetup setup;
  std::map<std::string, std::filesystem::path> expected;
  for (const std::string& name : names) {
    auto dir = delta::testing::TestTable("golden", name);
    if (!dir || !std::filesystem::exists(*dir / "expected")) continue;
    expected[name] = *dir / "expected";
    setup.tables.push_back({"golden", "default", name, (*dir / "delta").string(), true});
  }
  if (expected.empty()) GTEST_SKIP() << "golden tables not available";
  ASSERT_OK_AND_ASSIGN(auto server, testing::TestSharingServer::Start(setup));
  ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile()));

  void* db = nullptr;
  void* con = nullptr;
  ASSERT_EQ(duck.open(nullptr, &db), 0);
  ASSERT_EQ(duck.connect(db, &con), 0);
  for (const auto& [name, dir] : expected) {
    SCOPED_TRACE(name);
    ASSERT_OK_AND_ASSIGN(auto reader,
                         TableReader::Open(client.get(), {"golden", "default", name}, {}));
    const int64_t files = static_cast<int64_t>(reader->num_files());
    ArrowArrayStream stream;
    ExportBatchReader(std::move(reader), &stream);
    original_get_schema = stream.get_schema;
    stream.get_schema = CountingGetSchema;
    const std::string view = "shared_" + std::to_string(files) + "_" + std::to_string(name.size());
    ASSERT_EQ(duck.arrow_scan(con, view.c_str(), &stream), 0);
    const std::string table = "t_" + view;
    EXPECT_GE(QueryInt(duck, con, "CREATE TABLE " + table + " AS SELECT * FROM " + view), 0);
    if (stream.release != nullptr) stream.release(&stream);
    const std::string parquet = "read_parquet('" + dir.string() + "/**/*.parquet')";
    const int64_t rows = QueryInt(duck, con, "SELECT count(*) FROM " + parquet);
    EXPECT_GT(rows, 0);
    EXPECT_EQ(QueryInt(duck, con, "SELECT count(*) FROM " + table), rows);
    EXPECT_EQ(QueryInt(duck, con,
                       "SELECT count(*) FROM (SELECT * FROM " + table +
                           " EXCEPT ALL SELECT * FROM " + parquet + ")"),
              0);
    EXPECT_EQ(QueryInt(duck, con,
                       "SELECT count(*) FROM (SELECT * FROM " + parquet +
                           " EXCEPT ALL SELECT * FROM " + table + ")"),
              0);
  }
  duck.disconnect(&con);
  duck.close(&db);
  // DuckDB asked for the schema (and, in this version, never releases it).
  EXPECT_GE(schemas_out.load(), static_cast<int>(expected.size()));
}

}  // namespace
}  // namespace ds::client
