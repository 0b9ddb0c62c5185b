// IP parsing via inet_pton (strict literals), CIDR validation and the merged range set.
#include "gateway/policy/ip.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace gs::gateway::policy {

IpAddress IpAddress::FromV6Bytes(const uint8_t bytes[16]) {
  Uint128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | bytes[i];
  return IpAddress(v);
}

std::optional<IpAddress> IpAddress::Parse(std::string_view s) {
  if (s.empty() || s.size() > 45) return std::nullopt;
  char buf[64];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  if (s.find(':') == std::string_view::npos) {
    in_addr a4{};
    if (inet_pton(AF_INET, buf, &a4) != 1) return std::nullopt;
    return FromV4(ntohl(a4.s_addr));
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, buf, &a6) != 1) return std::nullopt;
  return FromV6Bytes(a6.s6_addr);
}

bool IpAddress::IsPrivateOrLocal() const {
  if (is_v4()) {
    uint32_t a = v4();
    auto in = [a](uint32_t net, int len) {
      uint32_t mask = len == 0 ? 0 : ~uint32_t{0} << (32 - len);
      return (a & mask) == net;
    };
    return in(0x7F000000, 8) || in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) ||
           in(0x64400000, 10) || in(0xA9FE0000, 16) || a == 0;
  }
  uint16_t top = static_cast<uint16_t>(bits_ >> 112);
  return bits_ == 1 || bits_ == 0 || (top & 0xFE00) == 0xFC00 || (top & 0xFFC0) == 0xFE80;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  if (is_v4()) {
    in_addr a4{};
    a4.s_addr = htonl(v4());
    inet_ntop(AF_INET, &a4, buf, sizeof(buf));
    return buf;
  }
  in6_addr a6{};
  Uint128 v = bits_;
  for (int i = 15; i >= 0; --i) {
    a6.s6_addr[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
  inet_ntop(AF_INET6, &a6, buf, sizeof(buf));
  return buf;
}

Result<IpRange> ParseCidr(std::string_view s) {
  std::string_view addr = s;
  int len = -1;
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    addr = s.substr(0, slash);
    std::string_view l = s.substr(slash + 1);
    int v = 0;
    auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), v);
    if (l.empty() || ec != std::errc() || p != l.data() + l.size()) {
      return InvalidArgumentError("'" + std::string(s) + "': prefix length is not a number");
    }
    len = v;
  }
  std::optional<IpAddress> ip = IpAddress::Parse(addr);
  if (!ip) {
    return InvalidArgumentError("'" + std::string(s) + "' is not an IPv4/IPv6 address or CIDR");
  }
  bool v4 = addr.find(':') == std::string_view::npos;
  int max = v4 ? 32 : 128;
  if (len < 0) len = max;
  if (len > max) {
    return InvalidArgumentError("'" + std::string(s) + "': prefix length above /" +
                                std::to_string(max));
  }
  int host_bits = max - len;
  Uint128 host_mask = host_bits == 128 ? ~Uint128{0} : (Uint128{1} << host_bits) - 1;
  if ((ip->bits() & host_mask) != 0) {
    return InvalidArgumentError("'" + std::string(s) +
                                "' has host bits set below the prefix (did you mean the network "
                                "address?)");
  }
  return IpRange{ip->bits(), ip->bits() | host_mask};
}

CidrSet CidrSet::Build(std::vector<IpRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const IpRange& a, const IpRange& b) { return a.first < b.first; });
  CidrSet set;
  for (const IpRange& r : ranges) {
    if (!set.ranges_.empty()) {
      IpRange& back = set.ranges_.back();
      bool touches = back.last == ~Uint128{0} || r.first <= back.last + 1;
      if (touches) {
        back.last = std::max(back.last, r.last);
        continue;
      }
    }
    set.ranges_.push_back(r);
  }
  return set;
}

Result<CidrSet> CidrSet::Parse(const std::vector<std::string>& cidrs) {
  std::vector<IpRange> ranges;
  ranges.reserve(cidrs.size());
  for (const std::string& c : cidrs) {
    GS_ASSIGN_OR_RETURN(IpRange r, ParseCidr(c));
    ranges.push_back(r);
  }
  return Build(std::move(ranges));
}

bool CidrSet::Contains(const IpAddress& ip) const {
  Uint128 v = ip.bits();
  // First range starting after v; the candidate is the one before it.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), v,
                             [](Uint128 x, const IpRange& r) { return x < r.first; });
  if (it == ranges_.begin()) return false;
  --it;
  return v <= it->last;
}

}  // namespace gs::gateway::policy
