#include "columnar/schema_json.h"

#include "test/testing/testing.h"

namespace ds::columnar {
namespace {

TEST(SchemaJsonTest, ParsesDeltaSchemaAndRoundTrips) {
  const char* json =
      R"j({"type":"struct","fields":[)j"
      R"j({"name":"id","type":"long","nullable":false,"metadata":{}},)j"
      R"j({"name":"price","type":"decimal(10,2)","nullable":true,"metadata":{"comment":"usd"}},)j"
      R"j({"name":"ts","type":"timestamp_ntz","nullable":true,"metadata":{}},)j"
      R"j({"name":"tags","type":{"type":"array","elementType":"string","containsNull":false},"nullable":true,"metadata":{}},)j"
      R"j({"name":"attrs","type":{"type":"map","keyType":"string","valueType":{"type":"struct","fields":[{"name":"v","type":"double","nullable":true,"metadata":{}}]},"valueContainsNull":true},"nullable":true,"metadata":{}}]})j";
  ASSERT_OK_AND_ASSIGN(SchemaPtr s, SchemaFromJson(json));
  ASSERT_EQ(s->fields.size(), 5u);
  EXPECT_FALSE(s->fields[0].nullable);
  EXPECT_EQ(s->fields[1].type->ToString(), "decimal(10,2)");
  EXPECT_EQ(s->fields[1].metadata_json, R"j({"comment":"usd"})j");
  EXPECT_EQ(s->fields[2].type->ToString(), "timestamp[us]");
  EXPECT_FALSE(s->fields[3].type->fields[0].nullable);
  EXPECT_EQ(s->fields[4].type->ToString(), "map<string, struct<v: double>>");
  ASSERT_OK_AND_ASSIGN(std::string back, SchemaToJson(*s));
  EXPECT_EQ(back, json);
}

TEST(SchemaJsonTest, AcceptsSpacesInDecimalAndRejectsNonsense) {
  ASSERT_OK_AND_ASSIGN(TypePtr t, TypeFromJson(JsonValue::String("decimal(38, 18)")));
  EXPECT_EQ(t->scale, 18);
  for (
      const char* bad :
      {R"j("decimal(39,1)")j", R"j("decimal(5,6)")j", R"j("uint")j", R"j({"type":"array"})j",
       R"j({"type":"struct","fields":[{"type":"long"}]})j",
       R"j({"type":"struct","fields":[{"name":"a","type":"long"},{"name":"A","type":"long"}]})j"}) {
    ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(bad));
    EXPECT_FALSE(TypeFromJson(v).ok()) << bad;
  }
}

}  // namespace
}  // namespace ds::columnar
