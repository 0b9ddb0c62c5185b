// Time vocabulary: a TimeSource interface (so tests inject clocks) and RFC 3339 coding.
// All wall-clock times in GovShield are UTC nanoseconds since the Unix epoch (int64).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gs {

using UnixNanos = int64_t;
constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kNanosPerMilli = 1'000'000;
constexpr int64_t kNanosPerDay = 86'400LL * kNanosPerSecond;

// Thread-safe clock. Production code receives one; it never calls the OS clock directly.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual UnixNanos Now() const = 0;           // wall clock, UTC
  virtual int64_t MonotonicNanos() const = 0;  // never goes back
};

// The real clocks (CLOCK_REALTIME / CLOCK_MONOTONIC). A process-wide singleton.
const TimeSource& SystemTime();

// A clock that only moves when told. For tests.
class ManualTimeSource final : public TimeSource {
 public:
  explicit ManualTimeSource(UnixNanos start) : now_(start) {}
  UnixNanos Now() const override { return now_.load(); }
  int64_t MonotonicNanos() const override { return now_.load(); }
  void Set(UnixNanos t) { now_.store(t); }
  void Advance(int64_t nanos) { now_.fetch_add(nanos); }

 private:
  std::atomic<UnixNanos> now_;
};

// "2026-11-25T08:30:00.123456789Z" (digits of the fraction trimmed to what is needed:
// none, 3, 6 or 9).
std::string FormatRfc3339(UnixNanos t);

// Parses RFC 3339 with 'Z' or a numeric offset and an optional fraction (up to 9 digits).
// Also accepts a bare date "2026-11-25" (midnight UTC) and an integer of Unix seconds.
Result<UnixNanos> ParseRfc3339(std::string_view s);

// Parses a duration such as "400d", "36h", "15m", "30s", "250ms", "100" (seconds).
Result<int64_t> ParseDurationNanos(std::string_view s);

}  // namespace gs
