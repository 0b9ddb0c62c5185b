// Finding: one problem the monitor saw on one target, as the JSON record it becomes in the audit
// log ({"source":"monitor","type":"finding","check":..,"target":..,"severity":..,"evidence":{..}})
// and in `govshield monitor once --json` output.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace gs::monitor {

// Ordered: a "fail at" threshold compares with >=.
enum class Severity : int { kInfo = 0, kLow, kMedium, kHigh, kCritical };

std::string_view SeverityName(Severity s);
// "info", "low", "medium", "high", "critical"; INVALID_ARGUMENT otherwise.
Result<Severity> ParseSeverity(std::string_view s);

struct Finding {
  std::string check;    // e.g. "dns_hijack", "tls_cert_expired"
  std::string target;   // the configured target name
  std::string subject;  // what inside the target (a DNS name/type, host:port); dedup key part
  Severity severity = Severity::kMedium;
  std::string summary;  // one line for people
  nlohmann::json evidence = nlohmann::json::object();
};

// The audit record for `f` observed at `ts`.
nlohmann::json FindingToJson(const Finding& f, UnixNanos ts);

// Highest severity in `findings`, or nullopt-like -1 when empty.
int MaxSeverity(const std::vector<Finding>& findings);

}  // namespace gs::monitor
