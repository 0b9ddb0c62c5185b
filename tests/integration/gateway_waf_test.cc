// The WAF filter inside the running gateway: rules compiled from real files, requests over real
// sockets. A disruptive rule answers with the bilingual block page carrying the incident id, the
// upstream sees nothing, and a "block" audit record with the engine's JSON lands in the store.
// Request bodies are inspected up to the site's inspection limit before anything is forwarded.
#include <gtest/gtest.h>

#include "gateway/builtin_filters.h"
#include "tests/integration/gateway_test_util.h"

namespace gs::gateway {
namespace {

using testing::Exchange;
using testing::GatewayFixture;
using testing::OneSiteSpec;
using testing::RecordingUpstream;
using testing::StatusOf;

constexpr char kRules[] = R"(SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess Off
SecRule ARGS "@contains evil" "id:1001,phase:2,deny,status:403,log,msg:'evil argument'"
SecRule REQUEST_HEADERS:X-Probe "@streq 1" "id:1002,phase:1,deny,status:418,log,msg:'probe'"
SecRule RESPONSE_HEADERS:X-Leak "@streq yes" "id:1003,phase:3,deny,status:403,log,msg:'leak'"
)";

class WafGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(HaveWafEngine());
    rules_ = platform::JoinPath(dir_.path(), "rules.conf");
    ASSERT_TRUE(platform::WriteFileAtomic(rules_, kRules).ok());
  }
  GatewaySpec Spec(uint16_t port) {
    GatewaySpec spec = OneSiteSpec(port);
    spec.sites[0].waf_rules = {rules_};
    return spec;
  }
  gs::testing::TempDir dir_;
  std::string rules_;
};

TEST_F(WafGatewayTest, PhaseTwoArgumentBlocksWithIncidentIdAndAuditRecord) {
  RecordingUpstream up;
  GatewayFixture f(Spec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  std::string r =
      Exchange(f.port(), "GET /q?name=evil HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 403) << r;
  EXPECT_NE(r.find("访问被拒绝"), std::string::npos);
  EXPECT_NE(r.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_EQ(up.requests(), 0);
  auto blocks = f.Records("block");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_NE(blocks[0].find("\"rule_id\":1001"), std::string::npos) << blocks[0];
  // The incident id on the page is the record's request id.
  size_t p = r.find("<code>"), e = r.find("</code>");
  ASSERT_NE(p, std::string::npos);
  std::string id = r.substr(p + 6, e - p - 6);
  EXPECT_NE(blocks[0].find("\"request_id\":\"" + id + "\""), std::string::npos);
  auto access = f.Records("access");
  ASSERT_EQ(access.size(), 1u);
  EXPECT_NE(access[0].find("\"blocked_by\":\"waf\""), std::string::npos) << access[0];
  EXPECT_EQ(f.gw().metrics().blocked_waf.load(), 1u);
  // A clean request passes.
  EXPECT_EQ(StatusOf(Exchange(f.port(),
                              "GET /q?name=good HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            200);
  EXPECT_EQ(up.requests(), 1);
}

// DetectionOnly (or any rule that logs without blocking): the request goes through, and a
// "waf_match" record lists the ids of the rules that logged, phase 5 included, with the client
// port so a client can find what the WAF saw for its connection. Clean requests write none.
TEST_F(WafGatewayTest, DetectionOnlyMatchesAreRecordedWithRuleIdsAndClientPort) {
  std::string rules = platform::JoinPath(dir_.path(), "detect.conf");
  ASSERT_TRUE(platform::WriteFileAtomic(rules, R"(SecRuleEngine DetectionOnly
SecRule ARGS "@contains evil" "id:2001,phase:2,deny,status:403,log,msg:'evil argument'"
SecRule ARGS "@contains evil" "id:2002,phase:2,pass,nolog"
SecRule ARGS "@contains evil" "id:2003,phase:5,pass,log,msg:'logging phase'"
)")
                  .ok());
  RecordingUpstream up;
  GatewaySpec spec = OneSiteSpec(up.port());
  spec.sites[0].waf_rules = {rules};
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  int fd = testing::ConnectTo(f.port());
  ASSERT_GE(fd, 0);
  sockaddr_in local{};
  socklen_t len = sizeof(local);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len), 0);
  testing::SendAll(fd, "GET /q?name=evil HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string r = testing::ReadUntilClose(fd);
  close(fd);
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_EQ(StatusOf(Exchange(f.port(),
                              "GET /q?name=good HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            200);
  EXPECT_EQ(up.requests(), 2);
  EXPECT_TRUE(f.Records("block").empty());
  auto matches = f.Records("waf_match");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_NE(matches[0].find("\"rule_ids\":[2001,2003]"), std::string::npos) << matches[0];
  EXPECT_NE(matches[0].find("\"client_port\":" + std::to_string(ntohs(local.sin_port))),
            std::string::npos)
      << matches[0];
  EXPECT_NE(matches[0].find("\"target\":\"/q?name=evil\""), std::string::npos) << matches[0];
}

TEST_F(WafGatewayTest, BodyIsInspectedBeforeForwardingIncludingChunked) {
  RecordingUpstream up;
  GatewayFixture f(Spec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  std::string r = Exchange(
      f.port(),
      "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "4\r\na=ev\r\n5\r\nil&b=\r\n1\r\n2\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(r), 403) << r;
  EXPECT_EQ(up.received(), "");
  std::string ok = Exchange(
      f.port(),
      "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 7\r\nConnection: close\r\n\r\na=1&b=2");
  EXPECT_EQ(StatusOf(ok), 200) << ok;
  ASSERT_EQ(up.bodies().size(), 1u);
  EXPECT_EQ(up.bodies()[0], "a=1&b=2");
}

TEST_F(WafGatewayTest, HeaderPhaseStatusAndResponsePhaseBlock) {
  RecordingUpstream up([](const std::string& head, const std::string&) {
    bool leak = head.find("/leak") != std::string::npos;
    return std::string("HTTP/1.1 200 OK\r\n") + (leak ? "X-Leak: yes\r\n" : "") +
           "Content-Length: 6\r\n\r\nsecret";
  });
  GatewayFixture f(Spec(up.port()));
  ASSERT_TRUE(f.ok()) << f.error();
  std::string probe =
      Exchange(f.port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Probe: 1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(probe), 418) << probe;
  std::string leak =
      Exchange(f.port(), "GET /leak HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(leak), 403) << leak;
  EXPECT_EQ(leak.find("secret"), std::string::npos);
  EXPECT_EQ(f.Records("block").size(), 2u);
}

TEST_F(WafGatewayTest, RulesThatDoNotCompileAreRefusedWithTheFileName) {
  std::string bad = platform::JoinPath(dir_.path(), "bad.conf");
  ASSERT_TRUE(platform::WriteFileAtomic(bad, "SecRule ARGS \"@nosuchop x\" \"id:1,deny\"\n").ok());
  GatewaySpec spec = OneSiteSpec(1);
  spec.sites[0].waf_rules = {bad};
  auto rt = BuildRuntime(spec);
  ASSERT_FALSE(rt.ok());
  EXPECT_NE(std::string(rt.status().message()).find("bad.conf"), std::string::npos)
      << rt.status().message();
}

TEST_F(WafGatewayTest, Crs334BlocksSqlInjectionThroughTheGateway) {
  RecordingUpstream up;
  GatewaySpec spec = OneSiteSpec(up.port());
  std::string on = platform::JoinPath(dir_.path(), "on.conf");
  ASSERT_TRUE(platform::WriteFileAtomic(on, "SecRuleEngine On\n").ok());
  spec.sites[0].waf_rules = {"/etc/nginx/modsecurity.conf", on,
                             "/etc/modsecurity/crs/crs-setup.conf",
                             "/usr/share/modsecurity-crs/rules/*.conf"};
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  std::string attack =
      Exchange(f.port(),
               "GET /?id=1%27%20OR%20%271%27=%271 HTTP/1.1\r\nHost: localhost\r\n"
               "User-Agent: Mozilla/5.0\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(attack), 403) << attack;
  std::string benign =
      Exchange(f.port(),
               "GET /index.html?id=42&q=hello+world HTTP/1.1\r\nHost: localhost\r\n"
               "User-Agent: Mozilla/5.0\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(benign), 200) << benign;
  EXPECT_EQ(up.requests(), 1);
  auto blocks = f.Records("block");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_NE(blocks[0].find("942100"), std::string::npos) << blocks[0];
}

}  // namespace
}  // namespace gs::gateway
