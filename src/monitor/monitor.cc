// Monitor round loop (see monitor.h).
#include "monitor/monitor.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/log.h"
#include "monitor/checks/availability/availability_check.h"
#include "monitor/checks/content/content_check.h"
#include "monitor/checks/content/html_extract.h"
#include "monitor/checks/dns_hijack/dns_hijack.h"
#include "monitor/checks/tls/tls_check.h"

namespace gs::monitor {

Result<std::unique_ptr<Monitor>> Monitor::Create(MonitorConfig config, audit::RecordSink* sink,
                                                 const TimeSource& clock) {
  GS_ASSIGN_OR_RETURN(auto state, StateStore::Open(config.state_path));
  InitTlsLibraries();
  InitHtmlParser();
  return std::unique_ptr<Monitor>(new Monitor(std::move(config), std::move(state), sink, clock));
}

Result<std::vector<Finding>> Monitor::RunOnce() {
  const int64_t started = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now().time_since_epoch())
                              .count();
  const size_t n = config_.targets.size();
  std::vector<std::vector<Finding>> per_target(n);
  std::vector<Status> errors(n);

  // 1. Every HTTP fetch of the round in one libcurl multi.
  std::vector<FetchRequest> requests;
  std::vector<size_t> avail_at(n, SIZE_MAX), content_at(n, SIZE_MAX), content_count(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const TargetConfig& t = config_.targets[i];
    auto c = ContentCheck::Requests(t);
    if (!c.empty()) {
      content_at[i] = requests.size();
      content_count[i] = c.size();
      for (auto& r : c) requests.push_back(std::move(r));
    }
    if (!t.availability.enabled) continue;
    // The content check's browser view of the same page is the availability probe too: one
    // page load per target, judged by both checks.
    FetchRequest probe = AvailabilityCheck::Request(t);
    if (!c.empty() && requests[content_at[i]].url == probe.url &&
        requests[content_at[i]].connect == probe.connect &&
        requests[content_at[i]].timeout_nanos == probe.timeout_nanos) {
      avail_at[i] = content_at[i];
      continue;
    }
    avail_at[i] = requests.size();
    requests.push_back(std::move(probe));
  }
  FetcherOptions fo;
  fo.max_concurrency = config_.http_concurrency;
  fo.max_per_host = config_.http_per_host;
  std::vector<FetchResult> fetched = FetchAll(requests, fo);
  const int64_t fetched_at = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count();

  // 2. DNS and TLS (blocking, per target) on worker threads; HTTP evaluation alongside.
  DnsZoneCache zone_cache;  // zone NS/SOA/DS/wildcard asked once per zone this round
  DnsHijackCheck dns(config_.dns, state_.get(), clock_, &zone_cache);
  TlsCheck tls(state_.get(), clock_);
  AvailabilityCheck availability(state_.get(), clock_);
  ContentCheck content(state_.get(), clock_);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      const TargetConfig& t = config_.targets[i];
      std::vector<Finding>& out = per_target[i];
      auto add = [&](Result<std::vector<Finding>> r) {
        if (!r.ok()) {
          errors[i] = r.status();
          return;
        }
        for (auto& f : *r) out.push_back(std::move(f));
      };
      if (avail_at[i] != SIZE_MAX)
        add(availability.Evaluate(t, AvailabilityCheck::FromFetch(fetched[avail_at[i]])));
      add(dns.Run(t));
      add(tls.Run(t));
      if (content_at[i] != SIZE_MAX)
        add(content.Evaluate(
            t, std::span<const FetchResult>(fetched.data() + content_at[i], content_count[i])));
    }
  };
  const size_t workers = std::min<size_t>(static_cast<size_t>(std::max(1, config_.workers)), n);
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  for (const auto& e : errors) GS_RETURN_IF_ERROR(e);

  std::vector<Finding> all;
  int64_t longest_window = 0;
  for (size_t i = 0; i < n; ++i) {
    for (auto& f : per_target[i]) all.push_back(std::move(f));
    longest_window = std::max(longest_window, config_.targets[i].availability.window_nanos);
  }
  // Keep one extra day of probe history beyond the longest window.
  GS_RETURN_IF_ERROR(state_->PruneProbes(clock_.Now() - longest_window - kNanosPerDay));

  last_round_ = RoundReport{};
  last_round_.fetch_seconds = static_cast<double>(fetched_at - started) / 1e9;
  if (sink_ != nullptr || !config_.webhooks.empty()) {
    GS_ASSIGN_OR_RETURN(auto events, Deduplicate(all));
    last_round_.events = static_cast<int>(events.size());
    if (sink_ != nullptr) {
      for (const auto& e : events) {
        auto seq = sink_->Append(e.dump());
        if (!seq.ok()) return seq.status().WithContext("writing monitor finding to the audit log");
      }
    }
    if (!events.empty() && !config_.webhooks.empty()) {
      last_round_.webhooks = SendWebhooks(config_.webhooks, events, clock_);
      for (const auto& d : last_round_.webhooks)
        if (!d.delivered)
          LogWarning("monitor", "webhook " + d.url + " not delivered after " +
                                    std::to_string(d.attempts) + " attempts: " +
                                    (d.last_error.empty() ? "HTTP " + std::to_string(d.last_status)
                                                          : d.last_error));
    }
  }
  last_round_.seconds = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                std::chrono::steady_clock::now().time_since_epoch())
                                                .count() -
                                            started) /
                        1e9;
  return all;
}

Result<std::vector<nlohmann::json>> Monitor::Deduplicate(const std::vector<Finding>& findings) {
  constexpr int64_t kRepeatEvery = kNanosPerDay;
  const UnixNanos now = clock_.Now();
  std::vector<nlohmann::json> events;
  GS_ASSIGN_OR_RETURN(auto open_list, state_->ListOpenFindings());
  std::map<std::string, UnixNanos> open(open_list.begin(), open_list.end());
  std::set<std::string> seen;
  for (const auto& f : findings) {
    std::string key = f.target + "|" + f.check + "|" + f.subject;
    if (!seen.insert(key).second) continue;
    auto it = open.find(key);
    if (it != open.end() && now - it->second < kRepeatEvery) continue;
    nlohmann::json j = FindingToJson(f, now);
    if (it != open.end()) j["repeat"] = true;
    events.push_back(std::move(j));
    GS_RETURN_IF_ERROR(state_->PutOpenFinding(key, now));
  }
  for (const auto& [key, when] : open) {
    if (seen.count(key)) continue;
    size_t a = key.find('|'), b = key.find('|', a + 1);
    events.push_back({{"ts", FormatRfc3339(now)},
                      {"source", "monitor"},
                      {"type", "finding_resolved"},
                      {"target", key.substr(0, a)},
                      {"check", key.substr(a + 1, b - a - 1)},
                      {"subject", key.substr(b + 1)}});
    GS_RETURN_IF_ERROR(state_->DeleteOpenFinding(key));
  }
  return events;
}

Result<int> Monitor::Accept(const std::string& name) {
  const TargetConfig* target = config_.FindTarget(name);
  if (target == nullptr) return NotFoundError("no monitor target named \"" + name + "\"");
  DnsHijackCheck dns(config_.dns, state_.get(), clock_);
  TlsCheck tls(state_.get(), clock_);
  ContentCheck content(state_.get(), clock_);
  GS_ASSIGN_OR_RETURN(int n1, dns.Accept(*target));
  GS_ASSIGN_OR_RETURN(int n2, tls.Accept(*target));
  GS_ASSIGN_OR_RETURN(int n3, content.Accept(*target));
  return n1 + n2 + n3;
}

Status Monitor::Run(const std::atomic<bool>& stop,
                    const std::function<void(const Result<std::vector<Finding>>&)>& on_round) {
  std::mt19937_64 rng(static_cast<uint64_t>(clock_.MonotonicNanos()));
  while (!stop.load()) {
    auto r = RunOnce();
    if (!r.ok()) LogError("monitor", "round failed: " + r.status().ToString());
    if (on_round) on_round(r);
    // Jitter spreads many monitor nodes (and many targets later) over the interval.
    int64_t j = config_.jitter_nanos;
    std::uniform_int_distribution<int64_t> dist(-j, j);
    int64_t wait = config_.interval_nanos + (j > 0 ? dist(rng) : 0);
    int64_t deadline = clock_.MonotonicNanos() + wait;
    while (!stop.load() && clock_.MonotonicNanos() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status::Ok();
}

}  // namespace gs::monitor
