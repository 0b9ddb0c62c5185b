// Coverage-guided differential fuzzer (development tool, not part of the build): aborts when our
// @detectSQLi and the libinjection_sqli() exported by libmodsecurity3 disagree on the verdict or
// on the fingerprint of a match. Build and run by hand (clang, libFuzzer):
//   B=build/release/src   # after ninja -C build/release gs_operators
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address -Isrc tools/sqli/sqli_diff_fuzz.cc \
//     src/ruleengine/operators/detect_sqli.cc $B/ruleengine/operators/libgs_operators.a \
//     $B/platform/libgs_platform.a $B/core/libgs_core.a -lpcre2-8 -lhs -lmaxminddb \
//     -lmodsecurity -o /tmp/sqli_diff_fuzz
//   /tmp/sqli_diff_fuzz -max_total_time=600 /tmp/sqli_fuzz_corpus fuzz/corpus/operators
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "ruleengine/operators/internal.h"

extern "C" int libinjection_sqli(const char* s, size_t slen, char fingerprint[]);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  char ours_fp[8];
  bool ours = gs::operators::internal::DetectSqli(in, ours_fp);
  char lib_fp[8] = {};
  bool lib = libinjection_sqli(in.data(), in.size(), lib_fp) != 0;
  if (ours != lib || (ours && std::strcmp(ours_fp, lib_fp) != 0)) std::abort();
  return 0;
}
