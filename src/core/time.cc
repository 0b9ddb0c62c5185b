// Clocks and RFC 3339 date/time coding (civil-from-days arithmetic after H. Hinnant's
// public-domain algorithms, so no dependency on the process time zone).
#include "core/time.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace gs {
namespace {

class SystemTimeSource final : public TimeSource {
 public:
  UnixNanos Now() const override {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
  }
  int64_t MonotonicNanos() const override {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
  }
};

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = int64_t(yoe) + era * 400 + (*m <= 2);
}

bool ParseDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

const TimeSource& SystemTime() {
  static const SystemTimeSource kInstance;
  return kInstance;
}

std::string FormatRfc3339(UnixNanos t) {
  int64_t secs = t / kNanosPerSecond;
  int64_t nanos = t % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d,
                        int(rem / 3600), int(rem / 60 % 60), int(rem % 60));
  std::string out(buf, n);
  if (nanos != 0) {
    char frac[16];
    if (nanos % 1'000'000 == 0) {
      std::snprintf(frac, sizeof frac, ".%03lld", (long long)(nanos / 1'000'000));
    } else if (nanos % 1000 == 0) {
      std::snprintf(frac, sizeof frac, ".%06lld", (long long)(nanos / 1000));
    } else {
      std::snprintf(frac, sizeof frac, ".%09lld", (long long)nanos);
    }
    out += frac;
  }
  out += 'Z';
  return out;
}

Result<UnixNanos> ParseRfc3339(std::string_view s) {
  auto bad = [&] {
    return InvalidArgumentError("not an RFC 3339 time (want e.g. 2026-11-25T08:30:00Z): '" +
                                std::string(s.substr(0, 64)) + "'");
  };
  if (s.empty()) return bad();
  // Integer Unix seconds.
  if (s.find_first_not_of("0123456789") == std::string_view::npos && s.size() <= 12) {
    int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    int64_t out;
    if (__builtin_mul_overflow(v, kNanosPerSecond, &out)) {
      return OutOfRangeError("time out of range (1678..2262): '" + std::string(s) + "'");
    }
    return out;
  }
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!ParseDigits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !ParseDigits(s, 5, 2, &mo) ||
      s[7] != '-' || !ParseDigits(s, 8, 2, &d))
    return bad();
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return bad();
  size_t pos = 10;
  int64_t frac_nanos = 0;
  int64_t offset_secs = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return bad();
    if (!ParseDigits(s, pos + 1, 2, &h) || s.size() < pos + 9 || s[pos + 3] != ':' ||
        !ParseDigits(s, pos + 4, 2, &mi) || s[pos + 6] != ':' || !ParseDigits(s, pos + 7, 2, &se))
      return bad();
    if (h > 23 || mi > 59 || se > 60) return bad();
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 9) {
          frac_nanos = frac_nanos * 10 + (s[pos] - '0');
          ++digits;
        }
        ++pos;
      }
      if (digits == 0) return bad();
      for (int i = digits; i < 9; ++i) frac_nanos *= 10;
    }
    if (pos >= s.size()) return bad();
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!ParseDigits(s, pos + 1, 2, &oh) || s.size() < pos + 6 || s[pos + 3] != ':' ||
          !ParseDigits(s, pos + 4, 2, &om))
        return bad();
      offset_secs = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
      pos += 6;
    } else {
      return bad();
    }
    if (pos != s.size()) return bad();
  }
  int64_t days = DaysFromCivil(y, unsigned(mo), unsigned(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset_secs;
  // int64 nanoseconds since 1970 span 1677-09-21 .. 2262-04-11.
  int64_t nanos;
  if (__builtin_mul_overflow(secs, kNanosPerSecond, &nanos) ||
      __builtin_add_overflow(nanos, frac_nanos, &nanos)) {
    return OutOfRangeError("time out of range (1678..2262): '" + std::string(s.substr(0, 64)) +
                           "'");
  }
  return nanos;
}

Result<int64_t> ParseDurationNanos(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0 || i > 15) {
    return InvalidArgumentError("not a duration (want e.g. 400d, 36h, 15m, 30s, 250ms): '" +
                                std::string(s.substr(0, 32)) + "'");
  }
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + i, v);
  std::string_view unit = s.substr(i);
  int64_t scale;
  if (unit.empty() || unit == "s") {
    scale = kNanosPerSecond;
  } else if (unit == "ms") {
    scale = kNanosPerMilli;
  } else if (unit == "us") {
    scale = 1000;
  } else if (unit == "ns") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60 * kNanosPerSecond;
  } else if (unit == "h") {
    scale = 3600 * kNanosPerSecond;
  } else if (unit == "d") {
    scale = kNanosPerDay;
  } else {
    return InvalidArgumentError("unknown duration unit '" + std::string(unit) +
                                "' (use ms, s, m, h or d)");
  }
  int64_t out;
  if (__builtin_mul_overflow(v, scale, &out)) {
    return OutOfRangeError("duration too large: '" + std::string(s.substr(0, 32)) + "'");
  }
  return out;
}

}  // namespace gs
