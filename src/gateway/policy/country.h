// Country lookup for `domestic_only`: which country an IP address is registered to.
//
// Two sources, usable together (CountryChain asks each in turn):
//  - RIR delegated-stats files (APNIC's delegated-apnic-latest and the other RIRs' files in the
//    same format): parsed into a sorted, disjoint interval table over IPv4+IPv6 (IPv4 held
//    IPv4-mapped), looked up by binary search. Every address registered to China is in the
//    APNIC file, so with APNIC alone an address absent from the table is not Chinese.
//  - MaxMind GeoIP2/GeoLite2 .mmdb databases via libmaxminddb (country.iso_code).
//
// Everything here is immutable after construction and safe to use from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "gateway/policy/ip.h"

namespace gs::gateway::policy {

// Two upper-case ASCII letters packed; 0 = unknown.
struct CountryCode {
  uint16_t packed = 0;

  static CountryCode FromString(std::string_view s);  // "CN"/"cn" -> CN; anything else unknown
  bool known() const { return packed != 0; }
  std::string ToString() const;  // "" when unknown
  friend bool operator==(CountryCode a, CountryCode b) { return a.packed == b.packed; }
};

class CountryLookup {
 public:
  virtual ~CountryLookup() = default;
  // The registered country, or unknown. Must be thread-safe and not allocate on the hot path.
  virtual CountryCode Lookup(const IpAddress& ip) const = 0;
  // "apnic-delegated(3 files, 52100 ranges)" etc., for startup logs and audit records.
  virtual std::string Describe() const = 0;
};

// What parsing a delegated-stats file found besides the ranges: malformed lines are skipped and
// counted (a hostile or truncated download must not take the gateway down).
struct DelegatedParseStats {
  size_t lines = 0;
  size_t ranges = 0;            // ipv4/ipv6 records with a country, kept
  size_t skipped = 0;           // header, summary, asn, comment, records without a country
  size_t malformed = 0;         // lines that are not valid records
  size_t overlaps_dropped = 0;  // parts of ranges that overlapped an earlier range
  std::vector<size_t> first_malformed_lines;  // 1-based, at most 10
};

struct CountryRange {
  Uint128 first = 0;
  Uint128 last = 0;
  CountryCode country;
};

// An interval table built from delegated-stats text.
class CountryTable final : public CountryLookup {
 public:
  // Parses one or more delegated-stats texts (e.g. APNIC + ARIN). Never fails on malformed
  // lines (see stats); returns INVALID_ARGUMENT when no usable range was found at all, which
  // means the file is not a delegated-stats file.
  static Result<std::shared_ptr<const CountryTable>> FromTexts(
      const std::vector<std::string_view>& texts, DelegatedParseStats* stats = nullptr);
  // Reads the files (IO errors name the file) and parses them as FromTexts.
  static Result<std::shared_ptr<const CountryTable>> FromFiles(
      const std::vector<std::string>& paths, DelegatedParseStats* stats = nullptr);

  CountryCode Lookup(const IpAddress& ip) const override;
  std::string Describe() const override;
  size_t size() const { return ranges_.size(); }

  // Parses one text into raw ranges (unsorted, possibly overlapping). Exposed for the fuzz target.
  static void ParseDelegated(std::string_view text, std::vector<CountryRange>* out,
                             DelegatedParseStats* stats);

 private:
  std::vector<CountryRange> ranges_;  // sorted by first, disjoint, adjacent same-country merged
  size_t sources_ = 0;
};

// A MaxMind database opened read-only (mmap). Lookups are thread-safe (libmaxminddb's lookups
// on an opened database are read-only).
class MmdbCountryDb final : public CountryLookup {
 public:
  // NOT_FOUND / INVALID_ARGUMENT naming the file when it cannot be opened.
  static Result<std::shared_ptr<const MmdbCountryDb>> Open(const std::string& path);
  ~MmdbCountryDb() override;

  CountryCode Lookup(const IpAddress& ip) const override;
  std::string Describe() const override;

 private:
  MmdbCountryDb() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Asks each source in order; the first known answer wins.
class CountryChain final : public CountryLookup {
 public:
  explicit CountryChain(std::vector<std::shared_ptr<const CountryLookup>> sources)
      : sources_(std::move(sources)) {}
  CountryCode Lookup(const IpAddress& ip) const override;
  std::string Describe() const override;

 private:
  std::vector<std::shared_ptr<const CountryLookup>> sources_;
};

}  // namespace gs::gateway::policy
