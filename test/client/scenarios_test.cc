// The client against a real sharing server on loopback in the situations recipients hit:
// many files and pagination, predicates/limits/projection, URL expiry during a long read, a
// server restart mid-read, truncated and corrupted downloads, change data feeds (compared with
// the local Delta kernel), both response formats, listing, authentication errors, async
// queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "client/changes_reader.h"
#include "client/table_reader.h"
#include "delta/changes.h"
#include "httpclient/curl_client.h"
#include "test/client/generated_table.h"
#include "test/client/test_server.h"
#include "test/delta/test_tables.h"
#include "test/testing/testing.h"
#include "util/string_util.h"

namespace ds::client {
namespace {

namespace fs = std::filesystem;
using testing::ServerSetup;
using testing::TestSharingServer;

Result<std::vector<std::string>> Drain(BatchReader* reader, int64_t* batches = nullptr,
                                       const std::function<void(int64_t)>& after_batch = {}) {
  std::vector<std::string> rows;
  int64_t n = 0;
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    delta::testing::AppendCanonicalRows(*batch, &rows);
    if (after_batch) after_batch(n);
    ++n;
  }
  if (batches) *batches = n;
  std::sort(rows.begin(), rows.end());
  return rows;
}

class ScenariosTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new ds::testing::TempDir();
    auto many = testing::WriteGeneratedTable(root_->Join("many"), 2000, 5, 8);
    ASSERT_TRUE(many.ok()) << many.status();
    many_ = new testing::GeneratedTable(std::move(many).value());
    auto few = testing::WriteGeneratedTable(root_->Join("few"), 24, 50, 3, 200);
    ASSERT_TRUE(few.ok()) << few.status();
    few_ = new testing::GeneratedTable(std::move(few).value());
  }
  static void TearDownTestSuite() {
    delete many_;
    delete few_;
    delete root_;
  }

  static ServerSetup Setup(int64_t url_lifetime_seconds = 3600) {
    ServerSetup setup;
    setup.url_lifetime_seconds = url_lifetime_seconds;
    setup.tables.push_back({"share", "gen", "many", many_->dir, true});
    setup.tables.push_back({"share", "gen", "few", few_->dir, true});
    setup.tables.push_back({"share", "gen", "few_no_history", few_->dir, false});
    setup.tables.push_back({"other", "s1", "t", few_->dir, true});
    return setup;
  }

  static ds::testing::TempDir* root_;
  static testing::GeneratedTable* many_;
  static testing::GeneratedTable* few_;
};
ds::testing::TempDir* ScenariosTest::root_ = nullptr;
testing::GeneratedTable* ScenariosTest::many_ = nullptr;
testing::GeneratedTable* ScenariosTest::few_ = nullptr;

TEST_F(ScenariosTest, ThousandsOfFilesOverManyPages) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup()));
  ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile()));
  ReadOptions options;
  options.page_size = 300;  // 7 pages
  options.download.parallelism = 8;
  options.download.window_bytes = 64 << 10;  // far less than the table: bounded look-ahead
  ASSERT_OK_AND_ASSIGN(auto reader,
                       TableReader::Open(client.get(), {"share", "gen", "many"}, options));
  EXPECT_EQ(reader->num_files(), 2000u);
  EXPECT_EQ(reader->total_bytes(), many_->bytes);
  ASSERT_OK_AND_ASSIGN(auto rows, Drain(reader.get()));
  EXPECT_EQ(rows, many_->expected_rows);
  EXPECT_EQ(reader->download_stats().files.load(), 2000);
  EXPECT_EQ(reader->download_stats().refreshes.load(), 0);
}

TEST_F(ScenariosTest, PredicateLimitAndColumns) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup()));
  ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile()));
  ReadOptions options;
  options.predicate_json =
      R"({"op":"and","children":[{"op":"equal","children":[{"op":"column","name":"part","valueType":"string"},{"op":"literal","value":"p1","valueType":"string"}]},{"op":"lessThan","children":[{"op":"column","name":"id","valueType":"long"},{"op":"literal","value":"1000","valueType":"long"}]}]})";
  options.columns = {"value", "id"};
  ASSERT_OK_AND_ASSIGN(auto reader,
                       TableReader::Open(client.get(), {"share", "gen", "many"}, options));
  // The server skipped files by partition and id stats: 25 files of p1 below id 1000.
  EXPECT_EQ(reader->num_files(), 25u);
  ASSERT_EQ(reader->schema()->fields.size(), 2u);
  EXPECT_EQ(reader->schema()->fields[0].name, "value");
  ASSERT_OK_AND_ASSIGN(auto rows, Drain(reader.get()));
  EXPECT_EQ(rows.size(), 125u);
  for (const std::string& r : rows) EXPECT_EQ(r.find("part"), std::string::npos) << r;

  options.limit = 7;
  ASSERT_OK_AND_ASSIGN(reader, TableReader::Open(client.get(), {"share", "gen", "many"}, options));
  ASSERT_OK_AND_ASSIGN(rows, Drain(reader.get()));
  EXPECT_EQ(rows.size(), 7u);

  options.predicate_json =
      R"({"op":"equal","children":[{"op":"column","name":"nope","valueType":"int"},{"op":"literal","value":"1","valueType":"int"}]})";
  ASSERT_RAISES(kNotSupported, TableReader::Open(client.get(), {"share", "gen", "few"}, options));
  options.predicate_json = "{";
  ASSERT_RAISES(kInvalidArgument,
                TableReader::Open(client.get(), {"share", "gen", "few"}, options));
  options.predicate_json.reset();
  options.columns = {"missing"};
  ASSERT_RAISES(kInvalidArgument,
                TableReader::Open(client.get(), {"share", "gen", "few"}, options));
}

// URLs live one second; the reader is slow, so most URLs expire before their download.
void ReadWithExpiringUrls(SharingClient* client, const TableCoordinates& table,
                          const testing::GeneratedTable& expected, ReadOptions options) {
  options.download.parallelism = 1;
  options.download.window_bytes = 1;  // one file ahead at most
  options.batch_size = 10;
  ASSERT_OK_AND_ASSIGN(auto reader, TableReader::Open(client, table, options));
  ASSERT_OK_AND_ASSIGN(auto rows, Drain(reader.get(), nullptr, [](int64_t batch) {
                         if (batch % 10 == 0) {
                           std::this_thread::sleep_for(std::chrono::milliseconds(400));
                         }
                       }));
  EXPECT_EQ(rows, expected.expected_rows);
  EXPECT_GT(reader->download_stats().refreshes.load(), 0);
  EXPECT_EQ(reader->download_stats().files.load(), expected.files);  // none downloaded twice
}

TEST_F(ScenariosTest, UrlsExpiringMidReadAreRefreshedWithTheRefreshToken) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup(1)));
  ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile()));
  ReadWithExpiringUrls(client.get(), {"share", "gen", "few"}, *few_, {});
}

TEST_F(ScenariosTest, UrlsExpiringMidReadAreRefreshedAtThePinnedVersion) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup(1)));
  ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile()));
  ReadOptions options;
  options.version = 0;  // time travel: no refresh token, re-query version 0
  ReadWithExpiringUrls(client.get(), {"share", "gen", "few"}, *few_, options);
  // History not shared: the latest snapshot is re-queried (still version 0).
  ReadWithExpiringUrls(client.get(), {"share", "gen", "few_no_history"}, *few_, {});
}

TEST_F(ScenariosTest, ServerRestartMidRead) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup()));
  ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile()));
  ReadOptions options;
  options.download.parallelism = 2;
  options.download.window_bytes = 1;
  options.batch_size = 10;
  ASSERT_OK_AND_ASSIGN(auto reader,
                       TableReader::Open(client.get(), {"share", "gen", "few"}, options));
  std::thread restarter;
  std::atomic<bool> restarted{false};
  ASSERT_OK_AND_ASSIGN(auto rows, Drain(reader.get(), nullptr, [&](int64_t batch) {
                         if (batch != 20) return;
                         server->Stop();  // mid-read: files in flight fail
                         restarter = std::thread([&] {
                           std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                           EXPECT_OK(server->Restart());
                           restarted = true;
                         });
                       }));
  if (restarter.joinable()) restarter.join();
  EXPECT_TRUE(restarted.load());
  EXPECT_EQ(rows, few_->expected_rows);
}

// Forwards to libcurl but damages the bodies of data-file downloads as told.
class DamagingClient final : public httpclient::HttpClient {
 public:
  enum class Damage { kTruncate, kFlipLastByte, kFlipMiddleByte };
  DamagingClient(httpclient::HttpClientPtr inner, Damage damage, int times)
      : inner_(std::move(inner)), damage_(damage), left_(times) {}
  Result<httpclient::HttpResponse> Send(const httpclient::HttpRequest& r) override {
    return inner_->Send(r);
  }
  Result<httpclient::HttpResponse> SendStreaming(const httpclient::HttpRequest& r,
                                                 const httpclient::BodySink& sink) override {
    if (r.url.find("/files/") == std::string::npos || left_.fetch_sub(1) <= 0) {
      return inner_->SendStreaming(r, sink);
    }
    ++damaged_;
    int64_t offset = 0;
    return inner_->SendStreaming(
        r, [&](const httpclient::HttpResponse& head, std::string_view chunk) -> Status {
          const int64_t total =
              ParseInt64(head.headers.Get("Content-Length").value_or("0")).value_or(0);
          std::string copy(chunk);
          for (size_t i = 0; i < copy.size(); ++i) {
            const int64_t at = offset + static_cast<int64_t>(i);
            if ((damage_ == Damage::kFlipLastByte && at == total - 1) ||
                (damage_ == Damage::kFlipMiddleByte && at == total / 2)) {
              copy[i] ^= 0x5a;
            }
          }
          if (damage_ == Damage::kTruncate &&
              offset + static_cast<int64_t>(copy.size()) > total / 2) {
            copy.resize(static_cast<size_t>(std::max<int64_t>(0, total / 2 - offset)));
          }
          offset += static_cast<int64_t>(chunk.size());
          return copy.empty() ? Status::OK() : sink(head, copy);
        });
  }
  int damaged() const { return damaged_.load(); }

 private:
  httpclient::HttpClientPtr inner_;
  Damage damage_;
  std::atomic<int> left_;
  std::atomic<int> damaged_{0};
};

Result<std::unique_ptr<SharingClient>> ClientWith(const TestSharingServer& server,
                                                  std::shared_ptr<DamagingClient> http) {
  ClientOptions options;
  options.http_client = std::move(http);
  return SharingClient::Make(server.profile(), options);
}

TEST_F(ScenariosTest, TruncatedAndDamagedDownloadsAreRetried) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup()));
  ASSERT_OK_AND_ASSIGN(auto curl, httpclient::CurlHttpClient::Make());
  for (auto damage : {DamagingClient::Damage::kTruncate, DamagingClient::Damage::kFlipLastByte}) {
    auto http = std::make_shared<DamagingClient>(curl, damage, 5);
    ASSERT_OK_AND_ASSIGN(auto client, ClientWith(*server, http));
    ReadOptions options;
    options.download.initial_backoff_ms = 10;
    ASSERT_OK_AND_ASSIGN(auto reader,
                         TableReader::Open(client.get(), {"share", "gen", "few"}, options));
    ASSERT_OK_AND_ASSIGN(auto rows, Drain(reader.get()));
    EXPECT_EQ(rows, few_->expected_rows);
    EXPECT_EQ(http->damaged(), 5);
    EXPECT_GE(reader->download_stats().retries.load(), 5);
    if (damage == DamagingClient::Damage::kTruncate) {
      EXPECT_EQ(reader->download_stats().truncated.load(), 5);
    }
  }
}

TEST_F(ScenariosTest, PersistentDamageIsAnError) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup()));
  ASSERT_OK_AND_ASSIGN(auto curl, httpclient::CurlHttpClient::Make());
  for (auto damage : {DamagingClient::Damage::kTruncate, DamagingClient::Damage::kFlipLastByte,
                      DamagingClient::Damage::kFlipMiddleByte}) {
    auto http = std::make_shared<DamagingClient>(curl, damage, 1 << 30);
    ASSERT_OK_AND_ASSIGN(auto client, ClientWith(*server, http));
    ReadOptions options;
    options.download.initial_backoff_ms = 1;
    options.download.max_attempts = 3;
    ASSERT_OK_AND_ASSIGN(auto reader,
                         TableReader::Open(client.get(), {"share", "gen", "few"}, options));
    auto rows = Drain(reader.get());
    ASSERT_RAISES(kCorruption, rows);
    EXPECT_NE(rows.status().message().find("file "), std::string::npos) << rows.status();
  }
}

TEST_F(ScenariosTest, ListingAndVersionsAndErrors) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup()));
  ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile()));
  ASSERT_OK_AND_ASSIGN(auto shares, client->ListShares());
  ASSERT_EQ(shares.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto page, client->ListSharesPage(1, ""));
  EXPECT_EQ(page.items.size(), 1u);
  EXPECT_FALSE(page.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(auto schemas, client->ListSchemas("share"));
  ASSERT_EQ(schemas.size(), 1u);
  EXPECT_EQ(schemas[0].name, "gen");
  ASSERT_OK_AND_ASSIGN(auto tables, client->ListTables("share", "gen"));
  EXPECT_EQ(tables.size(), 3u);
  ASSERT_OK_AND_ASSIGN(auto all, client->ListAllTables("share"));
  EXPECT_EQ(all.size(), 3u);
  ASSERT_OK_AND_ASSIGN(auto share, client->GetShare("other"));
  EXPECT_EQ(share.name, "other");
  ASSERT_RAISES(kNotFound, client->GetShare("missing"));
  ASSERT_RAISES(kNotFound, client->ListAllTables("missing"));
  ASSERT_OK_AND_ASSIGN(int64_t v, client->GetTableVersion({"share", "gen", "few"}));
  EXPECT_EQ(v, 0);
  ASSERT_OK_AND_ASSIGN(TableResponse meta, client->GetTableMetadata({"share", "gen", "few"}));
  EXPECT_EQ(meta.metadata.metadata.partition_columns, std::vector<std::string>{"part"});
  EXPECT_TRUE(meta.files.empty());
  ASSERT_RAISES(kNotFound, client->GetTableMetadata({"share", "gen", "nope"}));
  ASSERT_RAISES(kInvalidArgument, client->GetTableMetadata({"share", "gen", "few"}, {7, {}}));

  auto profile = server->profile();
  profile.bearer_token = "wrong";
  ASSERT_OK_AND_ASSIGN(auto intruder, SharingClient::Make(profile));
  ASSERT_RAISES(kUnauthenticated, intruder->ListShares());
  profile = server->profile();
  profile.expiration_ms = 1000;  // 1970
  ASSERT_OK_AND_ASSIGN(auto expired, SharingClient::Make(profile));
  auto st = expired->ListShares();
  ASSERT_RAISES(kUnauthenticated, st);
  EXPECT_NE(st.status().message().find("expired"), std::string::npos);
}

TEST_F(ScenariosTest, ParquetFormatAndAsyncQueries) {
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(Setup()));
  ClientOptions options;
  options.formats = {ResponseFormat::kParquet};
  ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile(), options));
  ASSERT_OK_AND_ASSIGN(auto reader, TableReader::Open(client.get(), {"share", "gen", "few"}, {}));
  EXPECT_EQ(reader->response().format, ResponseFormat::kParquet);
  ASSERT_OK_AND_ASSIGN(auto rows, Drain(reader.get()));
  EXPECT_EQ(rows, few_->expected_rows);

  ASSERT_OK_AND_ASSIGN(client, SharingClient::Make(server->profile()));
  QueryParams async;
  async.async_idempotency_key = "k-1";
  async.max_files = 5;
  ASSERT_OK_AND_ASSIGN(TableResponse r, client->QueryTableAll({"share", "gen", "few"}, async));
  EXPECT_EQ(r.files.size(), 24u);
  EXPECT_FALSE(r.query_status);
}

// The change feed of the kernel's CDF tables, read through the server, equals the feed the
// local Delta kernel computes from the same log.
TEST(ClientChangesTest, ChangeFeedsMatchTheKernel) {
  const std::vector<std::string> names = {"cdf-table",
                                          "cdf-table-simple",
                                          "cdf-table-partitioned",
                                          "cdf-table-with-dv",
                                          "cdf-table-with-cdc-and-dvs",
                                          "cdf-column-mapping-name-mode",
                                          "cdf-column-mapping-id-mode",
                                          "cdf-table-update-ops",
                                          "cdf-table-delete-conditional-two-rows"};
  ServerSetup setup;
  std::map<std::string, fs::path> dirs;
  for (const std::string& name : names) {
    auto dir = delta::testing::TestTable("kernel", name);
    if (!dir) continue;
    fs::path root = fs::exists(*dir / "_delta_log") ? *dir : *dir / "delta";
    dirs[name] = root;
    setup.tables.push_back({"cdf", "default", name, root.string(), true});
  }
  if (dirs.empty()) GTEST_SKIP() << "kernel CDF tables not available";
  ASSERT_OK_AND_ASSIGN(auto server, TestSharingServer::Start(setup));
  for (auto format : {ResponseFormat::kDelta, ResponseFormat::kParquet}) {
    ClientOptions copts;
    copts.formats = {format};
    ASSERT_OK_AND_ASSIGN(auto client, SharingClient::Make(server->profile(), copts));
    for (const auto& [name, root] : dirs) {
      SCOPED_TRACE(name + (format == ResponseFormat::kDelta ? " (delta)" : " (parquet)"));
      auto table = delta::testing::OpenLocalTable(root);
      ASSERT_OK_AND_ASSIGN(int64_t latest, table->LatestVersion());
      std::vector<std::string> expected;
      Status kernel =
          delta::ScanChanges(*table, 0, latest, {}, [&](const columnar::RecordBatch& b) {
            delta::testing::AppendCanonicalRows(b, &expected);
            return Status::OK();
          });
      ChangesOptions options;
      options.starting_version = 0;
      auto reader = ChangesReader::Open(client.get(), {"cdf", "default", name}, options);
      if (!kernel.ok()) {
        EXPECT_FALSE(reader.ok()) << "the kernel fails: " << kernel;
        continue;
      }
      if (!reader.ok() && format == ResponseFormat::kParquet &&
          reader.status().code() == StatusCode::kNotSupported) {
        continue;  // DV or column-mapped tables are delta-format only
      }
      ASSERT_TRUE(reader.ok()) << reader.status();
      std::sort(expected.begin(), expected.end());
      ASSERT_OK_AND_ASSIGN(auto rows, Drain(reader->get()));
      EXPECT_EQ(rows.size(), expected.size());
      EXPECT_EQ(rows, expected);
    }
  }
}

}  // namespace
}  // namespace ds::client
