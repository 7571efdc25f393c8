// The conformance suite every ObjectStore implementation passes (test-only, header-only).
//
//   TEST(MyStoreTest, Conformance) { objstore::conformance::CheckConformance(store.get(), "t1/"); }
//
// `scratch` is an empty directory key the suite may fill (it deletes what it creates).
#pragma once

#include <gtest/gtest.h>

#include <thread>

#include "objstore/object_store.h"

namespace ds::objstore::conformance {

inline std::vector<std::string> Keys(const std::vector<ObjectMeta>& metas) {
  std::vector<std::string> out;
  for (const auto& m : metas) out.push_back(m.key);
  return out;
}

inline void CheckConformance(ObjectStore* store, const std::string& scratch) {
  const std::string a = scratch + "a.json";
  const std::string log = scratch + "_delta_log/";
  // Missing objects.
  EXPECT_EQ(store->Head(a).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->Get(a).status().code(), StatusCode::kNotFound);
  auto empty = store->List(scratch + "nothing/");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());

  // Put, Get, Head, ranges.
  ASSERT_TRUE(store->Put(a, "hello world").ok());
  auto got = store->Get(a);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, "hello world");
  auto head = store->Head(a);
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->size, 11);
  EXPECT_GT(head->mtime_ms, 0);
  auto range = store->GetRange(a, 6, 5);
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(*range, "world");
  auto zero = store->GetRange(a, 11, 0);
  ASSERT_TRUE(zero.ok()) << zero.status();
  EXPECT_EQ(*zero, "");
  EXPECT_EQ(store->GetRange(a, 6, 6).status().code(), StatusCode::kOutOfRange);
  auto file = store->OpenRead(a);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ((*file)->size(), 11);
  auto buf = (*file)->ReadAt(0, 5);
  ASSERT_TRUE(buf.ok()) << buf.status();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf->data()), buf->size()), "hello");

  // Overwrite.
  ASSERT_TRUE(store->Put(a, "v2").ok());
  EXPECT_EQ(store->Get(a).ValueOr(""), "v2");

  // PutIfAbsent never overwrites.
  const std::string commit = log + "00000000000000000000.json";
  ASSERT_TRUE(store->PutIfAbsent(commit, "first").ok());
  EXPECT_EQ(store->PutIfAbsent(commit, "second").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store->Get(commit).ValueOr(""), "first");

  // Racing PutIfAbsent: exactly one winner.
  const std::string raced = log + "00000000000000000001.json";
  std::atomic<int> wins{0}, losses{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Status st = store->PutIfAbsent(raced, "writer " + std::to_string(i));
      if (st.ok())
        ++wins;
      else if (st.code() == StatusCode::kAlreadyExists)
        ++losses;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(losses.load(), 3);

  // Listing: sorted, direct children only unless recursive, start_after exclusive.
  ASSERT_TRUE(store->Put(log + "00000000000000000002.json", "c").ok());
  ASSERT_TRUE(store->Put(log + "_sidecars/x.parquet", "s").ok());
  ASSERT_TRUE(store->Put(scratch + "part=1/f 1.parquet", "d").ok());
  auto listed = store->List(log);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(Keys(*listed), (std::vector<std::string>{log + "00000000000000000000.json",
                                                     log + "00000000000000000001.json",
                                                     log + "00000000000000000002.json"}));
  ListOptions after;
  after.start_after = log + "00000000000000000000.json";
  listed = store->List(log, after);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(Keys(*listed), (std::vector<std::string>{log + "00000000000000000001.json",
                                                     log + "00000000000000000002.json"}));
  after.limit = 1;
  listed = store->List(log, after);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(Keys(*listed), (std::vector<std::string>{log + "00000000000000000001.json"}));
  ListOptions rec;
  rec.recursive = true;
  listed = store->List(scratch, rec);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(Keys(*listed),
            (std::vector<std::string>{scratch + "_delta_log/00000000000000000000.json",
                                      scratch + "_delta_log/00000000000000000001.json",
                                      scratch + "_delta_log/00000000000000000002.json",
                                      scratch + "_delta_log/_sidecars/x.parquet",
                                      scratch + "a.json", scratch + "part=1/f 1.parquet"}));
  for (const auto& m : *listed) {
    EXPECT_GT(m.mtime_ms, 0) << m.key;
  }

  // Invalid keys are refused, never resolved outside the root.
  EXPECT_EQ(store->Get(scratch + "../x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Put("/abs", "x").code(), StatusCode::kInvalidArgument);

  // Delete (idempotent).
  for (const auto& m : *listed) ASSERT_TRUE(store->Delete(m.key).ok()) << m.key;
  EXPECT_TRUE(store->Delete(a).ok());
  auto after_delete = store->List(scratch, rec);
  ASSERT_TRUE(after_delete.ok());
  EXPECT_TRUE(after_delete->empty());
}

}  // namespace ds::objstore::conformance
