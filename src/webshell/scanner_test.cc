// Unit tests for the webshell scanner (filled in below).
#include "webshell/scanner.h"

#include <gtest/gtest.h>

namespace gs::webshell {
namespace {
TEST(Scanner, Builds) {
  auto s = Scanner::Create();
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_FALSE((*s)->RuleNames().empty());
}
}  // namespace
}  // namespace gs::webshell
