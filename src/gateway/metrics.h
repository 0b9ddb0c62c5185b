// Gateway counters for the admin port's Prometheus text endpoint. Updated with relaxed atomics
// from every worker (a counter is a sum; exact cross-counter consistency is not needed).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace gs::gateway {

struct Metrics {
  // Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit.
  static constexpr std::array<double, 12> kLatencyBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> responses_by_class[6] = {};  // index status/100 (0: none)
  std::atomic<uint64_t> blocked_waf{0}, blocked_access{0}, blocked_cc{0}, blocked_other{0};
  std::atomic<uint64_t> rejected_malformed{0};  // 400/413/431 from the strict parser
  std::atomic<uint64_t> upstream_errors{0};     // connect failures, timeouts, bad responses
  std::atomic<uint64_t> upstream_retries{0};
  std::atomic<uint64_t> timeouts{0};  // client header/body/idle timeouts
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> connections_refused{0};  // by a ConnectionFilter or the cap
  std::atomic<int64_t> connections_active{0};
  std::atomic<uint64_t> websocket_tunnels{0};
  std::atomic<uint64_t> websocket_idle_closed{0};  // tunnels closed by websocket_idle_timeout
  std::atomic<uint64_t> reloads{0}, reload_failures{0};
  std::atomic<uint64_t> latency_buckets[kLatencyBounds.size() + 1] = {};
  std::atomic<uint64_t> latency_sum_us{0};
  std::atomic<uint64_t> latency_count{0};

  void ObserveLatency(int64_t nanos);
  void CountBlock(std::string_view blocked_by);
  // Prometheus text exposition format 0.0.4. `audit_*` come from the AuditWriter.
  std::string Render(uint64_t audit_written, uint64_t audit_dropped, uint64_t audit_failed) const;
};

}  // namespace gs::gateway
