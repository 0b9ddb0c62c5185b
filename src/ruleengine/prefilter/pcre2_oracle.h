// Test support (not linked into the product): PCRE2 compiled exactly as the operators module
// compiles @rx (PCRE2_DOTALL | PCRE2_MULTILINE, JIT when available), used as the ground truth
// the prefilter must never contradict. Bounded: match and depth limits make a pathological
// pattern report "unknown" instead of running for long.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct pcre2_real_code_8;
struct pcre2_real_match_data_8;
struct pcre2_real_match_context_8;

namespace gs::prefilter {

class Pcre2Oracle {
 public:
  // Compiles `pattern`; ok() is false when PCRE2 rejects it.
  explicit Pcre2Oracle(std::string_view pattern, uint32_t match_limit = 200000);
  ~Pcre2Oracle();
  Pcre2Oracle(const Pcre2Oracle&) = delete;
  Pcre2Oracle& operator=(const Pcre2Oracle&) = delete;

  bool ok() const { return code_ != nullptr; }
  // 1: PCRE2 finds a match; 0: it finds none; -1: a limit was hit or another error (no
  // evidence either way).
  int Match(std::string_view input) const;

 private:
  pcre2_real_code_8* code_ = nullptr;
  pcre2_real_match_data_8* md_ = nullptr;
  pcre2_real_match_context_8* mctx_ = nullptr;
};

}  // namespace gs::prefilter
