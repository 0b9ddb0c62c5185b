// Country lookup: a real delegated-stats file (APNIC format) written to disk and parsed, range
// edges, malformed-line accounting, agreement with a brute-force scan; the MaxMind path against
// the GeoIP2 test database from the shared conformance data when it is present.
#include "gateway/policy/country.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "platform/file.h"
#include "testlib/temp_dir.h"

namespace gs::gateway::policy {
namespace {

IpAddress Ip(std::string_view s) { return IpAddress::Parse(s).value(); }
std::string Cc(const CountryLookup& l, std::string_view ip) { return l.Lookup(Ip(ip)).ToString(); }

// Lines in the shape of delegated-apnic-latest (header, summaries, asn, ipv4 with non-power-of-two
// counts, ipv6 prefixes, available/reserved blocks) plus CRLF and junk a bad download could hold.
constexpr char kDelegated[] =
    "# comment line\n"
    "2|apnic|20261124|6|19830613|20261123|+1000\n"
    "apnic|*|asn|*|1|summary\n"
    "apnic|*|ipv4|*|7|summary\n"
    "apnic|*|ipv6|*|2|summary\n"
    "apnic|JP|asn|173|1|20020801|allocated\n"
    "apnic|AU|ipv4|1.0.0.0|256|20110811|assigned\n"
    "apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"
    "apnic|CN|ipv4|1.0.2.0|512|20110414|allocated\r\n"
    "apnic|JP|ipv4|1.0.16.0|4096|20110412|allocated|A92E1062|e-stats\n"
    "apnic|CN|ipv4|36.0.0.0|1000|20100101|allocated\n"
    "apnic||ipv4|1.0.64.0|256||available\n"
    "apnic|HK|ipv4|1.32.0.0|65536|20100101|allocated\n"
    "apnic|CN|ipv6|2001:250::|35|20000426|allocated\n"
    "apnic|JP|ipv6|2001:200::|35|19990813|allocated\n"
    "apnic|CN|ipv4|1.2.3.4|notanumber|20110414|allocated\n"
    "apnic|CN|ipv4|255.255.255.0|512|20110414|allocated\n"
    "apnic|CN|ipv6|2001:250::1|35|20000426|allocated\n"
    "apnic|CN|ipv9|1.2.3.0|256|20110414|allocated\n"
    "just garbage\n"
    "apnic|C1|ipv4|5.0.0.0|256|20110414|allocated\n";

TEST(CountryTableTest, ParsesRealFileAndFindsEdges) {
  testing::TempDir dir;
  std::string path = dir.path() + "/delegated-apnic-latest";
  ASSERT_TRUE(platform::WriteFileAtomic(path, kDelegated).ok());
  DelegatedParseStats st;
  auto t = CountryTable::FromFiles({path}, &st);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const CountryTable& table = **t;
  EXPECT_EQ(st.ranges, 8u);
  EXPECT_EQ(st.malformed, 6u);  // notanumber, past 2^32, ipv6 host bits, ipv9, garbage, C1
  ASSERT_FALSE(st.first_malformed_lines.empty());
  EXPECT_EQ(st.first_malformed_lines.front(), 16u);
  EXPECT_EQ(table.size(), 7u);  // 1.0.1.0/24 and 1.0.2.0/23 merge

  EXPECT_EQ(Cc(table, "0.255.255.255"), "");
  EXPECT_EQ(Cc(table, "1.0.0.0"), "AU");
  EXPECT_EQ(Cc(table, "1.0.0.255"), "AU");
  EXPECT_EQ(Cc(table, "1.0.1.0"), "CN");
  EXPECT_EQ(Cc(table, "1.0.2.17"), "CN");
  EXPECT_EQ(Cc(table, "1.0.3.255"), "CN");
  EXPECT_EQ(Cc(table, "1.0.4.0"), "");
  EXPECT_EQ(Cc(table, "1.0.16.0"), "JP");
  EXPECT_EQ(Cc(table, "1.0.31.255"), "JP");
  EXPECT_EQ(Cc(table, "1.0.32.0"), "");
  EXPECT_EQ(Cc(table, "1.0.64.1"), "");      // available, not registered
  EXPECT_EQ(Cc(table, "36.0.3.231"), "CN");  // 36.0.0.0 + 999
  EXPECT_EQ(Cc(table, "36.0.3.232"), "");
  EXPECT_EQ(Cc(table, "1.32.200.1"), "HK");
  EXPECT_EQ(Cc(table, "2001:250::1"), "CN");
  EXPECT_EQ(Cc(table, "2001:250:1fff:ffff:ffff:ffff:ffff:ffff"), "CN");
  EXPECT_EQ(Cc(table, "2001:250:2000::"), "");
  EXPECT_EQ(Cc(table, "2001:200::1"), "JP");
  EXPECT_EQ(Cc(table, "::1"), "");
  EXPECT_NE(table.Describe().find("7 ranges"), std::string::npos);
}

TEST(CountryTableTest, RefusesFilesWithoutRangesAndMissingFiles) {
  EXPECT_FALSE(CountryTable::FromTexts({"hello\nworld\n"}).ok());
  EXPECT_FALSE(CountryTable::FromTexts({""}).ok());
  auto missing = CountryTable::FromFiles({"/nonexistent/delegated"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/delegated"), std::string::npos);
}

TEST(CountryTableTest, OverlapsKeepEarlierRangeLikeBruteForce) {
  std::mt19937_64 rng(42);
  const char* codes[] = {"CN", "JP", "KR", "AU", "IN"};
  std::string text;
  struct Raw {
    uint64_t first, last;
    std::string cc;
  };
  std::vector<Raw> raw;
  for (int i = 0; i < 400; ++i) {
    uint32_t start = static_cast<uint32_t>(rng() % (1u << 20)) << 8;
    uint32_t count = 1 + rng() % 100000;
    if (uint64_t{start} + count - 1 > 0xFFFFFFFFull) continue;
    std::string cc = codes[rng() % 5];
    text += "apnic|" + cc + "|ipv4|" + IpAddress::FromV4(start).ToString() + "|" +
            std::to_string(count) + "|20200101|allocated\n";
    raw.push_back({start, uint64_t{start} + count - 1, cc});
  }
  auto t = CountryTable::FromTexts({text});
  ASSERT_TRUE(t.ok());
  // Reference: among the ranges holding x, the one with the smallest start wins (first listed
  // on ties), which is what "earlier range keeps the addresses" means after sorting.
  for (int q = 0; q < 5000; ++q) {
    uint32_t x = static_cast<uint32_t>(rng() % (uint64_t{1} << 28));
    if (q % 3 == 0) {
      const Raw& r = raw[rng() % raw.size()];
      x = static_cast<uint32_t>(q % 2 ? r.first : r.last + 1);
    }
    const Raw* best = nullptr;
    for (const Raw& r : raw) {
      if (x >= r.first && x <= r.last && (best == nullptr || r.first < best->first)) best = &r;
    }
    ASSERT_EQ((*t)->Lookup(IpAddress::FromV4(x)).ToString(), best ? best->cc : "")
        << IpAddress::FromV4(x).ToString();
  }
}

TEST(CountryChainTest, FirstKnownAnswerWins) {
  auto a = CountryTable::FromTexts({"apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"});
  auto b = CountryTable::FromTexts({"arin|US|ipv4|1.0.0.0|65536|20110414|allocated\n"});
  ASSERT_TRUE(a.ok() && b.ok());
  CountryChain chain({*a, *b});
  EXPECT_EQ(Cc(chain, "1.0.1.5"), "CN");
  EXPECT_EQ(Cc(chain, "1.0.9.5"), "US");
  EXPECT_EQ(Cc(chain, "9.9.9.9"), "");
}

// The GeoIP2 test database shipped with the ModSecurity regression data (read in place from
// ../shared, never copied). Expected countries come from its JSON source file.
constexpr char kMmdbDir[] =
    GS_SOURCE_DIR "/../shared/conformance/modsecurity-v3-regression/test/test-cases/data";

TEST(MmdbCountryDbTest, LooksUpTheGeoIp2TestDatabase) {
  std::string db_path = std::string(kMmdbDir) + "/GeoIP2-City-Test.mmdb";
  std::string src_path = std::string(kMmdbDir) + "/GeoIP2-City-Test-source.json";
  if (!std::filesystem::exists(db_path) || !std::filesystem::exists(src_path)) {
    GTEST_SKIP() << "no MaxMind test database at " << db_path;
  }
  auto db = MmdbCountryDb::Open(db_path);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto src = nlohmann::json::parse(*platform::ReadFile(src_path));
  int checked = 0;
  for (const auto& entry : src) {
    for (const auto& [net, data] : entry.items()) {
      if (!data.contains("country")) continue;
      std::string addr = net.substr(0, net.find('/'));
      if (addr.rfind("::", 0) == 0 && addr.find('.') != std::string::npos) addr = addr.substr(2);
      auto ip = IpAddress::Parse(addr);
      ASSERT_TRUE(ip.has_value()) << addr;
      EXPECT_EQ((*db)->Lookup(*ip).ToString(), data["country"]["iso_code"].get<std::string>())
          << addr;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
  EXPECT_EQ(Cc(**db, "8.8.8.8"), "");
  EXPECT_FALSE(MmdbCountryDb::Open("/nonexistent.mmdb").ok());
  auto not_db = MmdbCountryDb::Open(src_path);
  EXPECT_FALSE(not_db.ok());
}

}  // namespace
}  // namespace gs::gateway::policy
