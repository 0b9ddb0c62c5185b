// Config binding for access/cc/geo: defaults, full sections, and errors that point at
// FILE:LINE:COL for every kind of mistake an operator is likely to make.
#include "gateway/policy/config.h"

#include <gtest/gtest.h>

#include "config/yaml.h"
#include "platform/file.h"
#include "testlib/temp_dir.h"

namespace gs::gateway::policy {
namespace {

std::shared_ptr<const config::Node> Root(std::string_view yaml) {
  config::Diagnostics diags("site.yaml");
  auto root = config::ParseYaml(yaml, {}, &diags);
  EXPECT_TRUE(diags.empty()) << diags.ToStatus().ToString();
  return root;
}

std::shared_ptr<const CountryLookup> Geo() {
  return *CountryTable::FromTexts({"apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"});
}

Status AccessError(std::string_view yaml) {
  auto root = Root(yaml);
  auto p = ParseAccessPolicy(*root->Find("access")->value, "site.yaml", Geo());
  return p.ok() ? Status::Ok() : p.status();
}

TEST(PolicyConfigTest, CcSectionWithEveryKey) {
  auto root = Root(R"(
cc:
  per_ip: {rate: 20, burst: 40}
  per_path:
    - {prefix: /login, rate: 0.5, burst: 5}
  max_connections_per_ip: 32
  header_timeout: 8s
  body_grace: 3s
  body_min_rate: 512
  ban:
    after_offences: 100
    window: 20s
    slow_offence_weight: 10
    duration: 2m
    escalation: 3
    max_duration: 6h
    forget_after: 12h
  max_tracked_clients: 100000
  exempt: [10.0.0.0/8]
)");
  auto o = ParseCcOptions(*root->Find("cc")->value, "site.yaml");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->per_ip.rate, 20);
  EXPECT_EQ(o->per_ip.burst, 40);
  ASSERT_EQ(o->per_path.size(), 1u);
  EXPECT_EQ(o->per_path[0].prefix, "/login");
  EXPECT_EQ(o->per_path[0].bucket.rate, 0.5);
  EXPECT_EQ(o->max_connections_per_ip, 32);
  EXPECT_EQ(o->header_timeout_ns, 8 * kNanosPerSecond);
  EXPECT_EQ(o->body_grace_ns, 3 * kNanosPerSecond);
  EXPECT_EQ(o->body_min_rate, 512);
  EXPECT_EQ(o->ban_after_offences, 100);
  EXPECT_EQ(o->ban_window_ns, 20 * kNanosPerSecond);
  EXPECT_EQ(o->ban_duration_ns, 120 * kNanosPerSecond);
  EXPECT_EQ(o->ban_escalation, 3);
  EXPECT_EQ(o->ban_max_duration_ns, 6 * 3600 * kNanosPerSecond);
  EXPECT_EQ(o->max_tracked_clients, 100000u);
  EXPECT_TRUE(o->exempt.Contains(*IpAddress::Parse("10.2.3.4")));
}

TEST(PolicyConfigTest, CcErrorsPointAtTheLine) {
  auto root = Root("cc:\n  per_ip: {rate: 5, burst: 0.5}\n  header_timeout: 10\n  bann: {}\n");
  auto o = ParseCcOptions(*root->Find("cc")->value, "site.yaml");
  ASSERT_FALSE(o.ok());
  std::string msg(o.status().message());
  EXPECT_NE(msg.find("site.yaml:2:"), std::string::npos) << msg;  // burst < 1
  EXPECT_NE(msg.find("site.yaml:3:"), std::string::npos) << msg;  // duration without unit
  EXPECT_NE(msg.find("site.yaml:4:"), std::string::npos) << msg;  // unknown key
  EXPECT_NE(msg.find("ban"), std::string::npos) << msg;           // did-you-mean
}

TEST(PolicyConfigTest, AccessErrorsPointAtTheLine) {
  struct Case {
    const char* yaml;
    const char* where;
    const char* what;
  } cases[] = {
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: staff_only\n"
       "      cidrs: [10.0.0.1/8]\n",
       "site.yaml:6:", "host bits"},
      {"access:\n  policies:\n    - name: a\n      regex: '(unclosed'\n      type: staff_only\n"
       "      cidrs: [10.0.0.0/8]\n",
       "site.yaml:4:", "regex"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      regex: /b\n"
       "      type: staff_only\n      cidrs: [10.0.0.0/8]\n",
       "site.yaml:5:", "exactly one"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: staff_only\n",
       "site.yaml:5:", "staff_only needs"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: domestic_only\n"
       "      whitelist:\n        - name: w\n          expires: 2027-01-01\n",
       "site.yaml:7:", "binds the exception to nothing"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: domestic_only\n"
       "      whitelist:\n        - name: w\n          daily: '25:00-26:00'\n"
       "          expires: 2027-01-01\n",
       "site.yaml:8:", "daily"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: domestic_only\n"
       "      whitelist:\n        - name: w\n          daily: '08:00-18:00'\n",
       "site.yaml:7:", "expires"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: domestic_only\n"
       "      whitelist:\n        - name: w\n          expires: next tuesday\n"
       "          devices: [abc]\n",
       "site.yaml:8:", "not a time"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: domestic_only\n"
       "      whitelist:\n        - name: w\n          expires: 2027-01-01\n"
       "          devices: [abc]\n",
       "site.yaml:9:", "fingerprint"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: domestic_only\n"
       "      cidrs: [10.0.0.0/8]\n",
       "site.yaml:6:", "staff_only"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: staff_only\n"
       "      cidrs: [10.0.0.0/8]\n      requre: all\n",
       "site.yaml:7:", "require"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: guests_only\n",
       "site.yaml:5:", "staff_only"},
      {"access:\n  domestic_countries: [China]\n", "site.yaml:2:", "country code"},
      {"access:\n  policies:\n    - name: a\n      prefix: /a\n      type: domestic_only\n"
       "      whitelist:\n        - name: w\n          expires: 2027-01-01\n"
       "          account: {source: header, values: [x]}\n",
       "site.yaml:9:", "header/cookie name"},
  };
  for (const Case& c : cases) {
    Status s = AccessError(c.yaml);
    ASSERT_FALSE(s.ok()) << c.yaml;
    std::string msg(s.message());
    EXPECT_NE(msg.find(c.where), std::string::npos) << c.yaml << "\n=> " << msg;
    EXPECT_NE(msg.find(c.what), std::string::npos) << c.yaml << "\n=> " << msg;
  }
}

TEST(PolicyConfigTest, DomesticOnlyWithoutGeoDataIsRefused) {
  auto root = Root("access:\n  policies:\n    - {name: d, prefix: /, type: domestic_only}\n");
  auto p = ParseAccessPolicy(*root->Find("access")->value, "site.yaml", nullptr);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(p.status().message().find("geo"), std::string::npos);
}

TEST(PolicyConfigTest, GeoSectionOpensDelegatedFiles) {
  testing::TempDir dir;
  std::string file = dir.path() + "/delegated-apnic-latest";
  ASSERT_TRUE(platform::WriteFileAtomic(file,
                                        "apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"
                                        "apnic|KR|ipv4|1.11.0.0|65536|20110414|allocated\n")
                  .ok());
  GeoSection geo;
  geo.delegated = {file};
  DelegatedParseStats st;
  auto l = OpenCountryLookup(geo, &st);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_NE(*l, nullptr);
  EXPECT_EQ((*l)->Lookup(*IpAddress::Parse("1.11.3.4")).ToString(), "KR");
  EXPECT_EQ(st.ranges, 2u);
  geo.mmdb = {dir.path() + "/missing.mmdb"};
  EXPECT_FALSE(OpenCountryLookup(geo).ok());
  EXPECT_EQ(*OpenCountryLookup(GeoSection{}), nullptr);
}

TEST(PolicyConfigTest, DailyHours) {
  EXPECT_EQ(ParseDailyHours("08:30-18:00")->start_minute, 8 * 60 + 30);
  EXPECT_EQ(ParseDailyHours("08:30-18:00")->end_minute, 18 * 60);
  EXPECT_EQ(ParseDailyHours("22:00-24:00")->end_minute, 0);
  EXPECT_TRUE(ParseDailyHours("22:00-06:00").ok());
  for (const char* bad : {"", "8:00-18:00", "08:00", "08:00-08:00", "24:00-01:00", "08:60-09:00",
                          "08:00-18:00x", "aa:bb-cc:dd"}) {
    EXPECT_FALSE(ParseDailyHours(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace gs::gateway::policy
