#include "test/sharing/sample_tables.h"

#include <string>

#include "test/sharing/delta_log_writer.h"

namespace ds::sharing::testing {
namespace {

std::string IdStats(int lo, int hi) {
  return "{\"numRecords\":" + std::to_string(hi - lo + 1) +
         ",\"minValues\":{\"id\":" + std::to_string(lo) +
         "},\"maxValues\":{\"id\":" + std::to_string(hi) + "},\"nullCount\":{\"id\":0}}";
}

}  // namespace

Status WriteEventsTable(const std::filesystem::path& dir) {
  DeltaLogWriter w(dir);
  const std::string schema =
      SimpleSchema({{"id", "long"}, {"value", "string"}, {"region", "string"}});
  const std::string schema2 =
      SimpleSchema({{"id", "long"}, {"value", "string"}, {"region", "string"}, {"note", "string"}});
  const std::vector<std::pair<std::string, std::string>> cdf = {
      {"delta.enableChangeDataFeed", "true"}};
  const PartitionValues eu = {{"region", "EU"}}, us = {{"region", "US"}},
                        none = {{"region", std::nullopt}};
  for (const char* f :
       {"region=EU/a.parquet", "region=US/b.parquet", "region=__HIVE_DEFAULT_PARTITION__/c.parquet",
        "region=US/d.parquet", "region=EU/a2.parquet", "_change_data/region=EU/u1.parquet",
        "region=US/d2.parquet", "region=EU/e.parquet"}) {
    RETURN_NOT_OK(w.WriteFile(f, std::string("data of ") + f));
  }
  RETURN_NOT_OK(
      w.Commit({ProtocolAction(1, 2), MetadataAction(schema, {"region"}, cdf)}, kEventsTime0));
  RETURN_NOT_OK(w.Commit(
      {CommitInfoAction("WRITE"), AddAction("region=EU/a.parquet", eu, 100, IdStats(1, 10)),
       AddAction("region=US/b.parquet", us, 200, IdStats(11, 20)),
       AddAction("region=__HIVE_DEFAULT_PARTITION__/c.parquet", none, 300, IdStats(21, 30))},
      kEventsTime0 + 1000));
  RETURN_NOT_OK(w.Commit({CommitInfoAction("DELETE"), RemoveAction("region=US/b.parquet", us, 200),
                          AddAction("region=US/d.parquet", us, 400, IdStats(31, 40))},
                         kEventsTime0 + 2000));
  RETURN_NOT_OK(
      w.Commit({CommitInfoAction("UPDATE"), CdcAction("_change_data/region=EU/u1.parquet", eu, 50),
                RemoveAction("region=EU/a.parquet", eu, 100),
                AddAction("region=EU/a2.parquet", eu, 110, IdStats(1, 10))},
               kEventsTime0 + 3000));
  RETURN_NOT_OK(w.Commit(
      {CommitInfoAction("MERGE", R"({"numTargetRowsInserted":"0","numTargetRowsUpdated":"0",)"
                                 R"("numTargetRowsDeleted":"0"})"),
       RemoveAction("region=US/d.parquet", us, 400),
       AddAction("region=US/d2.parquet", us, 400, IdStats(31, 40))},
      kEventsTime0 + 4000));
  return w.Commit({MetadataAction(schema2, {"region"}, cdf),
                   AddAction("region=EU/e.parquet", eu, 500, IdStats(41, 50))},
                  kEventsTime0 + 5000);
}

Status WritePlainTable(const std::filesystem::path& dir, int files) {
  DeltaLogWriter w(dir);
  std::vector<std::string> actions = {ProtocolAction(1, 2),
                                      MetadataAction(SimpleSchema({{"id", "long"}}), {})};
  for (int i = 0; i < files; ++i) {
    const std::string path = "p" + std::to_string(i) + ".parquet";
    RETURN_NOT_OK(w.WriteFile(path, "plain file " + std::to_string(i)));
    actions.push_back(AddAction(path, {}, 1000 + i, IdStats(10 * i, 10 * i + 9)));
  }
  return w.Commit(actions, kEventsTime0);
}

}  // namespace ds::sharing::testing
