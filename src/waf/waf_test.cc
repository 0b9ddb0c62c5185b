// Tests of the WAF engine's semantics (ModSecurity v3 behaviour) and of the real CRS 3.3.4.
#include "waf/waf.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "waf/exchange.h"

namespace gs::waf {
namespace {

constexpr char kCrsConfig[] =
    "Include /etc/nginx/modsecurity.conf\n"
    "SecRuleEngine On\n"
    "Include /etc/modsecurity/crs/crs-setup.conf\n"
    "Include /usr/share/modsecurity-crs/rules/*.conf\n";

bool Has(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool HasPrefix(const std::vector<int64_t>& ids, int64_t lo, int64_t hi) {
  for (int64_t id : ids) {
    if (id >= lo && id <= hi) return true;
  }
  return false;
}

Exchange Get(std::string uri) {
  Exchange ex;
  ex.uri = std::move(uri);
  ex.request_headers = {{"Host", "localhost"},
                        {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"},
                        {"Accept", "text/html,application/xhtml+xml"},
                        {"Accept-Language", "zh-CN,zh;q=0.9"}};
  return ex;
}

class CrsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    CompileReport r = CompileString(kCrsConfig, "crs.conf");
    for (const auto& e : r.errors) ADD_FAILURE() << e.ToString();
    rules_ = r.rules;
  }
  static std::shared_ptr<const CompiledRules> rules_;
};
std::shared_ptr<const CompiledRules> CrsTest::rules_;

TEST_F(CrsTest, XssIsBlockedBy949110) {
  ASSERT_NE(rules_, nullptr);
  Engine engine(rules_);
  Outcome o = RunExchange(engine, Get("/?q=%3Cscript%3Ealert(1)%3C/script%3E"));
  EXPECT_TRUE(o.disruptive);
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(o.deciding_rule_id, 949110);
  EXPECT_TRUE(HasPrefix(o.matched_rule_ids, 941000, 941999));
  for (auto id : o.matched_rule_ids) std::printf("%lld ", (long long)id);
  std::printf("\n");
}

TEST_F(CrsTest, SqliIsBlockedBy949110) {
  ASSERT_NE(rules_, nullptr);
  Engine engine(rules_);
  Outcome o = RunExchange(engine, Get("/?id=1%27%20or%201=1--"));
  EXPECT_TRUE(o.disruptive);
  EXPECT_EQ(o.deciding_rule_id, 949110);
  EXPECT_TRUE(HasPrefix(o.matched_rule_ids, 942000, 942999));
  for (auto id : o.matched_rule_ids) std::printf("%lld ", (long long)id);
  std::printf("\n");
}

TEST_F(CrsTest, BenignGetPasses) {
  ASSERT_NE(rules_, nullptr);
  Engine engine(rules_);
  Outcome o = RunExchange(engine, Get("/index.html?page=2&lang=zh"));
  EXPECT_FALSE(o.disruptive);
  EXPECT_EQ(o.status, 200);
  for (auto& l : o.log_lines) ADD_FAILURE() << l;
}

}  // namespace
}  // namespace gs::waf
