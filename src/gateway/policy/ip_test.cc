// IP parsing, CIDR validation and CidrSet membership at range edges.
#include "gateway/policy/ip.h"

#include <gtest/gtest.h>

#include <random>

namespace gs::gateway::policy {
namespace {

IpAddress Ip(std::string_view s) {
  auto ip = IpAddress::Parse(s);
  EXPECT_TRUE(ip.has_value()) << s;
  return ip.value_or(IpAddress());
}

TEST(IpTest, ParsesV4AndV6AndMapped) {
  EXPECT_TRUE(Ip("192.0.2.1").is_v4());
  EXPECT_EQ(Ip("192.0.2.1").v4(), 0xC0000201u);
  EXPECT_EQ(Ip("::ffff:192.0.2.1"), Ip("192.0.2.1"));
  EXPECT_FALSE(Ip("2001:db8::1").is_v4());
  EXPECT_EQ(Ip("2001:db8::1").ToString(), "2001:db8::1");
  EXPECT_EQ(Ip("10.1.2.3").ToString(), "10.1.2.3");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "[::1]", "fe80::1%eth0",
                          "1.2.3.4:80", "example.gov.cn", " 1.2.3.4", "01.2.3.4x"}) {
    EXPECT_FALSE(IpAddress::Parse(bad).has_value()) << bad;
  }
}

TEST(IpTest, PrivateAndLocal) {
  for (const char* p : {"127.0.0.1", "10.9.8.7", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                        "100.64.0.1", "169.254.1.1", "::1", "fd00::1", "fe80::1"}) {
    EXPECT_TRUE(Ip(p).IsPrivateOrLocal()) << p;
  }
  for (const char* p : {"8.8.8.8", "172.32.0.1", "1.0.1.1", "2001:250::1", "100.128.0.1"}) {
    EXPECT_FALSE(Ip(p).IsPrivateOrLocal()) << p;
  }
}

TEST(CidrTest, ParseAndErrors) {
  auto r = ParseCidr("10.0.0.0/8");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, Ip("10.0.0.0").bits());
  EXPECT_EQ(r->last, Ip("10.255.255.255").bits());
  ASSERT_TRUE(ParseCidr("2001:db8::/32").ok());
  EXPECT_EQ(ParseCidr("2001:db8::/32")->last, Ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff").bits());
  EXPECT_TRUE(ParseCidr("0.0.0.0/0").ok());
  EXPECT_TRUE(ParseCidr("::/0").ok());
  EXPECT_EQ(ParseCidr("192.0.2.7")->first, ParseCidr("192.0.2.7")->last);
  EXPECT_FALSE(ParseCidr("10.0.0.1/8").ok());  // host bits
  EXPECT_FALSE(ParseCidr("10.0.0.0/33").ok());
  EXPECT_FALSE(ParseCidr("10.0.0.0/").ok());
  EXPECT_FALSE(ParseCidr("10.0.0.0/x").ok());
  EXPECT_FALSE(ParseCidr("2001:db8::/129").ok());
  EXPECT_FALSE(ParseCidr("nonsense/8").ok());
}

TEST(CidrSetTest, EdgesAndMerging) {
  auto set = CidrSet::Parse(
      {"10.0.0.0/8", "10.1.0.0/16", "192.0.2.0/25", "192.0.2.128/25", "2001:db8::/32"});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), 3u);  // the /16 is inside the /8; the two /25 touch
  EXPECT_TRUE(set->Contains(Ip("10.0.0.0")));
  EXPECT_TRUE(set->Contains(Ip("10.255.255.255")));
  EXPECT_FALSE(set->Contains(Ip("11.0.0.0")));
  EXPECT_FALSE(set->Contains(Ip("9.255.255.255")));
  EXPECT_TRUE(set->Contains(Ip("192.0.2.255")));
  EXPECT_FALSE(set->Contains(Ip("192.0.3.0")));
  EXPECT_TRUE(set->Contains(Ip("2001:db8:1::5")));
  EXPECT_FALSE(set->Contains(Ip("2001:db9::")));
  EXPECT_FALSE(CidrSet().Contains(Ip("1.1.1.1")));
  EXPECT_FALSE(CidrSet::Parse({"10.0.0.0/8", "bad"}).ok());
}

TEST(CidrSetTest, AgreesWithLinearScanOnRandomSets) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> cidrs;
    std::vector<IpRange> ranges;
    for (int i = 0; i < 50; ++i) {
      uint32_t len = 8 + rng() % 25;
      uint32_t addr = static_cast<uint32_t>(rng()) & (len == 32 ? ~0u : ~((1u << (32 - len)) - 1));
      IpAddress ip = IpAddress::FromV4(addr);
      cidrs.push_back(ip.ToString() + "/" + std::to_string(len));
      ranges.push_back(*ParseCidr(cidrs.back()));
    }
    auto set = CidrSet::Parse(cidrs);
    ASSERT_TRUE(set.ok());
    for (int q = 0; q < 2000; ++q) {
      IpAddress ip = IpAddress::FromV4(static_cast<uint32_t>(rng()));
      if (q % 2 == 0)
        ip = IpAddress::FromBits(ranges[rng() % ranges.size()].last + (rng() % 3) - 1);
      bool expect = false;
      for (const auto& r : ranges) expect = expect || (ip.bits() >= r.first && ip.bits() <= r.last);
      ASSERT_EQ(set->Contains(ip), expect) << ip.ToString();
    }
  }
}

}  // namespace
}  // namespace gs::gateway::policy
