// Fuzz target for the SecLang parser (src/seclang): arbitrary bytes as a rules file. File
// access is off, so Include and data files cannot reach the file system; everything else
// (lexing, variables, operators, actions, chains, validation) runs. Must never crash, hang or
// grow without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "seclang/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gs::seclang::ParseOptions options;
  options.allow_file_access = false;
  options.max_file_bytes = 1 << 20;
  options.max_errors = 100;
  gs::seclang::Parser parser(options);
  parser.ParseString(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.conf");
  parser.Finish();
  // Touch the outputs so that formatting code runs too.
  size_t n = 0;
  for (const auto& d : parser.errors()) n += d.ToString().size();
  for (const auto& d : parser.warnings()) n += d.ToString().size();
  const auto& set = parser.rule_set();
  for (const auto& r : set.rules) {
    n += r.variables.size() + r.actions.size();
    if (r.child && *r.child >= set.rules.size()) __builtin_trap();
    if (r.parent && *r.parent >= set.rules.size()) __builtin_trap();
  }
  (void)parser.ToStatus();
  return n == static_cast<size_t>(-1);
}
