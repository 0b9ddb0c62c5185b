// Fuzz target: syslog message parsing and record building. Invariants: the record is always one
// valid JSON object, and a record with anomalies preserves the input bytes exactly.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "logingest/syslog_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  const gs::UnixNanos recv = 1'764'000'000LL * gs::kNanosPerSecond;
  gs::logingest::SyslogMessage m = gs::logingest::ParseSyslog(raw, recv);
  gs::logingest::SyslogContext ctx{"udp", "127.0.0.1:1", recv, {}};
  size_t anomalies = 0;
  std::string rec = gs::logingest::SyslogToRecord(raw, m, ctx, &anomalies);
  auto j = nlohmann::json::parse(rec, nullptr, false);
  if (j.is_discarded() || !j.is_object()) std::abort();
  if (anomalies > 0 && !j.contains("raw") && !j.contains("raw_b64")) std::abort();
  if (j.contains("raw") && j["raw"].get<std::string>() != raw) std::abort();
  return 0;
}
