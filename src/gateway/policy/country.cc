// Delegated-stats parsing into an interval table, the libmaxminddb adapter and the chain.
//
// Record shape (RIR statistics exchange format, APNIC's "delegated-apnic-latest"):
//   registry|cc|type|start|value|date|status[|opaque-id[|extensions...]]
// with type ipv4 (value = number of addresses, not necessarily a power of two) or ipv6
// (value = prefix length). Version, summary, asn and comment lines are skipped; anything that
// does not parse is counted as malformed and skipped.
#include "gateway/policy/country.h"

#include <maxminddb.h>

#include <algorithm>
#include <charconv>

#include "platform/file.h"

namespace gs::gateway::policy {

CountryCode CountryCode::FromString(std::string_view s) {
  if (s.size() != 2) return {};
  auto up = [](char c) -> int {
    if (c >= 'a' && c <= 'z') return c - 'a' + 'A';
    if (c >= 'A' && c <= 'Z') return c;
    return -1;
  };
  int a = up(s[0]), b = up(s[1]);
  if (a < 0 || b < 0) return {};
  return CountryCode{static_cast<uint16_t>((a << 8) | b)};
}

std::string CountryCode::ToString() const {
  if (packed == 0) return {};
  return std::string{static_cast<char>(packed >> 8), static_cast<char>(packed & 0xFF)};
}

namespace {

template <typename T>
bool ParseUnsigned(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

enum class LineKind { kRange, kSkip, kMalformed };

LineKind ParseLine(std::string_view line, CountryRange* out) {
  if (line.empty() || line[0] == '#') return LineKind::kSkip;
  std::string_view f[8];
  size_t n = 0;
  size_t pos = 0;
  while (n < 8) {
    size_t bar = line.find('|', pos);
    if (bar == std::string_view::npos) {
      f[n++] = line.substr(pos);
      break;
    }
    f[n++] = line.substr(pos, bar - pos);
    pos = bar + 1;
  }
  if (n < 6) return LineKind::kMalformed;
  // Version line: "2|apnic|20110113|23486|19850701|20110112|+1000".
  if (!f[0].empty() && (f[0][0] >= '0' && f[0][0] <= '9')) return LineKind::kSkip;
  if (n == 6 && f[5] == "summary") return LineKind::kSkip;
  if (n < 7) return LineKind::kMalformed;
  std::string_view cc = f[1], type = f[2], start = f[3], value = f[4], status = f[6];
  if (type == "asn") return LineKind::kSkip;
  if (type != "ipv4" && type != "ipv6") return LineKind::kMalformed;
  if (status != "allocated" && status != "assigned") {
    // "available", "reserved": not registered to anyone.
    return LineKind::kSkip;
  }
  CountryCode code = CountryCode::FromString(cc);
  if (!code.known() || cc == "ZZ") return cc.empty() ? LineKind::kSkip : LineKind::kMalformed;
  std::optional<IpAddress> ip = IpAddress::Parse(start);
  if (!ip) return LineKind::kMalformed;
  bool dotted = start.find(':') == std::string_view::npos;
  if (type == "ipv4") {
    uint64_t count = 0;
    if (!dotted || !ParseUnsigned(value, &count) || count == 0) return LineKind::kMalformed;
    uint64_t first = ip->v4();
    if (first + count - 1 > 0xFFFFFFFFull) return LineKind::kMalformed;
    out->first = ip->bits();
    out->last = ip->bits() + (count - 1);
  } else {
    unsigned len = 0;
    if (dotted || !ParseUnsigned(value, &len) || len > 128) return LineKind::kMalformed;
    unsigned host = 128 - len;
    Uint128 mask = host == 128 ? ~Uint128{0} : (Uint128{1} << host) - 1;
    if ((ip->bits() & mask) != 0) return LineKind::kMalformed;
    out->first = ip->bits();
    out->last = ip->bits() | mask;
  }
  out->country = code;
  return LineKind::kRange;
}

}  // namespace

void CountryTable::ParseDelegated(std::string_view text, std::vector<CountryRange>* out,
                                  DelegatedParseStats* stats) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++stats->lines;
    CountryRange r;
    switch (ParseLine(line, &r)) {
      case LineKind::kRange:
        ++stats->ranges;
        out->push_back(r);
        break;
      case LineKind::kSkip:
        ++stats->skipped;
        break;
      case LineKind::kMalformed:
        ++stats->malformed;
        if (stats->first_malformed_lines.size() < 10) {
          stats->first_malformed_lines.push_back(stats->lines);
        }
        break;
    }
  }
}

Result<std::shared_ptr<const CountryTable>> CountryTable::FromTexts(
    const std::vector<std::string_view>& texts, DelegatedParseStats* stats) {
  DelegatedParseStats local;
  DelegatedParseStats* st = stats != nullptr ? stats : &local;
  *st = DelegatedParseStats{};
  std::vector<CountryRange> raw;
  for (std::string_view t : texts) ParseDelegated(t, &raw, st);
  if (raw.empty()) {
    return InvalidArgumentError("no ipv4/ipv6 country ranges found (" + std::to_string(st->lines) +
                                " lines, " + std::to_string(st->malformed) +
                                " malformed): not an RIR delegated-stats file?");
  }
  std::stable_sort(raw.begin(), raw.end(),
                   [](const CountryRange& a, const CountryRange& b) { return a.first < b.first; });
  auto table = std::shared_ptr<CountryTable>(new CountryTable());
  table->sources_ = texts.size();
  std::vector<CountryRange>& v = table->ranges_;
  v.reserve(raw.size());
  for (CountryRange r : raw) {
    if (!v.empty()) {
      CountryRange& back = v.back();
      if (r.first <= back.last) {  // overlap: the earlier range keeps the addresses
        ++st->overlaps_dropped;
        if (r.last <= back.last) continue;
        r.first = back.last + 1;
      }
      if (back.country == r.country && back.last + 1 == r.first) {
        back.last = r.last;
        continue;
      }
    }
    v.push_back(r);
  }
  v.shrink_to_fit();
  return std::shared_ptr<const CountryTable>(std::move(table));
}

Result<std::shared_ptr<const CountryTable>> CountryTable::FromFiles(
    const std::vector<std::string>& paths, DelegatedParseStats* stats) {
  std::vector<std::string> texts;
  for (const std::string& p : paths) {
    Result<std::string> t = platform::ReadFile(p);
    if (!t.ok()) return t.status().WithContext("delegated-stats file " + p);
    texts.push_back(std::move(*t));
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  auto r = FromTexts(views, stats);
  if (!r.ok()) {
    std::string names;
    for (const auto& p : paths) names += (names.empty() ? "" : ", ") + p;
    return r.status().WithContext(names);
  }
  return r;
}

CountryCode CountryTable::Lookup(const IpAddress& ip) const {
  Uint128 x = ip.bits();
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), x,
                             [](Uint128 v, const CountryRange& r) { return v < r.first; });
  if (it == ranges_.begin()) return {};
  --it;
  return x <= it->last ? it->country : CountryCode{};
}

std::string CountryTable::Describe() const {
  return "delegated-stats(" + std::to_string(sources_) + " file(s), " +
         std::to_string(ranges_.size()) + " ranges)";
}

// ---- MaxMind -----------------------------------------------------------------------------------

struct MmdbCountryDb::Impl {
  MMDB_s db{};
  std::string path;
  bool open = false;
  ~Impl() {
    if (open) MMDB_close(&db);
  }
};

Result<std::shared_ptr<const MmdbCountryDb>> MmdbCountryDb::Open(const std::string& path) {
  auto db = std::shared_ptr<MmdbCountryDb>(new MmdbCountryDb());
  db->impl_ = std::make_unique<Impl>();
  db->impl_->path = path;
  int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db->impl_->db);
  if (rc != MMDB_SUCCESS) {
    std::string why = MMDB_strerror(rc);
    if (rc == MMDB_FILE_OPEN_ERROR)
      return NotFoundError("cannot open MaxMind database " + path + ": " + why);
    return InvalidArgumentError("MaxMind database " + path + ": " + why);
  }
  db->impl_->open = true;
  return std::shared_ptr<const MmdbCountryDb>(std::move(db));
}

MmdbCountryDb::~MmdbCountryDb() = default;

CountryCode MmdbCountryDb::Lookup(const IpAddress& ip) const {
  // Build a sockaddr so libmaxminddb does not go through getaddrinfo (no allocation, no DNS).
  sockaddr_storage ss{};
  if (ip.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(ip.v4());
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    Uint128 v = ip.bits();
    for (int i = 15; i >= 0; --i) {
      sin6->sin6_addr.s6_addr[i] = static_cast<uint8_t>(v);
      v >>= 8;
    }
  }
  int mmdb_error = 0;
  MMDB_lookup_result_s r =
      MMDB_lookup_sockaddr(&impl_->db, reinterpret_cast<const sockaddr*>(&ss), &mmdb_error);
  if (mmdb_error != MMDB_SUCCESS || !r.found_entry) return {};
  MMDB_entry_data_s data{};
  if (MMDB_get_value(&r.entry, &data, "country", "iso_code", nullptr) != MMDB_SUCCESS ||
      !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING) {
    // Anonymous proxies and satellite ranges have only a registered_country.
    if (MMDB_get_value(&r.entry, &data, "registered_country", "iso_code", nullptr) !=
            MMDB_SUCCESS ||
        !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING) {
      return {};
    }
  }
  return CountryCode::FromString(std::string_view(data.utf8_string, data.data_size));
}

std::string MmdbCountryDb::Describe() const {
  return "mmdb(" + impl_->path + ", " + std::string(impl_->db.metadata.database_type) + ")";
}

CountryCode CountryChain::Lookup(const IpAddress& ip) const {
  for (const auto& s : sources_) {
    CountryCode c = s->Lookup(ip);
    if (c.known()) return c;
  }
  return {};
}

std::string CountryChain::Describe() const {
  std::string out;
  for (const auto& s : sources_) out += (out.empty() ? "" : " + ") + s->Describe();
  return out.empty() ? "none" : out;
}

}  // namespace gs::gateway::policy
