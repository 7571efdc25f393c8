#include <atomic>

#include "objstore/faulty_store.h"
#include "objstore/local_store.h"
#include "objstore/memory_store.h"
#include "objstore/store_conformance.h"
#include "test/testing/testing.h"

namespace ds::objstore {
namespace {

TEST(ObjectStoreTest, ValidateKey) {
  EXPECT_OK(ValidateKey("a/b/c.json"));
  EXPECT_OK(ValidateKey("", /*directory=*/true));
  EXPECT_OK(ValidateKey("a/b/", /*directory=*/true));
  ASSERT_RAISES(kInvalidArgument, ValidateKey(""));
  ASSERT_RAISES(kInvalidArgument, ValidateKey("a/b/"));
  ASSERT_RAISES(kInvalidArgument, ValidateKey("/a"));
  ASSERT_RAISES(kInvalidArgument, ValidateKey("a//b"));
  ASSERT_RAISES(kInvalidArgument, ValidateKey("a/../b"));
  ASSERT_RAISES(kInvalidArgument, ValidateKey("./a"));
  ASSERT_RAISES(kInvalidArgument, ValidateKey(std::string("a\0b", 3)));
  EXPECT_EQ(JoinKey("", "x"), "x");
  EXPECT_EQ(JoinKey("a", "x"), "a/x");
  EXPECT_EQ(JoinKey("a/", "x"), "a/x");
  EXPECT_EQ(BaseName("a/b/c.json"), "c.json");
  EXPECT_EQ(BaseName("c.json"), "c.json");
}

TEST(LocalStoreTest, Conformance) {
  testing::TempDir dir;
  LocalStore store(dir.path().string());
  conformance::CheckConformance(&store, "");
  conformance::CheckConformance(&store, "nested/table/");
}

TEST(LocalStoreTest, SymlinksOutOfTheRootAreNotListed) {
  testing::TempDir dir;
  LocalStore store(dir.Join("root"));
  ASSERT_OK(store.Put("f.json", "x"));
  ASSERT_OK(io::WriteStringToFile(dir.Join("secret"), "s"));
  ASSERT_EQ(::symlink(dir.Join("secret").c_str(), dir.Join("root/link").c_str()), 0);
  ASSERT_OK_AND_ASSIGN(auto listed, store.List(""));
  EXPECT_EQ(conformance::Keys(listed), std::vector<std::string>{"f.json"});
}

TEST(LocalStoreTest, SetMtime) {
  testing::TempDir dir;
  LocalStore store(dir.path().string());
  ASSERT_OK(store.Put("x", "1"));
  ASSERT_OK(store.SetMtime("x", 1600000000123));
  ASSERT_OK_AND_ASSIGN(ObjectMeta meta, store.Head("x"));
  EXPECT_EQ(meta.mtime_ms, 1600000000123);
}

TEST(MemoryStoreTest, Conformance) {
  MemoryStore store;
  conformance::CheckConformance(&store, "");
  conformance::CheckConformance(&store, "bucket/t/");
}

TEST(MemoryStoreTest, ClockDrivesMtime) {
  std::atomic<int64_t> now{1000};
  MemoryStore store([&] { return now.load(); });
  ASSERT_OK(store.Put("a", "x"));
  now = 5000;
  ASSERT_OK(store.PutIfAbsent("b", "y"));
  EXPECT_EQ(store.Head("a")->mtime_ms, 1000);
  EXPECT_EQ(store.Head("b")->mtime_ms, 5000);
}

TEST(FaultyStoreTest, InjectsFailuresAndRunsHooks) {
  auto inner = std::make_shared<MemoryStore>();
  FaultyStore store(inner);
  conformance::CheckConformance(&store, "");
  store.FailNext(StoreOp::kGet, "_delta_log", Status::Unavailable("injected"), 2);
  ASSERT_OK(store.Put("_delta_log/0.json", "x"));
  ASSERT_RAISES(kUnavailable, store.Get("_delta_log/0.json"));
  ASSERT_RAISES(kUnavailable, store.GetRange("_delta_log/0.json", 0, 1));
  ASSERT_OK(store.Get("_delta_log/0.json"));
  int hook_calls = 0;
  store.BeforeEach(StoreOp::kPutIfAbsent, [&](const std::string& key) {
    ++hook_calls;
    (void)inner->PutIfAbsent(key, "rival");  // a rival writer wins the race
  });
  ASSERT_RAISES(kAlreadyExists, store.PutIfAbsent("_delta_log/1.json", "mine"));
  EXPECT_EQ(hook_calls, 1);
  EXPECT_EQ(inner->Get("_delta_log/1.json").ValueOr(""), "rival");
  EXPECT_GE(store.Count(StoreOp::kPutIfAbsent), 1);
}

}  // namespace
}  // namespace ds::objstore
