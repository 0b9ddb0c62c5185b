// Fuzz target for the XML body processor (libxml2, no network, no entity expansion). Checks
// that the collected text stays within the documented bound (4x input + 4 KB), that a
// document handle exists exactly when there is no error, and the shared invariants.
#include <cstdint>
#include <string_view>

#include "body_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gs::body;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  BodyResult r;
  ParseXml(in, Limits{}, &r);
  fuzz::CheckResult(r);
  fuzz::Check(r.xml_text.size() <= in.size() * 4 + 4096, "bounded amplification");
  fuzz::Check(static_cast<bool>(r.xml) != r.Has(Flag::kReqbodyError), "doc <-> no error");
  return 0;
}
