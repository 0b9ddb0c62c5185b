// The filter adapters driven with a hand-built RequestContext (the gateway's per-request state),
// checking what they hand back to the proxy: local responses, block reasons and audit events.
#include "gateway/policy/filters.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/yaml.h"
#include "gateway/policy/config.h"

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

}  // namespace
}  // namespace gs::gateway::policy
