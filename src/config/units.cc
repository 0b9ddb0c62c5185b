// Size and duration units for config values (see units.h).
#include "config/units.h"

#include <charconv>
#include <limits>

#include "core/time.h"

namespace gs::config {
namespace {

struct Unit {
  std::string_view name;
  uint64_t factor;
};

constexpr Unit kSizeUnits[] = {
    {"B", 1},
    {"KiB", 1ULL << 10},
    {"MiB", 1ULL << 20},
    {"GiB", 1ULL << 30},
    {"TiB", 1ULL << 40},
    {"KB", 1000ULL},
    {"MB", 1000ULL * 1000},
    {"GB", 1000ULL * 1000 * 1000},
    {"TB", 1000ULL * 1000 * 1000 * 1000},
};

struct DurationUnit {
  std::string_view name;
  int64_t nanos;
};

// Largest first, for formatting.
constexpr DurationUnit kDurationUnits[] = {
    {"d", kNanosPerDay},
    {"h", 3600 * kNanosPerSecond},
    {"m", 60 * kNanosPerSecond},
    {"s", kNanosPerSecond},
    {"ms", kNanosPerMilli},
    {"us", 1000},
    {"ns", 1},
};

// Splits "123unit" into digits and unit; false if there are no leading digits.
bool SplitNumber(std::string_view s, std::string_view* digits, std::string_view* unit) {
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0) return false;
  *digits = s.substr(0, i);
  *unit = s.substr(i);
  return true;
}

}  // namespace

Result<ByteSize> ParseByteSize(std::string_view s) {
  std::string_view digits, unit;
  if (!SplitNumber(s, &digits, &unit)) {
    return InvalidArgumentError("not a size: '" + std::string(s.substr(0, 40)) +
                                "' (want e.g. 4096, 512KiB, 64MiB, 1GiB)");
  }
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc()) return InvalidArgumentError("size too large: '" + std::string(s) + "'");
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  uint64_t factor = 0;
  if (unit.empty()) {
    factor = 1;
  } else {
    for (const Unit& u : kSizeUnits) {
      if (u.name == unit) factor = u.factor;
    }
  }
  if (factor == 0) {
    return InvalidArgumentError("unknown size unit '" + std::string(unit.substr(0, 20)) +
                                "' (use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB)");
  }
  if (n > std::numeric_limits<uint64_t>::max() / factor) {
    return InvalidArgumentError("size too large: '" + std::string(s) + "'");
  }
  return ByteSize{n * factor};
}

std::string FormatByteSize(ByteSize size) {
  static constexpr Unit kBinary[] = {
      {"TiB", 1ULL << 40}, {"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}};
  if (size.bytes != 0) {
    for (const Unit& u : kBinary) {
      if (size.bytes % u.factor == 0)
        return std::to_string(size.bytes / u.factor) + std::string(u.name);
    }
  }
  return std::to_string(size.bytes) + "B";
}

Result<int64_t> ParseConfigDuration(std::string_view s) {
  std::string_view digits, unit;
  if (!SplitNumber(s, &digits, &unit)) {
    return InvalidArgumentError("not a duration: '" + std::string(s.substr(0, 40)) +
                                "' (want e.g. 100ms, 30s, 15m, 36h, 400d)");
  }
  if (unit.empty()) {
    return InvalidArgumentError("duration '" + std::string(s.substr(0, 40)) +
                                "' has no unit (write e.g. 100ms or 30s)");
  }
  int64_t factor = 0;
  for (const DurationUnit& u : kDurationUnits) {
    if (u.name == unit) factor = u.nanos;
  }
  if (factor != 0) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() ||
        n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / factor)) {
      return InvalidArgumentError("duration too long: '" + std::string(s.substr(0, 40)) + "'");
    }
  }
  // Unknown units fall through to the core parser, which names the accepted ones.
  return ParseDurationNanos(s);
}

std::string FormatDurationNanos(int64_t nanos) {
  if (nanos == 0) return "0s";
  for (const DurationUnit& u : kDurationUnits) {
    if (nanos % u.nanos == 0) return std::to_string(nanos / u.nanos) + std::string(u.name);
  }
  return std::to_string(nanos) + "ns";
}

}  // namespace gs::config
