// Network side of the DNS hijack check: one query to one server (ldns), and DNSSEC validation
// with libunbound pointed at the zone's authoritative servers (stub mode) with configured trust
// anchors. Both are blocking and thread-compatible (no shared state between calls).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "monitor/checks/dns_hijack/dns_answer.h"
#include "monitor/config.h"

struct ub_ctx;

namespace gs::monitor {

// Sends (name, qtype, IN) to `server` over UDP (TCP on truncation). `recursion` sets RD.
// UNAVAILABLE / DEADLINE_EXCEEDED naming the server when there is no usable answer.
Result<DnsAnswer> QueryDns(const Endpoint& server, const std::string& name, uint16_t qtype,
                           bool recursion, int64_t timeout_nanos);

enum class DnssecState { kSecure, kInsecure, kBogus };
std::string_view DnssecStateName(DnssecState s);

struct DnssecVerdict {
  DnssecState state = DnssecState::kInsecure;
  int rcode = 0;
  std::string why_bogus;  // libunbound's reason when bogus
};

// A libunbound context that resolves `zone` only through `authoritative` (stub, no recursion
// from the root) and validates against the anchors in `trust_anchor_file`.
class DnssecValidator {
 public:
  static Result<std::unique_ptr<DnssecValidator>> Create(const std::string& zone,
                                                         const std::vector<Endpoint>& authoritative,
                                                         const std::string& trust_anchor_file);
  ~DnssecValidator();
  DnssecValidator(const DnssecValidator&) = delete;
  DnssecValidator& operator=(const DnssecValidator&) = delete;

  // UNAVAILABLE when libunbound cannot resolve at all; DEADLINE_EXCEEDED after `timeout_nanos`
  // (libunbound's own retries against a dead server would otherwise take minutes).
  Result<DnssecVerdict> Validate(const std::string& name, uint16_t qtype, int64_t timeout_nanos);

 private:
  explicit DnssecValidator(::ub_ctx* ctx) : ctx_(ctx) {}
  ::ub_ctx* ctx_;
};

}  // namespace gs::monitor
