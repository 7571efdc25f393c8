#include "io/file.h"

#include "test/testing/testing.h"

namespace ds::io {
namespace {

TEST(FileTest, LocalWriteThenRangedReads) {
  testing::TempDir dir;
  std::string path = dir.Join("f.bin");
  ASSERT_OK(WriteStringToFile(path, "hello world"));
  ASSERT_OK_AND_ASSIGN(auto f, OpenLocalFile(path));
  EXPECT_EQ(f->size(), 11);
  ASSERT_OK_AND_ASSIGN(Buffer b, f->ReadAt(6, 5));
  EXPECT_EQ(b.string_view(), "world");
  ASSERT_RAISES(kOutOfRange, f->ReadAt(8, 4));
  ASSERT_RAISES(kOutOfRange, f->ReadAt(-1, 1));
}

TEST(FileTest, MissingFileIsNotFound) {
  ASSERT_RAISES(kNotFound, OpenLocalFile("/nonexistent/deltashare/file"));
}

TEST(FileTest, MemoryFileReads) {
  auto f = MemoryFile("abcdef");
  ASSERT_OK_AND_ASSIGN(Buffer b, f->ReadAt(1, 3));
  EXPECT_EQ(b.string_view(), "bcd");
}

}  // namespace
}  // namespace ds::io
