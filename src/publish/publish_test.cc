// Unit tests of the publisher: sources, the tenant split, the snapshot diff as Delta commits
// and change rows, and share registration.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "access/access_store.h"
#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "delta/changes.h"
#include "delta/scan.h"
#include "delta/table_location.h"
#include "io/file.h"
#include "publish/publisher.h"
#include "publish/share_register.h"
#include "publish/source.h"
#include "publish/tenants.h"
#include "test/testing/testing.h"

namespace ds::publish {
namespace {

constexpr const char* kSchema = R"json({"type":"struct","fields":[
 {"name":"tenant","type":"string","nullable":false,"metadata":{}},
 {"name":"id","type":"long","nullable":true,"metadata":{}},
 {"name":"name","type":"string","nullable":true,"metadata":{}},
 {"name":"amount","type":"decimal(12,2)","nullable":true,"metadata":{}}]})json";

columnar::SchemaPtr Schema() { return *columnar::SchemaFromJson(kSchema); }

columnar::RecordBatch Rows(const std::string& jsonl) {
  Result<columnar::RecordBatch> r = columnar::ParseJsonLines(jsonl, Schema());
  EXPECT_TRUE(r.ok()) << r.status();
  return *r;
}

// Rows of a batch as "id:name:amount" strings, sorted.
std::vector<std::string> Describe(const std::vector<columnar::RecordBatch>& batches,
                                  const std::vector<std::string>& columns) {
  std::vector<std::string> out;
  for (const auto& b : batches) {
    for (int64_t r = 0; r < b.num_rows; ++r) {
      std::string line;
      for (const std::string& c : columns) {
        int i = b.schema->FieldIndex(c);
        if (!line.empty()) line += ":";
        if (i < 0) {
          line += "?";
          continue;
        }
        std::string v;
        columnar::AppendValueJson(*b.columns[static_cast<size_t>(i)], r, &v);
        if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
        line += v;
      }
      out.push_back(line);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ScanAll(const std::string& location) {
  auto table = *delta::OpenTableAt(location);
  auto snapshot = *table->LatestSnapshot();
  std::vector<columnar::RecordBatch> batches;
  EXPECT_OK(delta::ScanSnapshot(*table, *snapshot, {}, [&](const columnar::RecordBatch& b) {
    batches.push_back(b);
    return Status::OK();
  }));
  return Describe(batches, {"id", "name", "amount"});
}

std::vector<std::string> ChangesOf(const std::string& location, int64_t from, int64_t to) {
  auto table = *delta::OpenTableAt(location);
  std::vector<columnar::RecordBatch> batches;
  EXPECT_OK(delta::ScanChanges(*table, from, to, {}, [&](const columnar::RecordBatch& b) {
    batches.push_back(b);
    return Status::OK();
  }));
  return Describe(batches, {"_commit_version", "_change_type", "id", "name"});
}

TEST(Tenants, ValidateTenant) {
  EXPECT_OK(ValidateTenant("acme"));
  EXPECT_OK(ValidateTenant("Acme_Corp-2"));
  EXPECT_OK(ValidateTenant("42"));
  for (const char* bad : {"", "-x", "a/b", "..", "a.b", "a b", "caf\xc3\xa9"}) {
    EXPECT_TRUE(ValidateTenant(bad).IsInvalidArgument()) << bad;
  }
  EXPECT_TRUE(ValidateTenant(std::string(129, 'a')).IsInvalidArgument());
}

TEST(Tenants, SplitGroupsInTenantOrderAndDropsTheColumn) {
  auto rows = Rows(
      "{\"tenant\":\"zeta\",\"id\":1,\"name\":\"z1\"}\n"
      "{\"tenant\":\"acme\",\"id\":2,\"name\":\"a2\"}\n"
      "{\"tenant\":\"zeta\",\"id\":3,\"name\":\"z3\"}\n"
      "{\"tenant\":\"acme\",\"id\":4,\"name\":\"a4\"}\n");
  ASSERT_OK_AND_ASSIGN(auto groups, SplitByTenant(rows, "tenant"));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].tenant, "acme");
  EXPECT_EQ(groups[1].tenant, "zeta");
  EXPECT_EQ(groups[0].rows.schema->FieldIndex("tenant"), -1);
  EXPECT_EQ(groups[0].rows.schema->fields.size(), 3u);
  EXPECT_EQ(Describe({groups[0].rows}, {"id", "name"}),
            (std::vector<std::string>{"2:a2", "4:a4"}));
  EXPECT_EQ(Describe({groups[1].rows}, {"id", "name"}),
            (std::vector<std::string>{"1:z1", "3:z3"}));
}

TEST(Tenants, SplitByIntegerColumn) {
  // "-7" starts with '-': refused, naming the row.
  auto rows = Rows("{\"tenant\":\"x\",\"id\":7}\n{\"tenant\":\"x\",\"id\":-7}\n");
  Status st = SplitByTenant(rows, "id").status();
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_NE(st.message().find("row 2"), std::string::npos) << st;
  auto one = Rows("{\"tenant\":\"x\",\"id\":7}\n");
  ASSERT_OK_AND_ASSIGN(auto groups, SplitByTenant(one, "id"));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].tenant, "7");
}

TEST(Tenants, SplitErrors) {
  auto rows = Rows("{\"tenant\":\"../etc\",\"id\":1}\n");
  Status st = SplitByTenant(rows, "tenant").status();
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_NE(st.message().find("row 1"), std::string::npos) << st;
  EXPECT_TRUE(SplitByTenant(rows, "nope").status().IsInvalidArgument());
  EXPECT_TRUE(SplitByTenant(rows, "amount").status().IsInvalidArgument());  // decimal
  auto nulls = Rows("{\"tenant\":\"a\",\"id\":1,\"name\":null}\n");
  EXPECT_TRUE(SplitByTenant(nulls, "name").status().IsInvalidArgument());
}

TEST(Source, DirectoryOfFilesInNameOrder) {
  testing::TempDir dir;
  ASSERT_OK(io::WriteStringToFile(dir.Join("b.jsonl"), "{\"tenant\":\"t\",\"id\":2}\n"));
  ASSERT_OK(io::WriteStringToFile(dir.Join("a.jsonl"), "{\"tenant\":\"t\",\"id\":1}\n"));
  ASSERT_OK(io::WriteStringToFile(dir.Join("_skip.jsonl"), "garbage\n"));
  ASSERT_OK(io::WriteStringToFile(dir.Join("notes.txt"), "ignored"));
  ASSERT_OK_AND_ASSIGN(auto rows, ReadSnapshotSource(dir.path().string(), Schema()));
  ASSERT_EQ(rows.num_rows, 2);
  EXPECT_EQ(rows.columns[1]->Value<int64_t>(0), 1);
  EXPECT_EQ(rows.columns[1]->Value<int64_t>(1), 2);
}

TEST(Source, Errors) {
  testing::TempDir dir;
  // An empty folder is not an empty snapshot.
  Status st = ReadSnapshotSource(dir.path().string(), Schema()).status();
  EXPECT_TRUE(st.IsInvalidArgument()) << st;
  ASSERT_OK(io::WriteStringToFile(dir.Join("a.jsonl"), "{\"tenant\":\"t\",\"id\":1}\n"));
  EXPECT_TRUE(ReadSnapshotSource(dir.Join("a.jsonl"), nullptr).status().IsInvalidArgument());
  EXPECT_TRUE(ReadSnapshotSource(dir.Join("missing.jsonl"), Schema()).status().IsNotFound());
  ASSERT_OK(io::WriteStringToFile(dir.Join("b.jsonl"), "{\"tenant\":\"t\",\"id\":\"x\"}\n"));
  EXPECT_TRUE(ReadSnapshotSource(dir.path().string(), Schema()).status().IsInvalidArgument());
}

class PublishTest : public ::testing::Test {
 protected:
  Result<std::vector<TenantPublish>> Publish(const std::string& jsonl) {
    PublishSpec spec;
    spec.keys = {"id"};
    return PublishSnapshot(dir_.Join("lake"), "accounts", Rows(jsonl), spec, "tenant");
  }
  std::string Location(const std::string& tenant) {
    return dir_.Join("lake") + "/" + tenant + "/accounts";
  }
  testing::TempDir dir_;
};

TEST_F(PublishTest, SnapshotsBecomeMergesWithChangeRows) {
  // Run 1: creates one table per tenant, CDF on.
  ASSERT_OK_AND_ASSIGN(auto runs, Publish("{\"tenant\":\"acme\",\"id\":1,\"name\":\"a\"}\n"
                                          "{\"tenant\":\"acme\",\"id\":2,\"name\":\"b\"}\n"
                                          "{\"tenant\":\"acme\",\"id\":3,\"name\":\"c\"}\n"
                                          "{\"tenant\":\"beta\",\"id\":1,\"name\":\"x\"}\n"));
  ASSERT_EQ(runs.size(), 2u);
  for (const auto& r : runs) ASSERT_OK(r.status);
  EXPECT_EQ(runs[0].tenant, "acme");
  EXPECT_EQ(runs[0].location, Location("acme"));
  EXPECT_TRUE(runs[0].result.created);
  ASSERT_TRUE(runs[0].result.commit);
  EXPECT_EQ(runs[0].result.commit->version, 0);
  EXPECT_EQ(runs[0].result.inserted, 3);
  {
    auto table = *delta::OpenTableAt(Location("acme"));
    auto snap = *table->LatestSnapshot();
    EXPECT_TRUE(snap->change_data_feed_enabled());
    EXPECT_EQ(snap->schema().logical()->FieldIndex("tenant"), -1);
  }

  // Run 2, unchanged: no commit anywhere.
  ASSERT_OK_AND_ASSIGN(runs, Publish("{\"tenant\":\"beta\",\"id\":1,\"name\":\"x\"}\n"
                                     "{\"tenant\":\"acme\",\"id\":3,\"name\":\"c\"}\n"
                                     "{\"tenant\":\"acme\",\"id\":2,\"name\":\"b\"}\n"
                                     "{\"tenant\":\"acme\",\"id\":1,\"name\":\"a\"}\n"));
  for (const auto& r : runs) {
    ASSERT_OK(r.status);
    EXPECT_FALSE(r.result.commit) << r.tenant;
    EXPECT_EQ(r.result.files_added, 0);
  }
  EXPECT_EQ(*(*delta::OpenTableAt(Location("acme")))->LatestVersion(), 0);

  // Run 3: acme updates 2, deletes 3, inserts 4; beta unchanged.
  ASSERT_OK_AND_ASSIGN(runs, Publish("{\"tenant\":\"acme\",\"id\":1,\"name\":\"a\"}\n"
                                     "{\"tenant\":\"acme\",\"id\":2,\"name\":\"B\"}\n"
                                     "{\"tenant\":\"acme\",\"id\":4,\"name\":\"d\"}\n"
                                     "{\"tenant\":\"beta\",\"id\":1,\"name\":\"x\"}\n"));
  ASSERT_OK(runs[0].status);
  ASSERT_TRUE(runs[0].result.commit);
  EXPECT_EQ(runs[0].result.commit->version, 1);
  EXPECT_EQ(runs[0].result.inserted, 1);
  EXPECT_EQ(runs[0].result.updated, 1);
  EXPECT_EQ(runs[0].result.deleted, 1);
  EXPECT_FALSE(runs[1].result.commit);

  EXPECT_EQ(ScanAll(Location("acme")),
            (std::vector<std::string>{"1:a:null", "2:B:null", "4:d:null"}));
  EXPECT_EQ(ScanAll(Location("beta")), (std::vector<std::string>{"1:x:null"}));
  EXPECT_EQ(ChangesOf(Location("acme"), 1, 1),
            (std::vector<std::string>{"1:delete:3:c", "1:insert:4:d", "1:update_postimage:2:B",
                                      "1:update_preimage:2:b"}));
  EXPECT_EQ(ChangesOf(Location("acme"), 0, 0),
            (std::vector<std::string>{"0:insert:1:a", "0:insert:2:b", "0:insert:3:c"}));
}

TEST_F(PublishTest, BadSnapshotsChangeNothing) {
  ASSERT_OK(Publish("{\"tenant\":\"acme\",\"id\":1,\"name\":\"a\"}\n").status());
  // A null key, a duplicate key: refused per tenant, the table untouched.
  ASSERT_OK_AND_ASSIGN(auto runs, Publish("{\"tenant\":\"acme\",\"id\":null,\"name\":\"a\"}\n"));
  EXPECT_TRUE(runs[0].status.IsInvalidArgument()) << runs[0].status;
  EXPECT_NE(runs[0].status.message().find("null key"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(runs, Publish("{\"tenant\":\"acme\",\"id\":1,\"name\":\"a\"}\n"
                                     "{\"tenant\":\"acme\",\"id\":1,\"name\":\"b\"}\n"));
  EXPECT_TRUE(runs[0].status.IsInvalidArgument()) << runs[0].status;
  EXPECT_EQ(*(*delta::OpenTableAt(Location("acme")))->LatestVersion(), 0);
  EXPECT_EQ(ScanAll(Location("acme")), (std::vector<std::string>{"1:a:null"}));
  // One bad tenant does not stop another.
  ASSERT_OK_AND_ASSIGN(runs, Publish("{\"tenant\":\"acme\",\"id\":null}\n"
                                     "{\"tenant\":\"beta\",\"id\":5}\n"));
  EXPECT_FALSE(runs[0].status.ok());
  ASSERT_OK(runs[1].status);
  EXPECT_TRUE(runs[1].result.created);
  // Bad table names and lakes are refused before anything is written.
  PublishSpec spec;
  spec.keys = {"id"};
  auto rows = Rows("{\"tenant\":\"acme\",\"id\":1}\n");
  EXPECT_TRUE(PublishSnapshot(dir_.Join("lake"), "../x", rows, spec, "tenant")
                  .status()
                  .IsInvalidArgument());
  EXPECT_TRUE(PublishSnapshot("", "x", rows, spec, "tenant").status().IsInvalidArgument());
  spec.keys = {};
  ASSERT_OK_AND_ASSIGN(runs, PublishSnapshot(dir_.Join("lake"), "x", rows, spec, "tenant"));
  EXPECT_TRUE(runs[0].status.IsInvalidArgument());
}

TEST_F(PublishTest, PartitionedTableAndNoTenantColumn) {
  PublishSpec spec;
  spec.keys = {"id"};
  spec.partition_by = {"tenant"};
  auto rows = Rows("{\"tenant\":\"a\",\"id\":1}\n{\"tenant\":\"b\",\"id\":2}\n");
  ASSERT_OK_AND_ASSIGN(auto runs, PublishSnapshot(dir_.Join("lake"), "all", rows, spec, ""));
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_OK(runs[0].status);
  EXPECT_EQ(runs[0].location, dir_.Join("lake") + "/all");
  auto table = *delta::OpenTableAt(runs[0].location);
  EXPECT_EQ((*table->LatestSnapshot())->metadata().partition_columns,
            (std::vector<std::string>{"tenant"}));
  EXPECT_EQ((*table->LatestSnapshot())->files().num_files(), 2u);
  // Moving b's row to partition a rewrites b's file only; a later run with other
  // partition columns is refused.
  rows = Rows("{\"tenant\":\"a\",\"id\":1}\n{\"tenant\":\"a\",\"id\":2}\n");
  ASSERT_OK_AND_ASSIGN(runs, PublishSnapshot(dir_.Join("lake"), "all", rows, spec, ""));
  ASSERT_OK(runs[0].status);
  EXPECT_EQ(runs[0].result.updated, 1);
  spec.partition_by = {"name"};
  ASSERT_OK_AND_ASSIGN(runs, PublishSnapshot(dir_.Join("lake"), "all", rows, spec, ""));
  EXPECT_TRUE(runs[0].status.IsInvalidArgument()) << runs[0].status;
}

TEST(Register, CreatesShareIdempotentlyAndKeepsIds) {
  ASSERT_OK_AND_ASSIGN(auto store, access::OpenAccessStore("memory:"));
  std::vector<SharedTable> tables = {{"accounts", "/lake/acme/accounts"},
                                     {"contacts", "/lake/acme/contacts"}};
  ASSERT_OK_AND_ASSIGN(auto r, RegisterTenantShare(*store, "acme", "crm", tables));
  EXPECT_TRUE(r.share_created);
  EXPECT_EQ(r.tables_added, 2);
  ASSERT_OK_AND_ASSIGN(auto share, store->GetShare("acme"));
  ASSERT_NE(share.FindTable("crm", "accounts"), nullptr);
  EXPECT_TRUE(share.FindTable("crm", "accounts")->history_shared);
  const std::string id = share.FindTable("crm", "accounts")->id;

  ASSERT_OK_AND_ASSIGN(r, RegisterTenantShare(*store, "acme", "crm", tables));
  EXPECT_FALSE(r.share_created);
  EXPECT_EQ(r.tables_unchanged, 2);
  EXPECT_EQ(r.tables_added, 0);

  tables[0].location = "/lake2/acme/accounts";
  tables.push_back({"cases", "/lake/acme/cases"});
  ASSERT_OK_AND_ASSIGN(r, RegisterTenantShare(*store, "acme", "crm", tables));
  EXPECT_EQ(r.tables_moved, 1);
  EXPECT_EQ(r.tables_added, 1);
  ASSERT_OK_AND_ASSIGN(share, store->GetShare("acme"));
  EXPECT_EQ(share.FindTable("crm", "accounts")->id, id);
  EXPECT_EQ(share.FindTable("crm", "accounts")->location, "/lake2/acme/accounts");
  EXPECT_TRUE(RegisterTenantShare(*store, "acme", "a.b", tables).status().IsInvalidArgument());
}

TEST(Register, FindLocalTables) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "b" / "_delta_log");
  std::filesystem::create_directories(dir.path() / "a" / "_delta_log");
  std::filesystem::create_directories(dir.path() / "not_a_table");
  ASSERT_OK_AND_ASSIGN(auto tables, FindLocalTables(dir.path().string()));
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].name, "a");
  EXPECT_EQ(tables[0].location, (dir.path() / "a").string());
  EXPECT_TRUE(FindLocalTables(dir.Join("missing")).status().IsNotFound());
  EXPECT_TRUE(FindLocalTables("s3://bucket/lake").status().IsNotSupported());
  EXPECT_TRUE(FindLocalTables((dir.path() / "not_a_table").string()).status().IsInvalidArgument());
}

}  // namespace
}  // namespace ds::publish
