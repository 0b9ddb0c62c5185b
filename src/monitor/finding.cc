// Finding JSON encoding and severity names.
#include "monitor/finding.h"

#include <algorithm>

namespace gs::monitor {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

Result<Severity> ParseSeverity(std::string_view s) {
  for (int i = 0; i <= static_cast<int>(Severity::kCritical); ++i) {
    auto sev = static_cast<Severity>(i);
    if (SeverityName(sev) == s) return sev;
  }
  return InvalidArgumentError("unknown severity \"" + std::string(s) +
                              "\" (expected info, low, medium, high or critical)");
}

nlohmann::json FindingToJson(const Finding& f, UnixNanos ts) {
  nlohmann::json j;
  j["ts"] = FormatRfc3339(ts);
  j["source"] = "monitor";
  j["type"] = "finding";
  j["check"] = f.check;
  j["target"] = f.target;
  j["subject"] = f.subject;
  j["severity"] = SeverityName(f.severity);
  j["summary"] = f.summary;
  j["evidence"] = f.evidence;
  return j;
}

int MaxSeverity(const std::vector<Finding>& findings) {
  int m = -1;
  for (const auto& f : findings) m = std::max(m, static_cast<int>(f.severity));
  return m;
}

}  // namespace gs::monitor
