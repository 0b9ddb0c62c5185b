// Fuzz target for the CRS runner's parsers: go-ftw YAML (ParseFtwYaml, then BuildFtwRequest on
// every stage) and the front-server emulation's raw request parsing (EmulateFrontServer, then
// the echo backend). The first byte selects which; neither may crash or hang on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "waf/conformance/ftw.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace gs::waf::conformance;
  if (data[0] & 1) {
    auto tests = ParseFtwYaml(in, "fuzz.yaml");
    if (tests.ok()) {
      for (const FtwTest& t : *tests) {
        for (const FtwStage& s : t.stages) {
          FrontResult r = EmulateFrontServer(BuildFtwRequest(s.input), "127.0.0.1", 80);
          if (r.kind == FrontResult::Kind::kForwarded) EmulateBackend(&r.exchange);
        }
      }
    }
  } else {
    FrontResult r = EmulateFrontServer(in, "127.0.0.1", 80);
    if (r.kind == FrontResult::Kind::kForwarded) EmulateBackend(&r.exchange);
  }
  return 0;
}
