// Shared pieces of the operator implementations: the PCRE2 regex wrapper, the dynamic-argument
// wrapper and the per-family registration functions. Private to src/ruleengine/operators/.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ruleengine/operators/operator.h"

struct pcre2_real_code_8;

namespace gs::operators::internal {

// A compiled PCRE2 pattern with ModSecurity's options (DOTALL | MULTILINE), JIT-compiled when
// possible. Immutable and thread-safe; matching uses the MatchContext's match data and JIT stack.
class Regex {
 public:
  // INVALID_ARGUMENT "regex does not compile at offset N: reason" on a bad pattern.
  static Result<std::unique_ptr<const Regex>> Compile(std::string_view pattern,
                                                      const OperatorOptions& options);
  ~Regex();

  // Runs one match from `start`. Returns the pcre2_match code: > 0 matched (number of pairs
  // filled), 0 matched but the ovector was too small, PCRE2_ERROR_NOMATCH, or another error. On
  // errors other than NOMATCH sets ctx->pcre_error, and ctx->pcre_limits_exceeded for limits.
  int Match(std::string_view input, size_t start, uint32_t pcre_options, MatchContext* ctx) const;
  // Offsets of pair `i` of the last Match() on this ctx; false when the group is unset.
  static bool Group(MatchContext* ctx, int i, size_t* begin, size_t* end);

  uint32_t capture_count() const { return capture_count_; }

 private:
  Regex() = default;
  pcre2_real_code_8* code_ = nullptr;
  uint32_t match_limit_ = 0;
  uint32_t depth_limit_ = 0;
  uint32_t capture_count_ = 0;
  // JIT code exists and the pattern is not in UTF mode (a (*UTF) pattern needs pcre2_match's
  // UTF check of the input): matches go straight to pcre2_jit_match.
  bool jit_fast_ = false;
};

// Wraps a factory for operators whose argument contains macros: compiles the expanded argument
// on demand (cached in the MatchContext). Used for operators that need compilation.
class DynamicOperator final : public Operator {
 public:
  DynamicOperator(std::string name, std::string argument, OperatorFactory factory,
                  OperatorOptions options);
  bool Evaluate(std::string_view input, MatchContext* ctx) const override;
  bool EvaluateExpanded(std::string_view expanded_argument, std::string_view input,
                        MatchContext* ctx) const override;

 private:
  OperatorFactory factory_;
  OperatorOptions options_;  // dynamic_argument cleared
  uint64_t serial_;          // cache key in MatchContext
};

// Registers `factory` under `name` so that a %{macro} argument (options.dynamic_argument) gets a
// DynamicOperator that builds the real operator from the expanded text at run time.
void RegisterWithDynamic(OperatorRegistry* registry, std::string name, OperatorFactory factory);

// Resolves `file` against options.base_dir unless absolute.
std::string ResolvePath(std::string_view file, const OperatorOptions& options);

// ModSecurity v3's integer parsing. @eq uses std::stoi (0 on any failure or int overflow);
// @gt/@ge/@lt/@le use atoll (strtoll: 64-bit, saturating at LLONG_MIN/LLONG_MAX, 0 when there
// are no digits). Both skip leading whitespace and accept one sign.
int ParseIntLikeModSecurity(std::string_view s);
int64_t ParseInt64LikeAtoll(std::string_view s);

void RegisterStringOperators(OperatorRegistry* registry);
void RegisterRegexOperators(OperatorRegistry* registry);
void RegisterPmOperators(OperatorRegistry* registry);
void RegisterIpOperators(OperatorRegistry* registry);
void RegisterGeoOperators(OperatorRegistry* registry);
void RegisterDetectXss(OperatorRegistry* registry);
void RegisterDetectSqli(OperatorRegistry* registry);

// The @detectXSS decision (see detect_xss.cc), exposed for tests.
bool DetectXss(std::string_view input);

// The @detectSQLi decision (see detect_sqli.cc), exposed for tests and tools. On true writes the
// NUL-terminated fingerprint that matched (at most 5 token types; ModSecurity's TX.0) into
// `fingerprint`; on false writes "". Allocation-free, thread-safe.
bool DetectSqli(std::string_view input, char fingerprint[8]);

}  // namespace gs::operators::internal
