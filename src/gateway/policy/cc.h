// CC (HTTP flood) defence: the decisions the proxy asks for on every connection and request.
//
//  - Token buckets per client IP and per (IP, path rule) with bursts: a request takes one token;
//    an empty bucket means 429.
//  - Connection caps per IP, checked at accept.
//  - Slow-client thresholds (slowloris: request headers not complete within header_timeout;
//    slow POST: after body_grace, fewer than body_min_rate bytes/s on average). The proxy asks
//    with its own timestamps and closes the connection on a verdict; ReportSlowClient counts it.
//  - Offences (limited requests, refused connections, slow clients) within a window lead to a
//    temporary ban; a ban repeated before `forget_after` lasts `escalation` times longer, up to
//    `max_duration`. Bans expire by themselves (checked lazily against the caller's clock).
//  - Counters for Prometheus.
//  - IPv6 clients are keyed by their /64 (configurable), IPv4 clients by address.
//
// Concurrency and memory: state is split into 64 shards by client-address hash, each behind
// its own mutex (one uncontended lock per request); each shard holds at most
// max_tracked_clients/64 clients and as many (IP, path) buckets, evicting the least recently
// used (skipping clients that are banned, so an address spray cannot wash out bans). Per
// request work is O(1): one hash lookup per bucket plus the path-rule scan (rules are few).
// All methods are thread-safe. Times are CLOCK_MONOTONIC nanoseconds from the caller
// (TimeSource::MonotonicNanos), so tests inject a clock.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "gateway/policy/ip.h"

namespace gs::gateway::policy {

struct BucketSpec {
  double rate = 0;   // tokens per second; 0 = this bucket is off
  double burst = 0;  // bucket size (>= 1 when rate > 0)
};

struct PathLimit {
  std::string prefix;  // first matching rule wins; compared on the normalised path (access.h)
  BucketSpec bucket;
};

struct CcOptions {
  BucketSpec per_ip{50, 100};
  std::vector<PathLimit> per_path;
  int max_connections_per_ip = 64;  // 0 = no cap
  int64_t header_timeout_ns = 10 * kNanosPerSecond;
  int64_t body_grace_ns = 5 * kNanosPerSecond;
  double body_min_rate = 256;  // bytes/s averaged since the body started; 0 = off
  // Bans.
  int ban_after_offences = 200;  // 0 = never ban
  int64_t ban_window_ns = 10 * kNanosPerSecond;
  int slow_offence_weight = 20;  // a slow client or a refused connection counts this much
  int64_t ban_duration_ns = 60 * kNanosPerSecond;
  double ban_escalation = 2.0;
  int64_t ban_max_duration_ns = 24 * 3600 * kNanosPerSecond;
  int64_t ban_forget_after_ns = 24 * 3600 * kNanosPerSecond;
  // IPv6 clients are tracked per prefix of this length (64: one subscriber's LAN).
  int ipv6_prefix_len = 64;
  // Memory bound.
  size_t max_tracked_clients = 262'144;
  CidrSet exempt;  // never limited (monitoring, internal load balancers)
};

enum class CcVerdict { kAllow, kLimited, kBanned };
std::string_view CcVerdictName(CcVerdict v);  // "allow" / "limited" / "banned"

struct CcDecision {
  CcVerdict verdict = CcVerdict::kAllow;
  int status = 200;             // 429 unless allowed
  int64_t retry_after_ns = 0;   // when a token (or the ban's end) is expected
  std::string_view bucket;      // "ip", the path rule's prefix, or "ban"
  bool ban_started = false;     // this call started (or extended) a ban
  int64_t ban_duration_ns = 0;  // when ban_started
  uint32_t ban_level = 0;       // 1 for a first ban, 2 for the next, ...
};

enum class SlowVerdict { kOk, kHeaderTimeout, kBodyTooSlow };
std::string_view SlowVerdictName(SlowVerdict v);

struct CcCounters {
  uint64_t allowed = 0;
  uint64_t limited = 0;
  uint64_t banned = 0;  // requests/connections refused because of an active ban
  uint64_t bans_started = 0;
  uint64_t connections_refused = 0;  // over the per-IP cap
  uint64_t slow_headers = 0;
  uint64_t slow_bodies = 0;
  uint64_t evictions = 0;
  uint64_t tracked_clients = 0;  // gauge
  uint64_t active_bans = 0;      // gauge (as of the scrape's `now`)
};

class CcGuard {
 public:
  explicit CcGuard(CcOptions options);
  ~CcGuard();
  CcGuard(const CcGuard&) = delete;
  CcGuard& operator=(const CcGuard&) = delete;

  // One request from `ip` for `path`, at monotonic time `now`.
  CcDecision OnRequest(const IpAddress& ip, std::string_view path, int64_t now);

  // A new connection from `ip`. kBanned / kLimited (over the cap) mean: close it now. Every
  // kAllow must be paired with exactly one OnConnectionClose.
  CcVerdict OnConnectionOpen(const IpAddress& ip, int64_t now);
  void OnConnectionClose(const IpAddress& ip);

  // Slowloris: headers started at `started` and are not complete at `now`.
  SlowVerdict CheckHeaders(int64_t started, int64_t now) const;
  // Slow POST: the body started at `started` and `received` bytes have arrived by `now`.
  SlowVerdict CheckBody(int64_t started, uint64_t received, int64_t now) const;
  // The instant the proxy should check again (a timer deadline), for each kind.
  int64_t HeaderDeadline(int64_t started) const { return started + options_.header_timeout_ns; }
  // Counts a slow client as an offence (may start a ban; the decision says so).
  CcDecision ReportSlowClient(const IpAddress& ip, SlowVerdict why, int64_t now);

  // Whether `ip` is banned at `now`, without touching buckets.
  bool IsBanned(const IpAddress& ip, int64_t now) const;

  // Counters; the gauges are computed by scanning the shards (O(tracked clients), for scrapes).
  CcCounters Counters(int64_t now) const;
  // Prometheus text exposition of Counters, with a `site` label.
  void AppendPrometheus(std::string_view site, int64_t now, std::string* out) const;

  // Approximate bytes held by the tracking tables (for the memory-bound test and metrics).
  size_t MemoryBytes() const;

  const CcOptions& options() const { return options_; }

 private:
  struct Shard;
  IpAddress ClientKey(const IpAddress& ip) const;
  Shard& ShardFor(const IpAddress& ip) const;

  CcOptions options_;
  std::unique_ptr<Shard[]> shards_;
  mutable std::atomic<uint64_t> allowed_{0}, limited_{0}, banned_{0}, bans_started_{0},
      conn_refused_{0}, slow_headers_{0}, slow_bodies_{0}, evictions_{0};
};

}  // namespace gs::gateway::policy
