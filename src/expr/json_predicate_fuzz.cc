// libFuzzer target: JSON predicates from untrusted bytes (jsonPredicateHints). Parsing must
// return a tree or an error; a tree must serialize, parse back to the same tree, and bind
// and evaluate against a small schema without crashing.
#include <cstddef>
#include <cstdint>

#include "columnar/schema_json.h"
#include "expr/file_skipping.h"
#include "expr/json_predicate.h"

namespace {

const ds::columnar::SchemaPtr& Schema() {
  static const ds::columnar::SchemaPtr schema =
      ds::columnar::SchemaFromJson(R"json({"type":"struct","fields":[
        {"name":"a","type":"integer","nullable":true,"metadata":{}},
        {"name":"b","type":"string","nullable":true,"metadata":{}},
        {"name":"c","type":"double","nullable":true,"metadata":{}},
        {"name":"d","type":"date","nullable":true,"metadata":{}},
        {"name":"p","type":"string","nullable":true,"metadata":{}}]})json")
          .ValueOrDie();
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto e = ds::expr::ParseJsonPredicate(text);
  if (!e.ok()) return 0;
  auto json = ds::expr::ToJsonPredicate(**e);
  if (json.ok()) {
    auto again = ds::expr::ParseJsonPredicate(*json);
    if (!again.ok() || (*again)->ToString() != (*e)->ToString()) __builtin_trap();
  }
  ds::expr::SkippingTable table{Schema(), {"p"}, nullptr};
  auto skipper = ds::expr::FileSkipper::Make(**e, table);
  if (!skipper.ok()) __builtin_trap();
  ds::expr::PartitionValue pv[] = {{"p", "x"}};
  (void)skipper->Evaluate({pv, R"({"numRecords":2,"minValues":{"a":1,"b":"k","c":0.5},)"
                               R"("maxValues":{"a":9,"b":"q","c":2},"nullCount":{"a":0}})"});
  return 0;
}
