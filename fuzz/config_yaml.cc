// Fuzz target for config loading: arbitrary bytes through the yaml-cpp adapter and the binder
// of the top-level GovShield config. Must never crash, hang or leak; a failed load must say
// why (at least one diagnostic), and a successful one must be summarisable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/govshield_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gs::config::LoadOptions options;
  options.limits.max_bytes = 64 << 10;
  options.work_budget = 100'000;
  gs::config::LoadReport report;
  auto r = gs::config::ParseConfig<gs::config::GovShieldConfig>(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml", options, &report,
      "/fuzz");
  if (r.ok()) {
    if (report.total_errors != 0 || gs::config::Summarize(**r).empty()) __builtin_trap();
  } else {
    if (report.total_errors == 0 || report.errors.empty()) __builtin_trap();
    for (const auto& d : report.errors) {
      if (d.ToString().empty()) __builtin_trap();
    }
  }
  return 0;
}
