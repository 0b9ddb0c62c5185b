// Fuzz target for the prefilter's PCRE2 pattern reader and requirement extraction. The input is
// a pattern. It must never crash; and when PCRE2 compiles it (as @rx does), a differential
// check runs: random members of the pattern's language (sampler.h), in random context and with
// random case flips, are matched by PCRE2, and every input PCRE2 matches must satisfy the
// extracted requirement; the compiled LiteralMatcher and a one-rule PrefilterSet must agree with
// the reference SatisfiedBy. Any violation aborts, so the fuzzer reports it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "ruleengine/prefilter/pcre2_oracle.h"
#include "ruleengine/prefilter/prefilter.h"
#include "ruleengine/prefilter/sampler.h"

namespace {

using gs::prefilter::Bitset;
using gs::prefilter::ExtractRequirement;
using gs::prefilter::LiteralMatcher;
using gs::prefilter::PatternSampler;
using gs::prefilter::Pcre2Oracle;
using gs::prefilter::PrefilterSet;

[[noreturn]] void Violation(const char* what, std::string_view pattern, std::string_view input) {
  std::fprintf(stderr,
               "prefilter violation: %s\npattern (%zu bytes): %.*s\ninput (%zu bytes): %.*s\n",
               what, pattern.size(), static_cast<int>(pattern.size()), pattern.data(), input.size(),
               static_cast<int>(input.size()), input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 2048) return 0;  // long patterns only slow the fuzzer down
  std::string_view pattern(reinterpret_cast<const char*>(data), size);
  auto req = ExtractRequirement(pattern);
  Pcre2Oracle re(pattern, 20000);
  if (!re.ok()) return 0;
  if (!req.ok()) {
    // Contract: errors only for patterns that are certainly invalid PCRE2.
    Violation(std::string(req.status().message()).c_str(), pattern, "(extraction error)");
  }
  std::shared_ptr<const LiteralMatcher> matcher;
  std::shared_ptr<const PrefilterSet> set;
  if (req->filterable()) {
    auto m = LiteralMatcher::Build(*req);
    auto s = PrefilterSet::Build({{0, *req}});
    if (!m.ok() || !s.ok()) Violation("matcher build failed", pattern, "");
    matcher = *m;
    set = *s;
  }
  auto sampler = PatternSampler::Create(pattern);
  if (!sampler.ok()) Violation("sampler rejects what extraction accepted", pattern, "");
  uint64_t seed = 1469598103934665603ull;
  for (size_t i = 0; i < size; ++i) seed = (seed ^ data[i]) * 1099511628211ull;
  std::mt19937_64 rng(seed);
  Bitset may;
  auto check = [&](const std::string& input) {
    bool satisfied = req->SatisfiedBy(input);
    if (matcher) {
      if (matcher->MayMatch(input) != satisfied)
        Violation("LiteralMatcher != SatisfiedBy", pattern, input);
      may.Clear();
      set->Scan(input, nullptr, &may);
      if (may.Test(0) != satisfied) Violation("PrefilterSet != SatisfiedBy", pattern, input);
    }
    if (!satisfied && re.Match(input) == 1)
      Violation("PCRE2 matches, prefilter says no", pattern, input);
  };
  for (int i = 0; i < 16; ++i) {
    std::string s = sampler->Sample(&rng, 96);
    check(s);
    std::string ctx = s;
    for (int k = 0; k < 3; ++k) ctx.insert(ctx.begin(), static_cast<char>(0x20 + rng() % 95));
    ctx.push_back(static_cast<char>(rng() % 256));
    check(ctx);
    for (auto& c : s) {
      if ((rng() & 1) == 0) continue;
      if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 32);
      else if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c + 32);
    }
    check(s);
  }
  return 0;
}
