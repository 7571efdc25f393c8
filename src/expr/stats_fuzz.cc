// libFuzzer target: Delta `add.stats` strings and partition values from untrusted bytes
// (they come from the table's log). The skipper must return a verdict without crashing, and
// the scanner must report well-formed or not.
#include <cstddef>
#include <cstdint>

#include "columnar/schema_json.h"
#include "expr/file_skipping.h"
#include "expr/sql_predicate.h"

namespace {

ds::expr::FileSkipper MakeSkipper() {
  auto schema = ds::columnar::SchemaFromJson(R"json({"type":"struct","fields":[
      {"name":"i","type":"integer","nullable":true,"metadata":{}},
      {"name":"s","type":"string","nullable":true,"metadata":{}},
      {"name":"ts","type":"timestamp","nullable":true,"metadata":{}},
      {"name":"dec","type":"decimal(38,18)","nullable":true,"metadata":{}},
      {"name":"f","type":"float","nullable":true,"metadata":{}},
      {"name":"st","type":{"type":"struct","fields":[
        {"name":"x","type":"date","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
      {"name":"p","type":"timestamp","nullable":true,"metadata":{}}]})json")
                    .ValueOrDie();
  auto e = ds::expr::ParseSqlPredicate(
               "(i > 5 OR s <= 'm' OR ts = '2021-01-01 00:00:00') AND NOT (dec < 1.5) AND "
               "(f <> 0.5 OR st.x IS NULL OR p >= '2020-01-01')")
               .ValueOrDie();
  return ds::expr::FileSkipper::Make(*e, {schema, {"p"}, nullptr}).ValueOrDie();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ds::expr::FileSkipper skipper = MakeSkipper();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The first line (if any) is the partition value; the rest the stats.
  size_t nl = bytes.find('\n');
  std::string_view partition =
      nl == std::string_view::npos ? std::string_view() : bytes.substr(0, nl);
  std::string_view stats = nl == std::string_view::npos ? bytes : bytes.substr(nl + 1);
  ds::expr::PartitionValue pv[] = {{"p", partition}};
  ds::expr::Truth t = skipper.Evaluate({pv, stats});
  if (t != ds::expr::Truth::kTrue && t != ds::expr::Truth::kFalse &&
      t != ds::expr::Truth::kUnknown) {
    __builtin_trap();
  }
  return 0;
}
