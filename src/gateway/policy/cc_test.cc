// CC defence with an injected clock: per-IP and per-(IP, path) buckets, isolation between
// clients, bans that start, escalate and expire by themselves, connection caps, slow-client
// thresholds, counters, concurrency, and the memory bound under a spray of 1M addresses.
#include "gateway/policy/cc.h"

#include <gtest/gtest.h>

#include <thread>

namespace gs::gateway::policy {
namespace {

constexpr int64_t kMs = kNanosPerMilli;
constexpr int64_t kSec = kNanosPerSecond;

IpAddress Ip(std::string_view s) { return IpAddress::Parse(s).value(); }

CcOptions Small() {
  CcOptions o;
  o.per_ip = {10, 20};
  o.ban_after_offences = 0;  // bans tested separately
  return o;
}

TEST(CcTest, ClientOverItsRateIsLimitedWhileAnotherKeepsGoing) {
  CcGuard g(Small());
  IpAddress flood = Ip("203.0.113.7"), normal = Ip("198.51.100.9");
  int flood_ok = 0, flood_429 = 0, normal_ok = 0, normal_total = 0;
  int64_t t = 1000 * kSec;
  for (int i = 0; i < 2000; ++i, t += kMs) {  // 1000 req/s for 2 s
    CcDecision d = g.OnRequest(flood, "/", t);
    (d.verdict == CcVerdict::kAllow ? flood_ok : flood_429)++;
    if (d.verdict != CcVerdict::kAllow) {
      EXPECT_EQ(d.status, 429);
      EXPECT_EQ(d.bucket, "ip");
      EXPECT_GT(d.retry_after_ns, 0);
      EXPECT_LE(d.retry_after_ns, kSec / 10);
    }
    if (i % 200 == 0) {  // 5 req/s, under its rate
      ++normal_total;
      if (g.OnRequest(normal, "/", t).verdict == CcVerdict::kAllow) ++normal_ok;
    }
  }
  // Burst 20 plus 10/s for 2 s, within one token of rounding.
  EXPECT_GE(flood_ok, 39);
  EXPECT_LE(flood_ok, 41);
  EXPECT_EQ(flood_429, 2000 - flood_ok);
  EXPECT_EQ(normal_ok, normal_total);
  CcCounters c = g.Counters(t);
  EXPECT_EQ(c.allowed, uint64_t(flood_ok + normal_ok));
  EXPECT_EQ(c.limited, uint64_t(flood_429));
  EXPECT_EQ(c.tracked_clients, 2u);
}

TEST(CcTest, BucketRefillsAtItsRate) {
  CcGuard g(Small());
  IpAddress ip = Ip("192.0.2.1");
  int64_t t = 5 * kSec;
  for (int i = 0; i < 20; ++i) ASSERT_EQ(g.OnRequest(ip, "/", t).verdict, CcVerdict::kAllow);
  CcDecision d = g.OnRequest(ip, "/", t);
  ASSERT_EQ(d.verdict, CcVerdict::kLimited);
  EXPECT_EQ(d.retry_after_ns, 100 * kMs);
  EXPECT_EQ(g.OnRequest(ip, "/", t + 99 * kMs).verdict, CcVerdict::kLimited);
  EXPECT_EQ(g.OnRequest(ip, "/", t + 100 * kMs).verdict, CcVerdict::kAllow);
  EXPECT_EQ(g.OnRequest(ip, "/", t + 100 * kMs).verdict, CcVerdict::kLimited);
  // A long idle period refills to the burst, not beyond.
  int ok = 0;
  for (int i = 0; i < 30; ++i)
    ok += g.OnRequest(ip, "/", t + 3600 * kSec).verdict == CcVerdict::kAllow;
  EXPECT_EQ(ok, 20);
}

TEST(CcTest, PerPathBucketLimitsOnlyThatPath) {
  CcOptions o = Small();
  o.per_path = {{"/login", {1, 3}}};
  CcGuard g(o);
  IpAddress ip = Ip("192.0.2.2");
  int64_t t = kSec;
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(g.OnRequest(ip, "/login?u=a", t).verdict, CcVerdict::kAllow);
  CcDecision d = g.OnRequest(ip, "/login", t);
  EXPECT_EQ(d.verdict, CcVerdict::kLimited);
  EXPECT_EQ(d.bucket, "/login");
  EXPECT_EQ(g.OnRequest(ip, "/index.html", t).verdict, CcVerdict::kAllow);
  EXPECT_EQ(g.OnRequest(Ip("192.0.2.3"), "/login", t).verdict, CcVerdict::kAllow);
  EXPECT_EQ(g.OnRequest(ip, "/login", t + kSec).verdict, CcVerdict::kAllow);
  // Spelling the path differently does not reach a fresh bucket.
  for (const char* trick : {"//login", "/%6cogin", "/x/../login", "/./login?x"}) {
    CcDecision d2 = g.OnRequest(ip, trick, t + kSec);
    EXPECT_EQ(d2.verdict, CcVerdict::kLimited) << trick;
    EXPECT_EQ(d2.bucket, "/login") << trick;
  }
}

TEST(CcTest, BanStartsEscalatesAndExpiresByItself) {
  CcOptions o = Small();
  o.per_ip = {1, 1};
  o.ban_after_offences = 5;
  o.ban_window_ns = 10 * kSec;
  o.ban_duration_ns = 60 * kSec;
  o.ban_escalation = 2;
  o.ban_max_duration_ns = 100 * kSec;
  CcGuard g(o);
  IpAddress ip = Ip("203.0.113.50"), other = Ip("203.0.113.51");
  int64_t t = 100 * kSec;
  ASSERT_EQ(g.OnRequest(ip, "/", t).verdict, CcVerdict::kAllow);
  CcDecision last;
  for (int i = 0; i < 5; ++i) last = g.OnRequest(ip, "/", t);
  EXPECT_TRUE(last.ban_started);
  EXPECT_EQ(last.ban_level, 1u);
  EXPECT_EQ(last.ban_duration_ns, 60 * kSec);
  EXPECT_TRUE(g.IsBanned(ip, t));
  CcDecision banned = g.OnRequest(ip, "/", t + 30 * kSec);
  EXPECT_EQ(banned.verdict, CcVerdict::kBanned);
  EXPECT_EQ(banned.status, 429);
  EXPECT_EQ(banned.retry_after_ns, 30 * kSec);
  EXPECT_EQ(g.OnConnectionOpen(ip, t + 30 * kSec), CcVerdict::kBanned);
  EXPECT_EQ(g.OnRequest(other, "/", t + 30 * kSec).verdict, CcVerdict::kAllow);
  EXPECT_EQ(g.Counters(t + 30 * kSec).active_bans, 1u);
  // No one lifts it: at t + 60 s it is over.
  t += 60 * kSec;
  EXPECT_FALSE(g.IsBanned(ip, t));
  EXPECT_EQ(g.OnRequest(ip, "/", t).verdict, CcVerdict::kAllow);
  EXPECT_EQ(g.Counters(t).active_bans, 0u);
  // Offending again soon: twice as long.
  for (int i = 0; i < 5; ++i) last = g.OnRequest(ip, "/", t);
  EXPECT_TRUE(last.ban_started);
  EXPECT_EQ(last.ban_level, 2u);
  EXPECT_EQ(last.ban_duration_ns, 100 * kSec);  // 120 s capped at max_duration
  EXPECT_EQ(g.OnRequest(ip, "/", t + 99 * kSec).verdict, CcVerdict::kBanned);
  EXPECT_EQ(g.OnRequest(ip, "/", t + 100 * kSec).verdict, CcVerdict::kAllow);
  CcCounters c = g.Counters(t + 100 * kSec);
  EXPECT_EQ(c.bans_started, 2u);
  EXPECT_GE(c.banned, 3u);
}

TEST(CcTest, OffencesOutsideTheWindowDoNotAddUp) {
  CcOptions o = Small();
  o.per_ip = {1, 1};
  o.ban_after_offences = 3;
  o.ban_window_ns = 10 * kSec;
  CcGuard g(o);
  IpAddress ip = Ip("203.0.113.60");
  int64_t t = kSec;
  for (int round = 0; round < 5; ++round, t += 11 * kSec) {
    EXPECT_EQ(g.OnRequest(ip, "/", t).verdict, CcVerdict::kAllow);
    EXPECT_FALSE(g.OnRequest(ip, "/", t).ban_started);  // 1 offence
    EXPECT_FALSE(g.OnRequest(ip, "/", t).ban_started);  // 2 offences
  }
  EXPECT_FALSE(g.IsBanned(ip, t));
  EXPECT_EQ(g.Counters(t).bans_started, 0u);
}

TEST(CcTest, ConnectionCapPerIp) {
  CcOptions o = Small();
  o.max_connections_per_ip = 3;
  CcGuard g(o);
  IpAddress a = Ip("198.51.100.1"), b = Ip("198.51.100.2");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(g.OnConnectionOpen(a, kSec), CcVerdict::kAllow);
  EXPECT_EQ(g.OnConnectionOpen(a, kSec), CcVerdict::kLimited);
  EXPECT_EQ(g.OnConnectionOpen(b, kSec), CcVerdict::kAllow);
  g.OnConnectionClose(a);
  EXPECT_EQ(g.OnConnectionOpen(a, kSec), CcVerdict::kAllow);
  EXPECT_EQ(g.Counters(kSec).connections_refused, 1u);
}

TEST(CcTest, SlowClientThresholds) {
  CcOptions o = Small();
  o.header_timeout_ns = 10 * kSec;
  o.body_grace_ns = 5 * kSec;
  o.body_min_rate = 1000;
  o.ban_after_offences = 40;
  o.slow_offence_weight = 20;
  CcGuard g(o);
  int64_t start = 50 * kSec;
  EXPECT_EQ(g.CheckHeaders(start, start + 10 * kSec - 1), SlowVerdict::kOk);
  EXPECT_EQ(g.CheckHeaders(start, start + 10 * kSec), SlowVerdict::kHeaderTimeout);
  EXPECT_EQ(g.HeaderDeadline(start), start + 10 * kSec);
  EXPECT_EQ(g.CheckBody(start, 0, start + 5 * kSec), SlowVerdict::kOk);  // grace
  EXPECT_EQ(g.CheckBody(start, 5999, start + 6 * kSec), SlowVerdict::kBodyTooSlow);
  EXPECT_EQ(g.CheckBody(start, 6000, start + 6 * kSec), SlowVerdict::kOk);
  IpAddress ip = Ip("203.0.113.80");
  CcDecision d1 = g.ReportSlowClient(ip, SlowVerdict::kHeaderTimeout, start);
  EXPECT_FALSE(d1.ban_started);
  CcDecision d2 = g.ReportSlowClient(ip, SlowVerdict::kBodyTooSlow, start + kSec);
  EXPECT_TRUE(d2.ban_started);  // 2 x weight 20 reaches 40
  EXPECT_TRUE(g.IsBanned(ip, start + kSec));
  CcCounters c = g.Counters(start + kSec);
  EXPECT_EQ(c.slow_headers, 1u);
  EXPECT_EQ(c.slow_bodies, 1u);
}

TEST(CcTest, Ipv6ClientsShareABucketPerSlash64) {
  CcOptions o = Small();
  o.per_ip = {1, 2};
  CcGuard g(o);
  EXPECT_EQ(g.OnRequest(Ip("2001:db8:1:2::1"), "/", kSec).verdict, CcVerdict::kAllow);
  EXPECT_EQ(g.OnRequest(Ip("2001:db8:1:2::ffff"), "/", kSec).verdict, CcVerdict::kAllow);
  EXPECT_EQ(g.OnRequest(Ip("2001:db8:1:2:aaaa::7"), "/", kSec).verdict, CcVerdict::kLimited);
  EXPECT_EQ(g.OnRequest(Ip("2001:db8:1:3::1"), "/", kSec).verdict, CcVerdict::kAllow);
  o.ipv6_prefix_len = 128;
  CcGuard exact(o);
  for (int i = 1; i <= 5; ++i) {
    std::string ip = "2001:db8:1:2::" + std::to_string(i);
    EXPECT_EQ(exact.OnRequest(Ip(ip), "/", kSec).verdict, CcVerdict::kAllow);
  }
}

TEST(CcTest, ExemptNetworksAreNeverLimited) {
  CcOptions o = Small();
  o.per_ip = {1, 1};
  o.exempt = *CidrSet::Parse({"10.0.0.0/8"});
  CcGuard g(o);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(g.OnRequest(Ip("10.1.1.1"), "/", kSec).verdict, CcVerdict::kAllow);
  }
}

TEST(CcTest, MemoryStaysBoundedUnderAMillionAddressesAndBansSurvive) {
  CcOptions o = Small();
  o.per_ip = {1, 1};
  o.ban_after_offences = 2;
  o.ban_duration_ns = 3600 * kSec;
  o.max_tracked_clients = 65536;
  CcGuard g(o);
  IpAddress attacker = Ip("2001:db8::bad");
  int64_t t = kSec;
  for (int i = 0; i < 3; ++i) g.OnRequest(attacker, "/", t);
  ASSERT_TRUE(g.IsBanned(attacker, t));
  size_t empty_bytes = g.MemoryBytes();
  for (uint32_t i = 0; i < 1'000'000; ++i) {
    t += 1000;  // 1 µs apart
    ASSERT_EQ(g.OnRequest(IpAddress::FromV4(0x0B000000u + i), "/", t).verdict, CcVerdict::kAllow);
  }
  CcCounters c = g.Counters(t);
  EXPECT_LE(c.tracked_clients, 65536u);
  EXPECT_GE(c.tracked_clients, 60000u);  // the table is used, not emptied
  EXPECT_GE(c.evictions, 1'000'000u - 65536u);
  // ~100 B per tracked client plus the index; far below what 1M clients would take.
  size_t bytes = g.MemoryBytes();
  EXPECT_LE(bytes, empty_bytes + 65536u * 160u);
  EXPECT_TRUE(g.IsBanned(attacker, t));  // eviction spared the banned client
  EXPECT_EQ(g.OnRequest(attacker, "/", t).verdict, CcVerdict::kBanned);
}

TEST(CcTest, ConcurrentCountsAddUp) {
  CcOptions o = Small();
  o.per_ip = {1000, 1000};
  CcGuard g(o);
  constexpr int kThreads = 4, kPer = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPer; ++i) {
        IpAddress ip = i % 2 ? Ip("192.0.2.200") : IpAddress::FromV4(0x0C000000u + t * kPer + i);
        g.OnRequest(ip, "/", kSec);
      }
    });
  }
  for (auto& th : threads) th.join();
  CcCounters c = g.Counters(kSec);
  EXPECT_EQ(c.allowed + c.limited, uint64_t(kThreads * kPer));
  // The shared address had kThreads*kPer/2 requests at one instant and a burst of 1000.
  EXPECT_EQ(c.limited, uint64_t(kThreads * kPer / 2 - 1000));
}

TEST(CcTest, PrometheusTextCarriesTheCounters) {
  CcOptions o = Small();
  o.per_ip = {1, 1};
  CcGuard g(o);
  g.OnRequest(Ip("192.0.2.9"), "/", kSec);
  g.OnRequest(Ip("192.0.2.9"), "/", kSec);
  g.OnRequest(Ip("192.0.2.9"), "/", kSec);
  std::string text;
  g.AppendPrometheus("www.\"gov\".cn", kSec, &text);
  EXPECT_NE(text.find("govshield_cc_requests_total{site=\"www.gov.cn\",result=\"allowed\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("govshield_cc_requests_total{site=\"www.gov.cn\",result=\"limited\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE govshield_cc_active_bans gauge"), std::string::npos);
  EXPECT_NE(text.find("govshield_cc_tracked_clients{site=\"www.gov.cn\"} 1\n"), std::string::npos);
}

}  // namespace
}  // namespace gs::gateway::policy
