// The availability check, measured the way the national spot-check measures it: each round
// loads the configured page once (libcurl, whole response within `timeout`, default 15 s; a
// transport error or HTTP status >= 400 also fails), records the outcome with the injected
// clock's time in the state store, and computes the failure ratio over the rolling window
// (default 7 days). Ratio >= veto_ratio (5%) → `availability_veto` (critical); >= warn_ratio
// (3%) → `availability_warning` (medium). No verdict before `min_probes` probes in the window.
#pragma once

#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "monitor/config.h"
#include "monitor/finding.h"
#include "monitor/http_fetcher.h"
#include "monitor/state_store.h"

namespace gs::monitor {

struct ProbeOutcome {
  bool ok = false;
  int64_t latency_ms = 0;
  long http_status = 0;
  std::string error;
};

// One page load (blocking). Uses the monotonic clock of `clock` for latency.
ProbeOutcome ProbePage(const AvailabilityTargetConfig& cfg, const TimeSource& clock);

class AvailabilityCheck {
 public:
  AvailabilityCheck(StateStore* state, const TimeSource& clock) : state_(state), clock_(clock) {}
  // Probes once, records it and evaluates the window. Error only for state failures.
  Result<std::vector<Finding>> Run(const TargetConfig& target);

  // The probe of `target` as a request for a shared HttpFetcher round (rounds batch every
  // target's probe into one libcurl multi), and the evaluation of its result.
  static FetchRequest Request(const TargetConfig& target);
  Result<std::vector<Finding>> Evaluate(const TargetConfig& target, const ProbeOutcome& probe);
  static ProbeOutcome FromFetch(const FetchResult& r);

 private:
  StateStore* state_;
  const TimeSource& clock_;
};

}  // namespace gs::monitor
