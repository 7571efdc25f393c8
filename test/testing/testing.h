// Shared GoogleTest helpers: Status assertions, test data lookup and temporary folders.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "util/result.h"

#define ASSERT_OK(expr)                                              \
  do {                                                               \
    ::ds::Status _st = ::ds::internal::ToStatus((expr));             \
    ASSERT_TRUE(_st.ok()) << #expr << " failed: " << _st.ToString(); \
  } while (false)

#define EXPECT_OK(expr)                                              \
  do {                                                               \
    ::ds::Status _st = ::ds::internal::ToStatus((expr));             \
    EXPECT_TRUE(_st.ok()) << #expr << " failed: " << _st.ToString(); \
  } while (false)

#define DS_TEST_CONCAT_INNER(a, b) a##b
#define DS_TEST_CONCAT(a, b) DS_TEST_CONCAT_INNER(a, b)
#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, rexpr)                           \
  auto tmp = (rexpr);                                                        \
  ASSERT_TRUE(tmp.ok()) << #rexpr << " failed: " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  ASSERT_OK_AND_ASSIGN_IMPL(DS_TEST_CONCAT(_ds_test_result_, __LINE__), lhs, rexpr)

// Asserts that `expr` fails with the given StatusCode (e.g. kCorruption).
#define ASSERT_RAISES(status_code, expr)                                          \
  do {                                                                            \
    ::ds::Status _st = ::ds::internal::ToStatus((expr));                          \
    ASSERT_EQ(_st.code(), ::ds::StatusCode::status_code) << #expr << ": " << _st; \
  } while (false)

namespace ds::testing {

// The shared test data folder (../shared/testdata next to the repository, or
// $DS_TESTDATA), or nullopt if it is absent. Tests GTEST_SKIP() when it is.
std::optional<std::filesystem::path> TestDataDir();

// Skips the current test with a clear message unless the test data folder exists; yields
// its path.
#define DS_REQUIRE_TESTDATA(var)                                               \
  auto _ds_td = ::ds::testing::TestDataDir();                                  \
  if (!_ds_td) GTEST_SKIP() << "shared test data not found (set DS_TESTDATA)"; \
  const std::filesystem::path var = *_ds_td

// The repository root (from $DS_SOURCE_DIR, set by CTest).
std::filesystem::path SourceDir();

// A fresh temporary directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string Join(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace ds::testing
