#include "columnar/csv.h"

#include "columnar/json_rows.h"
#include "test/testing/testing.h"

namespace ds::columnar {
namespace {

std::string Rows(const RecordBatch& b) {
  std::string out;
  for (int64_t i = 0; i < b.num_rows; ++i) {
    AppendRowJson(b, i, &out);
    out += "\n";
  }
  return out;
}

SchemaPtr TestSchema() {
  return std::make_shared<Schema>(Schema{{Field("id", Int64(), false), Field("name", String()),
                                          Field("tags", List(Field("element", String())))}});
}

TEST(CsvTest, QuotesNullsAndNestedJson) {
  std::string csv =
      "name,id,tags\r\n"
      "\"a, \"\"quoted\"\"\",1,\"[\"\"x\"\"]\"\r\n"
      ",2,\n"
      "\"\",3,[]\n";
  ASSERT_OK_AND_ASSIGN(RecordBatch b, ParseCsv(csv, TestSchema()));
  EXPECT_EQ(Rows(b),
            "{\"id\":1,\"name\":\"a, \\\"quoted\\\"\",\"tags\":[\"x\"]}\n"
            "{\"id\":2,\"name\":null,\"tags\":null}\n"
            "{\"id\":3,\"name\":\"\",\"tags\":[]}\n");
}

TEST(CsvTest, MultiLineQuotedCell) {
  ASSERT_OK_AND_ASSIGN(RecordBatch b, ParseCsv("id,name\n1,\"two\nlines\"\n", TestSchema()));
  EXPECT_EQ(Rows(b), "{\"id\":1,\"name\":\"two\\nlines\",\"tags\":null}\n");
}

TEST(CsvTest, ClearErrors) {
  auto s = TestSchema();
  EXPECT_NE(ParseCsv("", s).status().message().find("header"), std::string::npos);
  EXPECT_NE(ParseCsv("id,bogus\n", s).status().message().find("'bogus'"), std::string::npos);
  EXPECT_NE(ParseCsv("name\nx\n", s).status().message().find("non-nullable"), std::string::npos);
  EXPECT_NE(ParseCsv("id,name\n1\n", s).status().message().find("expected 2 cells"),
            std::string::npos);
  EXPECT_NE(ParseCsv("id,name\n1,\"x\n", s).status().message().find("unterminated"),
            std::string::npos);
  EXPECT_NE(ParseCsv("id\nabc\n", s).status().message().find("line 2, column 'id'"),
            std::string::npos);
}

}  // namespace
}  // namespace ds::columnar
