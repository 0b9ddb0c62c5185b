// The operators that compare the input with their argument directly: @streq, @strmatch,
// @beginsWith, @endsWith, @contains, @containsWord, @within, @eq/@ge/@gt/@le/@lt, plus the
// validators (@validateByteRange, @validateUrlEncoding, @validateUtf8Encoding) and the constant
// operators (@unconditionalMatch, @noMatch). Semantics follow ModSecurity v3, including its edge
// cases with empty arguments and inputs.
#include <array>
#include <cstring>

#include "core/utf8.h"
#include "ruleengine/operators/internal.h"

namespace gs::operators::internal {
namespace {

using MatchFn = bool (*)(std::string_view arg, std::string_view input);

// An operator whose whole behaviour is a pure function of (argument, input). Supports dynamic
// arguments natively: the expanded argument is used as is, no compilation, no allocation.
class SimpleOperator final : public Operator {
 public:
  SimpleOperator(std::string name, std::string argument, MatchFn fn, bool dynamic)
      : Operator(std::move(name), std::move(argument)), fn_(fn), dynamic_(dynamic) {}
  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    return fn_(argument(), input);
  }
  bool EvaluateExpanded(std::string_view expanded, std::string_view input,
                        MatchContext* ctx) const override {
    return fn_(dynamic_ ? expanded : std::string_view(argument()), input);
  }

 private:
  MatchFn fn_;
  bool dynamic_;
};

bool StrEq(std::string_view a, std::string_view in) { return a == in; }
bool BeginsWith(std::string_view a, std::string_view in) { return in.substr(0, a.size()) == a; }
bool EndsWith(std::string_view a, std::string_view in) {
  return in.size() >= a.size() && in.substr(in.size() - a.size()) == a;
}
bool Contains(std::string_view a, std::string_view in) { return in.find(a) != in.npos; }
bool Within(std::string_view a, std::string_view in) { return a.find(in) != a.npos; }

// ModSecurity's containsWord treats only ASCII letters as word characters: the phrase must not
// be preceded or followed by a letter.
bool IsLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool ContainsWord(std::string_view a, std::string_view in) {
  if (a.empty()) return true;
  if (in.empty()) return false;
  for (size_t pos = in.find(a); pos != in.npos; pos = in.find(a, pos + 1)) {
    bool left_ok = pos == 0 || !IsLetter(in[pos - 1]);
    size_t end = pos + a.size();
    bool right_ok = end == in.size() || !IsLetter(in[end]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

bool Always(std::string_view, std::string_view) { return true; }
bool Never(std::string_view, std::string_view) { return false; }

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True (a match) when the input has a '%' not followed by two hex digits.
bool ValidateUrlEncoding(std::string_view, std::string_view in) {
  for (size_t i = 0; i < in.size();) {
    if (in[i] != '%') {
      ++i;
      continue;
    }
    if (i + 2 >= in.size()) return true;
    if (!IsHex(in[i + 1]) || !IsHex(in[i + 2])) return true;
    i += 3;
  }
  return false;
}

// True (a match) when the input is not valid UTF-8: truncated or bad continuation bytes,
// invalid lead bytes, overlong forms, surrogates, or code points above U+10FFFF.
bool ValidateUtf8Encoding(std::string_view, std::string_view in) { return !IsValidUtf8(in); }

// @validateByteRange: a 256-bit table of allowed bytes compiled from "a-b,c,d-e".
class ValidateByteRangeOperator final : public Operator {
 public:
  static Result<std::unique_ptr<const Operator>> Create(std::string_view arg,
                                                        const OperatorOptions& options) {
    auto op = std::unique_ptr<ValidateByteRangeOperator>(new ValidateByteRangeOperator(arg));
    GS_RETURN_IF_ERROR(op->Parse(arg));
    return std::unique_ptr<const Operator>(std::move(op));
  }
  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    for (unsigned char c : input) {
      if (!allowed_[c]) return true;
    }
    return false;
  }

 private:
  explicit ValidateByteRangeOperator(std::string_view arg)
      : Operator("validateByteRange", std::string(arg)) {}

  static Result<int> ParseByte(std::string_view s, std::string_view whole) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty() || s.size() > 3) {
      return InvalidArgumentError("bad byte value '" + std::string(s) + "' in range list '" +
                                  std::string(whole) + "'");
    }
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') {
        return InvalidArgumentError("bad byte value '" + std::string(s) + "' in range list '" +
                                    std::string(whole) + "'");
      }
      v = v * 10 + (c - '0');
    }
    if (v > 255) {
      return InvalidArgumentError("byte value " + std::to_string(v) + " out of 0-255 in '" +
                                  std::string(whole) + "'");
    }
    return v;
  }

  Status Parse(std::string_view arg) {
    // ModSecurity v3 silently ignores unparsable ranges (and then every byte is "outside the
    // range"); a typo there would block everything, so we reject it at load time instead.
    if (arg.empty()) return InvalidArgumentError("empty byte range list");
    size_t start = 0;
    while (start <= arg.size()) {
      size_t comma = arg.find(',', start);
      std::string_view item = arg.substr(start, comma == arg.npos ? arg.npos : comma - start);
      size_t dash = item.find('-');
      int lo, hi;
      if (dash == item.npos) {
        GS_ASSIGN_OR_RETURN(lo, ParseByte(item, arg));
        hi = lo;
      } else {
        GS_ASSIGN_OR_RETURN(lo, ParseByte(item.substr(0, dash), arg));
        GS_ASSIGN_OR_RETURN(hi, ParseByte(item.substr(dash + 1), arg));
        if (lo > hi) {
          return InvalidArgumentError("invalid range " + std::to_string(lo) + "-" +
                                      std::to_string(hi) + " in '" + std::string(arg) + "'");
        }
      }
      for (int b = lo; b <= hi; ++b) allowed_[b] = true;
      if (comma == arg.npos) break;
      start = comma + 1;
    }
    return Status::Ok();
  }

  std::array<bool, 256> allowed_{};
};

// @eq @ge @gt @le @lt: the input parsed as ModSecurity does (int for @eq, atoll for the others)
// against the argument parsed the same way, once at load when the argument has no macros (the
// CRS evaluates ~190 such comparisons of TX variables per request).
enum class Compare { kEq, kGe, kGt, kLe, kLt };
class NumericOperator final : public Operator {
 public:
  NumericOperator(std::string name, std::string argument, Compare cmp, bool dynamic)
      : Operator(std::move(name), std::move(argument)), cmp_(cmp), dynamic_(dynamic) {
    parsed_ = Parse(this->argument());
  }
  bool Evaluate(std::string_view input, MatchContext*) const override {
    return Holds(Parse(input), parsed_);
  }
  bool EvaluateExpanded(std::string_view expanded, std::string_view input,
                        MatchContext*) const override {
    return Holds(Parse(input), dynamic_ ? Parse(expanded) : parsed_);
  }

 private:
  int64_t Parse(std::string_view s) const {
    return cmp_ == Compare::kEq ? ParseIntLikeModSecurity(s) : ParseInt64LikeAtoll(s);
  }
  bool Holds(int64_t in, int64_t arg) const {
    switch (cmp_) {
      case Compare::kEq:
        return in == arg;
      case Compare::kGe:
        return in >= arg;
      case Compare::kGt:
        return in > arg;
      case Compare::kLe:
        return in <= arg;
      case Compare::kLt:
        return in < arg;
    }
    return false;
  }

  Compare cmp_;
  bool dynamic_;
  int64_t parsed_ = 0;
};

// Registers `name` as an operator of class Op, built from (name, argument, how, whether the
// argument has macros).
template <typename Op, typename How>
void RegisterOp(OperatorRegistry* registry, std::string_view name, How how) {
  std::string canonical(name);
  registry
      ->Register(name,
                 [canonical, how](std::string_view arg, const OperatorOptions& options)
                     -> Result<std::unique_ptr<const Operator>> {
                   return std::unique_ptr<const Operator>(
                       new Op(canonical, std::string(arg), how, options.dynamic_argument));
                 })
      .IgnoreError();
}

void RegisterSimple(OperatorRegistry* registry, std::string_view name, MatchFn fn) {
  RegisterOp<SimpleOperator>(registry, name, fn);
}

}  // namespace

void RegisterStringOperators(OperatorRegistry* registry) {
  RegisterSimple(registry, "streq", StrEq);
  // @strmatch is a plain substring search (ModSecurity uses Boyer-Moore-Horspool for it).
  RegisterSimple(registry, "strmatch", Contains);
  RegisterSimple(registry, "beginsWith", BeginsWith);
  RegisterSimple(registry, "endsWith", EndsWith);
  RegisterSimple(registry, "contains", Contains);
  RegisterSimple(registry, "containsWord", ContainsWord);
  RegisterSimple(registry, "within", Within);
  RegisterOp<NumericOperator>(registry, "eq", Compare::kEq);
  RegisterOp<NumericOperator>(registry, "ge", Compare::kGe);
  RegisterOp<NumericOperator>(registry, "gt", Compare::kGt);
  RegisterOp<NumericOperator>(registry, "le", Compare::kLe);
  RegisterOp<NumericOperator>(registry, "lt", Compare::kLt);
  RegisterSimple(registry, "unconditionalMatch", Always);
  RegisterSimple(registry, "noMatch", Never);
  RegisterSimple(registry, "validateUrlEncoding", ValidateUrlEncoding);
  RegisterSimple(registry, "validateUtf8Encoding", ValidateUtf8Encoding);
  registry
      ->Register("validateByteRange",
                 [](std::string_view arg,
                    const OperatorOptions& options) -> Result<std::unique_ptr<const Operator>> {
                   if (options.dynamic_argument) {
                     return std::unique_ptr<const Operator>(
                         new DynamicOperator("validateByteRange", std::string(arg),
                                             ValidateByteRangeOperator::Create, options));
                   }
                   return ValidateByteRangeOperator::Create(arg, options);
                 })
      .IgnoreError();
}

}  // namespace gs::operators::internal
