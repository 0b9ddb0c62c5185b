// The DNS hijack check (域名防劫持): per target, every configured name and RR type is resolved at
// each authoritative server (RD=0) and through each recursive resolver (RD=1).
//
// A resolver "mismatches" when its canonical answer equals neither an authoritative answer nor
// that resolver's accepted baseline, and still does after `confirm_queries` re-queries within the
// round (filters a record changing mid-round). After `mismatch_rounds` consecutive mismatching
// rounds (default 1: reported in the round that first sees it) a `dns_hijack` finding is raised.
// The authoritative answer is compared with its own baseline (trust on first use) and raises
// `dns_auth_changed` the same way. `Accept` records the current answers as legitimate.
// A random label under the zone detects wildcards (`dns_wildcard`, low) and resolvers that
// rewrite NXDOMAIN into an answer (`dns_nxdomain_rewrite`, high).
// DNSSEC: each name/type is validated with libunbound against the trust anchors; bogus →
// `dnssec_bogus`, insecure with `dnssec: required` → `dnssec_insecure`.
#pragma once

#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "monitor/config.h"
#include "monitor/finding.h"
#include "monitor/state_store.h"

namespace gs::monitor {

class DnsHijackCheck {
 public:
  // `state` and `clock` must outlive the check.
  DnsHijackCheck(const DnsGlobalConfig& global, StateStore* state, const TimeSource& clock)
      : global_(global), state_(state), clock_(clock) {}

  // One round for `target` (no-op without a dns section). Network failures become findings
  // (`dns_unreachable`); an error status means the state store failed.
  Result<std::vector<Finding>> Run(const TargetConfig& target);

  // Records the answers every server gives now as the accepted baseline for `target` and
  // clears its mismatch counters. Returns how many answers were recorded. UNAVAILABLE if no
  // authoritative server answers.
  Result<int> Accept(const TargetConfig& target);

 private:
  const DnsGlobalConfig& global_;
  StateStore* state_;
  const TimeSource& clock_;
};

}  // namespace gs::monitor
