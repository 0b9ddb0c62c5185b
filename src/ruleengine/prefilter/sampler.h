// Test support (not linked into the product): random strings drawn from the over-approximated
// language of a PCRE2 pattern (regex_ast.h). Soundness tests and the fuzz target feed these to
// PCRE2; the ones PCRE2 really matches must pass the prefilter. Because the tree is a superset,
// some samples do not match (lookarounds, backreferences); callers simply skip those.
#pragma once

#include <random>
#include <string>
#include <string_view>

#include "core/status.h"
#include "ruleengine/prefilter/regex_ast.h"

namespace gs::prefilter {

class PatternSampler {
 public:
  // Errors: as ExtractRequirement (an invalid pattern). Unsupported constructs are sampled as
  // far as parsed (the tree may be partial); unsupported() says so.
  static Result<PatternSampler> Create(std::string_view pattern, bool caseless = false);

  // One random member of the language, at most about `max_len` bytes.
  std::string Sample(std::mt19937_64* rng, size_t max_len = 512) const;
  bool unsupported() const { return unsupported_; }

 private:
  std::shared_ptr<const internal::Node> root_;
  bool unsupported_ = false;
};

}  // namespace gs::prefilter
