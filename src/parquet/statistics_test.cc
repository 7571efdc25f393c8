#include "parquet/statistics.h"

#include "parquet/describe.h"
#include "test/testing/testing.h"
#include "util/string_util.h"

namespace ds::parquet {
namespace {

TEST(Scratch, Dump) {
  DS_REQUIRE_TESTDATA(td);
  const char* which = std::getenv("DS_DUMP");
  if (!which) GTEST_SKIP();
  auto file = io::OpenLocalFile((td / "parquet-testing/data" / which).string()).ValueOrDie();
  auto reader = FileReader::Open(file).ValueOrDie();
  std::cout << DescribeSchemaText(*reader) << DescribeMetaText(*reader);
}

}  // namespace
}  // namespace ds::parquet
namespace ds::parquet {
TEST(Scratch, Raw) {
  DS_REQUIRE_TESTDATA(td);
  const char* which = std::getenv("DS_DUMP");
  if (!which) GTEST_SKIP();
  auto file = io::OpenLocalFile((td / "parquet-testing/data" / which).string()).ValueOrDie();
  auto reader = FileReader::Open(file).ValueOrDie();
  for (auto& rg : reader->metadata().row_groups) {
    for (auto& c : rg.columns) {
      if (!c.meta_data || !c.meta_data->statistics) continue;
      auto& s = *c.meta_data->statistics;
      auto h = [](const std::optional<std::string>& v) { return v ? HexEncode(*v) : std::string("-"); };
      std::cout << Join(c.meta_data->path_in_schema, ".") << " min=" << h(s.min) << " max=" << h(s.max)
                << " min_value=" << h(s.min_value) << " max_value=" << h(s.max_value)
                << " nulls=" << s.null_count.value_or(-1) << " nan=" << s.nan_count.value_or(-1) << "\n";
    }
  }
}
}  // namespace ds::parquet
