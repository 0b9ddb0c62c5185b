// SecLang operators (@rx, @pm, @ipMatch, ...) with ModSecurity v3 semantics.
//
// An Operator is compiled ONCE, at rule-load time, from (name, argument, options) and is then
// immutable: Evaluate() is const and may be called concurrently from any number of threads, each
// with its own MatchContext. All per-call mutable state (PCRE2 match data and JIT stack, capture
// output, error flags) lives in the MatchContext, which the rule
// engine keeps per thread (or per transaction, reused), so evaluation allocates nothing once the
// context is warm.
//
// Dynamic arguments: when a rule's operator argument contains %{macros} (e.g.
// `@within %{tx.allowed_methods}`), the engine creates the operator with
// OperatorOptions::dynamic_argument = true. Such an operator must be evaluated with
// EvaluateExpanded(expanded_argument, input, ctx): the engine expands the macros for the current
// transaction and passes the resulting bytes. Cheap operators (string compares, numeric compares)
// use the expanded argument directly; operators that need compilation (@rx, @pm, @ipMatch,
// @validateByteRange, ...) compile it on first use and keep the last few compiled forms in the
// MatchContext, so a macro that keeps the same value is compiled once per context. A compile
// failure at run time makes the evaluation return false and sets MatchContext::argument_error.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

struct pcre2_real_match_context_8;
struct pcre2_real_match_data_8;
struct pcre2_real_jit_stack_8;

namespace gs::operators {

class Operator;

// Load-time settings an operator may need.
struct OperatorOptions {
  // Directory that relative file names (@pmFromFile, @ipMatchFromFile) are resolved against:
  // the directory of the rules file that contains the rule.
  std::string base_dir;
  // The argument contains %{macros}; see the file comment.
  bool dynamic_argument = false;
  // PCRE2 limits (SecPcreMatchLimit / SecPcreMatchLimitRecursion). 0 = library default
  // (10,000,000). The defaults match Debian's /etc/modsecurity/modsecurity.conf. The interpreter
  // resets the match-limit counter at each start position (the JIT counts its own way; the depth
  // limit applies only without JIT), so one evaluation is bounded by O(input length x limit), as
  // in ModSecurity: callers bound
  // the input size (body limits) to bound the time. Measured: the worst CRS 3.3.4 regex over a
  // 64 KiB adversarial input takes ~0.6 s CPU here and in libmodsecurity3 alike.
  uint32_t pcre_match_limit = 100000;
  uint32_t pcre_depth_limit = 100000;
  // MaxMind database for @geoLookup (SecGeoLookupDb). Empty = none configured.
  std::string geo_db_path;
};

// One captured substring: TX.<index> semantics. `value` points into the input passed to
// Evaluate(), or into the operator's own phrase storage for @pm; copy it before the input dies.
struct Capture {
  bool set = false;
  std::string_view value;
};

// Result of a successful @geoLookup, for the GEO collection.
struct GeoResult {
  std::string country_code;
  std::string country_code3;
  std::string country_name;
  std::string country_continent;
  std::string region;
  std::string city;
  std::string postal_code;
  double latitude = 0;
  double longitude = 0;
};

// Per-thread mutable state for operator evaluation. Not thread-safe: one per thread. Owns the
// PCRE2 match data / JIT stack (@pm's automaton needs no per-thread state). Non-copyable,
// non-movable (handles point into it).
class MatchContext {
 public:
  MatchContext();
  ~MatchContext();
  MatchContext(const MatchContext&) = delete;
  MatchContext& operator=(const MatchContext&) = delete;

  // --- inputs set by the engine ---
  // Whether the rule has the `capture` action. When false, operators skip capture work.
  bool want_captures = false;

  // --- outputs ---
  // Captures of the last successful evaluation (cleared at the start of every evaluation of an
  // operator that captures): @rx fills TX.0..TX.9 (whole match, groups 1..9; unset groups have
  // set == false); @rxGlobal numbers every group of every match consecutively; @pm, @verifyCC,
  // @verifyCPF, @verifySSN, @verifySVNR fill TX.0; @detectSQLi puts its fingerprint in TX.0.
  std::vector<Capture> captures;
  // Sticky flags (the engine resets them per transaction): MSC_PCRE_ERROR and
  // MSC_PCRE_LIMITS_EXCEEDED. When set by an evaluation, that evaluation returned false.
  bool pcre_error = false;
  bool pcre_limits_exceeded = false;
  // A dynamic argument failed to compile (the evaluation returned false).
  bool argument_error = false;
  // Filled by @geoLookup when it returns true.
  GeoResult geo;
  // Storage for @detectSQLi's TX.0 (the libinjection-style fingerprint, NUL-terminated); the
  // capture points here and stays valid until the next @detectSQLi evaluation on this context.
  char sqli_fingerprint[8] = {};

  void ClearCaptures() { captures.clear(); }
  void ResetFlags() { pcre_error = pcre_limits_exceeded = argument_error = false; }

  // --- internals used by operator implementations ---
  pcre2_real_match_context_8* pcre_match_context() { return pcre_mctx_; }
  pcre2_real_match_data_8* pcre_match_data() { return pcre_md_; }
  // Small cache of operators compiled from dynamic arguments, keyed by (owner serial, argument);
  // the serial is unique per dynamic operator ever created, so a reload cannot alias entries.
  const Operator* CachedDynamic(uint64_t owner, std::string_view argument) const;
  void StoreDynamic(uint64_t owner, std::string argument, std::unique_ptr<const Operator> op);

 private:
  pcre2_real_match_context_8* pcre_mctx_ = nullptr;
  pcre2_real_jit_stack_8* jit_stack_ = nullptr;
  pcre2_real_match_data_8* pcre_md_ = nullptr;
  struct DynamicKey {
    uint64_t owner;
    std::string argument;
  };
  struct DynamicKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      if (a.owner != b.owner) return a.owner < b.owner;
      return std::string_view(a.argument) < std::string_view(b.argument);
    }
  };
  struct DynamicKeyView {
    uint64_t owner;
    std::string_view argument;
  };
  std::map<DynamicKey, std::unique_ptr<const Operator>, DynamicKeyLess> dynamic_cache_;
};

// A compiled operator. Immutable; Evaluate is thread-safe given distinct MatchContexts.
class Operator {
 public:
  virtual ~Operator() = default;

  // Whether `input` matches (before negation: `!@op` is the engine's job). Never fails: runtime
  // trouble (PCRE2 limit hit, ...) is reported through `ctx` flags and yields false.
  // For a dynamic-argument operator, Evaluate() evaluates against the argument text as written
  // (macros unexpanded); the engine should call EvaluateExpanded() instead.
  virtual bool Evaluate(std::string_view input, MatchContext* ctx) const = 0;

  // Evaluation with the macro-expanded argument (see the file comment). For operators created
  // without dynamic_argument this ignores `expanded_argument` and calls Evaluate().
  virtual bool EvaluateExpanded(std::string_view expanded_argument, std::string_view input,
                                MatchContext* ctx) const {
    return Evaluate(input, ctx);
  }

  // Pre-sizes per-context scratch so the first evaluation does not allocate. No built-in
  // operator needs it today (kept so one with per-thread scratch can be added without touching
  // the engine). Optional; safe to call any number of times.
  virtual void Prepare(MatchContext* ctx) const {}

  // For @pm/@pmFromFile: the phrases; the operator matches exactly when the input contains one
  // of them, ASCII-case-insensitively. Null for every other operator.
  virtual const std::vector<std::string>* Phrases() const { return nullptr; }

  const std::string& name() const { return name_; }
  const std::string& argument() const { return argument_; }

 protected:
  Operator(std::string name, std::string argument)
      : name_(std::move(name)), argument_(std::move(argument)) {}

 private:
  std::string name_;      // canonical spelling, e.g. "rx"
  std::string argument_;  // as written in the rule
};

using OperatorFactory = std::function<Result<std::unique_ptr<const Operator>>(
    std::string_view argument, const OperatorOptions& options)>;

// Name -> factory. Names are case-insensitive (ModSecurity lowercases them). Filled explicitly
// by RegisterBuiltinOperators(); immutable afterwards and then safe to share across threads.
class OperatorRegistry {
 public:
  // Registers `name`; ALREADY_EXISTS if a factory is registered under it (case-insensitively).
  Status Register(std::string_view name, OperatorFactory factory);

  // Compiles an operator. Errors: NOT_FOUND naming an unknown operator; INVALID_ARGUMENT for a
  // bad argument (a regex that does not compile names the offset); UNIMPLEMENTED for operators
  // this build does not support (@rbl, @inspectFile, @fuzzyHash, ...); FAILED_PRECONDITION for
  // @geoLookup without a database; IO errors for unreadable *FromFile files.
  Result<std::unique_ptr<const Operator>> Create(std::string_view name, std::string_view argument,
                                                 const OperatorOptions& options) const;

  bool Contains(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, OperatorFactory, std::less<>> factories_;  // lowercase name
};

// Registers every operator this module knows, including the ones that only produce a clear
// "unsupported" error.
void RegisterBuiltinOperators(OperatorRegistry* registry);

}  // namespace gs::operators
