#include "columnar/builder.h"

#include "columnar/json_rows.h"
#include "test/testing/testing.h"

namespace ds::columnar {
namespace {

std::string Json(const Array& a) {
  std::string s = "[";
  for (int64_t i = 0; i < a.length; ++i) {
    if (i) s += ",";
    AppendValueJson(a, i, &s);
  }
  return s + "]";
}

TEST(BuilderTest, FixedWidthWithNulls) {
  auto b = MakeBuilder(Int32());
  b->As<FixedBuilder>()->Append<int32_t>(7);
  b->AppendNull();
  b->As<FixedBuilder>()->Append<int32_t>(-1);
  ArrayPtr a = b->Finish();
  ASSERT_OK(ValidateArray(*a));
  EXPECT_EQ(a->length, 3);
  EXPECT_EQ(a->null_count, 1);
  EXPECT_EQ(Json(*a), "[7,null,-1]");
  EXPECT_EQ(b->length(), 0);  // reset after Finish
}

TEST(BuilderTest, NoValidityBufferWithoutNulls) {
  auto b = MakeBuilder(String());
  b->As<BinaryBuilder>()->Append("x");
  ArrayPtr a = b->Finish();
  EXPECT_EQ(a->validity, nullptr);
  EXPECT_EQ(Json(*a), "[\"x\"]");
}

TEST(BuilderTest, NestedListOfStructs) {
  auto type = List(Field("element", Struct({Field("a", Int64()), Field("b", String())})));
  auto b = MakeBuilder(type);
  auto* lb = b->As<ListBuilder>();
  auto* sb = lb->child()->As<StructBuilder>();
  sb->child(0)->As<FixedBuilder>()->Append<int64_t>(1);
  sb->child(1)->As<BinaryBuilder>()->Append("one");
  sb->AppendValid();
  sb->AppendNull();
  lb->CloseList();
  lb->AppendNull();
  lb->CloseList();  // empty list
  ArrayPtr a = b->Finish();
  ASSERT_OK(ValidateArray(*a));
  EXPECT_EQ(Json(*a), R"([[{"a":1,"b":"one"},null],null,[]])");
}

TEST(BuilderTest, ConcatenateAndSlice) {
  auto b = MakeBuilder(Map(Field("key", String(), false), Field("value", Int32())));
  for (int round = 0; round < 2; ++round) {
    auto* lb = b->As<ListBuilder>();
    lb->child(0)->As<BinaryBuilder>()->Append("k" + std::to_string(round));
    lb->child(1)->AppendNull();
    lb->CloseList();
  }
  ArrayPtr first = b->Finish();
  ASSERT_OK_AND_ASSIGN(ArrayPtr both, Concatenate({first, first}));
  ASSERT_OK(ValidateArray(*both));
  EXPECT_EQ(
      Json(*both),
      R"([[{"key":"k0","value":null}],[{"key":"k1","value":null}],[{"key":"k0","value":null}],[{"key":"k1","value":null}]])");
  RecordBatch batch{std::make_shared<Schema>(Schema{{Field("m", both->type)}}), 4, {both}};
  ASSERT_OK_AND_ASSIGN(RecordBatch slice, SliceBatch(batch, 1, 2));
  EXPECT_EQ(Json(*slice.columns[0]),
            R"([[{"key":"k1","value":null}],[{"key":"k0","value":null}]])");
}

TEST(BuilderTest, NullArrayOfNestedType) {
  ArrayPtr a = MakeNullArray(Struct({Field("x", List(Field("e", Int8())))}), 3);
  ASSERT_OK(ValidateArray(*a));
  EXPECT_EQ(Json(*a), "[null,null,null]");
}

}  // namespace
}  // namespace ds::columnar
