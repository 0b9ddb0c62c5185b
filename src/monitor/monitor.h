// Monitor: runs rounds of every configured check over every target, writes findings to an
// audit RecordSink, and records accepted baselines. The CLI (`govshield monitor`) and tests
// drive it; it owns no threads (Run blocks the caller until `stop` is set).
#pragma once

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "audit/sink.h"
#include "core/status.h"
#include "core/time.h"
#include "monitor/alert.h"
#include "monitor/config.h"
#include "monitor/finding.h"
#include "monitor/state_store.h"

namespace gs::monitor {

class Monitor {
 public:
  // Opens the state database named by `config.state_path`. `sink` may be null (findings are
  // only returned); when given it must outlive the Monitor. `clock` likewise.
  static Result<std::unique_ptr<Monitor>> Create(MonitorConfig config, audit::RecordSink* sink,
                                                 const TimeSource& clock);

  // One round over all targets; returns every finding seen in it. HTTP fetches of every
  // target (availability probes, content views) run together in one libcurl multi; the
  // blocking DNS and TLS checks run on `config.workers` threads. Findings come back grouped
  // per target in configuration order. With a sink or webhooks, the audit log (and the
  // webhooks) get deduplicated events: a finding is written when it first appears (and again once a
  // day while it persists, "repeat": true); a previously written finding that is no longer
  // seen gets a {"type":"finding_resolved"} record. Open findings live in the state database,
  // so a restart neither repeats nor forgets them.
  // An error means state or sink failed, not that a target is down (that is a finding).
  Result<std::vector<Finding>> RunOnce();

  // Records what `target` serves now (DNS answers, certificate) as its legitimate baseline.
  // NOT_FOUND if no such target. Returns the number of baseline entries written.
  Result<int> Accept(const std::string& target);

  // Rounds every interval ± jitter until `stop` becomes true (checked every 100 ms). Round
  // errors are logged and do not stop the loop. `on_round` (optional) sees each round's result.
  Status Run(const std::atomic<bool>& stop,
             const std::function<void(const Result<std::vector<Finding>>&)>& on_round = {});

  const MonitorConfig& config() const { return config_; }

  // What happened to the alerts of the last round: events written, webhook deliveries.
  struct RoundReport {
    int events = 0;
    std::vector<WebhookDelivery> webhooks;
    double seconds = 0;
    double fetch_seconds = 0;  // the shared libcurl-multi phase (availability + content)
  };
  const RoundReport& last_round() const { return last_round_; }

 private:
  Monitor(MonitorConfig config, std::unique_ptr<StateStore> state, audit::RecordSink* sink,
          const TimeSource& clock)
      : config_(std::move(config)), state_(std::move(state)), sink_(sink), clock_(clock) {}

  // Deduplicates against the open findings in the state store and returns the events to
  // write (new, daily repeat, resolved), updating the state.
  Result<std::vector<nlohmann::json>> Deduplicate(const std::vector<Finding>& findings);

  MonitorConfig config_;
  std::unique_ptr<StateStore> state_;
  audit::RecordSink* sink_;
  const TimeSource& clock_;
  RoundReport last_round_;
};

}  // namespace gs::monitor
