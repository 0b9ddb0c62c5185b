// Block pages: status codes, bilingual content order, no reflected input, safe headers;
// incident ids unique and time-sortable across threads.
#include "gateway/policy/block_page.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

namespace gs::gateway::policy {
namespace {

const UnixNanos kNow = ParseRfc3339("2026-11-25T03:24:00.123Z").value();

std::string Header(const BlockResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

TEST(BlockPageTest, AccessDeniedIsBilingual403ChineseFirst) {
  IncidentIdGenerator gen;
  std::string id = gen.Next(kNow);
  BlockResponse r = RenderBlockPage(BlockKind::kAccessDenied, id, kNow);
  EXPECT_EQ(r.status, 403);
  size_t zh = r.body.find("访问被拒绝");
  size_t en = r.body.find("Access denied");
  ASSERT_NE(zh, std::string::npos);
  ASSERT_NE(en, std::string::npos);
  EXPECT_LT(zh, en);
  EXPECT_NE(r.body.find("事件编号"), std::string::npos);
  EXPECT_NE(r.body.find("Incident ID"), std::string::npos);
  EXPECT_NE(r.body.find(id), std::string::npos);
  EXPECT_NE(r.body.find("2026-11-25 11:24:00"), std::string::npos);  // Beijing time
  EXPECT_EQ(Header(r, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(r, "X-GovShield-Incident"), id);
  EXPECT_EQ(Header(r, "Retry-After"), "");
}

TEST(BlockPageTest, RateLimitAndBanAre429WithRetryAfter) {
  BlockResponse r = RenderBlockPage(BlockKind::kRateLimited, "x-1", kNow, {}, 1'500'000'000);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(Header(r, "Retry-After"), "2");
  EXPECT_NE(r.body.find("访问过于频繁"), std::string::npos);
  BlockResponse b = RenderBlockPage(BlockKind::kBanned, "x-2", kNow, {}, 60 * kNanosPerSecond);
  EXPECT_EQ(b.status, 429);
  EXPECT_EQ(Header(b, "Retry-After"), "60");
}

TEST(BlockPageTest, NothingHostileReachesThePage) {
  BlockPageOptions opt{"<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>"};
  std::string evil_id = "abc<script>\r\nSet-Cookie: x=1";
  BlockResponse r = RenderBlockPage(BlockKind::kAccessDenied, evil_id, kNow, opt);
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
  EXPECT_EQ(r.body.find("<img"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;script&gt;"), std::string::npos);
  for (const auto& [k, v] : r.headers) {
    EXPECT_EQ(v.find_first_of("\r\n<>"), std::string::npos) << k;
  }
  EXPECT_EQ(Header(r, "X-GovShield-Incident"), "abcscriptSet-Cookiex1");
}

TEST(BlockPageTest, IncidentIdsUniqueAndSortable) {
  IncidentIdGenerator gen;
  std::regex shape("^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{12}$");
  std::mutex mu;
  std::set<std::string> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 5000; ++i) mine.push_back(gen.Next(kNow));
      std::lock_guard<std::mutex> lock(mu);
      all.insert(mine.begin(), mine.end());
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(all.size(), 20000u);
  EXPECT_TRUE(std::regex_match(*all.begin(), shape)) << *all.begin();
  std::string a = gen.Next(kNow), b = gen.Next(kNow + kNanosPerMilli),
              c = gen.Next(kNow + 86400 * kNanosPerSecond);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(a.substr(0, 19), "20261125T032400123Z");
  IncidentIdGenerator other;  // another process/instance: different random part
  EXPECT_NE(other.Next(kNow).substr(24), gen.Next(kNow).substr(24));
}

}  // namespace
}  // namespace gs::gateway::policy
