#include "config/units.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/time.h"

namespace gs::config {
namespace {

TEST(ByteSizeTest, ParsesUnits) {
  EXPECT_EQ(ParseByteSize("4096")->bytes, 4096u);
  EXPECT_EQ(ParseByteSize("0")->bytes, 0u);
  EXPECT_EQ(ParseByteSize("17B")->bytes, 17u);
  EXPECT_EQ(ParseByteSize("64MiB")->bytes, 64u << 20);
  EXPECT_EQ(ParseByteSize("64 MiB")->bytes, 64u << 20);
  EXPECT_EQ(ParseByteSize("512KiB")->bytes, 512u << 10);
  EXPECT_EQ(ParseByteSize("2GiB")->bytes, 2ull << 30);
  EXPECT_EQ(ParseByteSize("1TiB")->bytes, 1ull << 40);
  EXPECT_EQ(ParseByteSize("3KB")->bytes, 3000u);
  EXPECT_EQ(ParseByteSize("5MB")->bytes, 5'000'000u);
  EXPECT_EQ(ParseByteSize("1GB")->bytes, 1'000'000'000u);
}

TEST(ByteSizeTest, RejectsGarbageAndOverflow) {
  for (const char* s : {"", "MiB", "-1", "1.5MiB", "64mb", "64 mib", "64MiBs", "64  MiB", "1e6",
                        "99999999999999999999", "17179869184GiB", "0x10"}) {
    EXPECT_FALSE(ParseByteSize(s).ok()) << s;
  }
  EXPECT_TRUE(ParseByteSize("16777215TiB").ok());
  EXPECT_FALSE(ParseByteSize("16777216TiB").ok());  // 2^64
}

TEST(ByteSizeTest, FormatsLargestExactUnit) {
  EXPECT_EQ(FormatByteSize(MiB(64)), "64MiB");
  EXPECT_EQ(FormatByteSize(KiB(1536)), "1536KiB");
  EXPECT_EQ(FormatByteSize(ByteSize{1500}), "1500B");
  EXPECT_EQ(FormatByteSize(ByteSize{0}), "0B");
  for (uint64_t b : {1ull, 4096ull, 1ull << 40, 3ull << 20, 123456789ull}) {
    EXPECT_EQ(ParseByteSize(FormatByteSize(ByteSize{b}))->bytes, b);
  }
}

TEST(ConfigDurationTest, NeedsUnitAndFits) {
  EXPECT_EQ(*ParseConfigDuration("100ms"), 100 * kNanosPerMilli);
  EXPECT_EQ(*ParseConfigDuration("400d"), 400 * kNanosPerDay);
  EXPECT_EQ(*ParseConfigDuration("1s"), kNanosPerSecond);
  EXPECT_FALSE(ParseConfigDuration("100").ok());  // bare numbers are ambiguous in a config
  EXPECT_FALSE(ParseConfigDuration("-1s").ok());
  EXPECT_FALSE(ParseConfigDuration("1.5s").ok());
  EXPECT_FALSE(ParseConfigDuration("5 fortnights").ok());
  EXPECT_FALSE(ParseConfigDuration("ms").ok());
  // 106752 days is past int64 nanoseconds; the core parser alone would overflow.
  EXPECT_TRUE(ParseConfigDuration("106751d").ok());
  EXPECT_FALSE(ParseConfigDuration("106752d").ok());
  EXPECT_FALSE(ParseConfigDuration("999999999999999d").ok());
  EXPECT_FALSE(ParseConfigDuration("99999999999999999999999ns").ok());
}

TEST(ConfigDurationTest, FormatRoundTrips) {
  EXPECT_EQ(FormatDurationNanos(100 * kNanosPerMilli), "100ms");
  EXPECT_EQ(FormatDurationNanos(kNanosPerDay), "1d");
  EXPECT_EQ(FormatDurationNanos(90 * kNanosPerSecond), "90s");
  EXPECT_EQ(FormatDurationNanos(0), "0s");
  for (int64_t n :
       {int64_t{1}, int64_t{1500}, 36 * 3600 * kNanosPerSecond, int64_t{123'456'789'012'345}}) {
    EXPECT_EQ(*ParseConfigDuration(FormatDurationNanos(n)), n);
  }
}

}  // namespace
}  // namespace gs::config
