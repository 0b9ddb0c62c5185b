// PCRE2-based operators: @rx, @rxGlobal and the checksum verifiers that locate candidates with
// a regex (@verifyCC: Luhn, @verifyCPF, @verifySSN, @verifySVNR). Patterns are compiled once
// with DOTALL | MULTILINE (as ModSecurity does) and JIT-compiled; every match runs under the
// configured match/depth limits so one evaluation can never take unbounded time.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ruleengine/operators/internal.h"

namespace gs::operators::internal {

Result<std::unique_ptr<const Regex>> Regex::Compile(std::string_view pattern,
                                                    const OperatorOptions& options) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                    PCRE2_DOTALL | PCRE2_MULTILINE, &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(error_code, buf, sizeof(buf));
    return InvalidArgumentError("regex does not compile at offset " + std::to_string(error_offset) +
                                ": " + reinterpret_cast<const char*>(buf));
  }
  // JIT failure (e.g. unsupported platform) is not an error: the interpreter is used.
  const bool jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  uint32_t all_options = 0;
  pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all_options);
  auto re = std::unique_ptr<Regex>(new Regex());
  re->jit_fast_ = jit && (all_options & PCRE2_UTF) == 0;
  re->code_ = code;
  re->match_limit_ = options.pcre_match_limit;
  re->depth_limit_ = options.pcre_depth_limit;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &re->capture_count_);
  return std::unique_ptr<const Regex>(std::move(re));
}

Regex::~Regex() { pcre2_code_free(code_); }

int Regex::Match(std::string_view input, size_t start, uint32_t pcre_options,
                 MatchContext* ctx) const {
  pcre2_match_context* mctx = ctx->pcre_match_context();
  // Limits are per pattern (they are compile-time options of the rule set); setting them is two
  // stores, so the shared per-thread match context carries them into this call.
  pcre2_set_match_limit(mctx, match_limit_ ? match_limit_ : 10000000);
  pcre2_set_depth_limit(mctx, depth_limit_ ? depth_limit_ : 10000000);
  // pcre2_jit_match skips pcre2_match's argument checks (the JIT code would run either way);
  // the options used here (0, NOTEMPTY) are ones it supports, and the limits above apply alike.
  const PCRE2_SPTR subject = reinterpret_cast<PCRE2_SPTR>(input.data());
  int rc = jit_fast_ && (pcre_options & ~uint32_t{PCRE2_NOTEMPTY}) == 0
               ? pcre2_jit_match(code_, subject, input.size(), start, pcre_options,
                                 ctx->pcre_match_data(), mctx)
               : pcre2_match(code_, subject, input.size(), start, pcre_options,
                             ctx->pcre_match_data(), mctx);
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
    ctx->pcre_error = true;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
      ctx->pcre_limits_exceeded = true;
    }
  }
  return rc;
}

bool Regex::Group(MatchContext* ctx, int i, size_t* begin, size_t* end) {
  pcre2_match_data* md = ctx->pcre_match_data();
  if (static_cast<uint32_t>(i) >= pcre2_get_ovector_count(md)) return false;
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  if (ov[2 * i] == PCRE2_UNSET || ov[2 * i + 1] < ov[2 * i]) return false;
  *begin = ov[2 * i];
  *end = ov[2 * i + 1];
  return true;
}

namespace {

constexpr int kMaxRxCaptures = 10;  // TX.0 .. TX.9

int PairsOf(int rc, const Regex& re) {
  // rc == 0: matched, ovector too small; all pairs that fit are valid.
  return rc > 0 ? rc : static_cast<int>(re.capture_count() + 1);
}

class RxOperator final : public Operator {
 public:
  RxOperator(std::string arg, std::unique_ptr<const Regex> re, bool global)
      : Operator(global ? "rxGlobal" : "rx", std::move(arg)), re_(std::move(re)), global_(global) {}

  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    if (ctx->want_captures) ctx->ClearCaptures();
    if (re_ == nullptr) {  // empty pattern matches everything (ModSecurity)
      if (ctx->want_captures) ctx->captures.push_back({true, input.substr(0, 0)});
      return true;
    }
    return global_ ? EvaluateGlobal(input, ctx) : EvaluateOne(input, ctx);
  }

 private:
  void AddGroups(int rc, std::string_view input, MatchContext* ctx, int limit) const {
    int pairs = std::min(PairsOf(rc, *re_), limit);
    for (int i = 0; i < pairs; ++i) {
      size_t b, e;
      if (Regex::Group(ctx, i, &b, &e)) {
        ctx->captures.push_back({true, input.substr(b, e - b)});
      } else {
        ctx->captures.push_back({false, {}});
      }
    }
  }

  bool EvaluateOne(std::string_view input, MatchContext* ctx) const {
    int rc = re_->Match(input, 0, 0, ctx);
    if (rc < 0) return false;
    if (ctx->want_captures) AddGroups(rc, input, ctx, kMaxRxCaptures);
    return true;
  }

  // Every match, left to right; after the first one, empty matches are skipped (PCRE2_NOTEMPTY)
  // so that e.g. /[a-z]*/ over "aaa0bbb" yields "aaa" and "bbb".
  bool EvaluateGlobal(std::string_view input, MatchContext* ctx) const {
    size_t offset = 0;
    bool matched = false;
    while (offset <= input.size()) {
      int rc = re_->Match(input, offset, matched ? PCRE2_NOTEMPTY : 0, ctx);
      if (rc < 0) break;
      matched = true;
      size_t b = 0, e = 0;
      Regex::Group(ctx, 0, &b, &e);
      if (!ctx->want_captures) return true;
      AddGroups(rc, input, ctx, 1 << 16);
      offset = e > b ? e : e + 1;
    }
    if (ctx->pcre_error && !matched) return false;
    return matched;
  }

  std::unique_ptr<const Regex> re_;
  bool global_;
};

// Checksum validators for numbers found by a regex.
bool LuhnValid(std::string_view s) {
  static constexpr int kDoubled[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
  int sum = 0;
  int digits = 0;
  // From the rightmost digit: every second digit is doubled.
  for (size_t i = s.size(); i-- > 0;) {
    char c = s[i];
    if (c < '0' || c > '9') continue;
    int d = c - '0';
    sum += (digits % 2 == 1) ? kDoubled[d] : d;
    ++digits;
  }
  return digits > 0 && sum % 10 == 0;
}

// Collects up to `max` digits; returns how many digits the string has.
size_t Digits(std::string_view s, int* out, size_t max) {
  size_t n = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (n < max) out[n] = c - '0';
      ++n;
    }
  }
  return n;
}

bool AllSame(const int* d, size_t n) {
  for (size_t i = 1; i < n; ++i) {
    if (d[i] != d[0]) return false;
  }
  return true;
}

bool CpfValid(std::string_view s) {
  int d[11];
  // ModSecurity takes the first 11 digits and requires exactly 11 to have been seen.
  if (Digits(s, d, 11) < 11) return false;
  if (AllSame(d, 11)) return false;
  static constexpr int kSeq[11] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0};
  if (std::equal(d, d + 11, kSeq)) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += d[i] * (10 - i);
  int r = sum % 11;
  int check1 = r < 2 ? 0 : 11 - r;
  sum = 0;
  for (int i = 0; i < 9; ++i) sum += d[i] * (11 - i);
  sum += check1 * 2;
  r = sum % 11;
  int check2 = r < 2 ? 0 : 11 - r;
  return d[9] == check1 && d[10] == check2;
}

bool SsnValid(std::string_view s) {
  int d[9];
  if (Digits(s, d, 9) != 9) return false;
  int sequential = 0, repeated = 0;
  for (int i = 0; i < 8; ++i) {
    if (d[i] == d[i + 1] - 1) ++sequential;
    if (d[i] == d[i + 1]) ++repeated;
  }
  if (sequential == 8 || repeated == 8) return false;
  int area = d[0] * 100 + d[1] * 10 + d[2];
  int group = d[3] * 10 + d[4];
  int serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
  if (area == 0 || group == 0 || serial == 0) return false;
  if (area >= 740 || area == 666) return false;
  return true;
}

// Austrian social security number: 4 digits (serial + check digit) then a 6-digit birth date.
bool SvnrValid(std::string_view s) {
  int d[10];
  if (Digits(s, d, 10) < 10) return false;
  if (AllSame(d, 10)) return false;
  static constexpr int kSeq1[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  static constexpr int kSeq2[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0};
  if (std::equal(d, d + 10, kSeq1) || std::equal(d, d + 10, kSeq2)) return false;
  int sum = d[0] * 3 + d[1] * 7 + d[2] * 9 + d[4] * 5 + d[5] * 8 + d[6] * 4 + d[7] * 2 + d[8] * 1 +
            d[9] * 6;
  sum %= 11;
  if (sum == 10) sum = 0;
  return sum == d[3];
}

using CheckFn = bool (*)(std::string_view);

// Finds regex matches starting at every position and accepts the first one whose checksum is
// valid (ModSecurity retries from each offset so that overlapping candidates are all tried).
class VerifyOperator final : public Operator {
 public:
  VerifyOperator(std::string name, std::string arg, std::unique_ptr<const Regex> re, CheckFn fn)
      : Operator(std::move(name), std::move(arg)), re_(std::move(re)), fn_(fn) {}

  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    if (ctx->want_captures) ctx->ClearCaptures();
    size_t offset = 0;
    while (offset < input.size()) {
      int rc = re_->Match(input, offset, 0, ctx);
      if (rc < 0) return false;
      size_t b = 0, e = 0;
      if (!Regex::Group(ctx, 0, &b, &e)) return false;
      std::string_view candidate = input.substr(b, e - b);
      if (fn_(candidate)) {
        if (ctx->want_captures) ctx->captures.push_back({true, candidate});
        return true;
      }
      offset = b + 1;
    }
    return false;
  }

 private:
  std::unique_ptr<const Regex> re_;
  CheckFn fn_;
};

Result<std::unique_ptr<const Operator>> MakeRx(std::string_view arg, const OperatorOptions& options,
                                               bool global) {
  std::unique_ptr<const Regex> re;
  if (!arg.empty()) {
    GS_ASSIGN_OR_RETURN(re, Regex::Compile(arg, options));
  }
  return std::unique_ptr<const Operator>(new RxOperator(std::string(arg), std::move(re), global));
}

OperatorFactory VerifyFactory(std::string name, CheckFn fn) {
  return [name, fn](std::string_view arg,
                    const OperatorOptions& options) -> Result<std::unique_ptr<const Operator>> {
    if (arg.empty()) return InvalidArgumentError("needs a regular expression argument");
    GS_ASSIGN_OR_RETURN(auto re, Regex::Compile(arg, options));
    return std::unique_ptr<const Operator>(
        new VerifyOperator(name, std::string(arg), std::move(re), fn));
  };
}

}  // namespace

void RegisterRegexOperators(OperatorRegistry* registry) {
  RegisterWithDynamic(registry, "rx", [](std::string_view a, const OperatorOptions& o) {
    return MakeRx(a, o, false);
  });
  RegisterWithDynamic(registry, "rxGlobal", [](std::string_view a, const OperatorOptions& o) {
    return MakeRx(a, o, true);
  });
  RegisterWithDynamic(registry, "verifyCC", VerifyFactory("verifyCC", LuhnValid));
  RegisterWithDynamic(registry, "verifyCPF", VerifyFactory("verifyCPF", CpfValid));
  RegisterWithDynamic(registry, "verifySSN", VerifyFactory("verifySSN", SsnValid));
  RegisterWithDynamic(registry, "verifySVNR", VerifyFactory("verifySVNR", SvnrValid));
}

}  // namespace gs::operators::internal
