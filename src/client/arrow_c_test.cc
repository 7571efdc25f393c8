#include "client/arrow_c.h"

#include <gtest/gtest.h>

#include <cstring>

#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "test/testing/testing.h"

namespace ds::client {
namespace {

constexpr char kSchema[] = R"json({"type":"struct","fields":[
  {"name":"id","type":"long","nullable":false,"metadata":{}},
  {"name":"s","type":"string","nullable":true,"metadata":{}},
  {"name":"d","type":"decimal(10,2)","nullable":true,"metadata":{}},
  {"name":"day","type":"date","nullable":true,"metadata":{}},
  {"name":"ts","type":"timestamp","nullable":true,"metadata":{}},
  {"name":"ntz","type":"timestamp_ntz","nullable":true,"metadata":{}},
  {"name":"b","type":"boolean","nullable":true,"metadata":{}},
  {"name":"st","type":{"type":"struct","fields":[{"name":"x","type":"integer","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
  {"name":"l","type":{"type":"array","elementType":"double","containsNull":true},"nullable":true,"metadata":{}},
  {"name":"m","type":{"type":"map","keyType":"string","valueType":"long","valueContainsNull":true},"nullable":true,"metadata":{}}]})json";

constexpr char kRows[] =
    R"({"id":1,"s":"a","d":"1.25","day":"2024-01-01","ts":"2024-01-01T00:00:00Z","ntz":"2024-01-01T00:00:00","b":true,"st":{"x":5},"l":[1.5,null],"m":[{"key":"k1","value":1},{"key":"k2","value":null}]}
{"id":2,"s":null,"d":null,"day":null,"ts":null,"ntz":null,"b":null,"st":null,"l":null,"m":null}
{"id":3,"s":"ccc","d":"-3.00","day":"1969-12-31","ts":"1970-01-01T00:00:00.000001Z","ntz":null,"b":false,"st":{"x":null},"l":[],"m":[{"key":"z","value":9}]}
)";

TEST(ArrowCTest, SchemaFormats) {
  ASSERT_OK_AND_ASSIGN(columnar::SchemaPtr schema, columnar::SchemaFromJson(kSchema));
  ArrowSchema s;
  ASSERT_OK(ExportSchema(*schema, &s));
  EXPECT_STREQ(s.format, "+s");
  ASSERT_EQ(s.n_children, 10);
  const char* expected[] = {"l", "U", "d:10,2", "tdD", "tsu:UTC", "tsu:", "b", "+s", "+L", "+m"};
  for (int i = 0; i < 10; ++i) EXPECT_STREQ(s.children[i]->format, expected[i]) << i;
  EXPECT_STREQ(s.children[0]->name, "id");
  EXPECT_EQ(s.children[0]->flags & ARROW_FLAG_NULLABLE, 0);
  EXPECT_EQ(s.children[1]->flags & ARROW_FLAG_NULLABLE, ARROW_FLAG_NULLABLE);
  ArrowSchema* map = s.children[9];
  ASSERT_EQ(map->n_children, 1);
  EXPECT_STREQ(map->children[0]->format, "+s");
  EXPECT_STREQ(map->children[0]->name, "entries");
  ASSERT_EQ(map->children[0]->n_children, 2);
  EXPECT_STREQ(map->children[0]->children[0]->format, "U");
  EXPECT_EQ(map->children[0]->children[0]->flags & ARROW_FLAG_NULLABLE, 0);  // keys
  s.release(&s);
  EXPECT_EQ(s.release, nullptr);
}

TEST(ArrowCTest, ArraysShareBuffers) {
  ASSERT_OK_AND_ASSIGN(columnar::SchemaPtr schema, columnar::SchemaFromJson(kSchema));
  ASSERT_OK_AND_ASSIGN(columnar::RecordBatch batch, columnar::ParseJsonLines(kRows, schema));
  ArrowArray a;
  ASSERT_OK(ExportRecordBatch(batch, &a));
  EXPECT_EQ(a.length, 3);
  ASSERT_EQ(a.n_children, 10);
  // int64: the values buffer is the batch's own.
  EXPECT_EQ(a.children[0]->buffers[1], batch.columns[0]->values->data());
  EXPECT_EQ(a.children[0]->buffers[0], nullptr);  // no nulls
  // large string: validity, int64 offsets, bytes.
  ArrowArray* s = a.children[1];
  EXPECT_EQ(s->n_buffers, 3);
  EXPECT_EQ(s->null_count, 1);
  EXPECT_EQ(s->buffers[1], batch.columns[1]->offsets->data());
  const int64_t* offsets = static_cast<const int64_t*>(s->buffers[1]);
  EXPECT_EQ(
      std::string(static_cast<const char*>(s->buffers[2]) + offsets[2], offsets[3] - offsets[2]),
      "ccc");
  // decimal128 little-endian: 1.25 -> 125.
  int64_t low;
  std::memcpy(&low, a.children[2]->buffers[1], 8);
  EXPECT_EQ(low, 125);
  // map: 32-bit offsets and one entries child with keys and values.
  ArrowArray* m = a.children[9];
  const int32_t* moff = static_cast<const int32_t*>(m->buffers[1]);
  EXPECT_EQ(moff[0], 0);
  EXPECT_EQ(moff[1], 2);
  EXPECT_EQ(moff[3], 3);
  ASSERT_EQ(m->n_children, 1);
  EXPECT_EQ(m->children[0]->length, 3);
  EXPECT_EQ(m->children[0]->n_children, 2);
  EXPECT_EQ(m->children[0]->children[1]->null_count, 1);
  // The export keeps the buffers alive after the batch is gone.
  batch = columnar::RecordBatch();
  EXPECT_EQ(std::string(static_cast<const char*>(s->buffers[2]) + offsets[0], 1), "a");
  // A consumer may move a child out and release it separately.
  ArrowArray moved = *a.children[3];
  a.children[3]->release = nullptr;
  a.release(&a);
  EXPECT_EQ(a.release, nullptr);
  moved.release(&moved);
}

class VectorReader final : public BatchReader {
 public:
  VectorReader(columnar::SchemaPtr schema, std::vector<columnar::RecordBatch> batches, Status end)
      : schema_(std::move(schema)), batches_(std::move(batches)), end_(std::move(end)) {}
  const columnar::SchemaPtr& schema() const override { return schema_; }
  Result<std::optional<columnar::RecordBatch>> Next() override {
    if (next_ < batches_.size()) return std::optional(batches_[next_++]);
    if (!end_.ok()) return end_;
    return std::optional<columnar::RecordBatch>();
  }

 private:
  columnar::SchemaPtr schema_;
  std::vector<columnar::RecordBatch> batches_;
  size_t next_ = 0;
  Status end_;
};

TEST(ArrowCTest, StreamEndsAndReportsErrors) {
  ASSERT_OK_AND_ASSIGN(columnar::SchemaPtr schema, columnar::SchemaFromJson(kSchema));
  ASSERT_OK_AND_ASSIGN(columnar::RecordBatch batch, columnar::ParseJsonLines(kRows, schema));
  for (bool fail : {false, true}) {
    ArrowArrayStream stream;
    ExportBatchReader(
        std::make_unique<VectorReader>(schema, std::vector<columnar::RecordBatch>{batch, batch},
                                       fail ? Status::IOError("network gone") : Status::OK()),
        &stream);
    ArrowSchema s;
    ASSERT_EQ(stream.get_schema(&stream, &s), 0);
    EXPECT_EQ(s.n_children, 10);
    s.release(&s);
    int64_t rows = 0;
    while (true) {
      ArrowArray a;
      int rc = stream.get_next(&stream, &a);
      if (rc != 0) {
        EXPECT_TRUE(fail);
        EXPECT_NE(std::string(stream.get_last_error(&stream)).find("network gone"),
                  std::string::npos);
        break;
      }
      if (a.release == nullptr) break;
      rows += a.length;
      a.release(&a);
    }
    EXPECT_EQ(rows, 6);
    EXPECT_EQ(stream.get_last_error(&stream) != nullptr, fail);
    stream.release(&stream);
    EXPECT_EQ(stream.release, nullptr);
  }
}

}  // namespace
}  // namespace ds::client
