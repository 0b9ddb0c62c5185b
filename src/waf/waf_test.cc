// Unit tests of the WAF engine's semantics, each against a few hand-written rules, checked
// against ModSecurity v3 (libmodsecurity 3.0.9) behaviour.
#include "waf/waf.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "waf/exchange.h"

namespace gs::waf {
namespace {

bool Has(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
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

std::shared_ptr<const CompiledRules> Rules(const std::string& text) {
  CompileReport r = CompileString(
      "SecRuleEngine On\nSecRequestBodyAccess On\nSecResponseBodyAccess On\n" + text, "t.conf");
  EXPECT_TRUE(r.ok()) << r.ToStatus().ToString();
  return r.rules;
}

Outcome Eval(const std::shared_ptr<const CompiledRules>& rules, const Exchange& ex) {
  Engine engine(rules);
  return RunExchange(engine, ex);
}

Exchange Post(std::string uri, std::string content_type, std::string body) {
  Exchange ex = Get(std::move(uri));
  ex.method = "POST";
  ex.request_headers.emplace_back("Content-Type", std::move(content_type));
  ex.request_headers.emplace_back("Content-Length", std::to_string(body.size()));
  ex.request_body = std::move(body);
  return ex;
}

TEST(WafCompile, ReportsEveryErrorWithLocation) {
  CompileReport r = CompileString(
      "SecRule ARGS \"@rx (\" \"id:1,deny\"\nSecRule ARGS \"@nosuchop x\" \"id:2,deny\"\n",
      "bad.conf");
  EXPECT_FALSE(r.ok());
  ASSERT_GE(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].location.file, "bad.conf");
  EXPECT_FALSE(r.ToStatus().ok());
}

TEST(WafCompile, UnsupportedDirectiveIsNamed) {
  CompileReport r = CompileString("SecRemoteRules key https://example.com/rules\n", "x.conf");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].message.find("SecRemoteRules"), std::string::npos);
}

TEST(WafSemantics, ChainMatchesOnlyWhenEveryLinkMatches) {
  auto rules = Rules(
      "SecRule ARGS:a \"@streq x\" \"id:10,phase:2,deny,status:406,chain\"\n"
      "  SecRule ARGS:b \"@streq y\" \"\"\n");
  Outcome both = Eval(rules, Get("/?a=x&b=y"));
  EXPECT_TRUE(both.disruptive);
  EXPECT_EQ(both.status, 406);
  EXPECT_EQ(both.deciding_rule_id, 10);
  Outcome half = Eval(rules, Get("/?a=x&b=z"));
  EXPECT_FALSE(half.disruptive);
  EXPECT_FALSE(Has(half.matched_rule_ids, 10));
}

TEST(WafSemantics, SkipAndSkipAfter) {
  auto rules = Rules(
      "SecAction \"id:1,phase:1,pass,nolog,skip:1\"\n"
      "SecAction \"id:2,phase:1,deny,status:401\"\n"
      "SecAction \"id:3,phase:1,pass,nolog,skipAfter:END\"\n"
      "SecAction \"id:4,phase:1,deny,status:402\"\n"
      "SecMarker END\n"
      "SecAction \"id:5,phase:1,pass,nolog,setvar:tx.after=1\"\n"
      "SecRule TX:after \"@eq 1\" \"id:6,phase:1,deny,status:418\"\n");
  Outcome o = Eval(rules, Get("/"));
  EXPECT_FALSE(Has(o.matched_rule_ids, 2));
  EXPECT_FALSE(Has(o.matched_rule_ids, 4));
  EXPECT_EQ(o.status, 418);
  EXPECT_EQ(o.deciding_rule_id, 6);
}

TEST(WafSemantics, CtlRuleRemoveByIdRangeAndTarget) {
  auto rules = Rules(
      "SecRule ARGS:off \"@streq 1\" \"id:1,phase:1,pass,nolog,ctl:ruleRemoveById=100-199\"\n"
      "SecRule ARGS:t \"@streq 1\" "
      "\"id:2,phase:1,pass,nolog,ctl:ruleRemoveTargetById=200;ARGS:secret\"\n"
      "SecRule ARGS \"@contains evil\" \"id:150,phase:2,deny\"\n"
      "SecRule ARGS \"@contains bad\" \"id:200,phase:2,deny,status:409\"\n");
  EXPECT_TRUE(Eval(rules, Get("/?q=evil")).disruptive);
  EXPECT_FALSE(Eval(rules, Get("/?q=evil&off=1")).disruptive);
  EXPECT_EQ(Eval(rules, Get("/?secret=bad")).status, 409);
  EXPECT_FALSE(Eval(rules, Get("/?secret=bad&t=1")).disruptive);
  EXPECT_TRUE(Eval(rules, Get("/?other=bad&t=1")).disruptive);
}

TEST(WafSemantics, CtlRuleRemoveByTag) {
  auto rules = Rules(
      "SecAction \"id:1,phase:1,pass,nolog,ctl:ruleRemoveByTag=attack-sqli\"\n"
      "SecRule ARGS \"@contains x\" \"id:2,phase:2,deny,tag:'attack-sqli'\"\n"
      "SecRule ARGS \"@contains y\" \"id:3,phase:2,deny,tag:'attack-xss'\"\n");
  EXPECT_FALSE(Eval(rules, Get("/?q=x")).disruptive);
  EXPECT_TRUE(Eval(rules, Get("/?q=y")).disruptive);
}

TEST(WafSemantics, SetvarArithmeticAndDelete) {
  auto rules = Rules(
      "SecAction \"id:1,phase:1,pass,nolog,setvar:tx.score=5,setvar:tx.score=+10,"
      "setvar:tx.score=-3,setvar:tx.gone=1,setvar:!tx.gone,setvar:tx.flag,"
      "setvar:'tx.name_%{tx.score}=v'\"\n");
  Engine engine(rules);
  auto t = engine.NewTransaction();
  t->ProcessConnection("10.0.0.1", 1234, "10.0.0.2", 80);
  t->ProcessUri("/", "GET", "1.1");
  t->ProcessRequestHeaders();
  std::string v;
  ASSERT_TRUE(t->GetTxVariable("score", &v));
  EXPECT_EQ(v, "12");
  EXPECT_FALSE(t->GetTxVariable("gone", &v));
  ASSERT_TRUE(t->GetTxVariable("flag", &v));
  EXPECT_EQ(v, "1");
  ASSERT_TRUE(t->GetTxVariable("name_12", &v));
  EXPECT_EQ(v, "v");
}

TEST(WafSemantics, InitcolPersistsAcrossTransactionsAndExpirevarExpires) {
  auto rules = Rules(
      "SecAction \"id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}\"\n"
      "SecAction \"id:2,phase:1,pass,nolog,setvar:ip.hits=+1,expirevar:ip.hits=60\"\n"
      "SecRule IP:hits \"@ge 3\" \"id:3,phase:1,deny,status:429\"\n");
  ManualTimeSource clock(1'700'000'000'000'000'000);
  EngineOptions opts;
  opts.time_source = &clock;
  Engine engine(rules, opts);
  Exchange ex = Get("/");
  ex.client_ip = "192.0.2.7";
  EXPECT_FALSE(RunExchange(engine, ex).disruptive);
  EXPECT_FALSE(RunExchange(engine, ex).disruptive);
  EXPECT_EQ(RunExchange(engine, ex).status, 429);
  Exchange other = ex;
  other.client_ip = "192.0.2.8";
  EXPECT_FALSE(RunExchange(engine, other).disruptive);  // keyed by IP
  clock.Advance(61'000'000'000);
  EXPECT_FALSE(RunExchange(engine, ex).disruptive);  // hits expired, counts from 1 again
}

TEST(WafSemantics, CaptureAndMacros) {
  auto rules = Rules(
      "SecRule ARGS:range \"@rx ^(\\d+)-(\\d+)$\" \"id:1,phase:2,pass,capture,log,"
      "msg:'range in %{MATCHED_VAR_NAME}',logdata:'from %{TX.1} to %{tx.2}',"
      "setvar:tx.lo=%{tx.1}\"\n"
      "SecRule TX:lo \"@eq 10\" \"id:2,phase:2,deny,status:403,msg:'rule %{rule.id}'\"\n");
  Engine engine(rules);
  auto t = engine.NewTransaction();
  t->ProcessUri("/?range=10-20", "GET", "1.1");
  t->ProcessRequestHeaders();
  EXPECT_TRUE(t->ProcessRequestBody());
  ASSERT_EQ(t->matched_rules().size(), 2u);
  EXPECT_EQ(t->matched_rules()[0].msg, "range in ARGS:range");
  EXPECT_EQ(t->matched_rules()[0].data, "from 10 to 20");
  EXPECT_EQ(t->matched_rules()[1].msg, "rule 2");
  EXPECT_EQ(t->intervention().rule_id, 2);
  EXPECT_NE(t->matched_rules()[0].ModsecLogLine().find("[id \"1\"]"), std::string::npos);
}

TEST(WafSemantics, MultiMatchTestsEveryIntermediateValue) {
  // "%2541" urlDecodes to "%41"; only the intermediate value equals "%41".
  const std::string rule =
      "SecRule ARGS:v \"@streq %41\" \"id:1,phase:2,deny,t:none,t:urlDecode,t:urlDecode";
  EXPECT_FALSE(Eval(Rules(rule + "\"\n"), Get("/?v=%252541")).disruptive);
  EXPECT_TRUE(Eval(Rules(rule + ",multiMatch\"\n"), Get("/?v=%252541")).disruptive);
}

TEST(WafSemantics, TNoneDiscardsDefaultTransformations) {
  const std::string defaults = "SecDefaultAction \"phase:2,log,pass,t:lowercase\"\n";
  EXPECT_TRUE(
      Eval(Rules(defaults + "SecRule ARGS \"@streq abc\" \"id:1,phase:2,deny\"\n"), Get("/?q=ABC"))
          .disruptive);
  EXPECT_FALSE(Eval(Rules(defaults + "SecRule ARGS \"@streq abc\" \"id:1,phase:2,deny,t:none\"\n"),
                    Get("/?q=ABC"))
                   .disruptive);
}

TEST(WafSemantics, ExclusionAndCount) {
  auto rules = Rules(
      "SecRule ARGS|!ARGS:safe \"@contains bad\" \"id:1,phase:2,deny\"\n"
      "SecRule &ARGS \"@eq 3\" \"id:2,phase:2,deny,status:413\"\n"
      "SecRule &ARGS:missing \"@eq 0\" \"id:3,phase:2,pass,log,msg:'no missing'\"\n");
  Outcome o = Eval(rules, Get("/?safe=bad"));
  EXPECT_FALSE(o.disruptive);
  EXPECT_TRUE(Has(o.matched_rule_ids, 3));
  EXPECT_TRUE(Eval(rules, Get("/?other=bad")).disruptive);
  EXPECT_EQ(Eval(rules, Get("/?a=1&b=2&c=3")).status, 413);
}

TEST(WafSemantics, RegexKeys) {
  auto rules = Rules("SecRule ARGS:/^pre_/ \"@contains x\" \"id:1,phase:2,deny\"\n");
  EXPECT_TRUE(Eval(rules, Get("/?PRE_a=x")).disruptive);
  EXPECT_FALSE(Eval(rules, Get("/?other=x")).disruptive);
}

TEST(WafSemantics, DetectionOnlyLogsButNeverIntervenes) {
  CompileReport r = CompileString(
      "SecRuleEngine DetectionOnly\nSecRule ARGS \"@contains x\" \"id:1,phase:1,deny,log\"\n",
      "d.conf");
  ASSERT_TRUE(r.ok());
  Outcome o = Eval(r.rules, Get("/?q=x"));
  EXPECT_FALSE(o.disruptive);
  EXPECT_EQ(o.status, 200);
  EXPECT_TRUE(Has(o.matched_rule_ids, 1));
  EXPECT_EQ(o.log_lines.size(), 1u);
}

TEST(WafSemantics, AllowSkipsTheRestAndAllowPhaseOnlyThisPhase) {
  const std::string tail =
      "SecRule ARGS \"@contains x\" \"id:2,phase:1,deny,status:401\"\n"
      "SecRule ARGS \"@contains x\" \"id:3,phase:2,deny,status:402\"\n";
  Outcome all = Eval(Rules("SecAction \"id:1,phase:1,allow\"\n" + tail), Get("/?q=x"));
  EXPECT_FALSE(all.disruptive);
  Outcome phase = Eval(Rules("SecAction \"id:1,phase:1,allow:phase\"\n" + tail), Get("/?q=x"));
  EXPECT_TRUE(phase.disruptive);
  EXPECT_EQ(phase.status, 402);
}

TEST(WafSemantics, PhasesRunInOrderRegardlessOfDeclarationOrder) {
  auto rules = Rules(
      "SecRule TX:p1 \"@eq 1\" \"id:2,phase:2,deny,status:418\"\n"
      "SecAction \"id:1,phase:1,pass,nolog,setvar:tx.p1=1\"\n");
  Outcome o = Eval(rules, Get("/"));
  EXPECT_EQ(o.status, 418);
  EXPECT_EQ(o.decided_in_phase, 2);
}

TEST(WafSemantics, BlockUsesTheDefaultDisruptiveAction) {
  auto rules = Rules(
      "SecDefaultAction \"phase:2,log,deny,status:451\"\n"
      "SecRule ARGS \"@contains x\" \"id:1,phase:2,block\"\n"
      "SecRule ARGS \"@contains y\" \"id:2,phase:2,pass\"\n");
  EXPECT_EQ(Eval(rules, Get("/?q=x")).status, 451);
  EXPECT_FALSE(Eval(rules, Get("/?q=y")).disruptive);
}

TEST(WafSemantics, RedirectAndDrop) {
  auto rules = Rules(
      "SecRule ARGS:r \"@streq 1\" \"id:1,phase:1,redirect:'http://example.com/blocked'\"\n"
      "SecRule ARGS:d \"@streq 1\" \"id:2,phase:1,drop\"\n");
  Outcome r = Eval(rules, Get("/?r=1"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.redirect_url, "http://example.com/blocked");
  Outcome d = Eval(rules, Get("/?d=1"));
  EXPECT_TRUE(d.disruptive);
  EXPECT_EQ(d.deciding_rule_id, 2);
}

TEST(WafSemantics, RemoveAndUpdateDirectives) {
  auto rules = Rules(
      "SecRule ARGS \"@contains a\" \"id:1,phase:2,deny,status:401\"\n"
      "SecRule ARGS \"@contains b\" \"id:2,phase:2,deny,status:402,tag:'x'\"\n"
      "SecRule ARGS \"@contains c\" \"id:3,phase:2,deny,status:403\"\n"
      "SecRule ARGS \"@contains d\" \"id:4,phase:2,deny,status:404\"\n"
      "SecRuleRemoveById 1\n"
      "SecRuleRemoveByTag x\n"
      "SecRuleUpdateTargetById 3 !ARGS:ok\n"
      "SecRuleUpdateActionById 4 \"status:405\"\n");
  EXPECT_FALSE(Eval(rules, Get("/?q=a")).disruptive);
  EXPECT_FALSE(Eval(rules, Get("/?q=b")).disruptive);
  EXPECT_FALSE(Eval(rules, Get("/?ok=c")).disruptive);
  EXPECT_TRUE(Eval(rules, Get("/?q=c")).disruptive);
  EXPECT_EQ(Eval(rules, Get("/?q=d")).status, 405);
}

TEST(WafBody, UrlencodedAndMultipartByContentType) {
  auto rules = Rules(
      "SecRule REQBODY_PROCESSOR \"@streq MULTIPART\" \"id:3,phase:2,pass,log,msg:'mp'\"\n"
      "SecRule ARGS_POST:user \"@streq admin\" \"id:1,phase:2,deny,status:401\"\n"
      "SecRule FILES \"@endsWith .php\" \"id:2,phase:2,deny,status:402\"\n");
  EXPECT_EQ(Eval(rules, Post("/", "application/x-www-form-urlencoded", "user=admin")).status, 401);
  std::string mp =
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"shell.php\"\r\n"
      "Content-Type: text/plain\r\n\r\n<?php ?>\r\n--XyZ--\r\n";
  Outcome o = Eval(rules, Post("/", "multipart/form-data; boundary=XyZ", mp));
  EXPECT_EQ(o.status, 402);
  EXPECT_TRUE(Has(o.matched_rule_ids, 3));
}

TEST(WafBody, JsonAndXmlOnlyThroughCtl) {
  auto rules = Rules(
      "SecRule REQUEST_HEADERS:Content-Type \"^application/json\" "
      "\"id:100,phase:1,pass,nolog,t:lowercase,ctl:requestBodyProcessor=JSON\"\n"
      "SecRule REQUEST_HEADERS:Content-Type \"^text/xml\" "
      "\"id:101,phase:1,pass,nolog,ctl:requestBodyProcessor=XML\"\n"
      "SecRule ARGS:json.user.name \"@streq root\" \"id:1,phase:2,deny,status:401\"\n"
      "SecRule XML:/* \"@contains attack\" \"id:2,phase:2,deny,status:402\"\n"
      "SecRule REQBODY_ERROR \"!@eq 0\" \"id:3,phase:2,deny,status:400\"\n");
  EXPECT_EQ(Eval(rules, Post("/", "application/json", R"({"user":{"name":"root"}})")).status, 401);
  EXPECT_EQ(Eval(rules, Post("/", "text/xml", "<a><b>attack</b></a>")).status, 402);
  EXPECT_EQ(Eval(rules, Post("/", "application/json", "{bad json")).status, 400);
  // Without the ctl rule a JSON body is not parsed: no ARGS, no error.
  auto plain = Rules("SecRule ARGS \"@streq root\" \"id:1,phase:2,deny\"\n");
  EXPECT_FALSE(Eval(plain, Post("/", "application/json", R"({"n":"root"})")).disruptive);
}

TEST(WafBody, RequestBodyLimitReject) {
  auto rules = Rules("SecRequestBodyLimit 10\nSecRequestBodyLimitAction Reject\n");
  Outcome o = Eval(rules, Post("/", "application/x-www-form-urlencoded", std::string(100, 'a')));
  EXPECT_TRUE(o.disruptive);
  EXPECT_EQ(o.status, 403);
}

TEST(WafBody, ResponseBodyOnlyForListedMimeTypes) {
  auto rules = Rules(
      "SecResponseBodyMimeType text/html\n"
      "SecRule RESPONSE_BODY \"@contains SQL syntax\" \"id:1,phase:4,deny,status:502\"\n"
      "SecRule RESPONSE_STATUS \"@eq 500\" \"id:2,phase:3,pass,log,msg:'5xx'\"\n");
  Exchange ex = Get("/");
  ex.response_status = 500;
  ex.response_headers = {{"Content-Type", "text/html; charset=utf-8"}};
  ex.response_body = "You have an error in your SQL syntax";
  Outcome o = Eval(rules, ex);
  EXPECT_EQ(o.status, 502);
  EXPECT_EQ(o.decided_in_phase, 4);
  EXPECT_TRUE(Has(o.matched_rule_ids, 2));
  ex.response_headers = {{"Content-Type", "application/octet-stream"}};
  Outcome bin = Eval(rules, ex);
  EXPECT_FALSE(bin.disruptive);
  EXPECT_EQ(bin.status, 500);
}

TEST(WafSemantics, MatchedVarsAndCookies) {
  auto rules = Rules(
      "SecRule REQUEST_COOKIES \"@contains evil\" \"id:1,phase:1,pass,nolog,chain\"\n"
      "  SecRule MATCHED_VARS_NAMES \"@streq REQUEST_COOKIES:sid\" "
      "\"setvar:tx.hit=1\"\n"
      "SecRule TX:hit \"@eq 1\" \"id:2,phase:1,deny\"\n");
  Exchange ex = Get("/");
  ex.request_headers.emplace_back("Cookie", "a=1; sid=evil");
  EXPECT_TRUE(Eval(rules, ex).disruptive);
}

}  // namespace
}  // namespace gs::waf

namespace gs::waf {
namespace {

TEST(WafPrefilter, NegatedAndSharedValuesStayExact) {
  // 1: a negated regex whose literal is absent must match (the prefilter says "cannot match").
  // 2/3: the same value under two chains: the cached transformation of one chain must not
  // leak into the other.
  auto rules = Rules(
      "SecRule ARGS:a \"!@rx needle\" \"id:1,phase:2,pass,log,msg:'no needle'\"\n"
      "SecRule ARGS:b \"@rx secret\" \"id:2,phase:2,pass,log,t:none,t:lowercase\"\n"
      "SecRule ARGS:b \"@rx secret\" \"id:3,phase:2,pass,log,t:none\"\n"
      "SecRule ARGS:c \"@rx select.{0,10}from\" \"id:4,phase:2,pass,log,t:none,t:urlDecodeUni\"\n");
  Outcome o = Eval(rules, Get("/?a=haystack&b=SECRET&c=SELECT%2520x%2520FROM"));
  EXPECT_TRUE(Has(o.matched_rule_ids, 1));
  EXPECT_TRUE(Has(o.matched_rule_ids, 2));
  EXPECT_FALSE(Has(o.matched_rule_ids, 3));
  EXPECT_FALSE(Has(o.matched_rule_ids, 4));  // case-sensitive regex, value stays upper case
  Outcome n = Eval(rules, Get("/?a=the+needle&b=secret&c=select%2520x%2520from"));
  EXPECT_FALSE(Has(n.matched_rule_ids, 1));
  EXPECT_TRUE(Has(n.matched_rule_ids, 2));
  EXPECT_TRUE(Has(n.matched_rule_ids, 3));
  EXPECT_TRUE(Has(n.matched_rule_ids, 4));
}

// The phase walk passes over a rule without loading it when the prefilter alone rules it out
// (CompiledRules::walk). Rules that must not be decided that way: a negated operator, a &count
// target, a target that is not request data (TX, which a setvar changes without a data epoch),
// multiMatch; and a rule with several request targets must run when any one of them has the
// literal.
TEST(WafPrefilter, WalkDecidesOnlyRulesThePrefilterAloneCanRuleOut) {
  auto rules = Rules(
      "SecAction \"id:10,phase:1,pass,nolog,setvar:tx.probe=horse\"\n"
      "SecRule ARGS \"!@rx zebra\" \"id:1,phase:2,pass,log\"\n"
      "SecRule &ARGS \"@rx 2\" \"id:2,phase:2,pass,log\"\n"
      "SecRule TX:probe \"@rx zebra\" \"id:7,phase:2,pass,log\"\n"
      "SecAction \"id:11,phase:2,pass,nolog,setvar:tx.probe=zebra\"\n"
      "SecRule ARGS|TX:probe \"@rx zebra\" \"id:3,phase:2,pass,log\"\n"
      "SecRule ARGS \"@rx zebra\" \"id:4,phase:2,pass,log,multiMatch,t:none,t:urlDecode\"\n"
      "SecRule ARGS_NAMES|ARGS|REQUEST_HEADERS \"@rx zebra\" \"id:5,phase:2,pass,log\"\n"
      "SecRule ARGS \"@rx zebra\" \"id:6,phase:2,pass,log\"\n");
  Outcome plain = Eval(rules, Get("/?a=horse&b=donkey"));
  EXPECT_TRUE(Has(plain.matched_rule_ids, 1));
  EXPECT_TRUE(Has(plain.matched_rule_ids, 2));
  EXPECT_FALSE(Has(plain.matched_rule_ids, 7));  // TX:probe is still "horse"
  EXPECT_TRUE(Has(plain.matched_rule_ids, 3));   // TX:probe, rewritten since rule 7 read it
  EXPECT_FALSE(Has(plain.matched_rule_ids, 4));
  EXPECT_FALSE(Has(plain.matched_rule_ids, 5));
  EXPECT_FALSE(Has(plain.matched_rule_ids, 6));
  Exchange ex = Get("/?a=horse&b=donkey");
  ex.request_headers.emplace_back("X-Pet", "zebra");  // only the third target has it
  Outcome header = Eval(rules, ex);
  EXPECT_TRUE(Has(header.matched_rule_ids, 5));
  EXPECT_FALSE(Has(header.matched_rule_ids, 6));
  Outcome arg = Eval(rules, Get("/?a=zebr%2561"));  // the literal appears after urlDecode only
  EXPECT_TRUE(Has(arg.matched_rule_ids, 1));
  EXPECT_TRUE(Has(arg.matched_rule_ids, 4));
  EXPECT_FALSE(Has(arg.matched_rule_ids, 6));  // ARGS is decoded once: "zebr%61"
}

TEST(WafPrefilter, PooledTransactionsDoNotLeakState) {
  auto rules = Rules(
      "SecRule ARGS:x \"@rx attack\" \"id:1,phase:2,pass,log,setvar:tx.hit=1\"\n"
      "SecRule TX:hit \"@eq 1\" \"id:2,phase:2,deny,status:403\"\n");
  Engine engine(rules);
  for (int i = 0; i < 6; ++i) {
    bool bad = i % 2 == 0;
    Outcome o = RunExchange(engine, Get(bad ? "/?x=attack" : "/?x=fine"));
    EXPECT_EQ(o.disruptive, bad) << i;
  }
}

// TX values are read in place (not copied per rule) and never go through the per-transaction
// transformation cache: a setvar that rewrites a variable with a value of the same length (same
// bytes address) must be seen by the next rule, through the same transformation chain.
TEST(WafSemantics, TxValueRewrittenInPlaceIsSeenByLaterRules) {
  auto rules = Rules(
      "SecAction \"id:1,phase:1,pass,nolog,setvar:tx.a=abc\"\n"
      "SecRule TX:a \"@streq abc\" \"id:2,phase:1,pass,nolog,t:lowercase,setvar:tx.a=xyz\"\n"
      "SecRule TX:a \"@streq xyz\" \"id:3,phase:1,pass,nolog,t:lowercase\"\n"
      "SecRule TX:a \"@streq abc\" \"id:4,phase:1,pass,nolog,t:lowercase\"\n"
      "SecRule TX:a \"@streq xyz\" \"id:5,phase:1,pass,nolog,t:lowercase,setvar:tx.a=+1\"\n"
      "SecRule TX:A \"@eq 1\" \"id:6,phase:1,pass,nolog\"\n");
  Outcome o = Eval(rules, Get("/"));
  EXPECT_TRUE(Has(o.matched_rule_ids, 2));
  EXPECT_TRUE(Has(o.matched_rule_ids, 3));
  EXPECT_FALSE(Has(o.matched_rule_ids, 4));
  EXPECT_TRUE(Has(o.matched_rule_ids, 5));
  EXPECT_TRUE(Has(o.matched_rule_ids, 6));  // "xyz" + 1 = 1, under the upper-case name too
}

// A capturing rule whose target is one of the capture variables overwrites the value it reads.
TEST(WafSemantics, CaptureIntoTheVariableBeingMatched) {
  auto rules = Rules(
      "SecAction \"id:1,phase:1,pass,nolog,setvar:tx.1=key-value-pair\"\n"
      "SecRule TX:1 \"@rx ^(\\w+)-(\\w+)\" \"id:2,phase:1,pass,nolog,capture\"\n"
      "SecRule TX:0 \"@streq key-value\" \"id:3,phase:1,pass,nolog\"\n"
      "SecRule TX:1 \"@streq key\" \"id:4,phase:1,pass,nolog\"\n"
      "SecRule TX:2 \"@streq value\" \"id:5,phase:1,pass,nolog\"\n");
  Outcome o = Eval(rules, Get("/"));
  for (int64_t id : {2, 3, 4, 5}) EXPECT_TRUE(Has(o.matched_rule_ids, id)) << id;
}

// Regex keys over TX: the answer per variable name is remembered across pooled transactions and
// forgotten when the engine's rules are swapped (the regexes' numbering changes).
TEST(WafSemantics, TxRegexKeysAcrossPooledTransactionsAndRuleSwaps) {
  auto first = Rules(
      "SecAction \"id:1,phase:1,pass,nolog,setvar:tx.alpha_one=1,setvar:tx.beta_one=1\"\n"
      "SecRule &TX:/^alpha_/ \"@eq 1\" \"id:2,phase:1,pass,nolog\"\n"
      "SecRule &TX:/^beta_/ \"@eq 1\" \"id:3,phase:1,pass,nolog\"\n");
  auto second = Rules(
      "SecAction \"id:1,phase:1,pass,nolog,setvar:tx.alpha_one=1,setvar:tx.beta_one=1\"\n"
      "SecRule &TX:/^beta_/ \"@eq 1\" \"id:3,phase:1,pass,nolog\"\n"
      "SecRule &TX:/^gamma_/ \"@eq 0\" \"id:4,phase:1,pass,nolog\"\n"
      "SecRule &TX:/^alpha_/ \"@eq 1\" \"id:2,phase:1,pass,nolog\"\n");
  Engine engine(first);
  for (int i = 0; i < 3; ++i) {
    Outcome o = RunExchange(engine, Get("/"));
    EXPECT_TRUE(Has(o.matched_rule_ids, 2) && Has(o.matched_rule_ids, 3)) << i;
  }
  engine.SwapRules(second);
  for (int i = 0; i < 3; ++i) {
    Outcome o = RunExchange(engine, Get("/"));
    for (int64_t id : {2, 3, 4}) EXPECT_TRUE(Has(o.matched_rule_ids, id)) << i << " " << id;
  }
}

// Values over the prefilter's scan limit are checked per rule with memmem of the required
// literals; a caseless literal must still be found in mixed-case content (no t:lowercase), a
// case-sensitive one exactly, and a negated rule must match when the literal is absent.
TEST(WafSemantics, LargeBodyLiteralCheckKeepsRegexVerdicts) {
  auto rules = Rules(
      "SecRule REQUEST_BODY \"@rx (?i)(?:clonetransformer|forclosure|whileclosure)\" "
      "\"id:1,phase:2,pass,t:none\"\n"
      "SecRule REQUEST_BODY \"@rx (?:CloneTransformer|forclosurex|whileclosurey)\" "
      "\"id:2,phase:2,pass,t:none\"\n"
      "SecRule REQUEST_BODY \"@rx (?:clonetransformer|instantiatefactory)\" "
      "\"id:3,phase:2,pass,t:none\"\n"
      "SecRule REQUEST_BODY \"!@rx (?:whileclosure|instantiatefactory)\" "
      "\"id:4,phase:2,pass,t:none\"\n");
  std::string body(40 * 1024, 'q');
  body += " CloneTransformer ";
  body += std::string(40 * 1024, 'Z');
  Outcome o = Eval(rules, Post("/up", "text/plain", body));
  EXPECT_TRUE(Has(o.matched_rule_ids, 1));
  EXPECT_TRUE(Has(o.matched_rule_ids, 2));
  EXPECT_FALSE(Has(o.matched_rule_ids, 3));  // only "CloneTransformer", case-sensitively absent
  EXPECT_TRUE(Has(o.matched_rule_ids, 4));
  // Without the literal nothing positive matches.
  Outcome none = Eval(rules, Post("/up", "text/plain", std::string(80 * 1024, 'q')));
  EXPECT_FALSE(Has(none.matched_rule_ids, 1));
  EXPECT_FALSE(Has(none.matched_rule_ids, 2));
  EXPECT_TRUE(Has(none.matched_rule_ids, 4));
}

// @pm phrases join the shared automaton: a value without any phrase skips the operator. Matches
// stay caseless, a negated @pm matches when no phrase is present, and capture still reports the
// phrase (the operator runs whenever the scan found one).
TEST(WafPrefilter, PmPhrasesInTheSharedAutomatonKeepVerdicts) {
  auto rules = Rules(
      "SecRule ARGS \"@pm passwd shadow\" \"id:1,phase:2,pass,log,t:none\"\n"
      "SecRule ARGS:a \"!@pm needle\" \"id:2,phase:2,pass,log,t:none\"\n"
      "SecRule ARGS:b \"@pm Select\" "
      "\"id:3,phase:2,pass,log,capture,t:none,t:urlDecodeUni,setvar:tx.p=%{TX.0}\"\n"
      "SecRule TX:p \"@streq Select\" \"id:4,phase:2,pass,log\"\n");
  Outcome none = Eval(rules, Get("/?a=haystack&b=hello&c=world"));
  EXPECT_FALSE(Has(none.matched_rule_ids, 1));
  EXPECT_TRUE(Has(none.matched_rule_ids, 2));
  EXPECT_FALSE(Has(none.matched_rule_ids, 3));
  EXPECT_FALSE(Has(none.matched_rule_ids, 4));
  Outcome hit = Eval(rules, Get("/?a=the+NeEdLe&b=x%2553ELECT+1&c=/etc/PassWD"));
  EXPECT_TRUE(Has(hit.matched_rule_ids, 1));
  EXPECT_FALSE(Has(hit.matched_rule_ids, 2));
  EXPECT_TRUE(Has(hit.matched_rule_ids, 3));
  EXPECT_TRUE(Has(hit.matched_rule_ids, 4));
}
}  // namespace
}  // namespace gs::waf
