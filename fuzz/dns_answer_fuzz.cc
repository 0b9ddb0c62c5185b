// Fuzz target `dns_answer`: the DNS hijack check's answer handling (ParseDnsAnswer and the
// canonical form used for comparisons and baselines) on arbitrary bytes from a DNS server.
// Input: byte 0 picks the query type, the rest is the response in wire format.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "monitor/checks/dns_hijack/dns_answer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const uint16_t kTypes[] = {1, 28, 5, 2, 15, 257, 6, 16};
  uint16_t qtype = kTypes[data[0] % (sizeof kTypes / sizeof kTypes[0])];
  std::span<const uint8_t> wire(data + 1, size - 1);
  auto a = gs::monitor::ParseDnsAnswer(wire, "www.example.gov.cn", qtype);
  if (a.ok()) {
    std::string c = a->Canonical();
    // The canonical form must be deterministic: parsing the same bytes again gives the same.
    auto b = gs::monitor::ParseDnsAnswer(wire, "www.example.gov.cn", qtype);
    if (!b.ok() || b->Canonical() != c) std::abort();
    for (size_t i = 1; i < a->records.size(); ++i)
      if (!(a->records[i - 1] < a->records[i])) std::abort();  // sorted and unique
  }
  return 0;
}
