// The top-level GovShield configuration: what `govshield up -c FILE` and
// `govshield config check -c FILE` read. It holds exactly the sections this build implements
// (today `audit` and `serve`); a section for a component this build lacks is an error, not
// silently ignored. docs/config.md describes every key.
//
// Each section is a plain struct whose member initialisers are the documented defaults, with a
// BindConfig declaring its keys (reader.h). The loaded config is immutable and shareable.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "config/reader.h"
#include "config/units.h"
#include "core/status.h"

namespace gs::config {

// When the audit store makes appended records durable.
enum class FsyncPolicy {
  kAlways,    // fsync after every record before acknowledging it
  kInterval,  // fsync at most every fsync_interval (records in between can be lost on power loss)
  kBatch,     // fsync once per appended batch (an NDJSON chunk, a TCP read, an HTTP request)
};
constexpr std::array<std::pair<std::string_view, FsyncPolicy>, 3> ConfigEnumEntries(FsyncPolicy) {
  return {{{"always", FsyncPolicy::kAlways},
           {"interval", FsyncPolicy::kInterval},
           {"batch", FsyncPolicy::kBatch}}};
}

// The minimum retention: the Regulation (Art. 20) requires logs to be kept at least one year.
inline constexpr int kMinRetentionDays = 365;

struct AuditSection {
  std::filesystem::path store;                  // required: the store directory
  std::filesystem::path key;                    // required: SM2 private key (PEM) for checkpoints
  std::optional<std::filesystem::path> pubkey;  // public key; derived from `key` when absent
  int retention_days = 400;
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  std::chrono::nanoseconds fsync_interval = std::chrono::milliseconds(100);
  ByteSize segment_max_bytes = MiB(64);
  std::chrono::nanoseconds segment_max_age = std::chrono::hours(24);
  int64_t checkpoint_every = 1000;  // records
  std::chrono::nanoseconds checkpoint_interval = std::chrono::seconds(1);
};
void BindConfig(MapReader& r, AuditSection* c);

// The audit ingest listeners. Ports: -1 disables the listener, 0 picks any free port.
struct ServeSection {
  std::string bind = "127.0.0.1";
  int syslog_udp_port = 0;
  int syslog_tcp_port = 0;
  int http_port = 0;
};
void BindConfig(MapReader& r, ServeSection* c);

inline constexpr int kConfigVersion = 1;

struct GovShieldConfig {
  int version = 0;  // required; must be kConfigVersion
  AuditSection audit;
  ServeSection serve;
};
void BindConfig(MapReader& r, GovShieldConfig* c);

// Loads and validates FILE. On failure returns INVALID_ARGUMENT listing every problem, and
// fills *report (when given) with them one by one.
Result<std::shared_ptr<const GovShieldConfig>> LoadGovShieldConfig(const std::string& path,
                                                                   LoadReport* report = nullptr,
                                                                   const LoadOptions& options = {});

// A commented example config that passes validation (`govshield config example`).
std::string_view ExampleConfigYaml();

// One line describing a loaded config, for `config check` and startup logs.
std::string Summarize(const GovShieldConfig& c);

}  // namespace gs::config
