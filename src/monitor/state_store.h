// StateStore: the monitor's persistent state in one SQLite file, so a restart keeps accepted
// baselines (DNS answers, certificate fingerprints) and hysteresis counters.
//
// Keys are free-form strings chosen by the checks: `kind` says which check owns the row
// ("dns", "tls_fp"), `target` is the configured target name, `key` names the thing inside it.
// Thread-safe (one connection guarded by a mutex); every write is its own transaction.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gs::monitor {

class StateStore {
 public:
  // Opens or creates the database (and its tables). IO_ERROR if SQLite cannot open it.
  static Result<std::unique_ptr<StateStore>> Open(const std::string& path);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // The accepted value for (kind, target, key), or nullopt when none was recorded.
  Result<std::optional<std::string>> GetBaseline(const std::string& kind, const std::string& target,
                                                 const std::string& key);
  Status PutBaseline(const std::string& kind, const std::string& target, const std::string& key,
                     const std::string& value, UnixNanos ts);
  // Removes every baseline of (kind, target) whose key starts with `key_prefix`.
  Status DeleteBaselines(const std::string& kind, const std::string& target,
                         const std::string& key_prefix);

  // Consecutive-mismatch counters for hysteresis. Increment returns the new count.
  Result<int> IncrementStreak(const std::string& target, const std::string& key);
  Status ResetStreak(const std::string& target, const std::string& key);

  // Findings already reported to the audit log and not yet resolved, keyed by
  // "target|check|subject"; value = when it was last written to the log.
  Result<std::vector<std::pair<std::string, UnixNanos>>> ListOpenFindings();
  Status PutOpenFinding(const std::string& key, UnixNanos last_reported);
  Status DeleteOpenFinding(const std::string& key);

  // Availability probe history: one row per probe (the rolling window needs every outcome).
  Status RecordProbe(const std::string& target, UnixNanos ts, bool ok, int64_t latency_ms);
  struct ProbeStats {
    int64_t total = 0;
    int64_t failed = 0;
  };
  // Probes of `target` with since < ts <= until.
  Result<ProbeStats> GetProbeStats(const std::string& target, UnixNanos since, UnixNanos until);
  // Deletes probes of every target older than `before` (history beyond the longest window).
  Status PruneProbes(UnixNanos before);

 private:
  explicit StateStore(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  std::mutex mu_;
  sqlite3* db_;
  std::map<const char*, sqlite3_stmt*> stmts_;  // prepared once, by SQL literal (state_store.cc)
};

}  // namespace gs::monitor
