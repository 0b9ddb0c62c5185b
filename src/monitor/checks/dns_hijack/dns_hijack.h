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

#include <memory>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "monitor/config.h"
#include "monitor/finding.h"
#include "monitor/state_store.h"

namespace gs::monitor {

// Answers of the zone-level queries (apex NS and SOA, DS at the parent, the random-label
// wildcard probe and the resolvers' answers to it) shared by every target of the same zone and
// servers within one round: a round over many sites of one zone asks them once, not once per
// site. Findings and baselines stay per target. Thread-safe; concurrent askers of one key wait
// for the first.
class DnsZoneCache {
 public:
  DnsZoneCache();
  ~DnsZoneCache();
  DnsZoneCache(const DnsZoneCache&) = delete;
  DnsZoneCache& operator=(const DnsZoneCache&) = delete;
  struct Impl;  // defined in dns_hijack.cc
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

class DnsHijackCheck {
 public:
  // `state`, `clock` and `zone_cache` (optional; one per round) must outlive the check.
  DnsHijackCheck(const DnsGlobalConfig& global, StateStore* state, const TimeSource& clock,
                 DnsZoneCache* zone_cache = nullptr)
      : global_(global), state_(state), clock_(clock), zone_cache_(zone_cache) {}

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
  DnsZoneCache* zone_cache_;
};

}  // namespace gs::monitor
