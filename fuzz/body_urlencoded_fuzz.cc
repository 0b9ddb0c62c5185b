// Fuzz target for the urlencoded body processor. The first byte picks the argument separator
// and the arguments limit; the rest is the body. Beyond memory safety it checks that decoding
// never grows a string, that the result is deterministic, and the shared invariants.
#include <cstdint>
#include <string_view>

#include "body_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gs::body;
  if (size == 0) return 0;
  Limits limits;
  limits.argument_separator = (data[0] & 1) ? ';' : '&';
  limits.arguments_limit = (data[0] >> 1) & 7;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  BodyResult a, b;
  ParseUrlEncoded(in, Origin::kBody, limits, &a);
  ParseUrlEncoded(in, Origin::kBody, limits, &b);
  fuzz::CheckResult(a);
  fuzz::Check(a.args.size() == b.args.size(), "deterministic count");
  for (size_t i = 0; i < a.args.size(); ++i) {
    fuzz::Check(a.args[i].name == b.args[i].name && a.args[i].value == b.args[i].value,
                "deterministic args");
  }
  fuzz::Check(a.args_combined_size <= in.size(), "decoding never grows");
  fuzz::Check(limits.arguments_limit == 0 || a.args.size() <= limits.arguments_limit, "limit");
  return 0;
}
