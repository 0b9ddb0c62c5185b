// Integration test: the real govshield binary checking config files. Asserts exit codes, the
// number of FILE:LINE:COL error lines and the error-count line, not the wording of messages.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "platform/file.h"
#include "testlib/subprocess.h"
#include "testlib/temp_dir.h"

namespace gs {
namespace {

using testing::GovshieldBinary;
using testing::ProcessResult;
using testing::RunProcess;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Counts "FILE:LINE:COL: error: ..." lines for `file` and returns their (line, col).
std::vector<std::pair<int, int>> ErrorPositions(const std::string& err, const std::string& file) {
  std::vector<std::pair<int, int>> out;
  std::regex re("^" + std::regex_replace(file, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                R"(:(\d+):(\d+): error: .+)");
  for (const std::string& line : Lines(err)) {
    std::smatch m;
    if (std::regex_match(line, m, re)) out.emplace_back(std::stoi(m[1]), std::stoi(m[2]));
  }
  return out;
}

std::string WriteConfig(const testing::TempDir& dir, const std::string& name,
                        const std::string& text) {
  std::string path = dir.path() + "/" + name;
  EXPECT_TRUE(platform::WriteFileAtomic(path, text).ok());
  return path;
}

TEST(ConfigCliTest, ExamplePassesCheck) {
  testing::TempDir dir;
  ProcessResult ex = RunProcess({GovshieldBinary(), "config", "example"});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  ASSERT_FALSE(ex.out.empty());
  std::string path = WriteConfig(dir, "govshield.yaml", ex.out);
  ProcessResult check = RunProcess({GovshieldBinary(), "config", "check", "-c", path});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  std::vector<std::string> out = Lines(check.out);
  ASSERT_EQ(out.size(), 1u);  // a one-line summary
  EXPECT_EQ(out[0].rfind(path + ": OK", 0), 0u) << out[0];
  EXPECT_TRUE(ErrorPositions(check.err, path).empty());
}

TEST(ConfigCliTest, BadFileReportsEveryErrorWithPosition) {
  testing::TempDir dir;
  std::string path = WriteConfig(dir, "bad.yaml", R"(version: 1
audit:
  store: s
  key: k
  retention_days: 30
  fsync: sometimes
  segment_max_bytes: 12 parsecs
  retension_days: 400
serve:
  http_port: 99999
console:
  listen: 8080
)");
  ProcessResult r = RunProcess({GovshieldBinary(), "config", "check", "-c", path});
  EXPECT_EQ(r.exit_code, 1);
  auto pos = ErrorPositions(r.err, path);
  ASSERT_EQ(pos.size(), 6u) << r.err;
  std::vector<int> lines;
  for (auto [line, col] : pos) lines.push_back(line);
  EXPECT_EQ(lines, (std::vector<int>{5, 6, 7, 8, 10, 11}));
  std::vector<std::string> err = Lines(r.err);
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.back(), path + ": 6 errors");
  EXPECT_TRUE(r.out.empty());
}

TEST(ConfigCliTest, SyntaxErrorEmptyFileAndMissingFile) {
  testing::TempDir dir;
  std::string syntax = WriteConfig(dir, "syntax.yaml", "version: 1\naudit: {store: s\n");
  ProcessResult r = RunProcess({GovshieldBinary(), "config", "check", "-c", syntax});
  EXPECT_EQ(r.exit_code, 1);
  auto pos = ErrorPositions(r.err, syntax);
  ASSERT_EQ(pos.size(), 1u) << r.err;
  EXPECT_GE(pos[0].first, 2);
  EXPECT_EQ(Lines(r.err).back(), syntax + ": 1 error");

  std::string empty = WriteConfig(dir, "empty.yaml", "# nothing here\n");
  ProcessResult e = RunProcess({GovshieldBinary(), "config", "check", "-c", empty});
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_EQ(Lines(e.err).back(), empty + ": 1 error");

  std::string missing = dir.path() + "/missing.yaml";
  ProcessResult m = RunProcess({GovshieldBinary(), "config", "check", "-c", missing});
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_EQ(Lines(m.err).back(), missing + ": 1 error");
}

TEST(ConfigCliTest, DeepNestingAndHugeFilesAreRefusedCleanly) {
  testing::TempDir dir;
  std::string deep = WriteConfig(dir, "deep.yaml", "version: " + std::string(100'000, '[') + "\n");
  ProcessResult d = RunProcess({GovshieldBinary(), "config", "check", "-c", deep});
  EXPECT_EQ(d.exit_code, 1);  // not a crash (which would be -1 with a signal)
  EXPECT_EQ(ErrorPositions(d.err, deep).size(), 1u) << d.err;

  std::string huge = WriteConfig(dir, "huge.yaml", "version: 1\n" + std::string(8 << 20, '#'));
  ProcessResult h = RunProcess({GovshieldBinary(), "config", "check", "-c", huge});
  EXPECT_EQ(h.exit_code, 1);
  EXPECT_EQ(Lines(h.err).back(), huge + ": 1 error");
}

TEST(ConfigCliTest, UsageErrors) {
  ProcessResult r = RunProcess({GovshieldBinary(), "config", "check"});
  EXPECT_NE(r.exit_code, 0);
  ProcessResult h = RunProcess({GovshieldBinary(), "config", "--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("check"), std::string::npos);
}

}  // namespace
}  // namespace gs
