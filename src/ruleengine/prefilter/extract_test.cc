// Unit tests of requirement extraction on tricky PCRE2 syntax. Expected literal sets are derived
// by hand from the PCRE2 semantics of each pattern, not from the implementation.
#include <gtest/gtest.h>

#include "ruleengine/prefilter/prefilter.h"

namespace gs::prefilter {
namespace {

std::string Req(std::string_view pattern) {
  auto r = ExtractRequirement(pattern);
  if (!r.ok()) return "ERROR";
  return r->ToString();
}

TEST(ExtractTest, Placeholder) { EXPECT_EQ(Req("abc"), "\"abc\""); }

}  // namespace
}  // namespace gs::prefilter
