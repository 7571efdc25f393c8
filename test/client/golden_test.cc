// Every Delta golden table served by a real sharing server on loopback and read back with
// the client library (TableReader): the rows equal Spark's expected/ rows and the local Delta
// kernel's rows (order-insensitive, deltashare's JSON row encoding). Covers deletion vectors,
// column mapping (id and name), partition values of every type, checkpoints, nested types.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "client/table_reader.h"
#include "test/client/test_server.h"
#include "test/delta/test_tables.h"
#include "test/testing/testing.h"

namespace ds::client {
namespace {

using delta::testing::ListTestTables;
using delta::testing::TestTable;

// Tables whose expected/ rows the kernel cannot match by design (see test/delta/golden_test.cc):
// a zone-less timestamp partition value Spark wrote in its session zone.
bool ExpectedDiffersByDesign(const std::string& name) {
  return name == "data-reader-partition-values";
}

struct Served {
  std::unique_ptr<testing::TestSharingServer> server;
  std::unique_ptr<SharingClient> client;
  std::map<std::string, std::filesystem::path> dirs;  // readable tables
};

Served* Server() {
  static Served* served = [] {
    auto* s = new Served();
    testing::ServerSetup setup;
    for (const std::string& name : ListTestTables("golden")) {
      auto dir = TestTable("golden", name);
      if (!dir || !std::filesystem::exists(*dir / "delta" / "_delta_log")) continue;
      s->dirs[name] = *dir;
      setup.tables.push_back({"golden", "default", name, (*dir / "delta").string(), true});
    }
    if (setup.tables.empty()) return s;
    auto server = testing::TestSharingServer::Start(setup);
    if (!server.ok()) {
      ADD_FAILURE() << server.status();
      return s;
    }
    s->server = std::move(server).value();
    // Broken tables answer 500: retry little, or each would take seconds of backoff.
    ClientOptions options;
    options.http.retry.max_attempts = 2;
    options.call_attempts = 1;
    auto client = SharingClient::Make(s->server->profile(), options);
    if (!client.ok()) ADD_FAILURE() << client.status();
    s->client = std::move(client).value();
    return s;
  }();
  return served;
}

Result<std::vector<std::string>> ClientRows(SharingClient* client, const TableCoordinates& table,
                                            ReadOptions options = {}) {
  ASSIGN_OR_RETURN(auto reader, TableReader::Open(client, table, std::move(options)));
  std::vector<std::string> rows;
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    delta::testing::AppendCanonicalRows(*batch, &rows);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

void ExpectSameRows(const std::string& what, const std::vector<std::string>& rows,
                    const std::vector<std::string>& expected) {
  EXPECT_EQ(rows.size(), expected.size()) << what << ": row count";
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), rows.begin(), rows.end(),
                      std::back_inserter(missing));
  std::set_difference(rows.begin(), rows.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  for (size_t i = 0; i < std::min<size_t>(missing.size(), 3); ++i) {
    ADD_FAILURE() << what << ": missing row " << missing[i];
  }
  for (size_t i = 0; i < std::min<size_t>(extra.size(), 3); ++i) {
    ADD_FAILURE() << what << ": unexpected row " << extra[i];
  }
}

class ClientGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ClientGoldenTest, LoadedRowsMatchExpectedAndKernel) {
  const std::string& name = GetParam();
  Served* s = Server();
  auto it = s->dirs.find(name);
  if (it == s->dirs.end() || !s->client) GTEST_SKIP() << "table " << name << " not available";
  const std::filesystem::path& dir = it->second;

  auto local = delta::testing::OpenLocalTable(dir / "delta");
  auto snapshot = local->LatestSnapshot();
  Result<std::vector<std::string>> kernel =
      snapshot.ok() ? delta::testing::SnapshotRows(*local, **snapshot)
                    : Result<std::vector<std::string>>(snapshot.status());
  Result<std::vector<std::string>> rows = ClientRows(s->client.get(), {"golden", "default", name});
  if (!kernel.ok()) {
    // Invalid or log-only tables: the server must refuse them too (or the files are missing).
    EXPECT_FALSE(rows.ok()) << name << ": the kernel fails (" << kernel.status()
                            << ") but the client read " << rows->size() << " rows";
    return;
  }
  ASSERT_TRUE(rows.ok()) << name << ": " << rows.status();
  ExpectSameRows(name + " (vs kernel)", *rows, *kernel);
  if (std::filesystem::exists(dir / "expected") && !ExpectedDiffersByDesign(name)) {
    auto expected = delta::testing::ParquetFolderRows(dir / "expected");
    ASSERT_TRUE(expected.ok()) << expected.status();
    ExpectSameRows(name + " (vs expected/)", *rows, *expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, ClientGoldenTest, ::testing::ValuesIn(ListTestTables("golden")),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace ds::client
