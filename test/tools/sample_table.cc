#include "test/tools/sample_table.h"

#include "columnar/json_rows.h"

namespace ds::testing {

columnar::SchemaPtr EveryTypeSchema() {
  using namespace columnar;  // NOLINT
  auto s = std::make_shared<Schema>();
  s->fields = {
      Field("id", Int64(), false),
      Field("b", Bool()),
      Field("i8", Int8()),
      Field("i16", Int16()),
      Field("u8", UInt8()),
      Field("u16", UInt16()),
      Field("u32", UInt32()),
      Field("u64", UInt64()),
      Field("f", Float32()),
      Field("d", Float64()),
      Field("dec9", Decimal(9, 2)),
      Field("dec18", Decimal(18, 4)),
      Field("dec38", Decimal(38, 10)),
      Field("s", String()),
      Field("bin", Binary()),
      Field("fx", FixedBinary(3)),
      Field("uuid", Uuid()),
      Field("date", Date()),
      Field("tms", Time(TimeUnit::kMillis)),
      Field("tus", Time(TimeUnit::kMicros)),
      Field("ts", Timestamp(TimeUnit::kMicros, true)),
      Field("ntz", Timestamp(TimeUnit::kMicros, false)),
      Field("tsn", Timestamp(TimeUnit::kNanos, true)),
      Field("l", List(Field("element", String()))),
      Field("ll", List(Field("element", List(Field("element", Int32(), false))))),
      Field("m", Map(Field("key", String(), false),
                     Field("value", Struct({Field("x", Int32()),
                                            Field("y", List(Field("element", Float64())))})))),
      Field("st", Struct({Field("a", Int32(), false), Field("b", Struct({Field("c", String())}))})),
  };
  s->fields[0].field_id = 1;
  return s;
}

// Rows with every kind of null, empty list and extreme value.
std::string SampleJsonLines(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    std::string id = std::to_string(i);
    if (i % 7 == 3) {
      text += "{\"id\":" + id + "}\n";
      continue;
    }
    text +=
        "{\"id\":" + id + ",\"b\":" + (i % 2 ? "true" : "false") +
        ",\"i8\":" + std::to_string(i % 256 - 128) +
        ",\"i16\":-32768,\"u8\":255,\"u16\":65535,\"u32\":4294967295,\"u64\":18446744073709551615" +
        ",\"f\":" + (i % 5 == 0 ? "\"NaN\"" : "1.5") +
        ",\"d\":" + (i % 11 == 0 ? "\"-Infinity\"" : "-0.0") +
        ",\"dec9\":\"-9999999.99\",\"dec18\":\"12345678901234.5678\",\"dec38\":\"-"
        "9999999999999999999999999999.9999999999\"" +
        ",\"s\":\"str" + std::to_string(i % 13) + " \\u00e9\",\"bin\":\"AAEC\",\"fx\":\"AQID\"" +
        ",\"uuid\":\"123e4567-e89b-12d3-a456-4266141740" + std::to_string(10 + i % 90) + "\"" +
        ",\"date\":\"1969-12-31\",\"tms\":\"23:59:59.999000\",\"tus\":\"00:00:00.000001\"" +
        ",\"ts\":\"2024-02-29T12:34:56.789012Z\",\"ntz\":\"0001-01-01T00:00:00.000000\"" +
        ",\"tsn\":\"2262-04-11T23:47:16.854775806Z\"" + ",\"l\":" +
        (i % 4 == 0   ? "[]"
         : i % 4 == 1 ? "null"
                      : "[\"a\",null,\"b\"]") +
        ",\"ll\":" + (i % 3 == 0 ? "[[],null,[1,2]]" : "[[3]]") + ",\"m\":" +
        (i % 2 ? "[{\"key\":\"k\",\"value\":{\"x\":1,\"y\":[null,2.5]}},{\"key\":\"n\",\"value\":"
                 "null}]"
               : "[]") +
        ",\"st\":" +
        (i % 5 == 1 ? "null"
                    : "{\"a\":" + id + ",\"b\":" + (i % 2 ? "null" : "{\"c\":\"deep\"}") + "}") +
        "}\n";
  }
  return text;
}

Result<columnar::RecordBatch> SampleTable(int rows) {
  return columnar::ParseJsonLines(SampleJsonLines(rows), EveryTypeSchema());
}

}  // namespace ds::testing
