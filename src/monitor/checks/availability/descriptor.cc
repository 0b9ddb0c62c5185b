// Descriptor and configuration schema of the availability check (national 15 s / 5% rule).
#include "monitor/check.h"

namespace gs::monitor {
namespace {

constexpr std::string_view kFindings[] = {"availability_veto", "availability_warning"};

constexpr ConfigField kTargetSchema[] = {
    {"url", FieldType::kString, "", "page probed each round (http:// or https://), required"},
    {"connect", FieldType::kString, "", "address to connect to instead of resolving the host"},
    {"timeout", FieldType::kDuration, "15s", "a probe fails if the page has not loaded by then"},
    {"window", FieldType::kDuration, "7d", "rolling window of the failure ratio"},
    {"veto_ratio", FieldType::kRatio, "0.05", "failure ratio of the veto-level finding"},
    {"warn_ratio", FieldType::kRatio, "0.03", "failure ratio of the early warning"},
    {"min_probes", FieldType::kInt, "20", "probes in the window before any ratio verdict"},
};

}  // namespace

const CheckDescriptor& AvailabilityDescriptor() {
  static const CheckDescriptor kDescriptor{
      "availability",
      "availability",
      "Loads the page each round (>= 20 a day: interval <= 72m); a probe fails when the page "
      "has not loaded within 15 s or answers an HTTP error; rolling 7-day failure ratio, veto at "
      "5%, early warning at 3%.",
      kFindings,
      kTargetSchema,
      {}};
  return kDescriptor;
}

}  // namespace gs::monitor
