// Fuzz target for the JSON body processor (simdjson). The first byte sets the depth limit
// (1..64, or the default when 0). Checks that every ARGS name is rooted at "json" and the
// shared invariants.
#include <cstdint>
#include <string_view>

#include "body_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gs::body;
  if (size == 0) return 0;
  Limits limits;
  if ((data[0] & 63) != 0) limits.json_depth_limit = data[0] & 63;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  BodyResult r;
  ParseJson(in, limits, &r);
  fuzz::CheckResult(r);
  for (const Arg& a : r.args) {
    fuzz::Check(a.name.substr(0, 4) == "json", "names start with json");
    fuzz::Check(a.origin == Origin::kJson, "origin");
  }
  return 0;
}
