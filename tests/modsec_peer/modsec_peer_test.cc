// Tests of the libmodsecurity3 peer: phase order and early stop, the match recorder (nolog,
// chains, SecAction, multiMatch), load errors, and real CRS 3.3.4 verdicts.
#include "tests/modsec_peer/modsec_peer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace gs::modsec_peer {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

gs::waf::Exchange Get(std::string uri) {
  gs::waf::Exchange ex;
  ex.uri = std::move(uri);
  ex.request_headers = {{"Host", "localhost"},
                        {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"},
                        {"Accept", "text/html,application/xhtml+xml"},
                        {"Accept-Language", "zh-CN,zh;q=0.9"}};
  return ex;
}

constexpr char kRules[] = R"(
SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecAction "id:10,phase:1,pass,nolog,setvar:tx.seen=1"
SecRule ARGS:a "@streq one" "id:11,phase:1,pass,nolog"
SecRule ARGS:a "@streq one" "id:12,phase:1,pass,log,msg:'logged'"
SecRule ARGS:a "@streq one" "id:13,phase:1,pass,nolog,chain"
  SecRule ARGS:b "@streq two" "t:none"
SecRule ARGS:a "@streq one" "id:14,phase:1,pass,log,msg:'chain tail fails',chain"
  SecRule ARGS:b "@streq never" "t:none"
SecRule ARGS "@rx ^(one|two)$" "id:15,phase:1,pass,nolog,multiMatch"
SecRule ARGS:stop "@streq 1" "id:16,phase:1,deny,status:406,log,msg:'stop'"
SecRule ARGS:a "@streq one" "id:20,phase:2,pass,log,msg:'phase 2'"
SecRule RESPONSE_STATUS "@streq 503" "id:30,phase:3,deny,status:502,log,msg:'bad upstream'"
SecAction "id:50,phase:5,pass,nolog"
SecAction "id:51,phase:5,pass,nolog"
)";

TEST(ModsecPeer, RecordsEveryMatchedRuleIncludingNologInMatchOrder) {
  ModsecPeer peer;
  Status st = peer.LoadText(kRules, "rules.conf");
  ASSERT_TRUE(st.ok()) << st.ToString();
  PeerDetail detail;
  gs::waf::Outcome out = peer.Evaluate(Get("/x?a=one&b=two"), &detail);
  EXPECT_FALSE(out.disruptive);
  EXPECT_EQ(out.status, 200);
  // 14's chain fails; 15 is a multiMatch rule, recorded once per rule evaluation.
  EXPECT_THAT(out.matched_rule_ids, ElementsAre(10, 11, 12, 13, 15, 20, 50, 51));
  // ModSecurity's message list holds the logging rules, plus the multiMatch rule once per
  // matching value although it is nolog (3.0.9 logs multiMatch matches before `nolog` has run):
  // one reason the peer records matches itself.
  EXPECT_THAT(detail.logged_rule_ids, ElementsAre(12, 15, 15, 20));
  EXPECT_EQ(out.log_lines.size(), 4u);
}

TEST(ModsecPeer, StopsRequestSideAtFirstDisruptionButRunsLogging) {
  ModsecPeer peer;
  Status st = peer.LoadText(kRules, "rules.conf");
  ASSERT_TRUE(st.ok()) << st.ToString();
  gs::waf::Exchange ex = Get("/x?a=one&stop=1");
  ex.response_status = 503;  // never reached: the request was denied in phase 1
  gs::waf::Outcome out = peer.Evaluate(ex);
  EXPECT_TRUE(out.disruptive);
  EXPECT_EQ(out.status, 406);
  EXPECT_EQ(out.deciding_rule_id, 16);
  EXPECT_EQ(out.decided_in_phase, 1);
  EXPECT_THAT(out.matched_rule_ids, Contains(16));
  EXPECT_THAT(out.matched_rule_ids, Not(Contains(20)));
  EXPECT_THAT(out.matched_rule_ids, Not(Contains(30)));
  // Like a server connector, the peer takes the intervention after each phase
  // (Transaction::intervention() resets it in libmodsecurity), so phase 5 runs every rule.
  EXPECT_THAT(out.matched_rule_ids, Contains(50));
  EXPECT_THAT(out.matched_rule_ids, Contains(51));
}

TEST(ModsecPeer, EvenWithoutTakingTheInterventionPhase5RunsEveryRule) {
  ModsecPeer peer(PeerOptions{.take_intervention = false});
  ASSERT_TRUE(peer.LoadText(kRules, "rules.conf").ok());
  gs::waf::Outcome out = peer.Evaluate(Get("/x?a=one&stop=1"));
  EXPECT_TRUE(out.disruptive);
  EXPECT_EQ(out.status, 406);
  EXPECT_EQ(out.deciding_rule_id, 16);
  // libmodsecurity 3.0.9 does not leave phase 5 early because an intervention is pending.
  EXPECT_THAT(out.matched_rule_ids, Contains(50));
  EXPECT_THAT(out.matched_rule_ids, Contains(51));
}

TEST(ModsecPeer, ListsRuleIdsPerPhase) {
  ModsecPeer peer;
  ASSERT_TRUE(peer.LoadText(kRules, "rules.conf").ok());
  EXPECT_THAT(peer.PhaseRuleIds(5), ElementsAre(50, 51));
  EXPECT_THAT(peer.PhaseRuleIds(3), ElementsAre(30));
  EXPECT_TRUE(peer.PhaseRuleIds(6).empty());
}

TEST(ModsecPeer, RunsResponsePhasesWhenTheExchangeHasAResponse) {
  ModsecPeer peer;
  Status st = peer.LoadText(kRules, "rules.conf");
  ASSERT_TRUE(st.ok()) << st.ToString();
  gs::waf::Exchange ex = Get("/ok");
  ex.response_status = 503;
  ex.response_headers = {{"Content-Type", "text/html"}};
  ex.response_body = "<html>down</html>";
  gs::waf::Outcome out = peer.Evaluate(ex);
  EXPECT_TRUE(out.disruptive);
  EXPECT_EQ(out.status, 502);
  EXPECT_EQ(out.deciding_rule_id, 30);
  EXPECT_EQ(out.decided_in_phase, 3);

  ex.response_status = 200;
  out = peer.Evaluate(ex);
  EXPECT_FALSE(out.disruptive);
  EXPECT_EQ(out.status, 200);
}

TEST(ModsecPeer, LoadErrorCarriesTheParserMessage) {
  ModsecPeer peer;
  Status st = peer.LoadText("SecRule ARGS \"@rx a\" \"id:1,phase:2,frobnicate\"\n", "bad.conf");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("bad.conf"), std::string_view::npos) << st.ToString();
  EXPECT_FALSE(peer.LoadFiles({"/nonexistent/rules.conf"}).ok());
}

TEST(ModsecPeer, CrsConfigSetsParanoiaLevelBeforeTheRules) {
  const std::string text = CrsConfigText(3);
  const size_t setup = text.find("crs-setup.conf");
  const size_t pl = text.find("setvar:tx.paranoia_level=3");
  const size_t rules = text.find("rules/*.conf");
  ASSERT_NE(pl, std::string::npos);
  EXPECT_LT(setup, pl);
  EXPECT_LT(pl, rules);
}

TEST(ModsecPeerCrs, XssGetIsDeniedWith941100) {
  ModsecPeer& peer = ModsecPeer::SharedCrs(1);
  EXPECT_EQ(&peer, &ModsecPeer::SharedCrs(1));  // loaded once per process
  gs::waf::Outcome out = peer.Evaluate(Get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
  EXPECT_TRUE(out.disruptive);
  EXPECT_EQ(out.status, 403);
  EXPECT_EQ(out.deciding_rule_id, 949110);
  EXPECT_EQ(out.decided_in_phase, 2);
  EXPECT_THAT(out.matched_rule_ids, Contains(941100));
  EXPECT_THAT(out.matched_rule_ids, Contains(949110));
  // nolog initialisation rules are recorded too.
  EXPECT_THAT(out.matched_rule_ids, Contains(901200));
}

TEST(ModsecPeerCrs, BenignGetPassesWithoutAttackRules) {
  ModsecPeer& peer = ModsecPeer::SharedCrs(1);
  gs::waf::Outcome out = peer.Evaluate(Get("/index.html?id=42&q=hello+world"));
  EXPECT_FALSE(out.disruptive);
  EXPECT_EQ(out.status, 200);
  // Detection rules are 9xx100 and up; below 100 are CRS's nolog paranoia-level skips.
  for (int64_t id : out.matched_rule_ids) {
    EXPECT_FALSE(id >= 920000 && id < 950000 && id % 1000 >= 100) << id;
  }
  EXPECT_THAT(out.matched_rule_ids, Not(Contains(949110)));
}

TEST(ModsecPeerCrs, HigherParanoiaRunsMoreRules) {
  // 920300 (missing Accept header) is a PL2 rule: reported only from PL2 up.
  gs::waf::Exchange ex = Get("/index.html");
  ex.request_headers = {{"Host", "localhost"}, {"User-Agent", "curl/8.0"}};
  EXPECT_THAT(ModsecPeer::SharedCrs(1).Evaluate(ex).matched_rule_ids, Not(Contains(920300)));
  EXPECT_THAT(ModsecPeer::SharedCrs(2).Evaluate(ex).matched_rule_ids, Contains(920300));
}

}  // namespace
}  // namespace gs::modsec_peer
