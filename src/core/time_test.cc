#include "core/time.h"

#include <gtest/gtest.h>

namespace gs {
namespace {

TEST(Rfc3339Test, FormatsEpochAndFractions) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1'764'059'400LL * kNanosPerSecond + 123 * kNanosPerMilli),
            "2025-11-25T08:30:00.123Z");
  EXPECT_EQ(FormatRfc3339(951'782'400LL * kNanosPerSecond + 1), "2000-02-29T00:00:00.000000001Z");
}

TEST(Rfc3339Test, ParsesWhatItFormats) {
  for (int64_t t :
       {0LL, 1'764'059'400'123'000'000LL, 951'782'400'000'000'001LL, 4'102'444'800'000'000'000LL}) {
    auto r = ParseRfc3339(FormatRfc3339(t));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, t);
  }
}

TEST(Rfc3339Test, OffsetsDatesAndSeconds) {
  EXPECT_EQ(*ParseRfc3339("2026-11-25T16:30:00+08:00"), *ParseRfc3339("2026-11-25T08:30:00Z"));
  EXPECT_EQ(*ParseRfc3339("2026-11-25"), *ParseRfc3339("2026-11-25T00:00:00Z"));
  EXPECT_EQ(*ParseRfc3339("1700000000"), 1'700'000'000LL * kNanosPerSecond);
}

TEST(Rfc3339Test, RejectsGarbage) {
  for (const char* s :
       {"", "yesterday", "2026-13-01", "2026-11-25T25:00:00Z", "2026-11-25T08:30:00",
        "2026-11-25T08:30:00Zjunk", "2026-11-25T08:30:00."}) {
    EXPECT_FALSE(ParseRfc3339(s).ok()) << s;
  }
}

TEST(Rfc3339Test, OutOfInt64RangeIsAnError) {
  for (const char* s : {"9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "999999999999"}) {
    auto r = ParseRfc3339(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange) << s;
  }
  EXPECT_TRUE(ParseRfc3339("2262-01-01T00:00:00Z").ok());
}

TEST(DurationTest, Units) {
  EXPECT_EQ(*ParseDurationNanos("400d"), 400 * kNanosPerDay);
  EXPECT_EQ(*ParseDurationNanos("100ms"), 100 * kNanosPerMilli);
  EXPECT_EQ(*ParseDurationNanos("30"), 30 * kNanosPerSecond);
  EXPECT_FALSE(ParseDurationNanos("3 days").ok());
  EXPECT_FALSE(ParseDurationNanos("").ok());
  // 999999999999999 days overflows int64 nanoseconds: an error, not undefined behaviour.
  auto big = ParseDurationNanos("999999999999999d");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kOutOfRange);
}

TEST(ManualTimeTest, Advances) {
  ManualTimeSource t(1000);
  t.Advance(500);
  EXPECT_EQ(t.Now(), 1500);
}

}  // namespace
}  // namespace gs
