// Monitor round loop (see monitor.h).
#include "monitor/monitor.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/log.h"
#include "monitor/checks/availability/availability_check.h"
#include "monitor/checks/dns_hijack/dns_hijack.h"
#include "monitor/checks/tls/tls_check.h"

namespace gs::monitor {

Result<std::unique_ptr<Monitor>> Monitor::Create(MonitorConfig config, audit::RecordSink* sink,
                                                 const TimeSource& clock) {
  GS_ASSIGN_OR_RETURN(auto state, StateStore::Open(config.state_path));
  InitTlsLibraries();
  return std::unique_ptr<Monitor>(new Monitor(std::move(config), std::move(state), sink, clock));
}

Result<std::vector<Finding>> Monitor::RunOnce() {
  std::vector<Finding> all;
  DnsHijackCheck dns(config_.dns, state_.get(), clock_);
  TlsCheck tls(state_.get(), clock_);
  AvailabilityCheck availability(state_.get(), clock_);
  int64_t longest_window = 0;
  for (const auto& target : config_.targets) {
    GS_ASSIGN_OR_RETURN(auto f0, availability.Run(target));
    GS_ASSIGN_OR_RETURN(auto f1, dns.Run(target));
    GS_ASSIGN_OR_RETURN(auto f2, tls.Run(target));
    for (auto* fs : {&f0, &f1, &f2})
      for (auto& f : *fs) all.push_back(std::move(f));
    longest_window = std::max(longest_window, target.availability.window_nanos);
  }
  // Keep one extra day of probe history beyond the longest window.
  GS_RETURN_IF_ERROR(state_->PruneProbes(clock_.Now() - longest_window - kNanosPerDay));
  if (sink_ != nullptr) GS_RETURN_IF_ERROR(ReportToSink(all));
  return all;
}

Status Monitor::ReportToSink(const std::vector<Finding>& findings) {
  constexpr int64_t kRepeatEvery = kNanosPerDay;
  const UnixNanos now = clock_.Now();
  GS_ASSIGN_OR_RETURN(auto open_list, state_->ListOpenFindings());
  std::map<std::string, UnixNanos> open(open_list.begin(), open_list.end());
  std::set<std::string> seen;
  auto append = [&](const nlohmann::json& j) -> Status {
    auto seq = sink_->Append(j.dump());
    if (!seq.ok()) return seq.status().WithContext("writing monitor finding to the audit log");
    return Status::Ok();
  };
  for (const auto& f : findings) {
    std::string key = f.target + "|" + f.check + "|" + f.subject;
    if (!seen.insert(key).second) continue;
    auto it = open.find(key);
    if (it != open.end() && now - it->second < kRepeatEvery) continue;
    nlohmann::json j = FindingToJson(f, now);
    if (it != open.end()) j["repeat"] = true;
    GS_RETURN_IF_ERROR(append(j));
    GS_RETURN_IF_ERROR(state_->PutOpenFinding(key, now));
  }
  for (const auto& [key, when] : open) {
    if (seen.count(key)) continue;
    size_t a = key.find('|'), b = key.find('|', a + 1);
    nlohmann::json j = {{"ts", FormatRfc3339(now)},
                        {"source", "monitor"},
                        {"type", "finding_resolved"},
                        {"target", key.substr(0, a)},
                        {"check", key.substr(a + 1, b - a - 1)},
                        {"subject", key.substr(b + 1)}};
    GS_RETURN_IF_ERROR(append(j));
    GS_RETURN_IF_ERROR(state_->DeleteOpenFinding(key));
  }
  return Status::Ok();
}

Result<int> Monitor::Accept(const std::string& name) {
  const TargetConfig* target = config_.FindTarget(name);
  if (target == nullptr) return NotFoundError("no monitor target named \"" + name + "\"");
  DnsHijackCheck dns(config_.dns, state_.get(), clock_);
  TlsCheck tls(state_.get(), clock_);
  GS_ASSIGN_OR_RETURN(int n1, dns.Accept(*target));
  GS_ASSIGN_OR_RETURN(int n2, tls.Accept(*target));
  return n1 + n2;
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
