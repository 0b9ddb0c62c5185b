// Fuzz target: the RIR delegated-stats parser behind `domestic_only` (a downloaded file is
// untrusted input). Invariants: never crashes; every kept range is counted; the built table
// answers each parsed range's first address with a country (the earlier of overlapping
// ranges may own it, but some country always does); lookups of arbitrary addresses terminate.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "gateway/policy/country.h"

using gs::gateway::policy::CountryRange;
using gs::gateway::policy::CountryTable;
using gs::gateway::policy::DelegatedParseStats;
using gs::gateway::policy::IpAddress;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<CountryRange> raw;
  DelegatedParseStats st;
  CountryTable::ParseDelegated(text, &raw, &st);
  if (raw.size() != st.ranges) std::abort();
  if (st.ranges + st.skipped + st.malformed != st.lines) std::abort();
  auto table = CountryTable::FromTexts({text});
  if (raw.empty() != !table.ok()) std::abort();
  if (!table.ok()) return 0;
  if ((*table)->size() > raw.size()) std::abort();
  for (const CountryRange& r : raw) {
    if (r.first > r.last) std::abort();
    if (!(*table)->Lookup(IpAddress::FromBits(r.first)).known()) std::abort();
    if (!(*table)->Lookup(IpAddress::FromBits(r.last)).known()) std::abort();
  }
  for (size_t i = 0; i + 16 <= size && i < 256; i += 16) {
    IpAddress ip = IpAddress::FromV6Bytes(data + i);
    (void)(*table)->Lookup(ip);
  }
  return 0;
}
