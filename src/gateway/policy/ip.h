// IP vocabulary for the gateway policies: one 128-bit address type for IPv4 and IPv6 (IPv4 is
// held IPv4-mapped, ::ffff:a.b.c.d, so one interval table and one hash serve both), CIDR
// prefixes, and an immutable CIDR set with O(log n) membership.
//
// All types are plain values; CidrSet is immutable after Build and safe to share across threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gs::gateway::policy {

using Uint128 = unsigned __int128;

class IpAddress {
 public:
  IpAddress() = default;
  static IpAddress FromV4(uint32_t host_order) {
    return IpAddress((Uint128{0xffff} << 32) | host_order);
  }
  static IpAddress FromBits(Uint128 bits) { return IpAddress(bits); }
  // Network-order bytes as in in6_addr.
  static IpAddress FromV6Bytes(const uint8_t bytes[16]);

  // Parses a literal ("192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1"). No ports, brackets,
  // zone ids or host names. nullopt on anything else.
  static std::optional<IpAddress> Parse(std::string_view s);

  Uint128 bits() const { return bits_; }
  bool is_v4() const { return (bits_ >> 32) == 0xffff; }
  uint32_t v4() const { return static_cast<uint32_t>(bits_); }
  // Loopback, RFC 1918, CGNAT 100.64/10, link-local, IPv6 ULA fc00::/7, fe80::/10, ::1.
  bool IsPrivateOrLocal() const;

  // Canonical text (inet_ntop), IPv4 for mapped addresses.
  std::string ToString() const;
  uint64_t Hash() const {
    uint64_t lo = static_cast<uint64_t>(bits_), hi = static_cast<uint64_t>(bits_ >> 64);
    uint64_t h = lo * 0x9E3779B97F4A7C15ull ^ (hi + 0x632BE59BD9B4E019ull);
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 29);
  }

  friend bool operator==(const IpAddress& a, const IpAddress& b) { return a.bits_ == b.bits_; }
  friend bool operator<(const IpAddress& a, const IpAddress& b) { return a.bits_ < b.bits_; }

 private:
  explicit IpAddress(Uint128 bits) : bits_(bits) {}
  Uint128 bits_ = 0;
};

// An address range [first, last], inclusive on both ends.
struct IpRange {
  Uint128 first = 0;
  Uint128 last = 0;
};

// "10.0.0.0/8", "2001:db8::/32", or a bare address (= /32 or /128). Host bits set below the
// prefix are an error (the operator probably meant a different network).
// INVALID_ARGUMENT with the reason on anything else.
Result<IpRange> ParseCidr(std::string_view s);

// A set of CIDRs. Build() sorts and merges overlapping ranges; Contains is a binary search.
class CidrSet {
 public:
  CidrSet() = default;
  static CidrSet Build(std::vector<IpRange> ranges);
  // Parses every entry; the first bad one is the error.
  static Result<CidrSet> Parse(const std::vector<std::string>& cidrs);

  bool Contains(const IpAddress& ip) const;
  bool empty() const { return ranges_.empty(); }
  size_t size() const { return ranges_.size(); }

 private:
  std::vector<IpRange> ranges_;  // sorted, disjoint
};

}  // namespace gs::gateway::policy
