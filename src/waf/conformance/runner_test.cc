// End-to-end tests of the CRS and ModSecurity-regression runners on small, hand-written suites
// and rule sets in a temporary directory, evaluated by the real engine: each runner must pass
// the cases the rules satisfy, fail the ones they do not (with the right class), and skip what
// it cannot run.
#include <gtest/gtest.h>

#include <filesystem>

#include "platform/file.h"
#include "tests/testlib/temp_dir.h"
#include "waf/conformance/crs.h"
#include "waf/conformance/engine_waf.h"
#include "waf/conformance/modsec.h"

namespace gs::waf::conformance {
namespace {

void Write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  ASSERT_TRUE(platform::WriteFileAtomic(path, text).ok()) << path;
}

const CaseResult* Find(const SuiteReport& r, const std::string& id) {
  for (const CaseResult& c : r.cases) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

TEST(CrsRunner, JudgesStagesOnTheRealEngine) {
  testing::TempDir dir;
  std::string rules = dir.path() + "/rules";
  Write(rules + "/RULES.conf",
        "SecRule ARGS \"@contains attack\" \"id:100,phase:2,pass,log,msg:'attack'\"\n"
        "SecRule REQUEST_HEADERS:X-Quiet \"@contains attack\" \"id:101,phase:1,pass,nolog\"\n");
  Write(dir.path() + "/setup.conf", "# empty crs-setup\n");
  Write(dir.path() + "/tests/t.yaml", R"(---
meta: {enabled: true}
tests:
  - test_title: hit
    stages:
      - stage:
          input: {method: POST, headers: {Host: localhost}, data: "q=attack"}
          output: {log_contains: id "100"}
  - test_title: miss
    stages:
      - stage:
          input: {uri: "/?q=fine", headers: {Host: localhost}}
          output: {log_contains: id "100"}
  - test_title: nolog-is-not-logged
    stages:
      - stage:
          input: {headers: {Host: localhost, X-Quiet: attack}}
          output: {no_log_contains: id "101"}
  - test_title: refused
    stages:
      - stage:
          input: {method: "\tGET", headers: {Host: localhost}}
          output: {status: 400}
  - test_title: two-stages
    stages:
      - stage:
          input: {uri: "/?q=attack", headers: {Host: localhost}}
          output: {log_contains: id "100", status: [200]}
      - stage:
          input: {uri: "/nowhere", headers: {Host: localhost}}
          output: {status: 200}
)");
  auto waf = NewEngineWaf();
  CrsOptions o;
  o.tests_dir = dir.path() + "/tests";
  o.rules_dir = rules;
  o.setup_file = dir.path() + "/setup.conf";
  SuiteReport r = RunCrsSuite(*waf, o);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.total(), 5);
  EXPECT_EQ(Find(r, "hit")->verdict, Verdict::kPass) << Find(r, "hit")->reason;
  EXPECT_EQ(Find(r, "miss")->verdict, Verdict::kFail);
  EXPECT_EQ(Find(r, "miss")->klass, "expected id not logged");
  EXPECT_EQ(Find(r, "nolog-is-not-logged")->verdict, Verdict::kPass);
  EXPECT_EQ(Find(r, "refused")->verdict, Verdict::kPass);
  // The second stage hits the backend's 404.
  EXPECT_EQ(Find(r, "two-stages")->verdict, Verdict::kFail);
  EXPECT_NE(Find(r, "two-stages")->reason.find("stage 2"), std::string::npos);
  EXPECT_EQ(r.pass, 3);
  EXPECT_EQ(r.fail, 2);
}

TEST(CrsRunner, ReportsRulesThatDoNotLoad) {
  testing::TempDir dir;
  Write(dir.path() + "/rules/BAD.conf", "SecRule ARGS \"@nosuchop x\" \"id:1\"\n");
  Write(dir.path() + "/setup.conf", "\n");
  auto waf = NewEngineWaf();
  CrsOptions o;
  o.tests_dir = dir.path();
  o.rules_dir = dir.path() + "/rules";
  o.setup_file = dir.path() + "/setup.conf";
  SuiteReport r = RunCrsSuite(*waf, o);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.total(), 0);
}

TEST(ModsecRunner, StatusIdsCapturesLoadErrorsAndSkips) {
  testing::TempDir dir;
  Write(dir.path() + "/test-cases/regression/cases.json", R"([
 {"enabled":1,"version_min":300000,"title":"deny",
  "client":{"ip":"1.2.3.4","port":1},"server":{"ip":"5.6.7.8","port":80},
  "request":{"headers":{"Host":"x"},"uri":"/?a=evil","method":"GET"},
  "response":{"headers":{"Content-Type":"text/html"},"body":["ok"]},
  "expected":{"http_code":403,"error_log":"id \"7\""},
  "rules":["SecRuleEngine On","SecRequestBodyAccess On",
           "SecRule ARGS \"@rx (e)vil\" \"id:7,phase:2,deny,log,capture\""]},
 {"enabled":1,"version_min":300000,"title":"wrong status",
  "request":{"headers":{"Host":"x"},"uri":"/?a=fine","method":"GET"},
  "expected":{"http_code":403},
  "rules":["SecRuleEngine On","SecRule ARGS \"@rx evil\" \"id:8,phase:1,deny\""]},
 {"enabled":1,"version_min":300000,"title":"capture",
  "request":{"headers":{"Host":"x"},"uri":"/?a=xyz","method":"GET"},
  "expected":{"debug_log":"Added regex subexpression TX\\.1: y"},
  "rules":["SecRuleEngine On","SecRule ARGS \"@rx x(y)z\" \"id:9,phase:1,pass,capture\""]},
 {"enabled":1,"version_min":300000,"title":"parser error",
  "expected":{"parser_error":"whatever the text"},
  "rules":["SecRule ARGS \"@nosuchop 1\" \"id:10\""]},
 {"enabled":1,"version_min":300000,"title":"lua","resource":"lua",
  "expected":{"http_code":200},"rules":["SecRuleScript test.lua"]},
 {"enabled":0,"version_min":300000,"title":"off","expected":{},"rules":[]}
])");
  auto waf = NewEngineWaf();
  ModsecOptions o;
  o.test_dir = dir.path();
  SuiteReport r = RunModsecSuite(*waf, o);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.total(), 6);
  ASSERT_EQ(r.cases.size(), 6u);
  EXPECT_EQ(r.cases[0].verdict, Verdict::kPass) << r.cases[0].reason;
  EXPECT_EQ(r.cases[1].verdict, Verdict::kFail);
  EXPECT_EQ(r.cases[1].klass, "http status");
  EXPECT_EQ(r.cases[2].verdict, Verdict::kPass) << r.cases[2].reason;
  EXPECT_EQ(r.cases[3].verdict, Verdict::kPass) << r.cases[3].reason;
  EXPECT_EQ(r.cases[4].verdict, Verdict::kSkip);
  EXPECT_EQ(r.cases[4].klass, "lua");
  EXPECT_EQ(r.cases[5].verdict, Verdict::kSkip);
  EXPECT_EQ(r.cases[5].klass, "disabled upstream");
}

}  // namespace
}  // namespace gs::waf::conformance
