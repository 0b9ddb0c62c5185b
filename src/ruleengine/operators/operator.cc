// MatchContext (per-thread scratch), the operator registry, the dynamic-argument wrapper and the
// registration of every built-in operator, including the ones that only give a clear
// "unsupported here" error.
#include "ruleengine/operators/operator.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <atomic>

#include "ruleengine/operators/internal.h"

namespace gs::operators {
namespace {

// Generous JIT stack: CRS patterns on large bodies exceed PCRE2's 32 KiB default, which would
// make them fail with JIT_STACKLIMIT rather than by the configured match limit.
constexpr size_t kJitStackMin = 32 * 1024;
constexpr size_t kJitStackMax = 1024 * 1024;
// Ovector pairs: @rx reports at most TX.0..TX.9 but patterns may have more groups.
constexpr uint32_t kOvectorPairs = 64;
constexpr size_t kDynamicCacheMax = 64;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  return out;
}

}  // namespace

MatchContext::MatchContext() {
  pcre_mctx_ = pcre2_match_context_create(nullptr);
  jit_stack_ = pcre2_jit_stack_create(kJitStackMin, kJitStackMax, nullptr);
  if (pcre_mctx_ != nullptr && jit_stack_ != nullptr) {
    pcre2_jit_stack_assign(pcre_mctx_, nullptr, jit_stack_);
  }
  pcre_md_ = pcre2_match_data_create(kOvectorPairs, nullptr);
  captures.reserve(16);
}

MatchContext::~MatchContext() {
  pcre2_match_data_free(pcre_md_);
  pcre2_jit_stack_free(jit_stack_);
  pcre2_match_context_free(pcre_mctx_);
}

const Operator* MatchContext::CachedDynamic(uint64_t owner, std::string_view argument) const {
  auto it = dynamic_cache_.find(DynamicKeyView{owner, argument});  // no allocation
  return it == dynamic_cache_.end() ? nullptr : it->second.get();
}

void MatchContext::StoreDynamic(uint64_t owner, std::string argument,
                                std::unique_ptr<const Operator> op) {
  if (dynamic_cache_.size() >= kDynamicCacheMax) dynamic_cache_.clear();
  dynamic_cache_[DynamicKey{owner, std::move(argument)}] = std::move(op);
}

Status OperatorRegistry::Register(std::string_view name, OperatorFactory factory) {
  auto [it, inserted] = factories_.emplace(Lower(name), std::move(factory));
  if (!inserted) return AlreadyExistsError("operator @" + std::string(name) + " registered twice");
  return Status::Ok();
}

Result<std::unique_ptr<const Operator>> OperatorRegistry::Create(
    std::string_view name, std::string_view argument, const OperatorOptions& options) const {
  auto it = factories_.find(Lower(name));
  if (it == factories_.end()) {
    return NotFoundError("unknown operator @" + std::string(name));
  }
  auto result = it->second(argument, options);
  if (!result.ok()) return result.status().WithContext("@" + std::string(name));
  return result;
}

bool OperatorRegistry::Contains(std::string_view name) const {
  return factories_.find(Lower(name)) != factories_.end();
}

std::vector<std::string> OperatorRegistry::Names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : factories_) out.push_back(k);
  return out;
}

namespace internal {

std::atomic<uint64_t> next_dynamic_serial{1};

DynamicOperator::DynamicOperator(std::string name, std::string argument, OperatorFactory factory,
                                 OperatorOptions options)
    : Operator(std::move(name), std::move(argument)),
      factory_(std::move(factory)),
      options_(std::move(options)),
      serial_(next_dynamic_serial.fetch_add(1)) {
  options_.dynamic_argument = false;
}

void RegisterWithDynamic(OperatorRegistry* registry, std::string name, OperatorFactory factory) {
  registry
      ->Register(name,
                 [name, factory](std::string_view arg, const OperatorOptions& options)
                     -> Result<std::unique_ptr<const Operator>> {
                   if (options.dynamic_argument) {
                     return std::unique_ptr<const Operator>(
                         new DynamicOperator(name, std::string(arg), factory, options));
                   }
                   return factory(arg, options);
                 })
      .IgnoreError();
}

bool DynamicOperator::Evaluate(std::string_view input, MatchContext* ctx) const {
  return EvaluateExpanded(argument(), input, ctx);
}

bool DynamicOperator::EvaluateExpanded(std::string_view expanded_argument, std::string_view input,
                                       MatchContext* ctx) const {
  const Operator* op = ctx->CachedDynamic(serial_, expanded_argument);
  if (op == nullptr) {
    auto compiled = factory_(expanded_argument, options_);
    if (!compiled.ok()) {
      ctx->argument_error = true;
      return false;
    }
    op = compiled.value().get();
    ctx->StoreDynamic(serial_, std::string(expanded_argument), std::move(compiled).value());
  }
  return op->Evaluate(input, ctx);
}

std::string ResolvePath(std::string_view file, const OperatorOptions& options) {
  if (!file.empty() && file.front() == '/') return std::string(file);
  if (options.base_dir.empty()) return std::string(file);
  std::string out = options.base_dir;
  if (out.back() != '/') out += '/';
  out += file;
  return out;
}

int ParseIntLikeModSecurity(std::string_view s) {
  // std::stoi: skip leading whitespace, optional sign, base-10 digits; no digits -> 0
  // (ModSecurity catches the exception), out of int range -> 0 (likewise).
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  int64_t value = 0;
  bool any = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    any = true;
    value = value * 10 + (s[i] - '0');
    if (value > (int64_t{1} << 32)) return 0;
  }
  if (!any) return 0;
  if (negative) value = -value;
  if (value > INT32_MAX || value < INT32_MIN) return 0;
  return static_cast<int>(value);
}

int64_t ParseInt64LikeAtoll(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  uint64_t magnitude = 0;
  bool saturated = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (magnitude > (uint64_t{1} << 63) / 10) {
      saturated = true;
      continue;
    }
    magnitude = magnitude * 10 + static_cast<uint64_t>(s[i] - '0');
    if (magnitude > (uint64_t{1} << 63)) saturated = true;
  }
  if (negative) {
    if (saturated || magnitude >= (uint64_t{1} << 63)) return INT64_MIN;
    return -static_cast<int64_t>(magnitude);
  }
  if (saturated || magnitude > static_cast<uint64_t>(INT64_MAX)) return INT64_MAX;
  return static_cast<int64_t>(magnitude);
}

}  // namespace internal

namespace {

void RegisterUnsupported(OperatorRegistry* registry, std::string_view name, std::string why) {
  // OperatorRegistry::Create prefixes the error with "@name: ".
  registry
      ->Register(name,
                 [why](std::string_view,
                       const OperatorOptions&) -> Result<std::unique_ptr<const Operator>> {
                   return UnimplementedError("not supported here: " + why);
                 })
      .IgnoreError();
}

}  // namespace

void RegisterBuiltinOperators(OperatorRegistry* registry) {
  internal::RegisterStringOperators(registry);
  internal::RegisterRegexOperators(registry);
  internal::RegisterPmOperators(registry);
  internal::RegisterIpOperators(registry);
  internal::RegisterGeoOperators(registry);
  internal::RegisterDetectXss(registry);
  internal::RegisterDetectSqli(registry);
  RegisterUnsupported(registry, "rbl", "it needs DNS lookups to an Internet block list");
  RegisterUnsupported(registry, "gsbLookup", "it needs the Google Safe Browsing service");
  RegisterUnsupported(registry, "inspectFile", "it runs external programs");
  RegisterUnsupported(registry, "fuzzyHash", "ssdeep fuzzy hashing is not built in");
  RegisterUnsupported(registry, "validateHash", "it needs the hash engine (SecHashEngine)");
  RegisterUnsupported(registry, "validateDTD", "XML DTD validation is not built in");
  RegisterUnsupported(registry, "validateSchema", "XML schema validation is not built in");
  RegisterUnsupported(registry, "rsub", "stream substitution is not supported");
}

}  // namespace gs::operators
