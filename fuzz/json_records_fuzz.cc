// Fuzz target: HTTP/JSON ingest bodies (object, array, NDJSON) → records. Invariants: no crash or
// stack exhaustion on deep nesting; every record produced is one valid JSON object with "ts".
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "logingest/json_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = gs::logingest::JsonBodyToRecords(body, 1'764'000'000LL * gs::kNanosPerSecond, 1000);
  if (!r.ok()) return 0;
  for (const auto& rec : *r) {
    auto j = nlohmann::json::parse(rec, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("ts")) std::abort();
    if (rec.find('\n') != std::string::npos) std::abort();  // one record = one NDJSON line
  }
  return 0;
}
