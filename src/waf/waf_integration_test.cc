// Integration tests: the real OWASP CRS 3.3.4 as Debian ships it (through the engine API) and
// the `govshield waf eval` / `waf lint` commands as separate processes.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "platform/file.h"
#include "testlib/subprocess.h"
#include "testlib/temp_dir.h"
#include "waf/exchange.h"
#include "waf/waf.h"

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

bool HasRange(const std::vector<int64_t>& ids, int64_t lo, int64_t hi) {
  return std::any_of(ids.begin(), ids.end(), [&](int64_t id) { return id >= lo && id <= hi; });
}

Exchange Browser(std::string method, std::string uri) {
  Exchange ex;
  ex.method = std::move(method);
  ex.uri = std::move(uri);
  ex.request_headers = {{"Host", "www.example.gov.cn"},
                        {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Firefox/120.0"},
                        {"Accept", "text/html,application/xhtml+xml"},
                        {"Accept-Language", "zh-CN,zh;q=0.9"},
                        {"Accept-Encoding", "gzip, deflate"}};
  return ex;
}

void SetBody(Exchange* ex, std::string content_type, std::string body) {
  ex->request_headers.emplace_back("Content-Type", std::move(content_type));
  ex->request_headers.emplace_back("Content-Length", std::to_string(body.size()));
  ex->request_body = std::move(body);
}

class CrsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    CompileReport r = CompileString(kCrsConfig, "crs.conf");
    for (const auto& e : r.errors) ADD_FAILURE() << e.ToString();
    rules_ = r.rules;
  }
  void SetUp() override { ASSERT_NE(rules_, nullptr); }
  static std::shared_ptr<const CompiledRules> rules_;
};
std::shared_ptr<const CompiledRules> CrsTest::rules_;

TEST_F(CrsTest, XssIsBlockedBy949110) {
  Engine engine(rules_);
  Outcome o = RunExchange(engine, Browser("GET", "/?q=<script>alert(1)</script>"));
  EXPECT_TRUE(o.disruptive);
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(o.deciding_rule_id, 949110);
  EXPECT_TRUE(Has(o.matched_rule_ids, 941100));  // libinjection XSS
  EXPECT_TRUE(Has(o.matched_rule_ids, 941110));  // script tag vector
}

TEST_F(CrsTest, SqliIsBlockedBy949110) {
  Engine engine(rules_);
  Outcome o = RunExchange(engine, Browser("GET", "/?id=1'%20or%201=1--"));
  EXPECT_TRUE(o.disruptive);
  EXPECT_EQ(o.deciding_rule_id, 949110);
  EXPECT_TRUE(Has(o.matched_rule_ids, 942100));  // libinjection SQLi
}

TEST_F(CrsTest, AttacksInBodiesAreSeen) {
  Engine engine(rules_);
  Exchange form = Browser("POST", "/login");
  SetBody(&form, "application/x-www-form-urlencoded",
          "user=admin&pass=1'+union+select+password+from+users--");
  Outcome f = RunExchange(engine, form);
  EXPECT_TRUE(f.disruptive);
  EXPECT_TRUE(HasRange(f.matched_rule_ids, 942000, 942999));

  Exchange json = Browser("POST", "/api");
  SetBody(&json, "application/json", R"({"cmd":"; cat /etc/passwd"})");
  Outcome j = RunExchange(engine, json);
  EXPECT_TRUE(j.disruptive);
  EXPECT_TRUE(HasRange(j.matched_rule_ids, 930000, 932999));
}

TEST_F(CrsTest, BenignRequestsPassWithoutLoggedMatches) {
  Engine engine(rules_);
  std::vector<Exchange> benign;
  benign.push_back(Browser("GET", "/index.html?page=2&lang=zh"));
  benign.push_back(Browser("GET", "/news/2026/11/25/%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80.html"));
  Exchange form = Browser("POST", "/search");
  SetBody(&form, "application/x-www-form-urlencoded",
          "q=%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80&page=1");
  benign.push_back(form);
  Exchange json = Browser("POST", "/api/feedback");
  SetBody(&json, "application/json", R"({"name":"张三","message":"网站很好用","rating":5})");
  benign.push_back(json);
  for (const Exchange& ex : benign) {
    Outcome o = RunExchange(engine, ex);
    EXPECT_FALSE(o.disruptive) << ex.uri;
    EXPECT_EQ(o.status, 200) << ex.uri;
    for (const std::string& l : o.log_lines) ADD_FAILURE() << ex.uri << ": " << l;
  }
}

TEST_F(CrsTest, ResponseLeakIsBlockedInPhase4) {
  Engine engine(rules_);
  Exchange ex = Browser("GET", "/report");
  ex.response_status = 200;
  ex.response_headers = {{"Content-Type", "text/html"}};
  ex.response_body =
      "<html>Warning: mysql_fetch_array() expects parameter 1 to be resource, boolean given in "
      "/var/www/index.php on line 12 You have an error in your SQL syntax</html>";
  Outcome o = RunExchange(engine, ex);
  EXPECT_TRUE(HasRange(o.matched_rule_ids, 951000, 951999));
}

// ---- govshield waf eval / lint -----------------------------------------------------------------

class WafCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conf_ = tmp_.path() + "/crs.conf";
    ASSERT_TRUE(platform::WriteFileAtomic(conf_, kCrsConfig).ok());
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string p = tmp_.path() + "/" + name;
    EXPECT_TRUE(platform::WriteFileAtomic(p, text).ok());
    return p;
  }
  testing::TempDir tmp_;
  std::string conf_;
};

TEST_F(WafCliTest, EvalJsonReportsVerdictRulesAndScores) {
  std::string req = Write("attack.txt",
                          "GET /?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1\r\n"
                          "Host: localhost\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n");
  auto r = testing::RunProcess(
      {testing::GovshieldBinary(), "waf", "eval", "--rules", conf_, "--request", req, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "deny");
  EXPECT_EQ(j["status"], 403);
  EXPECT_EQ(j["deciding_rule_id"], 949110);
  EXPECT_GE(j["anomaly_scores"]["inbound_anomaly_score"].get<int>(), 5);
  bool saw_941 = false;
  for (const auto& m : j["matched_rules"]) {
    saw_941 |= m["id"].get<int64_t>() / 1000 == 941;
    EXPECT_NE(m["log"].get<std::string>().find("[id \""), std::string::npos);
  }
  EXPECT_TRUE(saw_941);
}

TEST_F(WafCliTest, EvalTextForBenignRequestWithResponse) {
  // Bare LF line ends are accepted in the raw files.
  std::string req = Write("ok.txt",
                          "POST /search HTTP/1.1\nHost: localhost\nUser-Agent: Mozilla/5.0\n"
                          "Accept: text/html\nContent-Type: application/x-www-form-urlencoded\n"
                          "Content-Length: 6\n\nq=news");
  std::string resp =
      Write("resp.txt", "HTTP/1.1 200 OK\nContent-Type: text/html\n\n<html>hello</html>");
  auto r = testing::RunProcess({testing::GovshieldBinary(), "waf", "eval", "--rules", conf_,
                                "--request", req, "--response", resp});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("verdict: pass status 200"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("matched: "), std::string::npos) << r.out;
}

TEST_F(WafCliTest, EvalRejectsMalformedRequestAndBadRules) {
  std::string bad = Write("bad.txt", "NOT A REQUEST\r\n\r\n");
  auto r = testing::RunProcess(
      {testing::GovshieldBinary(), "waf", "eval", "--rules", conf_, "--request", bad});
  EXPECT_NE(r.exit_code, 0);
  std::string rules = Write("bad.conf", "SecRule ARGS \"@rx (\" \"id:1,deny\"\n");
  std::string req = Write("r.txt", "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  r = testing::RunProcess(
      {testing::GovshieldBinary(), "waf", "eval", "--rules", rules, "--request", req});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bad.conf:1"), std::string::npos) << r.err;
}

TEST_F(WafCliTest, LintPrintsCompileFactsPerRule) {
  std::string rules = Write("r.conf",
                            "SecRule ARGS \"@rx foo\" \"id:1,phase:2,deny\"\n"
                            "SecRule ARGS \"@contains bar\" \"id:2,phase:1,pass\"\n");
  auto r = testing::RunProcess({testing::GovshieldBinary(), "waf", "lint", "--rules", rules});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("compile: id 1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compile: id 2 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compiled: 2 rule(s)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace gs::waf
