// The filter adapters driven with a hand-built RequestContext (the gateway's per-request state),
// checking what they hand back to the proxy: local responses, block reasons and audit events.
#include "gateway/policy/filters.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/yaml.h"
#include "gateway/policy/config.h"
#include "platform/file.h"
#include "testlib/temp_dir.h"

namespace gs::gateway::policy {
namespace {

std::shared_ptr<const AccessPolicy> Policy() {
  config::Diagnostics diags("t.yaml");
  auto root = config::ParseYaml(R"(
access:
  policies:
    - {name: admin, prefix: /admin, type: staff_only, cidrs: [10.0.0.0/8]}
    - name: svc
      prefix: /services/
      type: domestic_only
      whitelist:
        - {name: acct, account: {source: header, name: X-Acct, values: [li]}, expires: 2027-01-01}
)",
                                {}, &diags);
  auto geo = *CountryTable::FromTexts({"apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"});
  return std::make_shared<const AccessPolicy>(
      *ParseAccessPolicy(*root->Find("access")->value, "t.yaml", geo));
}

struct Ctx {
  ConnectionInfo conn;
  ManualTimeSource clock{ParseRfc3339("2026-11-25T04:00:00Z").value()};
  RequestContext ctx;
  Ctx(std::string ip, std::string path) {
    conn.client_ip = std::move(ip);
    ctx.connection = &conn;
    ctx.time = &clock;
    ctx.site = "demo";
    ctx.request.path = std::move(path);
    ctx.request.method = "GET";
  }
};

nlohmann::json EventJson(const FilterEvent& e) {
  return nlohmann::json::parse("{" + e.fields_json + "}");
}

TEST(AccessFilterTest, DenyFillsBlockPageAndEvent) {
  auto f = MakeAccessFilterFactory(Policy(), {"示例政府网站", ""});
  EXPECT_EQ(f->name(), "access");
  Ctx c("8.8.8.8", "/admin/users");
  auto filter = f->Create();
  EXPECT_EQ(filter->OnRequestHeaders(c.ctx), FilterStatus::kStopWithResponse);
  EXPECT_EQ(c.ctx.local_response.status, 403);
  EXPECT_EQ(c.ctx.local_response.content_type, "text/html; charset=utf-8");
  EXPECT_NE(c.ctx.local_response.body.find("访问被拒绝"), std::string::npos);
  EXPECT_EQ(c.ctx.blocked_by, "access");
  EXPECT_EQ(c.ctx.block_reason, "staff_refused");
  ASSERT_EQ(c.ctx.events.size(), 1u);
  EXPECT_EQ(c.ctx.events[0].type, "access_control");
  auto j = EventJson(c.ctx.events[0]);
  EXPECT_EQ(j["decision"], "deny");
  EXPECT_EQ(j["policy"], "admin");
  EXPECT_FALSE(j.contains("ts"));  // the gateway adds the common fields
  const std::string* incident = c.ctx.local_response.headers.Get("X-GovShield-Incident");
  ASSERT_NE(incident, nullptr);
  EXPECT_EQ(j["incident"], *incident);
  EXPECT_NE(c.ctx.local_response.body.find(*incident), std::string::npos);
}

TEST(AccessFilterTest, AllowsWithEventAndUnselectedPathsWithout) {
  auto f = MakeAccessFilterFactory(Policy());
  Ctx staff("10.3.3.3", "/admin/");
  EXPECT_EQ(f->Create()->OnRequestHeaders(staff.ctx), FilterStatus::kContinue);
  ASSERT_EQ(staff.ctx.events.size(), 1u);
  EXPECT_EQ(EventJson(staff.ctx.events[0])["decision"], "allow");
  Ctx plain("8.8.8.8", "/index.html");
  EXPECT_EQ(f->Create()->OnRequestHeaders(plain.ctx), FilterStatus::kContinue);
  EXPECT_TRUE(plain.ctx.events.empty());
  Ctx acct("8.8.8.8", "/services/x");
  acct.ctx.request.headers.Add("x-acct", "li");
  EXPECT_EQ(f->Create()->OnRequestHeaders(acct.ctx), FilterStatus::kContinue);
  EXPECT_EQ(EventJson(acct.ctx.events.at(0))["rule"], "acct");
}

TEST(CcFilterTest, RateLimitBanAndSlowBody) {
  CcOptions o;
  o.per_ip = {1, 2};
  o.ban_after_offences = 3;
  o.body_grace_ns = kNanosPerSecond;
  o.body_min_rate = 100;
  auto guard = std::make_shared<CcGuard>(o);
  ManualTimeSource clock(1000 * kNanosPerSecond);
  auto f = MakeCcFilterFactory(guard, {}, &clock);
  EXPECT_EQ(f->name(), "cc");
  ASSERT_NE(f->connection_filter(), nullptr);
  auto run = [&](const char* ip) {
    auto c = std::make_unique<Ctx>(ip, "/");
    c->ctx.time = &clock;
    f->Create()->OnRequestHeaders(c->ctx);
    return c;
  };
  EXPECT_EQ(run("192.0.2.1")->ctx.local_response.body, "");
  run("192.0.2.1");
  auto limited = run("192.0.2.1");
  EXPECT_EQ(limited->ctx.local_response.status, 429);
  EXPECT_EQ(limited->ctx.blocked_by, "cc");
  EXPECT_EQ(limited->ctx.block_reason, "rate");
  ASSERT_NE(limited->ctx.local_response.headers.Get("Retry-After"), nullptr);
  EXPECT_EQ(*limited->ctx.local_response.headers.Get("Retry-After"), "1");
  run("192.0.2.1");
  auto ban = run("192.0.2.1");  // third offence
  ASSERT_EQ(ban->ctx.events.size(), 1u);
  EXPECT_EQ(ban->ctx.events[0].type, "cc_ban");
  EXPECT_EQ(EventJson(ban->ctx.events[0])["ban_level"], 1);
  auto banned = run("192.0.2.1");
  EXPECT_EQ(banned->ctx.block_reason, "banned");
  ConnectionInfo conn;
  conn.client_ip = "192.0.2.1";
  EXPECT_FALSE(f->OnAccept(conn));
  conn.client_ip = "192.0.2.2";
  EXPECT_TRUE(f->OnAccept(conn));
  f->OnClose(conn);

  // Slow POST: 50 bytes after 2 s is below 100 B/s once the 1 s grace is over.
  Ctx post("192.0.2.3", "/upload");
  post.ctx.time = &clock;
  auto filter = f->Create();
  ASSERT_EQ(filter->OnRequestHeaders(post.ctx), FilterStatus::kContinue);
  clock.Advance(kNanosPerSecond / 2);
  post.ctx.request_body_bytes = 10;
  EXPECT_EQ(filter->OnRequestBody(post.ctx, "0123456789", false), FilterStatus::kContinue);
  clock.Advance(3 * kNanosPerSecond / 2);
  post.ctx.request_body_bytes = 50;
  EXPECT_EQ(filter->OnRequestBody(post.ctx, std::string(40, 'x'), false),
            FilterStatus::kStopWithResponse);
  EXPECT_EQ(post.ctx.local_response.status, 408);
  EXPECT_TRUE(post.ctx.local_response.close_connection);
  ASSERT_FALSE(post.ctx.events.empty());
  EXPECT_EQ(post.ctx.events[0].type, "cc_slow_client");
  EXPECT_EQ(guard->Counters(clock.MonotonicNanos()).slow_bodies, 1u);
}

std::shared_ptr<const config::Node> Yaml(std::string_view text, const std::string& file) {
  config::Diagnostics diags(file);
  auto root = config::ParseYaml(text, {}, &diags);
  EXPECT_TRUE(diags.empty()) << diags.ToStatus().ToString();
  return root;
}

TEST(PolicyBuilderTest, BuildsFiltersAndKeepsStateAcrossReloads) {
  gs::testing::TempDir dir;
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/delegated.txt",
                                        "apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n")
                  .ok());
  std::string file = dir.path() + "/govshield.yaml";
  auto root = Yaml(R"(
geo:
  delegated: [delegated.txt]
access:
  policies:
    - {name: svc, prefix: /, type: domestic_only}
cc:
  per_ip: {rate: 1, burst: 1}
  ban: {after_offences: 1}
)",
                   file);
  ManualTimeSource clock(1000 * kNanosPerSecond);
  PolicyBuilder builder;
  SitePolicyInput in{"www",
                     root->Find("geo")->value.get(),
                     root->Find("access")->value.get(),
                     root->Find("cc")->value.get(),
                     file,
                     &clock,
                     {}};
  auto filters = builder.Build(in);
  ASSERT_TRUE(filters.ok()) << filters.status().ToString();
  ASSERT_EQ(filters->size(), 2u);
  EXPECT_EQ((*filters)[0].stage, FilterStage::kAccessControl);
  EXPECT_EQ((*filters)[1].stage, FilterStage::kRateLimit);
  // The relative geo path resolved against the config file: a CN client passes.
  Ctx cn("1.0.1.1", "/x");
  EXPECT_EQ((*filters)[0].factory->Create()->OnRequestHeaders(cn.ctx), FilterStatus::kContinue);
  Ctx us("8.8.8.8", "/x");
  EXPECT_EQ((*filters)[0].factory->Create()->OnRequestHeaders(us.ctx),
            FilterStatus::kStopWithResponse);

  auto* cc = static_cast<CcFilterFactory*>((*filters)[1].factory.get());
  IpAddress ip = *IpAddress::Parse("192.0.2.1");
  cc->guard().OnRequest(ip, "/", clock.MonotonicNanos());
  cc->guard().OnRequest(ip, "/", clock.MonotonicNanos());  // limited -> banned
  ASSERT_TRUE(cc->guard().IsBanned(ip, clock.MonotonicNanos()));

  // Reload with the same cc section (re-parsed text): the ban survives.
  auto root2 = Yaml(R"(
geo: {delegated: [delegated.txt]}
access: {policies: [{name: svc, prefix: /, type: domestic_only}]}
cc:
  per_ip: {rate: 1, burst: 1}
  ban: {after_offences: 1}
)",
                    file);
  SitePolicyInput in2{"www",
                      root2->Find("geo")->value.get(),
                      root2->Find("access")->value.get(),
                      root2->Find("cc")->value.get(),
                      file,
                      &clock,
                      {}};
  auto again = builder.Build(in2);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto* cc2 = static_cast<CcFilterFactory*>((*again)[1].factory.get());
  EXPECT_EQ(&cc2->guard(), &cc->guard());
  EXPECT_TRUE(cc2->guard().IsBanned(ip, clock.MonotonicNanos()));

  // A changed cc section starts fresh.
  auto root3 = Yaml("cc:\n  per_ip: {rate: 2, burst: 1}\n", file);
  SitePolicyInput in3{"www", nullptr, nullptr, root3->Find("cc")->value.get(), file, &clock, {}};
  auto changed = builder.Build(in3);
  ASSERT_TRUE(changed.ok());
  ASSERT_EQ(changed->size(), 1u);
  auto* cc3 = static_cast<CcFilterFactory*>((*changed)[0].factory.get());
  EXPECT_FALSE(cc3->guard().IsBanned(ip, clock.MonotonicNanos()));
}

TEST(PolicyBuilderTest, ErrorsNameFileAndLine) {
  std::string file = "/etc/govshield/govshield.yaml";
  auto root = Yaml(
      "access:\n  policies:\n    - {name: a, prefix: /a, type: staff_only, cidrs: [300.0.0.0/8]}\n",
      file);
  PolicyBuilder builder;
  auto r = builder.Build(
      {"www", nullptr, root->Find("access")->value.get(), nullptr, file, nullptr, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("govshield.yaml:3:"), std::string::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().message().find("gateway.sites.www.access"), std::string::npos);
  auto dom = Yaml("access:\n  policies: [{name: d, prefix: /, type: domestic_only}]\n", file);
  auto d =
      builder.Build({"www", nullptr, dom->Find("access")->value.get(), nullptr, file, nullptr, {}});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(SameConfig(
      *dom, *Yaml("access:\n  policies: [{name: d, prefix: /, type: domestic_only}]\n", "x")));
  EXPECT_FALSE(SameConfig(
      *dom, *Yaml("access:\n  policies: [{name: d, prefix: /x, type: domestic_only}]\n", "x")));
}

}  // namespace
}  // namespace gs::gateway::policy
