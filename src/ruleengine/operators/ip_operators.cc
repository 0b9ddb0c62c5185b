// @ipMatch and @ipMatchFromFile (alias @ipMatchF): is the input an IPv4/IPv6 address inside one
// of the listed addresses or CIDR blocks? The list is compiled into sorted, merged address
// ranges per family (IPv6 as 128-bit integers); a lookup is one binary search. The input must be
// a plain address (no mask); anything that does not parse as one does not match.
#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "platform/file.h"
#include "ruleengine/operators/internal.h"

namespace gs::operators::internal {
namespace {

using U128 = unsigned __int128;

template <typename T>
struct Range {
  T lo;
  T hi;
};

template <typename T>
void Normalize(std::vector<Range<T>>* ranges) {
  std::sort(ranges->begin(), ranges->end(),
            [](const Range<T>& a, const Range<T>& b) { return a.lo < b.lo; });
  std::vector<Range<T>> merged;
  for (const auto& r : *ranges) {
    if (!merged.empty() &&
        (r.lo <= merged.back().hi ||
         (merged.back().hi != static_cast<T>(~T{0}) && r.lo == merged.back().hi + 1))) {
      merged.back().hi = std::max(merged.back().hi, r.hi);
    } else {
      merged.push_back(r);
    }
  }
  *ranges = std::move(merged);
}

template <typename T>
bool InRanges(const std::vector<Range<T>>& ranges, T v) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), v,
                             [](T value, const Range<T>& r) { return value < r.lo; });
  if (it == ranges.begin()) return false;
  --it;
  return v <= it->hi;
}

bool ParseV4(std::string_view s, uint32_t* out) {
  char buf[INET_ADDRSTRLEN + 1];
  if (s.empty() || s.size() >= sizeof(buf)) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  in_addr a{};
  if (inet_pton(AF_INET, buf, &a) != 1) return false;
  *out = ntohl(a.s_addr);
  return true;
}

bool ParseV6(std::string_view s, U128* out) {
  char buf[INET6_ADDRSTRLEN + 1];
  if (s.empty() || s.size() >= sizeof(buf)) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  in6_addr a{};
  if (inet_pton(AF_INET6, buf, &a) != 1) return false;
  U128 v = 0;
  for (unsigned char byte : a.s6_addr) v = (v << 8) | byte;
  *out = v;
  return true;
}

class IpMatchOperator final : public Operator {
 public:
  IpMatchOperator(std::string name, std::string arg) : Operator(std::move(name), std::move(arg)) {}

  // Adds "addr" or "addr/bits". INVALID_ARGUMENT naming the entry on failure.
  Status Add(std::string_view entry) {
    std::string_view addr = entry;
    int bits = -1;
    size_t slash = entry.find('/');
    if (slash != entry.npos) {
      addr = entry.substr(0, slash);
      std::string_view b = entry.substr(slash + 1);
      if (b.empty() || b.size() > 3) return Bad(entry);
      bits = 0;
      for (char c : b) {
        if (c < '0' || c > '9') return Bad(entry);
        bits = bits * 10 + (c - '0');
      }
    }
    if (addr.find(':') == addr.npos) {
      uint32_t v;
      if (!ParseV4(addr, &v) || bits > 32) return Bad(entry);
      if (bits < 0) bits = 32;
      uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
      v4_.push_back({v & mask, (v & mask) | ~mask});
    } else {
      U128 v;
      if (!ParseV6(addr, &v) || bits > 128) return Bad(entry);
      if (bits < 0) bits = 128;
      U128 mask = bits == 0 ? U128{0} : ~U128{0} << (128 - bits);
      v6_.push_back({v & mask, (v & mask) | ~mask});
    }
    return Status::Ok();
  }

  void Finish() {
    Normalize(&v4_);
    Normalize(&v6_);
  }

  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    if (input.find(':') == input.npos) {
      uint32_t v;
      return ParseV4(input, &v) && InRanges(v4_, v);
    }
    U128 v;
    return ParseV6(input, &v) && InRanges(v6_, v);
  }

 private:
  static Status Bad(std::string_view entry) {
    return InvalidArgumentError("invalid IP address or CIDR block '" + std::string(entry) + "'");
  }

  std::vector<Range<uint32_t>> v4_;
  std::vector<Range<U128>> v6_;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

Result<std::unique_ptr<const Operator>> MakeIpMatch(std::string_view arg, const OperatorOptions&) {
  auto op = std::make_unique<IpMatchOperator>("ipMatch", std::string(arg));
  size_t added = 0;
  size_t start = 0;
  while (start <= arg.size()) {
    size_t comma = arg.find(',', start);
    std::string_view item = Trim(arg.substr(start, comma == arg.npos ? arg.npos : comma - start));
    if (!item.empty()) {
      GS_RETURN_IF_ERROR(op->Add(item));
      ++added;
    }
    if (comma == arg.npos) break;
    start = comma + 1;
  }
  if (added == 0) return InvalidArgumentError("needs at least one IP address or CIDR block");
  op->Finish();
  return std::unique_ptr<const Operator>(std::move(op));
}

// One address or block per line; blank lines and '#' comments skipped.
Result<std::unique_ptr<const Operator>> MakeIpMatchFromFile(std::string_view arg,
                                                            const OperatorOptions& options) {
  std::string_view file = Trim(arg);
  if (file.empty()) return InvalidArgumentError("needs a file name");
  if (file.substr(0, 7) == "http://" || file.substr(0, 8) == "https://") {
    return UnimplementedError("address lists from URLs are not supported: " + std::string(file));
  }
  std::string path = ResolvePath(file, options);
  GS_ASSIGN_OR_RETURN(std::string content, platform::ReadFile(path));
  auto op = std::make_unique<IpMatchOperator>("ipMatchFromFile", std::string(arg));
  size_t pos = 0;
  int line_no = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    std::string_view line(content.data() + pos,
                          (nl == std::string::npos ? content.size() : nl) - pos);
    pos = nl == std::string::npos ? content.size() : nl + 1;
    ++line_no;
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    Status s = op->Add(line);
    if (!s.ok()) return s.WithContext(path + ":" + std::to_string(line_no));
  }
  op->Finish();
  return std::unique_ptr<const Operator>(std::move(op));
}

}  // namespace

void RegisterIpOperators(OperatorRegistry* registry) {
  RegisterWithDynamic(registry, "ipMatch", MakeIpMatch);
  RegisterWithDynamic(registry, "ipMatchFromFile", MakeIpMatchFromFile);
  RegisterWithDynamic(registry, "ipMatchF", MakeIpMatchFromFile);
}

}  // namespace gs::operators::internal
