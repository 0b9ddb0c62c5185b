// Access control and CC defence through the real gateway on loopback (acceptance 3 and 4 of the
// gateway issue): clients bind distinct 127.0.0.x source addresses so the gateway sees
// different client IPs; a delegated-stats file maps some of them to CN and others abroad; the
// gateway runs with an injected clock; records are read back from a real audit store.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gateway/policy/config.h"
#include "gateway/policy/filters.h"
#include "tests/integration/gateway_test_util.h"

namespace gs::gateway::policy {
namespace {

using gateway::testing::GatewayFixture;
using gateway::testing::OneSiteSpec;
using gateway::testing::ReadUntil;
using gateway::testing::ReadUntilClose;
using gateway::testing::RecordingUpstream;
using gateway::testing::SendAll;
using gateway::testing::StatusOf;

// A TCP connection to the gateway from source address `src` (any 127.0.0.0/8 address works on
// Linux without configuration).
int ConnectFrom(const char* src, uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, src, &local.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
    close(fd);
    return -1;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

std::string Get(const char* src, uint16_t port, const std::string& path) {
  int fd = ConnectFrom(src, port);
  if (fd < 0) return "<connect failed>";
  SendAll(fd, "GET " + path + " HTTP/1.1\r\nHost: www.example.gov.cn\r\nConnection: close\r\n\r\n");
  std::string r = ReadUntilClose(fd, 1500);
  close(fd);
  return r;
}

std::string HeaderValue(const std::string& resp, const std::string& name) {
  size_t p = resp.find("\r\n" + name + ": ");
  if (p == std::string::npos) return {};
  p += name.size() + 4;
  return resp.substr(p, resp.find("\r\n", p) - p);
}

// 127.0.0.0/24 is "abroad" (US), 127.0.1.0/24 is "China".
constexpr char kGeo[] =
    "arin|US|ipv4|127.0.0.0|256|20200101|allocated\n"
    "apnic|CN|ipv4|127.0.1.0|256|20200101|allocated\n";

constexpr char kAccess[] = R"(
access:
  policies:
    - name: admin
      prefix: /admin
      type: staff_only
      cidrs: [127.0.2.0/24]
    - name: services
      prefix: /services/
      type: domestic_only
      whitelist:
        - name: overseas-office
          cidrs: [127.0.0.5/32]
          start: 2026-12-01T09:00:00+08:00
          end: 2026-12-31T18:00:00+08:00
          expires: 2026-12-10T00:00:00+08:00
)";

TEST(GatewayPolicyIntegration, AccessControlThroughTheGateway) {
  RecordingUpstream up;
  ManualTimeSource clock(ParseRfc3339("2026-11-30T00:00:00Z").value());
  config::Diagnostics diags("site.yaml");
  auto root = config::ParseYaml(kAccess, {}, &diags);
  ASSERT_NE(root, nullptr);
  auto geo = CountryTable::FromTexts({kGeo});
  ASSERT_TRUE(geo.ok());
  auto policy = ParseAccessPolicy(*root->Find("access")->value, "site.yaml", *geo);
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();

  GatewaySpec spec = OneSiteSpec(up.port());
  spec.sites[0].extra_filters.push_back(
      {FilterStage::kAccessControl,
       MakeAccessFilterFactory(std::make_shared<const AccessPolicy>(*policy), {"demo", ""})});
  // GatewayFixture has no clock parameter; build the gateway here with the injected clock.
  gs::testing::TempDir dir;
  std::string key = dir.path() + "/key.pem", store_dir = dir.path() + "/store";
  ASSERT_TRUE(
      platform::WriteFileAtomic(key, *crypto::Sm2PrivateKey::Generate()->ToPem(), 0600).ok());
  ASSERT_TRUE(audit::InitStore(store_dir, key, audit::StoreOptions{}).ok());
  auto store = audit::AuditStore::Open(store_dir);
  ASSERT_TRUE(store.ok());
  auto rt = BuildRuntime(spec);
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  GatewayDeps deps;
  deps.audit_sink = store->get();
  deps.time = &clock;
  auto gw = Gateway::Start(*rt, deps);
  ASSERT_TRUE(gw.ok()) << gw.status().ToString();
  uint16_t port = (*gw)->ports()[0];

  // Staff path from a refused CIDR: 403 with the bilingual page; from the staff CIDR: 200.
  std::string refused = Get("127.0.0.1", port, "/admin/index.html");
  EXPECT_EQ(StatusOf(refused), 403) << refused;
  EXPECT_NE(refused.find("访问被拒绝"), std::string::npos);
  EXPECT_NE(refused.find("Access denied"), std::string::npos);
  std::string incident = HeaderValue(refused, "X-GovShield-Incident");
  EXPECT_FALSE(incident.empty());
  EXPECT_EQ(StatusOf(Get("127.0.2.9", port, "/admin/index.html")), 200);
  EXPECT_EQ(StatusOf(Get("127.0.0.1", port, "/index.html")), 200);  // no policy

  // Overseas whitelist entry: before its window, in it, after its expiry (window still open).
  EXPECT_EQ(StatusOf(Get("127.0.0.5", port, "/services/apply")), 403);
  clock.Set(ParseRfc3339("2026-12-01T01:00:00Z").value());  // 09:00 Beijing
  EXPECT_EQ(StatusOf(Get("127.0.0.5", port, "/services/apply")), 200);
  EXPECT_EQ(StatusOf(Get("127.0.0.6", port, "/services/apply")), 403);  // not the entry's address
  EXPECT_EQ(StatusOf(Get("127.0.1.6", port, "/services/apply")), 200);  // domestic
  clock.Set(ParseRfc3339("2026-12-09T16:00:00Z").value());              // the entry's expiry
  EXPECT_EQ(StatusOf(Get("127.0.0.5", port, "/services/apply")), 403);
  int upstream_requests = up.requests();

  (*gw)->Stop();
  ASSERT_TRUE((*store)->Sync().ok());
  std::vector<nlohmann::json> events;
  audit::QueryFilter qf;
  qf.type = "access_control";
  ASSERT_TRUE(audit::QueryStore(store_dir, qf, [&](const audit::StoredRecord& r) {
                events.push_back(nlohmann::json::parse(r.json));
                return true;
              }).ok());
  // Every policy decision (7 of the 8 requests; /index.html matched no policy) is recorded.
  ASSERT_EQ(events.size(), 7u);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : events) got.emplace_back(e["decision"], e["reason"]);
  std::vector<std::pair<std::string, std::string>> want = {
      {"deny", "staff_refused"},    {"allow", "staff_cidr"},      {"deny", "outside_window"},
      {"allow", "whitelisted"},     {"deny", "overseas_refused"}, {"allow", "domestic"},
      {"deny", "whitelist_expired"}};
  // Records are written by a background thread in submission order (one worker).
  EXPECT_EQ(got, want);
  EXPECT_EQ(events[0]["incident"], incident);
  EXPECT_EQ(events[0]["client_ip"], "127.0.0.1");
  EXPECT_EQ(events[0]["site"], "demo");
  EXPECT_EQ(events[3]["country"], "US");
  EXPECT_EQ(events[3]["rule"], "overseas-office");
  EXPECT_EQ(events[6]["ts"], "2026-12-09T16:00:00Z");  // the injected clock
  // Refused requests never reached the upstream: 3 allowed by a policy + /index.html.
  EXPECT_EQ(upstream_requests, 4);
}

TEST(GatewayPolicyIntegration, CcLimitsTheFloodingClientOnly) {
  RecordingUpstream up;
  CcOptions o;
  o.per_ip = {50, 50};
  o.ban_after_offences = 0;
  auto guard = std::make_shared<CcGuard>(o);
  GatewaySpec spec = OneSiteSpec(up.port());
  spec.sites[0].extra_filters.push_back(
      {FilterStage::kRateLimit, MakeCcFilterFactory(guard, {}, &SystemTime())});
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();

  // The flooder sends 600 keep-alive requests as fast as it can; four normal clients each send
  // 40 requests spread over the same time (well under 50/s). Normal clients must keep >= 95%.
  std::atomic<int> flood_ok{0}, flood_429{0};
  std::thread flooder([&] {
    int fd = ConnectFrom("127.0.0.10", f.port());
    ASSERT_GE(fd, 0);
    for (int i = 0; i < 600; ++i) {
      SendAll(fd, "GET /search?q=" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      std::string r = ReadUntil(fd, [](const std::string& s) {
        size_t h = s.find("\r\n\r\n");
        if (h == std::string::npos) return false;
        size_t cl = s.find("Content-Length: ");
        if (cl == std::string::npos || cl > h) return false;
        return s.size() >= h + 4 + std::stoul(s.substr(cl + 16));
      });
      int st = StatusOf(r);
      if (st == 200) ++flood_ok;
      if (st == 429) {
        ++flood_429;
        EXPECT_FALSE(HeaderValue(r, "Retry-After").empty());
      }
    }
    close(fd);
  });
  std::atomic<int> normal_ok{0}, normal_total{0};
  std::vector<std::thread> normals;
  for (int c = 0; c < 4; ++c) {
    normals.emplace_back([&, c] {
      std::string src = "127.0.0." + std::to_string(20 + c);
      for (int i = 0; i < 40; ++i) {
        ++normal_total;
        if (StatusOf(Get(src.c_str(), f.port(), "/index.html")) == 200) ++normal_ok;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
    });
  }
  flooder.join();
  for (auto& t : normals) t.join();
  EXPECT_GT(flood_429.load(), 0);
  EXPECT_EQ(flood_ok + flood_429, 600);
  EXPECT_GE(normal_ok.load() * 100, normal_total.load() * 95) << normal_ok << "/" << normal_total;
  CcCounters c = guard->Counters(SystemTime().MonotonicNanos());
  EXPECT_EQ(c.limited, uint64_t(flood_429.load()));
  // The access records carry the refusals.
  size_t cc_blocked = 0;
  for (const auto& r : f.Records("access")) {
    if (r.find("\"blocked_by\":\"cc\"") != std::string::npos) ++cc_blocked;
  }
  EXPECT_EQ(cc_blocked, size_t(flood_429.load()));
}

TEST(GatewayPolicyIntegration, FiveHundredSlowlorisConnectionsDoNotStopNormalClients) {
  RecordingUpstream up;
  CcOptions o;
  o.max_connections_per_ip = 64;
  auto guard = std::make_shared<CcGuard>(o);
  GatewaySpec spec = OneSiteSpec(up.port());
  spec.sites[0].extra_filters.push_back(
      {FilterStage::kRateLimit, MakeCcFilterFactory(guard, {}, &SystemTime())});
  GatewayFixture f(spec);
  ASSERT_TRUE(f.ok()) << f.error();
  // 500 connections that send half a request head and then nothing: 300 from one address
  // (the cap keeps 64 of them), 200 spread over 10 addresses (all accepted).
  std::vector<int> slow;
  for (int i = 0; i < 500; ++i) {
    std::string src = i < 300 ? "127.0.0.30" : "127.0.0." + std::to_string(40 + i % 10);
    int fd = ConnectFrom(src.c_str(), f.port());
    if (fd < 0) continue;
    SendAll(fd, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    slow.push_back(fd);
  }
  EXPECT_EQ(slow.size(), 500u);
  int ok = 0;
  for (int i = 0; i < 50; ++i) {
    if (StatusOf(Get("127.0.0.99", f.port(), "/page" + std::to_string(i))) == 200) ++ok;
  }
  EXPECT_EQ(ok, 50);
  // The connections over the cap were closed by the gateway at accept (EOF, or a reset because
  // their unread bytes were discarded); the rest are still open, waiting.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int closed_by_gateway = 0;
  for (int fd : slow) {
    char b;
    ssize_t n = recv(fd, &b, 1, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) ++closed_by_gateway;
  }
  EXPECT_EQ(closed_by_gateway, 300 - 64);
  // Each refusal is an offence of weight slow_offence_weight (20): after 10 refusals the
  // address is banned (200 offences) and later connections are refused as banned.
  CcCounters c = guard->Counters(SystemTime().MonotonicNanos());
  EXPECT_EQ(c.connections_refused, 10u);
  EXPECT_EQ(c.connections_refused + c.banned, 300u - 64u);
  EXPECT_TRUE(guard->IsBanned(*IpAddress::Parse("127.0.0.30"), SystemTime().MonotonicNanos()));
  EXPECT_FALSE(guard->IsBanned(*IpAddress::Parse("127.0.0.99"), SystemTime().MonotonicNanos()));
  for (int fd : slow) close(fd);
}

}  // namespace
}  // namespace gs::gateway::policy
