// Units in config values: byte sizes ("64MiB", "4096", "1GB") and durations ("100ms", "400d").
// Sizes are parsed here; durations use core/time.h's ParseDurationNanos after an overflow
// guard, so the accepted duration syntax stays defined in one place.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gs::config {

// A number of bytes. A distinct type so that config fields declare that they take a size.
struct ByteSize {
  uint64_t bytes = 0;
  friend auto operator<=>(const ByteSize&, const ByteSize&) = default;
};

constexpr ByteSize KiB(uint64_t n) { return ByteSize{n << 10}; }
constexpr ByteSize MiB(uint64_t n) { return ByteSize{n << 20}; }
constexpr ByteSize GiB(uint64_t n) { return ByteSize{n << 30}; }

// Accepts an integer number of bytes, optionally followed (with or without one space) by a
// unit: B; KiB, MiB, GiB, TiB (powers of 1024); KB, MB, GB, TB (powers of 1000). Case
// matters ("mb" is refused: millibits are not a size). INVALID_ARGUMENT on anything else or on
// overflow of 64 bits.
Result<ByteSize> ParseByteSize(std::string_view s);

// The largest exact binary unit: "64MiB", "1500B", "0B".
std::string FormatByteSize(ByteSize size);

// ParseDurationNanos (core/time.h) with the guarantee that the result fits in int64 and the
// input has a unit (a bare "100" is ambiguous in a config file: seconds or milliseconds?).
Result<int64_t> ParseConfigDuration(std::string_view s);

// The largest exact unit: "100ms", "1d", "90s", "1500us".
std::string FormatDurationNanos(int64_t nanos);

}  // namespace gs::config
