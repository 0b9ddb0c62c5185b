// DNS answer handling for the hijack check: turns a response in wire format (from any server,
// so untrusted bytes) into a canonical, comparable form. Fuzzed by fuzz target `dns_answer`.
//
// Canonical form: the response code plus the sorted, de-duplicated records of the answer
// section that are owned by the query name and have the query type or CNAME, each written as
// "owner TYPE rdata" with the TTL dropped and domain names lower-cased. Two servers "agree" when
// the canonical forms are byte-equal; TTL countdown, record order and case do not matter, and
// additional data a recursive resolver adds (the far end of a CNAME chain) does not either.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gs::monitor {

struct DnsAnswer {
  int rcode = 0;                     // 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, ...
  bool authoritative = false;        // AA bit
  std::vector<std::string> records;  // canonical, sorted, unique

  std::string RcodeName() const;
  // "NOERROR: rec1 | rec2" — what baselines store and comparisons use.
  std::string Canonical() const;
  bool ServerFailure() const { return rcode == 2 || rcode == 5; }  // SERVFAIL / REFUSED
};

// Parses `wire` as a DNS response to (qname, qtype). INVALID_ARGUMENT if the bytes are not a
// DNS message, are a query rather than a response, or answer a different question. Never
// crashes on any input.
Result<DnsAnswer> ParseDnsAnswer(std::span<const uint8_t> wire, std::string_view qname,
                                 uint16_t qtype);

}  // namespace gs::monitor
