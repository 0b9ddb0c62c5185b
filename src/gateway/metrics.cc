// Prometheus rendering of the gateway counters (metrics.h).
#include "gateway/metrics.h"

#include <cstdio>
#include <string_view>

namespace gs::gateway {

void Metrics::ObserveLatency(int64_t nanos) {
  double s = static_cast<double>(nanos) / 1e9;
  size_t i = 0;
  while (i < kLatencyBounds.size() && s > kLatencyBounds[i]) ++i;
  latency_buckets[i].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us.fetch_add(static_cast<uint64_t>(nanos / 1000), std::memory_order_relaxed);
  latency_count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::CountBlock(std::string_view by) {
  if (by == "waf") {
    blocked_waf.fetch_add(1, std::memory_order_relaxed);
  } else if (by == "access") {
    blocked_access.fetch_add(1, std::memory_order_relaxed);
  } else if (by == "cc") {
    blocked_cc.fetch_add(1, std::memory_order_relaxed);
  } else {
    blocked_other.fetch_add(1, std::memory_order_relaxed);
  }
}

namespace {
void Counter(std::string* out, const char* name, const char* help, uint64_t v,
             const char* type = "counter") {
  *out += "# HELP ";
  *out += name;
  *out += ' ';
  *out += help;
  *out += "\n# TYPE ";
  *out += name;
  *out += ' ';
  *out += type;
  *out += '\n';
  *out += name;
  *out += ' ';
  *out += std::to_string(v);
  *out += '\n';
}
}  // namespace

std::string Metrics::Render(uint64_t audit_written, uint64_t audit_dropped,
                            uint64_t audit_failed) const {
  std::string o;
  o.reserve(4096);
  Counter(&o, "govshield_gateway_requests_total", "Requests whose head was parsed.",
          requests.load());
  o += "# HELP govshield_gateway_responses_total Responses sent, by status class.\n"
       "# TYPE govshield_gateway_responses_total counter\n";
  for (int c = 1; c <= 5; ++c)
    o += "govshield_gateway_responses_total{class=\"" + std::to_string(c) + "xx\"} " +
         std::to_string(responses_by_class[c].load()) + "\n";
  o += "# HELP govshield_gateway_blocked_total Requests refused by a filter.\n"
       "# TYPE govshield_gateway_blocked_total counter\n";
  o += "govshield_gateway_blocked_total{by=\"waf\"} " + std::to_string(blocked_waf.load()) + "\n";
  o += "govshield_gateway_blocked_total{by=\"access\"} " + std::to_string(blocked_access.load()) +
       "\n";
  o += "govshield_gateway_blocked_total{by=\"cc\"} " + std::to_string(blocked_cc.load()) + "\n";
  o += "govshield_gateway_blocked_total{by=\"other\"} " + std::to_string(blocked_other.load()) +
       "\n";
  Counter(&o, "govshield_gateway_rejected_malformed_total",
          "Requests refused by the strict HTTP parser (smuggling shapes, limits).",
          rejected_malformed.load());
  Counter(&o, "govshield_gateway_upstream_errors_total",
          "Upstream connect failures, timeouts and unparsable responses.", upstream_errors.load());
  Counter(&o, "govshield_gateway_upstream_retries_total",
          "Requests retried on another connection or server.", upstream_retries.load());
  Counter(&o, "govshield_gateway_timeouts_total", "Client header/body/idle timeouts.",
          timeouts.load());
  Counter(&o, "govshield_gateway_connections_accepted_total", "Client connections accepted.",
          connections_accepted.load());
  Counter(&o, "govshield_gateway_connections_refused_total",
          "Client connections refused (cap or connection filter).", connections_refused.load());
  Counter(&o, "govshield_gateway_connections_active", "Open client connections.",
          static_cast<uint64_t>(connections_active.load() < 0 ? 0 : connections_active.load()),
          "gauge");
  Counter(&o, "govshield_gateway_websocket_tunnels_total", "WebSocket upgrades passed through.",
          websocket_tunnels.load());
  Counter(&o, "govshield_gateway_websocket_idle_closed_total",
          "WebSocket tunnels closed after websocket_idle_timeout without traffic.",
          websocket_idle_closed.load());
  Counter(&o, "govshield_gateway_reloads_total", "Successful config reloads.", reloads.load());
  Counter(&o, "govshield_gateway_reload_failures_total",
          "Reloads refused (the old config stayed active).", reload_failures.load());
  Counter(&o, "govshield_gateway_audit_records_written_total", "Audit records appended.",
          audit_written);
  Counter(&o, "govshield_gateway_audit_records_dropped_total",
          "Audit records dropped because the queue was full.", audit_dropped);
  Counter(&o, "govshield_gateway_audit_records_failed_total", "Audit records the store refused.",
          audit_failed);
  o += "# HELP govshield_gateway_request_duration_seconds Time from request head to response "
       "end.\n# TYPE govshield_gateway_request_duration_seconds histogram\n";
  uint64_t cum = 0;
  char le[32];
  for (size_t i = 0; i < kLatencyBounds.size(); ++i) {
    cum += latency_buckets[i].load();
    std::snprintf(le, sizeof(le), "%g", kLatencyBounds[i]);
    o += "govshield_gateway_request_duration_seconds_bucket{le=\"" + std::string(le) + "\"} " +
         std::to_string(cum) + "\n";
  }
  cum += latency_buckets[kLatencyBounds.size()].load();
  o += "govshield_gateway_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(cum) +
       "\n";
  std::snprintf(le, sizeof(le), "%.6f", static_cast<double>(latency_sum_us.load()) / 1e6);
  o += "govshield_gateway_request_duration_seconds_sum " + std::string(le) + "\n";
  o += "govshield_gateway_request_duration_seconds_count " + std::to_string(latency_count.load()) +
       "\n";
  return o;
}

}  // namespace gs::gateway
