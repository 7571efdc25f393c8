// Evaluating a file allocates nothing once the skipper is warm: the hot path of skipping over
// 300k-file tables. Counts heap allocations with the sanitizer allocator hooks, so it runs in
// sanitized builds (the project's debug and CI presets) and skips elsewhere.
#include <atomic>

#include "columnar/schema_json.h"
#include "expr/file_skipping.h"
#include "expr/sql_predicate.h"
#include "test/testing/testing.h"

#if defined(__SANITIZE_ADDRESS__)
// From the sanitizer runtime (compiler-rt's sanitizer/allocator_interface.h).
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*,
                                                                             size_t),
                                                         void (*free_hook)(const volatile void*));
#define DS_HAVE_MALLOC_HOOKS 1
namespace {
std::atomic<int64_t> g_allocations{0};
void CountMalloc(const volatile void*, size_t) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
}
void IgnoreFree(const volatile void*) {}
}  // namespace
#endif

namespace ds::expr {
namespace {

TEST(FileSkippingAllocTest, WarmEvaluationDoesNotAllocate) {
#if !defined(DS_HAVE_MALLOC_HOOKS)
  GTEST_SKIP() << "needs a sanitized build (allocator hooks)";
#else
  __sanitizer_install_malloc_and_free_hooks(CountMalloc, IgnoreFree);
  ASSERT_OK_AND_ASSIGN(auto schema, columnar::SchemaFromJson(R"json({"type":"struct","fields":[
      {"name":"id","type":"long","nullable":true,"metadata":{}},
      {"name":"name","type":"string","nullable":true,"metadata":{}},
      {"name":"ts","type":"timestamp","nullable":true,"metadata":{}},
      {"name":"amount","type":"decimal(12,2)","nullable":true,"metadata":{}},
      {"name":"st","type":{"type":"struct","fields":[
        {"name":"x","type":"double","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
      {"name":"region","type":"string","nullable":true,"metadata":{}}]})json"));
  ASSERT_OK_AND_ASSIGN(
      auto e,
      ParseSqlPredicate("(id > 10 OR name = 'b\xC3\xA9' OR ts < '2021-01-01 00:00:00') "
                        "AND NOT (amount = 1.5) AND (st.x <> 2 OR region IN ('EU', 'US'))"));
  ASSERT_OK_AND_ASSIGN(FileSkipper skipper, FileSkipper::Make(*e, {schema, {"region"}, nullptr}));
  const std::string files[] = {
      R"({"numRecords":10,"minValues":{"id":1,"name":"a\u00e9","ts":"2020-01-01T00:00:00.000Z",)"
      R"("amount":1.50,"st":{"x":1.0}},"maxValues":{"id":9,"name":"c","ts":"2020-06-01T00:00:00.000Z",)"
      R"("amount":9.99,"st":{"x":3.0}},"nullCount":{"id":0,"name":1,"ts":0,"amount":2,"st":{"x":0}}})",
      // Out of order and missing keys: the full pass.
      R"({"nullCount":{"st":{"x":0},"id":0},"maxValues":{"name":"z","id":5},"numRecords":3})",
      "{broken", ""};
  PartitionValue pv[] = {{"region", "EU"}};
  for (int warm = 0; warm < 3; ++warm) {
    for (const auto& f : files) (void)skipper.Evaluate({pv, f});
  }
  int64_t before = g_allocations.load();
  ASSERT_GT(before, 0) << "the allocator hook is not counting";
  int64_t verdicts = 0;
  for (int round = 0; round < 1000; ++round) {
    for (const auto& f : files) verdicts += static_cast<int>(skipper.Evaluate({pv, f}));
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_GT(verdicts, 0);
#endif
}

}  // namespace
}  // namespace ds::expr
