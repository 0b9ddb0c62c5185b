// PCRE2 ground truth for tests and the fuzz target; see pcre2_oracle.h.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "ruleengine/prefilter/pcre2_oracle.h"

#include <pcre2.h>

namespace gs::prefilter {

Pcre2Oracle::Pcre2Oracle(std::string_view pattern, uint32_t match_limit) {
  int err = 0;
  PCRE2_SIZE off = 0;
  code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                        PCRE2_DOTALL | PCRE2_MULTILINE, &err, &off, nullptr);
  if (code_ == nullptr) return;
  pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE);
  md_ = pcre2_match_data_create_from_pattern(code_, nullptr);
  mctx_ = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(mctx_, match_limit);
  pcre2_set_depth_limit(mctx_, match_limit);
  pcre2_set_heap_limit(mctx_, 20000);  // KiB
}

Pcre2Oracle::~Pcre2Oracle() {
  pcre2_match_context_free(mctx_);
  pcre2_match_data_free(md_);
  pcre2_code_free(code_);
}

int Pcre2Oracle::Match(std::string_view input) const {
  if (code_ == nullptr) return -1;
  int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(input.data()), input.size(), 0, 0, md_,
                       mctx_);
  if (rc >= 0) return 1;
  return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

}  // namespace gs::prefilter
