#include "platform/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testlib/temp_dir.h"

namespace gs::platform {
namespace {

TEST(FileTest, AtomicWriteAndRead) {
  testing::TempDir dir;
  std::string p = JoinPath(dir.path(), "a.txt");
  ASSERT_TRUE(WriteFileAtomic(p, "hello", 0600).ok());
  EXPECT_EQ(*ReadFile(p), "hello");
  struct stat st;
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(WriteFileAtomic(p, "world").ok());
  EXPECT_EQ(*ReadFile(p), "world");
  EXPECT_FALSE(PathExists(p + ".tmp"));
}

TEST(FileTest, MissingFileIsNotFound) {
  testing::TempDir dir;
  auto r = ReadFile(JoinPath(dir.path(), "nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(FileTest, MakeDirsAndList) {
  testing::TempDir dir;
  std::string deep = JoinPath(dir.path(), "x/y/z");
  ASSERT_TRUE(MakeDirs(deep).ok());
  ASSERT_TRUE(MakeDirs(deep).ok());
  ASSERT_TRUE(WriteFileAtomic(JoinPath(deep, "b"), "").ok());
  ASSERT_TRUE(WriteFileAtomic(JoinPath(deep, "a"), "").ok());
  auto names = ListDir(deep);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "b"}));
}

TEST(FileTest, AppendTruncate) {
  testing::TempDir dir;
  std::string p = JoinPath(dir.path(), "log");
  auto f = AppendFile::Open(p);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->Append("abc").ok());
  ASSERT_TRUE(f->Append("def").ok());
  ASSERT_TRUE(f->Sync().ok());
  EXPECT_EQ(f->size(), 6u);
  ASSERT_TRUE(f->Truncate(4).ok());
  ASSERT_TRUE(f->Append("X").ok());
  ASSERT_TRUE(f->Close().ok());
  EXPECT_EQ(*ReadFile(p), "abcdX");
  auto again = AppendFile::Open(p);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 5u);
}

TEST(FileTest, LockIsExclusive) {
  testing::TempDir dir;
  std::string p = JoinPath(dir.path(), "LOCK");
  auto a = FileLock::Acquire(p);
  ASSERT_TRUE(a.ok());
  auto b = FileLock::Acquire(p);  // flock locks are per open file description
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gs::platform
